"""The SMS gateway's inbound webhook: how a call proves it comes from the gateway.

The gateway POSTs JSON ``{"from": "+2376...", "text": "...", "received_at": "<ISO 8601>"}``
(``received_at`` optional) with two headers:

- ``X-Mboa-Timestamp``: the Unix time of the call, in seconds;
- ``X-Mboa-Signature``: ``sha256=`` + the hex HMAC-SHA256, keyed with the shared secret
  (``MBOA_SMS_WEBHOOK_SECRET``), of ``<timestamp>.<raw body>``.

A call is refused (403) when the secret is not set, the signature is missing or wrong, or
the timestamp is further than ``SMS_WEBHOOK_TOLERANCE_SECONDS`` from now (an old call
replayed). Within the tolerance, a call delivered twice (same signature) is answered but
recorded once (gateways retry).
"""

from __future__ import annotations

import hashlib
import hmac
import time

from mboa.core.conf import setting

TIMESTAMP_HEADER = "X-Mboa-Timestamp"
SIGNATURE_HEADER = "X-Mboa-Signature"


class Refused(Exception):
    """The call does not prove it comes from the gateway (the reason is logged, not shown)."""


def sign(body: bytes, timestamp: int | str, secret: str) -> str:
    """The signature header's value for ``body`` sent at ``timestamp`` (the gateway's side;
    used by the tests and the documentation's example)."""
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return "sha256=" + mac.hexdigest()


def verify(*, body: bytes, timestamp: str | None, signature: str | None, now: float | None = None) -> str:
    """Check a call; return its digest (the hex signature), which identifies it."""
    secret = setting("MONITORING", "SMS_WEBHOOK_SECRET")
    if not secret:
        raise Refused("no webhook secret is configured")
    if not timestamp or not signature:
        raise Refused("unsigned call")
    try:
        sent = int(timestamp)
    except ValueError:
        raise Refused("bad timestamp") from None
    now = time.time() if now is None else now
    if abs(now - sent) > setting("MONITORING", "SMS_WEBHOOK_TOLERANCE_SECONDS"):
        raise Refused("timestamp outside the tolerance (replay?)")
    expected = sign(body, timestamp.strip(), secret)
    if not hmac.compare_digest(expected, signature.strip()):
        raise Refused("bad signature")
    return expected.removeprefix("sha256=")
