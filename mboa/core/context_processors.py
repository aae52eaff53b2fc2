from django.http import HttpRequest

from .navigation import nav_for


def navigation(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    current = getattr(getattr(request, "resolver_match", None), "namespace", "")
    return {"nav_items": nav_for(user), "nav_current": current}
