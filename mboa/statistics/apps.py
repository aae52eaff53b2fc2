from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StatisticsConfig(AppConfig):
    """Figures from the same data for every level: dashboards and the government-ownership
    page (``dashboards``), the anonymised statistical release, indicators as JSON and as
    DHIS2 data, the donor's report (``release``). Each area is a sub-package with its own
    rules, pages and ``setup.ready()``."""

    name = "mboa.statistics"
    label = "statistics"
    verbose_name = _("Statistics")

    def ready(self) -> None:
        from .dashboards import setup as dashboards
        from .release import setup as release

        dashboards.ready()
        release.ready()
