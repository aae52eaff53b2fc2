"""Home panel: the reviewer's sessions with dossiers left to score."""

from mboa.core.navigation import HomePanel, register_panel

from . import selectors


def _to_review(user) -> dict | None:
    rows = selectors.sessions_to_review(user=user)
    return {"sessions": rows} if rows else None


register_panel(HomePanel("projects.to_review", "projects/partials/home_to_review.html", _to_review, order=40))
