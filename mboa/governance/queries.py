"""Reads on meetings, decisions and commitments, always for a user (404 outside their scope)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from .models import ACTIVE_COMMITMENT_STATUSES, Commitment, CommitmentStatus, Decision, Meeting
from .permissions import sees_all_governance


def as_id(value: Any) -> int:
    """A primary key from a URL, or 404 (never a 500 on "abc" or an out-of-range number)."""
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise Http404 from None
    if not 0 < number < 2**63:
        raise Http404
    return number


def _body_scope(user: Any, prefix: str = "body__") -> Q:
    if sees_all_governance(user):
        return Q()
    if not user.structure_id:
        return Q(pk__in=[])
    return Q(**{f"{prefix}memberships__structure_id": user.structure_id, f"{prefix}memberships__end_date__isnull": True})


def meeting_list_for_user(*, user: Any, body: Any = None) -> QuerySet:
    qs = Meeting.objects.filter(_body_scope(user))
    if body is not None:
        qs = qs.filter(body=body)
    if not sees_all_governance(user) and user.structure_id:
        invited = Meeting.objects.filter(invitations__structure_id=user.structure_id)
        qs = Meeting.objects.filter(Q(pk__in=qs.values("pk")) | Q(pk__in=invited.values("pk")))
        if body is not None:
            qs = qs.filter(body=body)
    return qs.select_related("body").annotate(
        item_count=Count("agenda_items", distinct=True), decision_count=Count("decisions", distinct=True)
    ).order_by("-starts_at")


def meeting_get_for_user(*, user: Any, meeting_id: Any) -> Meeting:
    try:
        return meeting_list_for_user(user=user).get(pk=as_id(meeting_id))
    except Meeting.DoesNotExist:
        raise Http404 from None


def decision_list_for_user(*, user: Any) -> QuerySet:
    scope = Meeting.objects.filter(pk__in=meeting_list_for_user(user=user).values("pk"))
    return Decision.objects.filter(meeting__in=scope).select_related("body", "meeting", "addressed_to")


def decision_get_for_user(*, user: Any, decision_id: Any) -> Decision:
    try:
        return decision_list_for_user(user=user).get(pk=as_id(decision_id))
    except Decision.DoesNotExist:
        raise Http404 from None


def commitment_list_for_user(*, user: Any, mine: bool = False, status: str | None = None,
                             body: Any = None) -> QuerySet:
    """Commitments of the bodies the user's structure sits on, and the structure's own."""
    qs = Commitment.objects.all()
    if not sees_all_governance(user):
        own = Q(structure_id=user.structure_id) if user.structure_id else Q(pk__in=[])
        member_bodies = Q(body__in=_member_bodies(user))
        qs = qs.filter(own | member_bodies)
    if mine:
        qs = qs.filter(structure_id=user.structure_id)
    if status == "active":
        qs = qs.filter(status__in=ACTIVE_COMMITMENT_STATUSES)
    elif status:
        qs = qs.filter(status=status)
    if body is not None:
        qs = qs.filter(body=body)
    return qs.select_related("body", "structure", "decision", "focal_point").order_by("deadline", "id")


def _member_bodies(user: Any) -> QuerySet:
    from .models import Body

    if not user.structure_id:
        return Body.objects.none()
    return Body.objects.filter(memberships__structure_id=user.structure_id,
                               memberships__end_date__isnull=True).values("pk")


def commitment_get_for_user(*, user: Any, commitment_id: Any) -> Commitment:
    try:
        return commitment_list_for_user(user=user).get(pk=as_id(commitment_id))
    except Commitment.DoesNotExist:
        raise Http404 from None


def commitments_due_for_structure(*, structure_id: int | None, today: dt.date | None = None,
                                  horizon_days: int = 14) -> QuerySet:
    """What the structure holds that is late or due within ``horizon_days`` (the home panel)."""
    if structure_id is None:
        return Commitment.objects.none()
    today = today or timezone.localdate()
    return (Commitment.objects.filter(structure_id=structure_id, status__in=ACTIVE_COMMITMENT_STATUSES,
                                      deadline__lte=today + dt.timedelta(days=horizon_days))
            .select_related("body").order_by("deadline"))


def late_count(qs: QuerySet) -> int:
    return qs.filter(status=CommitmentStatus.LATE).count()
