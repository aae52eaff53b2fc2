"""Shared API plumbing: the permission class over core rules, and the error handler."""

from __future__ import annotations

from typing import Any

from rest_framework import exceptions, permissions
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from .errors import ApplicationError
from .permissions import check


class RulePermission(permissions.BasePermission):
    """Checks the view's ``rules``: {"list": "app.view_x", "create": "app.add_x", ...}.

    Object-level checks use the same rule names with the object. Lists are scoped by the
    view's queryset (a selector for the user), never by this class.
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
            return request.method in permissions.SAFE_METHODS
        if getattr(view, "action", None) in {"retrieve", "update", "partial_update", "destroy"}:
            return True  # decided per object below
        return bool(check(request.user, name))

    def has_object_permission(self, request: Any, view: Any, obj: Any) -> bool:
        name = self._rule(view)
        if name is None:
            return request.method in permissions.SAFE_METHODS
        return bool(check(request.user, name, obj))


def exception_handler(exc: Exception, context: dict) -> Response | None:
    if isinstance(exc, ApplicationError):
        detail: dict[str, Any] = {"detail": exc.message}
        if exc.field:
            detail["field"] = exc.field
        detail.update(exc.extra)
        return Response(detail, status=400)
    if isinstance(exc, exceptions.NotAuthenticated):
        response = drf_exception_handler(exc, context)
        return response
    return drf_exception_handler(exc, context)
