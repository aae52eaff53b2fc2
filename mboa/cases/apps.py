from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "mboa.cases"
    label = "cases"
    verbose_name = _("Cases")

    def ready(self) -> None:
        from mboa.core.navigation import NavItem, register_nav
        from mboa.core.policy import Scope
        from mboa.registry.scopes import register_person_scope

        from . import briefing_figures, home, permissions, selectors, sensitive  # noqa: F401  (registers rules, panels, sensitive fields, briefing figures)

        # Counsellors see in the registry the people of the cases they hold.
        register_person_scope(Scope.ASSIGNED, selectors.person_ids_counselled_by)

        register_nav(NavItem("cases", _("Cases"), "cases:case_list", "cases.view_cases", 50))
        register_nav(NavItem("cases_caseload", _("Caseload"), "cases:my_caseload", "cases.have_caseload", 51))
        register_nav(NavItem("cases_niches", _("Niche map"), "cases:niche_list", "cases.view_niches", 52))
        register_nav(NavItem("cases_trainings", _("Trainings"), "cases:training_list", "cases.view_trainings", 53))
