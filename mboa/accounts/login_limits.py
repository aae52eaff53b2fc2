"""Limits on failed sign-ins beyond axes' lock-out of one (username, address) pair.

Axes locks a username at one client address after ``AXES_FAILURE_LIMIT`` failures: it
stops guessing one account's password, and (being keyed by the address too) a user failing
elsewhere, or someone failing with their name, does not lock them out from everywhere. It
does not stop *spraying*: a few passwords tried on many usernames. Two more counters, in
the shared cache, per window of ``MBOA["LOGIN_LIMITS"]["WINDOW_SECONDS"]``:

- failures from one client address (``PER_ADDRESS``): spraying from one place;
- failures from everywhere together (``GLOBAL``): spraying spread over many addresses. At
  that limit nobody can sign in until the window ends; the default is far above what
  people mistyping their passwords produce.

The client address (:func:`client_address`, also axes' ``AXES_CLIENT_IP_CALLABLE``) is the
connection's; behind the reverse proxy (``MBOA_TRUSTED_PROXY_COUNT`` proxies), the client's
own, read from X-Forwarded-For as DRF's throttles read it.
:class:`LoginLimitBackend`, first of ``AUTHENTICATION_BACKENDS``, refuses before any
password is checked, on the sign-in page and the API's token endpoint alike; failures are
counted from Django's ``user_login_failed`` signal, which every sign-in sends.
"""

from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from mboa.core.conf import setting

# Set on the request refused, with the message to show (the sign-in page answers 429).
LIMITED_ATTRIBUTE = "mboa_login_limited"


def client_address(request: Any) -> str:
    """The client's address. Without trusted proxies, the connection's (X-Forwarded-For
    can be forged); behind N proxies, the address the N-th proxy from us saw, i.e. the
    N-th entry from the end of X-Forwarded-For (what a client writes there comes before)."""
    remote = request.META.get("REMOTE_ADDR", "") or ""
    proxies = int(getattr(settings, "MBOA_TRUSTED_PROXY_COUNT", 0) or 0)
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if proxies and forwarded:
        addresses = [part.strip() for part in forwarded.split(",") if part.strip()]
        if addresses:
            return addresses[-min(proxies, len(addresses))][:64]
    return remote[:64]


def _keys(request: Any) -> tuple[str, str, int]:
    limits = setting("", "LOGIN_LIMITS")
    window = int(limits["WINDOW_SECONDS"])
    bucket = int(time.time() // window)
    address = client_address(request) or "unknown"
    return f"mboa:login-failures:address:{address}:{bucket}", f"mboa:login-failures:all:{bucket}", window


def refusal(request: Any) -> str | None:
    """Why sign-in is refused from this request now, or None."""
    limits = setting("", "LOGIN_LIMITS")
    address_key, global_key, _window = _keys(request)
    counts = cache.get_many([address_key, global_key])
    if counts.get(address_key, 0) >= limits["PER_ADDRESS"]:
        return _("Too many failed sign-ins from your network. For everyone's security, sign-in from it is paused "
                 "for a few minutes; try again later.")
    if counts.get(global_key, 0) >= limits["GLOBAL"]:
        return _("Mboa is receiving too many failed sign-ins right now. For everyone's security, sign-in is "
                 "paused for a few minutes; try again later.")
    return None


def record_failure(request: Any) -> None:
    address_key, global_key, window = _keys(request)
    for key in (address_key, global_key):
        cache.add(key, 0, timeout=window)
        try:
            cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, timeout=window)


def on_login_failed(sender: Any, credentials: dict, request: Any = None, **kwargs: Any) -> None:
    if request is not None and not getattr(request, LIMITED_ATTRIBUTE, None):
        record_failure(request)


class LoginLimitBackend:
    """Authenticates no one; refuses (PermissionDenied stops Django's ``authenticate``)
    when a limit is reached, and marks the request with the reason."""

    def authenticate(self, request: Any, username: str | None = None, password: str | None = None, **kwargs: Any):
        if request is None:
            return None
        message = refusal(request)
        if message:
            setattr(request, LIMITED_ATTRIBUTE, message)
            raise PermissionDenied(message)
        return None

    # No get_user: sessions are never this backend's (test clients' force_login picks the
    # first backend that has one).
