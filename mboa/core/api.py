"""Shared API plumbing: the permission class over core rules, and the error handler."""

from __future__ import annotations

from typing import Any

from rest_framework import exceptions
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from .api_permissions import RulePermission  # noqa: F401  (the API's permission class, imported from here by the apps)
from .errors import ApplicationError


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


def _contains_nul(value: Any) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_contains_nul(k) or _contains_nul(v) for k, v in value.items())
    if isinstance(value, list | tuple):
        return any(_contains_nul(v) for v in value)
    return False


class NulSafeMultiPartParser(MultiPartParser):
    """Multipart text fields with a NUL character are refused (400), as the NUL middleware
    does for other bodies; file contents are left alone (they may hold any byte)."""

    def parse(self, stream: Any, media_type: Any = None, parser_context: Any = None) -> Any:
        result = super().parse(stream, media_type, parser_context)
        if any(_contains_nul(key) or any(_contains_nul(v) for v in values) for key, values in result.data.lists()):
            raise exceptions.ParseError("The request contains a NUL character, which is not allowed.")
        return result
