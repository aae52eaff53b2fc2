"""A body's broadcast: one message to every current focal point of its current members."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from mboa.core import activity
from mboa.core.errors import ApplicationError
from mboa.core.permissions import require
from mboa.notifications.models import Channel
from mboa.notifications.services import notify

from .models import Body, Broadcast
from .selectors import broadcast_recipients


@transaction.atomic
def broadcast_send(*, body: Body, by: Any, subject: str, text: str, channel: str = Channel.EMAIL) -> Broadcast:
    """Send one message to every focal point of the body's members, each with its own
    status in the outbox (the broadcast's ``messages``)."""
    require(by, "governance.broadcast", body)
    if not subject.strip() or not text.strip():
        raise ApplicationError(_("A broadcast needs a subject and a message."), field="text")
    if channel not in Channel.values:
        raise ApplicationError(_("Unknown channel."), field="channel")
    recipients = broadcast_recipients(body=body)
    if not recipients:
        raise ApplicationError(_("No member structure of %(body)s has a current focal point.") % {"body": body.code})
    broadcast = Broadcast.objects.create(body=body, channel=channel, subject=subject.strip(), text=text.strip(),
                                         sent_by=by)
    notify(recipients=recipients, subject=broadcast.subject, body=broadcast.text, channel=channel,
           idempotency_key=f"broadcast:{broadcast.pk}", related=broadcast)
    # The verb it had when broadcasts lived in notifications: the audit log reads on.
    activity.record(verb="notification.broadcast", actor=by, target=broadcast, subject=body,
                    summary=broadcast.subject, data={"recipients": len(recipients), "channel": channel})
    return broadcast
