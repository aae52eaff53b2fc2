"""Reads of the outbox and of one's preferences, always for a user."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Paginator
from django.db.models import Count, QuerySet
from django.shortcuts import get_object_or_404

from mboa.core.permissions import check, require

from .models import Message, MessageStatus, Preference


def message_list_for_user(*, user: Any, status: str | None = None) -> QuerySet:
    """Administrators see the whole outbox; everyone else, the messages addressed to them."""
    qs = Message.objects.select_related("recipient_user", "recipient_focal_point")
    if not check(user, "notifications.view_outbox"):
        qs = qs.filter(recipient_user=user)
    if status:
        qs = qs.filter(status=status)
    return qs


def message_get_for_user(*, user: Any, message_id: int) -> Message:
    return get_object_or_404(message_list_for_user(user=user), pk=message_id)


def outbox_page_for_user(*, user: Any, status: str = "", page: Any = None) -> dict[str, Any]:
    """The outbox page (administrators; PermissionDenied for others): 50 messages a page."""
    require(user, "notifications.view_outbox")
    qs = message_list_for_user(user=user, status=status or None)
    return {"page": Paginator(qs, 50).get_page(page), "status": status, "statuses": MessageStatus.choices,
            "counts": outbox_counts()}


def outbox_counts() -> dict[str, int]:
    return dict(Message.objects.values_list("status").annotate(n=Count("id")).values_list("status", "n"))


def preference_for_user(*, user: Any) -> Preference:
    """The user's own preferences (not saved yet when they never chose: email only)."""
    return Preference.objects.filter(user=user).first() or Preference(user=user)
