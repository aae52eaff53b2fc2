from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReceptionConfig(AppConfig):
    name = "mboa.reception"
    label = "reception"
    verbose_name = _("Reception at arrival")

    def ready(self) -> None:
        from mboa.core.navigation import NavItem, register_nav

        from . import briefing_figures, home, permissions, sensitive  # noqa: F401  (registers rules, panels, sensitive fields, briefing figures)

        register_nav(NavItem("reception", _("Arrivals"), "reception:arrival_list", "reception.view_arrivals", 30))
