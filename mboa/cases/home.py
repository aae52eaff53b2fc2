"""Home panel: a caseworker's cases due this week and overdue."""

from mboa.core.navigation import HomePanel, register_panel
from mboa.core.permissions import check


def _my_due(user) -> dict | None:
    if not check(user, "cases.have_caseload"):
        return None
    from .selectors import caseload_for_user

    load = caseload_for_user(user=user, limit=5)
    if not (load["due"] or load["overdue"]):
        return None
    return load


register_panel(HomePanel("cases.due", "cases/partials/home_due.html", _my_due, order=50))
