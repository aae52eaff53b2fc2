from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProjectsConfig(AppConfig):
    name = "mboa.projects"
    label = "projects"
    verbose_name = _("Reintegration projects")

    def ready(self) -> None:
        from mboa.cases.niches import register_outcome_provider
        from mboa.core.activity import subscribe
        from mboa.core.navigation import NavItem, register_nav

        from . import briefing_figures, calendar, home, permissions, selectors, sensitive  # noqa: F401  (registers rules, panels, sensitive fields, briefing figures, calendar)
        from .followup import on_case_closed

        register_outcome_provider(selectors.filiere_outcomes)
        # A case closed: plan the returnee's follow-up visits (cases know nothing of projects).
        subscribe("case.close", on_case_closed)

        register_nav(NavItem("projects", _("Projects"), "projects:dossier_list", "projects.view_dossiers", 50))
        register_nav(NavItem("projects_sessions", _("Validation sessions"), "projects:session_list",
                             "projects.view_synthesis", 55))
        register_nav(NavItem("projects_visits", _("Follow-up visits"), "projects:visit_list", "projects.view_visits",
                             56))
        register_nav(NavItem("projects_survival", _("Project survival"), "projects:survival",
                             "projects.view_outcomes", 57))
