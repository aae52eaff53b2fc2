"""Request hygiene shared by every page and endpoint."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _


class RejectNulMiddleware:
    """Refuse input containing the NUL character (400), whatever the page or endpoint.

    No legitimate text contains it, PostgreSQL cannot store it in a text column, and a
    lookup with it fails inside the database: without this, such input becomes a 500 on
    PostgreSQL (found by the API fuzzing) while SQLite accepts it.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if self._has_nul(request):
            message = _("The request contains a NUL character, which is not allowed.")
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": message}, status=400)
            return HttpResponse(message, status=400, content_type="text/plain; charset=utf-8")
        return self.get_response(request)

    @staticmethod
    def _has_nul(request: HttpRequest) -> bool:
        if "\x00" in request.path:
            return True
        if any("\x00" in key or any("\x00" in v for v in values) for key, values in request.GET.lists()):
            return True
        content_type = request.META.get("CONTENT_TYPE", "")
        if request.method in ("POST", "PUT", "PATCH") and not content_type.startswith("multipart/"):
            body = request.body  # form or JSON: small; uploads (multipart) are checked by their forms
            if b"\x00" in body or b"\\u0000" in body or b"%00" in body:
                return True
        return False
