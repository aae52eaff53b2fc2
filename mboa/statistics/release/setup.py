def ready() -> None:
    """Register this area's rules, navigation items, indicators and task."""
    from django.utils.translation import gettext_lazy as _

    from mboa.core.navigation import NavItem, register_nav

    from . import permissions, programme, tasks  # noqa: F401  (registers the rules and the Celery task)

    programme.register_all()
    register_nav(NavItem("statistics_release", _("Statistical release"), "statistics:release_list",
                         "statistics.view_release", 80))
    register_nav(NavItem("statistics_donor_report", _("Periodic report"), "statistics:release_donor_report",
                         "statistics.view_donor_report", 81))
