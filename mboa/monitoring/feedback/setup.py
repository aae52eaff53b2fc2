from typing import Any

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _


def _queue_panel(user: Any) -> dict | None:
    from mboa.core.permissions import check

    from . import selectors

    if not check(user, "monitoring.view_feedback"):
        return None
    counts = selectors.feedback_list_for_user(user=user, status="pending").order_by().aggregate(
        staff=Count("pk", filter=Q(against_staff=True)), others=Count("pk", filter=Q(against_staff=False)))
    staff, others = counts["staff"], counts["others"]
    if not (staff or others):
        return None
    return {"pending": others, "staff": staff}


def ready() -> None:
    """Register this area's rules, navigation items and home panels."""
    from mboa.core.navigation import HomePanel, NavItem, register_nav, register_panel

    from . import permissions  # noqa: F401  (registers the rules)

    register_nav(NavItem("feedback", _("Feedback"), "monitoring:feedback_list", "monitoring.view_feedback", 80))
    register_nav(NavItem("feedback_staff", _("Complaints against staff"), "monitoring:feedback_staff_list",
                         "monitoring.view_staff_complaints", 81))
    register_nav(NavItem("feedback_log", _("Log a feedback"), "monitoring:feedback_create",
                         "monitoring.log_feedback", 82))
    register_nav(NavItem("community", _("Community projects"), "monitoring:community_list",
                         "monitoring.view_community", 83))
    register_nav(NavItem("awareness", _("Awareness activities"), "monitoring:awareness_list",
                         "monitoring.view_awareness", 84))
    register_panel(HomePanel("monitoring.feedback", "monitoring/feedback/home_queue.html", _queue_panel, order=40))
