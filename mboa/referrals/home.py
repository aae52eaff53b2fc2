"""Home-page panels: the inbox of a receiving structure's focal point."""

from __future__ import annotations

from typing import Any

from mboa.core.navigation import HomePanel, register_panel
from mboa.core.permissions import check


def _inbox(user: Any) -> dict | None:
    if not check(user, "referrals.view_inbox"):
        return None
    from . import selectors

    counts = selectors.inbox_counts_for_user(user=user)
    if not counts["waiting"]:
        return None
    return counts


register_panel(HomePanel("referrals.inbox", "referrals/partials/home_inbox.html", _inbox, order=30))
