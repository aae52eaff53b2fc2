"""Home-page panel: the cases of the user whose survey round is due (links to their trajectory)."""

from __future__ import annotations

from typing import Any

from mboa.core.navigation import HomePanel, register_panel
from mboa.core.permissions import check


def _due(user: Any) -> dict | None:
    if not check(user, "surveys.collect"):
        return None
    from . import selectors

    due = selectors.surveys_due_for_user(user=user)
    return due if due["count"] else None


register_panel(HomePanel("surveys.due", "monitoring/surveys/home_due.html", _due, order=60))
