"""The home panel of the donor, the statistician and the secretariat: key figures and links."""

from __future__ import annotations

from mboa.core.navigation import HomePanel, register_panel
from mboa.core.permissions import check

from . import selectors


def _key_figures(user) -> dict | None:
    if not check(user, "statistics.figures_home") or not check(user, "statistics.view_dashboards"):
        return None
    return selectors.key_figures_for_user(user=user)


def register() -> None:
    register_panel(HomePanel("statistics.key_figures", "statistics/dashboards/home_key_figures.html", _key_figures,
                             order=1, section="figures"))
