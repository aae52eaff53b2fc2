from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProjectsConfig(AppConfig):
    name = "mboa.projects"
    label = "projects"
    verbose_name = _("Reintegration projects")

    def ready(self) -> None:
        from mboa.cases.niches import register_outcome_provider
        from mboa.core.navigation import NavItem, register_nav

        from . import briefing_figures, calendar, home, permissions, selectors, sensitive  # noqa: F401  (registers rules, panels, sensitive fields, briefing figures, calendar)

        register_outcome_provider(selectors.filiere_outcomes)

        register_nav(NavItem("projects", _("Projects"), "projects:dossier_list", "projects.view_dossiers", 50))
        register_nav(NavItem("projects_sessions", _("Validation sessions"), "projects:session_list",
                             "projects.view_synthesis", 55))
