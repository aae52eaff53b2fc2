def ready() -> None:
    """Register this area's rules, navigation items and home panels."""
    from django.utils.translation import gettext_lazy as _

    from mboa.core.navigation import NavItem, register_nav

    from . import home, permissions  # noqa: F401  (registers the rules)

    register_nav(NavItem("statistics_dashboards", _("Dashboards"), "statistics:dashboards_index",
                         "statistics.view_dashboards", 60))
    register_nav(NavItem("statistics_ownership", _("Ownership"), "statistics:dashboards_ownership",
                         "statistics.view_ownership", 61))
    register_nav(NavItem("statistics_reports", _("Reports"), "statistics:dashboards_reports",
                         "statistics.view_dashboards", 62))
    home.register()
