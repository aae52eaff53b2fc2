"""Home panels: the reviewer's sessions with dossiers left to score; the follow-up visits overdue."""

from mboa.core.navigation import HomePanel, register_panel

from . import selectors


def _to_review(user) -> dict | None:
    rows = selectors.sessions_to_review(user=user)
    return {"sessions": rows} if rows else None


register_panel(HomePanel("projects.to_review", "projects/partials/home_to_review.html", _to_review, order=40))


def _visits_overdue(user) -> dict | None:
    return selectors.overdue_for_user(user=user)


register_panel(HomePanel("projects.visits_overdue", "projects/partials/home_visits_overdue.html", _visits_overdue,
                         order=45))
