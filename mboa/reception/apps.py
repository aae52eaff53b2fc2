from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReceptionConfig(AppConfig):
    name = "mboa.reception"
    label = "reception"
    verbose_name = _("Reception at arrival")

    def ready(self) -> None:
        from mboa.core.navigation import NavItem, register_nav
        from mboa.core.policy import Scope
        from mboa.registry.scopes import register_person_scope

        from . import briefing_figures, home, permissions, selectors, sensitive  # noqa: F401  (registers rules, panels, sensitive fields, briefing figures)

        # A focal point (the police, DGSN) sees in the registry the returnees of the arrivals
        # their structure works on.
        register_person_scope(Scope.STRUCTURE, selectors.person_ids_verified_by)

        register_nav(NavItem("reception", _("Arrivals"), "reception:arrival_list", "reception.view_arrivals", 30))
