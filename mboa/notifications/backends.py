"""Delivery backends, one per channel, chosen by settings (``MBOA_NOTIFICATIONS["BACKENDS"]``).

A backend has ``send(message) -> str`` returning the provider's reference, and raises
:class:`DeliveryError` when the message could not be delivered (the outbox retries).
"""

from __future__ import annotations

import json
import logging
import threading
import urllib.error
import urllib.request
from typing import Any

from django.core.mail import EmailMessage
from django.utils.module_loading import import_string

from mboa.core.conf import setting

logger = logging.getLogger(__name__)


class DeliveryError(Exception):
    pass


class EmailBackend:
    """Email through Django's email backend (SMTP in production, locmem in tests)."""

    def __init__(self, **options: Any) -> None:
        self.options = options

    def send(self, message) -> str:
        email = EmailMessage(
            subject=message.subject, body=message.body, to=[message.address],
            headers={"X-Mboa-Message-Key": message.idempotency_key},
        )
        try:
            email.send(fail_silently=False)
        except Exception as error:
            raise DeliveryError(f"email: {error}") from error
        return f"email:{message.pk}"


class StoreBackend:
    """Development and tests: keeps the messages in memory (``StoreBackend.sent``) and logs them."""

    sent: list[dict] = []
    _lock = threading.Lock()

    def __init__(self, **options: Any) -> None:
        self.options = options

    def send(self, message) -> str:
        with self._lock:
            StoreBackend.sent.append({"key": message.idempotency_key, "channel": message.channel,
                                      "to": message.address, "subject": message.subject, "body": message.body})
        logger.info("stored %s message to %s: %s", message.channel, message.address, message.subject)
        return f"store:{len(StoreBackend.sent)}"


class HttpGatewayBackend:
    """SMS / WhatsApp through an HTTP gateway: ``POST {url}`` with a JSON body.

    Sends ``Idempotency-Key``: a gateway that honours it (as the fake one does) delivers a
    message once even when a worker died after posting it and the outbox posts it again.
    Options: ``URL``, ``TOKEN``, ``TIMEOUT`` (seconds), ``SENDER``.
    """

    def __init__(self, **options: Any) -> None:
        self.url = options.get("URL", "")
        self.token = options.get("TOKEN", "")
        self.timeout = float(options.get("TIMEOUT", 10))
        self.sender = options.get("SENDER", "Mboa")

    def send(self, message) -> str:
        if not self.url:
            raise DeliveryError(f"{message.channel}: no gateway URL configured")
        payload = json.dumps({"channel": message.channel, "to": message.address, "from": self.sender,
                              "text": f"{message.subject}\n{message.body}".strip()}).encode()
        request = urllib.request.Request(  # noqa: S310 - the URL comes from settings, http(s) only
            self.url, data=payload, method="POST",
            headers={"Content-Type": "application/json", "Idempotency-Key": message.idempotency_key,
                     **({"Authorization": f"Bearer {self.token}"} if self.token else {})},
        )
        if not self.url.startswith(("http://", "https://")):
            raise DeliveryError(f"{message.channel}: gateway URL must be http(s)")
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                body = json.loads(response.read() or b"{}")
        except urllib.error.HTTPError as error:
            raise DeliveryError(f"{message.channel}: gateway answered {error.code}") from error
        except (urllib.error.URLError, TimeoutError, ValueError) as error:
            raise DeliveryError(f"{message.channel}: {error}") from error
        return str(body.get("id", ""))


def backend_for(channel: str):
    config = setting("NOTIFICATIONS", "BACKENDS")[channel]
    if isinstance(config, str):
        config = {"BACKEND": config}
    options = {k: v for k, v in config.items() if k != "BACKEND"}
    return import_string(config["BACKEND"])(**options)
