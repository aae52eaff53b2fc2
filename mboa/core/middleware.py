"""Request hygiene shared by every page and endpoint."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.cache import patch_cache_control
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
        try:
            has_nul = self._has_nul(request)
        except RequestDataTooBig:
            limit = round(settings.DATA_UPLOAD_MAX_MEMORY_SIZE / 1024 / 1024, 1)
            message = _("The request is too large (more than %(limit)s MB).") % {"limit": limit}
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": message}, status=413)
            return HttpResponse(message, status=413, content_type="text/plain; charset=utf-8")
        if has_nul:
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


class SecurityHeadersMiddleware:
    """Headers every answer carries (static files are served before, by WhiteNoise):

    - ``Content-Security-Policy`` (settings.MBOA_CONTENT_SECURITY_POLICY): only Mboa's own
      scripts, styles and images; no inline code; no framing. The API's browsable
      documentation (Swagger UI, ReDoc), whose pages hold inline scripts, gets the same
      policy with inline scripts allowed there only;
    - ``Permissions-Policy``: camera, microphone, location and the like switched off;
    - ``Cache-Control: no-store, private`` unless the view set its own: pages and API answers
      carry people's data, which must not stay in a shared computer's or a proxy's cache.
    """

    DOCS_PREFIXES = ("/api/docs/", "/api/redoc/")

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        policy = getattr(settings, "MBOA_CONTENT_SECURITY_POLICY", "")
        if policy and "Content-Security-Policy" not in response:
            if request.path.startswith(self.DOCS_PREFIXES):
                policy = policy.replace("script-src 'self'", "script-src 'self' 'unsafe-inline'").replace(
                    "style-src 'self'", "style-src 'self' 'unsafe-inline'")
            response["Content-Security-Policy"] = policy
        permissions = getattr(settings, "MBOA_PERMISSIONS_POLICY", "")
        if permissions:
            response.setdefault("Permissions-Policy", permissions)
        if "Cache-Control" not in response:
            patch_cache_control(response, no_store=True, private=True)
        return response
