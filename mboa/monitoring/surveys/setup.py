from django.utils.translation import gettext_lazy as _


def ready() -> None:
    """Register this area's rules, tasks, navigation items and home panels."""
    from mboa.core.navigation import NavItem, register_nav

    from . import home, permissions, tasks  # noqa: F401  (registers rules, the home panel and the Celery tasks)

    register_nav(NavItem("surveys", _("Sustainability survey"), "monitoring:survey_catalog", "surveys.collect", 70))
    register_nav(NavItem("survey_cohorts", _("Sustainability by cohort"), "monitoring:survey_cohorts",
                         "surveys.view_cohorts", 71))
