from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MonitoringConfig(AppConfig):
    """What happens after assistance: the reintegration sustainability survey
    (``surveys``), feedback and complaints, community projects and awareness activities
    (``feedback``). Each area is a sub-package with its own models, rules, pages and
    ``setup.ready()`` (navigation, home panels)."""

    name = "mboa.monitoring"
    label = "monitoring"
    verbose_name = _("Monitoring")

    def ready(self) -> None:
        from .feedback import setup as feedback
        from .surveys import setup as surveys

        surveys.ready()
        feedback.ready()
