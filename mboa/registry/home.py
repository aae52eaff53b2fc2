from mboa.core.navigation import HomePanel, register_panel

from . import selectors


def _open_duplicates(user) -> dict | None:
    count = selectors.open_duplicates_count_for_user(user=user)
    return {"open_duplicates": count} if count else None


register_panel(HomePanel("registry.duplicates", "registry/partials/home_duplicates.html", _open_duplicates, order=40))
