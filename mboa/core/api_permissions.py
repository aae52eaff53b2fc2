"""The API's permission class over the core rules (its own module: DRF imports it from its
settings, before ``rest_framework.views`` exists, so it must not import DRF's views)."""

from __future__ import annotations

from typing import Any

from rest_framework import permissions

from .permissions import check


class RulePermission(permissions.BasePermission):
    """Checks the view's ``rules``: {"list": "app.view_x", "retrieve": "app.view_x", ...}.

    Object-level checks use the same rule names with the object. Lists are scoped by the
    view's queryset (a selector for the user), never by this class.

    An action without a rule needs a signed-in user only. For reads, the selector decides
    what is shown; for writes, the view fetches the object through the page's selector (404)
    and the service checks its rule (``require`` → 403) — the answer the page gives, from the
    same code. A write may still name a rule here to refuse early.
    """

    def _rule(self, view: Any) -> str | None:
        rules = getattr(view, "rules", {})
        action = getattr(view, "action", None) or view.request.method.lower()
        if action == "partial_update":
            action = "update"
        return rules.get(action)

    def has_permission(self, request: Any, view: Any) -> bool:
        if not request.user or not request.user.is_authenticated:
            return False
        name = self._rule(view)
        if name is None:
            return True
        if getattr(view, "action", None) in {"retrieve", "update", "partial_update", "destroy"}:
            return True  # decided per object below
        return bool(check(request.user, name))

    def has_object_permission(self, request: Any, view: Any, obj: Any) -> bool:
        name = self._rule(view)
        if name is None:
            return True
        return bool(check(request.user, name, obj))
