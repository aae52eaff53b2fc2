"""The outbox: ``notify`` queues messages once; ``message_send`` delivers one, at most once.

Other apps call :func:`notify` (reception urgent flags, referral reminders, governance
escalations and broadcasts). Messages are written in the caller's transaction and sent by
a Celery task after commit, so a rolled-back action sends nothing.

Who may write: :func:`notify`, :func:`message_send` and :func:`messages_send_due` are
system sends, with no user (``by=None``): ``notify`` is called by another app's service,
which has checked its own rule, or by the scheduler; the sending runs in Celery. The
writes a person makes take ``by`` and check its rule: :func:`message_retry`
(administrators), :func:`preference_update` (one's own preferences).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from mboa.actors.models import FocalPoint
from mboa.core import activity
from mboa.core.conf import setting
from mboa.core.errors import ApplicationError
from mboa.core.permissions import require

from .backends import DeliveryError, backend_for
from .models import Channel, Message, MessageStatus, Preference

logger = logging.getLogger(__name__)


def _address(channel: str, email: str, phone: str) -> str:
    return email if channel == Channel.EMAIL else phone


def _targets(recipient: Any, channel: str | None) -> list[tuple[str, str, str, Any, Any, str]]:
    """(key part, channel, address, user, focal point) for one recipient."""
    if isinstance(recipient, FocalPoint):
        user = recipient.user
        name = recipient.full_name
        email, phone = recipient.email or getattr(user, "email", ""), recipient.phone or getattr(user, "phone", "")
        if channel:
            channels = [channel]
        elif user is not None:
            channels = _user_channels(user)
        else:
            channels = [Channel.EMAIL if email else Channel.SMS]
        return [(f"f{recipient.pk}", c, _address(c, email, phone), user, recipient, name) for c in channels]
    user = recipient
    channels = [channel] if channel else _user_channels(user)
    name = user.get_full_name() or user.username
    return [(f"u{user.pk}", c, _address(c, user.email, user.phone), user, None, name) for c in channels]


def _user_channels(user: Any) -> list[str]:
    preference = Preference.objects.filter(user=user).first()
    channels = preference.channels() if preference else [Channel.EMAIL]
    return channels or [Channel.EMAIL]


def notify(
    *,
    recipients: Iterable[Any],
    subject: str,
    body: str,
    idempotency_key: str,
    channel: str | None = None,
    related: models.Model | None = None,
) -> list[Message]:
    """Queue one message per recipient and channel; the same key never queues twice.

    ``recipients`` are users or focal points. ``channel`` forces a channel; without it
    each user's preferences decide (email by default). A recipient without an address on
    the channel gets a ``skipped`` message, so the gap is visible. ``related``: what the
    messages are about (a commitment, a broadcast...). Returns the messages (existing ones
    included) in recipient order. A system send: no user, no rule (see the module).
    """
    if not idempotency_key:
        raise ApplicationError(_("A message needs an idempotency key."), field="idempotency_key")
    related_type = ContentType.objects.get_for_model(related) if related is not None else None
    messages: list[Message] = []
    new_ids: list[int] = []
    seen: set[tuple[str, str]] = set()
    for recipient in recipients:
        for part, chan, address, user, focal_point, name in _targets(recipient, channel):
            if (chan, address or part) in seen:
                continue
            seen.add((chan, address or part))
            message, created = Message.objects.get_or_create(
                idempotency_key=f"{idempotency_key}:{part}:{chan}"[:200],
                defaults={
                    "channel": chan, "recipient_user": user, "recipient_focal_point": focal_point,
                    "recipient_name": name[:200], "address": address, "subject": subject[:200], "body": body,
                    "status": MessageStatus.PENDING if address else MessageStatus.SKIPPED,
                    "last_error": "" if address else _("No %(channel)s address.") % {"channel": chan},
                    "related_type": related_type, "related_id": str(related.pk) if related is not None else "",
                },
            )
            messages.append(message)
            if created and message.status == MessageStatus.PENDING:
                new_ids.append(message.pk)
    if new_ids:
        transaction.on_commit(lambda: _enqueue(new_ids))
    return messages


def _enqueue(ids: list[int]) -> None:
    from .tasks import send_message

    for message_id in ids:
        send_message.delay(message_id)


def backoff(attempts: int) -> dt.timedelta:
    """Delay before the next attempt after ``attempts`` failures: base × 2^(n-1), capped."""
    seconds = setting("NOTIFICATIONS", "BACKOFF_SECONDS") * 2 ** max(0, attempts - 1)
    return dt.timedelta(seconds=min(seconds, setting("NOTIFICATIONS", "BACKOFF_MAX_SECONDS")))


def _due(now: dt.datetime) -> Q:
    return Q(status=MessageStatus.PENDING, next_attempt_at__lte=now) | Q(
        status=MessageStatus.SENDING, locked_until__lt=now
    )


def message_send(*, message_id: int, now: dt.datetime | None = None) -> Message | None:
    """Deliver one message if it is due. Returns it, or None when there was nothing to do.

    The claim is one conditional UPDATE (pending → sending with a lease), so two workers
    never send the same message; a message already sent is left alone, which makes the
    task safe to run again after a worker restart (acks late). The gateway call happens
    outside any transaction.
    """
    now = now or timezone.now()
    claimed = Message.objects.filter(_due(now), pk=message_id).update(
        status=MessageStatus.SENDING, attempts=F("attempts") + 1,
        locked_until=now + dt.timedelta(seconds=setting("NOTIFICATIONS", "LEASE_SECONDS")),
    )
    if not claimed:
        return None
    message = Message.objects.get(pk=message_id)
    try:
        provider_id = backend_for(message.channel).send(message)
    except DeliveryError as error:
        failed = message.attempts >= setting("NOTIFICATIONS", "MAX_ATTEMPTS")
        Message.objects.filter(pk=message.pk, status=MessageStatus.SENDING).update(
            status=MessageStatus.FAILED if failed else MessageStatus.PENDING,
            next_attempt_at=now + backoff(message.attempts), locked_until=None, last_error=str(error)[:2000],
            updated_at=timezone.now(),
        )
        logger.warning("message %s attempt %s failed: %s", message.pk, message.attempts, error)
        if failed:
            activity.record(verb="notification.failed", target=message, summary=message.subject,
                            data={"attempts": message.attempts, "error": str(error)[:300]})
        message.refresh_from_db()
        return message
    Message.objects.filter(pk=message.pk, status=MessageStatus.SENDING).update(
        status=MessageStatus.SENT, sent_at=timezone.now(), provider_id=provider_id[:120], locked_until=None,
        last_error="", updated_at=timezone.now(),
    )
    message.refresh_from_db()
    return message


def messages_send_due(*, now: dt.datetime | None = None, limit: int = 500) -> int:
    """Send what is due: retries whose backoff has passed and sends whose worker died."""
    now = now or timezone.now()
    ids = list(Message.objects.filter(_due(now)).order_by("next_attempt_at").values_list("pk", flat=True)[:limit])
    sent = 0
    for message_id in ids:
        message = message_send(message_id=message_id, now=now)
        sent += bool(message and message.status == MessageStatus.SENT)
    return sent


@transaction.atomic
def message_retry(*, message: Message, by: Any) -> Message:
    """An administrator sends a failed message again (attempts start over)."""
    require(by, "notifications.retry_message", message)
    if message.status != MessageStatus.FAILED:
        raise ApplicationError(_("Only a failed message can be sent again."))
    Message.objects.filter(pk=message.pk).update(status=MessageStatus.PENDING, attempts=0,
                                                 next_attempt_at=timezone.now(), last_error="")
    activity.record(verb="notification.retried", actor=by, target=message, summary=message.subject)
    transaction.on_commit(lambda: _enqueue([message.pk]))
    message.refresh_from_db()
    return message


@transaction.atomic
def preference_update(*, user: Any, by: Any, email: bool, sms: bool, whatsapp: bool) -> Preference:
    """How ``user`` wants to be reached; changed by the user themself."""
    require(by, "notifications.change_preferences", user)
    if not (email or sms or whatsapp):
        raise ApplicationError(_("Keep at least one way to reach you."), field="email")
    if (sms or whatsapp) and not user.phone:
        raise ApplicationError(_("Add a phone number to your account to receive SMS or WhatsApp."), field="sms")
    preference, _created = Preference.objects.update_or_create(
        user=user, defaults={"email": email, "sms": sms, "whatsapp": whatsapp}
    )
    return preference
