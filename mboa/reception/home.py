"""Home page panels: a structure's open GTA tasks; urgent returnees for health staff."""

from django.utils import timezone

from mboa.core.navigation import HomePanel, register_panel

from . import selectors


def _my_tasks(user) -> dict | None:
    tasks = selectors.my_open_tasks(user=user)
    if not tasks:
        return None
    now = timezone.now()
    return {"tasks": tasks, "late": sum(1 for t in tasks if t.due_at < now), "now": now}


def _urgent(user) -> dict | None:
    passengers = selectors.urgent_passengers_for_user(user=user)
    return {"passengers": passengers} if passengers else None


register_panel(HomePanel("reception.my_tasks", "reception/partials/home_my_tasks.html", _my_tasks, order=30))
register_panel(HomePanel("reception.urgent", "reception/partials/home_urgent.html", _urgent, order=10))
