from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from mboa.core.permissions import check

from .models import Broadcast, Message, MessageStatus


def message_list_for_user(*, user: Any, status: str | None = None) -> QuerySet:
    """Administrators see the whole outbox; everyone else, the messages addressed to them."""
    qs = Message.objects.select_related("recipient_user", "recipient_focal_point", "broadcast__body")
    if not check(user, "notifications.view_outbox"):
        qs = qs.filter(recipient_user=user)
    if status:
        qs = qs.filter(status=status)
    return qs


def message_get_for_user(*, user: Any, message_id: int) -> Message:
    try:
        return message_list_for_user(user=user).get(pk=message_id)
    except Message.DoesNotExist:
        raise Http404 from None


def broadcast_list_for_user(*, user: Any, body: Any = None) -> QuerySet:
    from mboa.governance.permissions import sees_all_governance

    qs = Broadcast.objects.select_related("body", "sent_by").annotate(
        recipients=Count("messages"), sent=Count("messages", filter=Q(messages__status=MessageStatus.SENT)),
        failed=Count("messages", filter=Q(messages__status__in=[MessageStatus.FAILED, MessageStatus.SKIPPED])),
    )
    if body is not None:
        qs = qs.filter(body=body)
    if not sees_all_governance(user):
        qs = qs.filter(Q(sent_by=user) | Q(body__memberships__structure_id=user.structure_id,
                                            body__memberships__role="co_chair",
                                            body__memberships__end_date__isnull=True)).distinct()
    return qs.order_by("-created_at", "-id")


def broadcast_get_for_user(*, user: Any, broadcast_id: int) -> Broadcast:
    try:
        return broadcast_list_for_user(user=user).get(pk=broadcast_id)
    except Broadcast.DoesNotExist:
        raise Http404 from None


def outbox_counts() -> dict[str, int]:
    return dict(Message.objects.values_list("status").annotate(n=Count("id")).values_list("status", "n"))
