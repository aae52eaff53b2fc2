"""Reads on bodies, meetings, decisions, commitments and broadcasts, always for a user
(404 outside their scope).

The ``*_form_for_user`` selectors open a form page: they fetch in the user's scope (404)
and refuse (403) a user who may not make the change, with the rule the service applies.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from mboa.actors.models import FocalPoint
from mboa.core.history import history_rows
from mboa.core.permissions import check, require
from mboa.notifications.models import Message

from .commitments import commitment_stats_by_structure
from .models import (
    ACTIVE_COMMITMENT_STATUSES,
    Body,
    BodyMembership,
    Broadcast,
    Commitment,
    CommitmentStatus,
    Decision,
    Meeting,
    MeetingAttachment,
)
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


# --- Bodies ----------------------------------------------------------------------------------


def body_list_for_user(*, user: Any) -> QuerySet:
    if not check(user, "governance.view_bodies"):
        return Body.objects.none()
    current = BodyMembership.objects.filter(end_date__isnull=True).select_related("structure")
    return Body.objects.prefetch_related(Prefetch("memberships", queryset=current, to_attr="current_memberships"))


def body_get_for_user(*, user: Any, code: str) -> Body:
    return get_object_or_404(body_list_for_user(user=user), code__iexact=code)


def body_page_for_user(*, user: Any, code: str) -> dict[str, Any]:
    """The body page: members, former members, and the change history for those allowed."""
    body = body_get_for_user(user=user, code=code)
    return {
        "body": body,
        "former_memberships": body.memberships.filter(end_date__isnull=False).select_related("structure"),
        "history": history_rows(body) if check(user, "governance.view_history", body) else None,
    }


def body_form_for_user(*, user: Any, code: str | None = None) -> Body | None:
    """The body whose form the user opens (None: a new body)."""
    body = body_get_for_user(user=user, code=code) if code is not None else None
    require(user, "governance.add_body" if body is None else "governance.change_body", body)
    return body


def bodies_of_structure(*, structure_id: int | None) -> QuerySet:
    if structure_id is None:
        return Body.objects.none()
    return Body.objects.filter(memberships__structure_id=structure_id, memberships__end_date__isnull=True).distinct()


# --- Meetings and decisions ---------------------------------------------------------------


def _body_scope(user: Any, prefix: str = "body__") -> Q:
    if sees_all_governance(user):
        return Q()
    if not user.structure_id:
        return Q(pk__in=[])
    return Q(**{f"{prefix}memberships__structure_id": user.structure_id, f"{prefix}memberships__end_date__isnull": True})


def meeting_list_for_user(*, user: Any, body: Any = None) -> QuerySet:
    """The meetings of the bodies the user's structure sits on, and those it is invited to."""
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


def meeting_list_page_for_user(*, user: Any) -> dict[str, Any]:
    """The meetings page: the coming meetings, the last 100 past ones, and the bodies."""
    qs = meeting_list_for_user(user=user)
    now = timezone.now()
    return {"upcoming": list(qs.filter(starts_at__gte=now).order_by("starts_at")),
            "past": list(qs.filter(starts_at__lt=now)[:100]), "bodies": body_list_for_user(user=user)}


def meeting_get_for_user(*, user: Any, meeting_id: Any) -> Meeting:
    return get_object_or_404(meeting_list_for_user(user=user), pk=as_id(meeting_id))


def meeting_attachment_get_for_user(*, user: Any, meeting_id: Any, attachment_id: Any) -> MeetingAttachment:
    """An attachment of a meeting the user sees (as the meeting page: 404 otherwise)."""
    meeting = meeting_get_for_user(user=user, meeting_id=meeting_id)
    attachment = get_object_or_404(MeetingAttachment.objects.filter(meeting=meeting), pk=as_id(attachment_id))
    if not attachment.file:
        raise Http404
    return attachment


def meeting_form_for_user(*, user: Any, meeting_id: Any) -> Meeting:
    """A meeting whose form (attendance, minutes, a decision) the user opens: the secretariat's."""
    meeting = meeting_get_for_user(user=user, meeting_id=meeting_id)
    require(user, "governance.manage_meetings", meeting)
    return meeting


def body_for_meeting_form(*, user: Any, code: str) -> Body:
    """The body whose new meeting the user plans."""
    body = body_get_for_user(user=user, code=code)
    require(user, "governance.manage_meetings", body)
    return body


def meeting_page_for_user(*, user: Any, meeting_id: Any) -> dict[str, Any]:
    """The meeting page: agenda, invitations, decisions with their commitments, attachments."""
    meeting = meeting_get_for_user(user=user, meeting_id=meeting_id)
    return {
        "meeting": meeting,
        "agenda": meeting.agenda_items.select_related("presenter", "commitment", "carried_from__meeting__body"),
        "invitations": meeting.invitations.select_related("structure", "focal_point"),
        "decisions": meeting.decisions.select_related("addressed_to").prefetch_related("commitments__structure"),
        "attachments": meeting.attachments.all(),
        "commitments": meeting.commitments.filter(decision__isnull=True).select_related("structure"),
        "may_manage": check(user, "governance.manage_meetings", meeting),
    }


def decision_list_for_user(*, user: Any) -> QuerySet:
    scope = Meeting.objects.filter(pk__in=meeting_list_for_user(user=user).values("pk"))
    return Decision.objects.filter(meeting__in=scope).select_related("body", "meeting", "addressed_to")


def decision_get_for_user(*, user: Any, decision_id: Any) -> Decision:
    return get_object_or_404(decision_list_for_user(user=user), pk=as_id(decision_id))


# --- Commitments ----------------------------------------------------------------------------


def _member_bodies(user: Any) -> QuerySet:
    if not user.structure_id:
        return Body.objects.none()
    return Body.objects.filter(memberships__structure_id=user.structure_id,
                               memberships__end_date__isnull=True).values("pk")


def commitment_list_for_user(*, user: Any, mine: bool = False, status: str | None = None,
                             body: Any = None) -> QuerySet:
    """Commitments of the bodies the user's structure sits on, and the structure's own."""
    qs = Commitment.objects.all()
    if not sees_all_governance(user):
        own = Q(structure_id=user.structure_id) if user.structure_id else Q(pk__in=[])
        qs = qs.filter(own | Q(body__in=_member_bodies(user)))
    if mine:
        qs = qs.filter(structure_id=user.structure_id)
    if status == "active":
        qs = qs.filter(status__in=ACTIVE_COMMITMENT_STATUSES)
    elif status:
        qs = qs.filter(status=status)
    if body is not None:
        qs = qs.filter(body=body)
    return qs.select_related("body", "structure", "decision", "focal_point").order_by("deadline", "id")


def commitment_get_for_user(*, user: Any, commitment_id: Any) -> Commitment:
    return get_object_or_404(commitment_list_for_user(user=user), pk=as_id(commitment_id))


def commitment_page_for_user(*, user: Any, commitment_id: Any) -> dict[str, Any]:
    """The commitment page: its updates and escalation steps, and which actions to offer
    (the rules its services apply)."""
    commitment = commitment_get_for_user(user=user, commitment_id=commitment_id)
    return {
        "commitment": commitment, "updates": commitment.updates.select_related("by"),
        "escalations": commitment.escalations.all(),
        "may_update": check(user, "governance.update_commitment", commitment),
        "may_drop": check(user, "governance.manage_meetings", commitment),
    }


def commitment_stats_for_user(*, user: Any, body_code: str = "") -> dict[str, Any]:
    """On-time figures per structure, for all bodies or for one."""
    require(user, "governance.view_commitment_stats")
    body = body_get_for_user(user=user, code=body_code) if body_code else None
    return {"rows": commitment_stats_by_structure(body=body), "body": body,
            "bodies": body_list_for_user(user=user)}


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


# --- Broadcasts -----------------------------------------------------------------------------


def broadcast_list_for_user(*, user: Any, body: Any = None) -> QuerySet:
    """The broadcasts the user sent, those of the bodies their structure co-chairs, and all
    of them for those who see all of governance; each with its deliveries (one message a
    person), fetched in one more query."""
    qs = Broadcast.objects.select_related("body", "sent_by").prefetch_related(
        Prefetch("messages", queryset=Message.objects.select_related("recipient_focal_point__structure")))
    if body is not None:
        qs = qs.filter(body=body)
    if not sees_all_governance(user):
        qs = qs.filter(Q(sent_by=user) | Q(body__memberships__structure_id=user.structure_id,
                                            body__memberships__role="co_chair",
                                            body__memberships__end_date__isnull=True)).distinct()
    return qs.order_by("-created_at", "-id")


def broadcast_get_for_user(*, user: Any, broadcast_id: Any) -> Broadcast:
    return get_object_or_404(broadcast_list_for_user(user=user), pk=as_id(broadcast_id))


def broadcast_recipients(*, body: Body) -> list[FocalPoint]:
    """The current focal points of the body's current member structures, and no one else."""
    structure_ids = body.memberships.filter(end_date__isnull=True).values_list("structure_id", flat=True)
    return list(FocalPoint.objects.active().filter(structure_id__in=structure_ids)
                .select_related("structure", "user").order_by("structure__code", "family_name"))


def broadcast_form_for_user(*, user: Any, code: str) -> dict[str, Any]:
    """The page to write to a body's focal points: who will receive it, earlier messages."""
    body = body_get_for_user(user=user, code=code)
    require(user, "governance.broadcast", body)
    return {"body": body, "recipients": broadcast_recipients(body=body),
            "broadcasts": broadcast_list_for_user(user=user, body=body)[:20]}


def broadcast_page_for_user(*, user: Any, broadcast_id: Any) -> dict[str, Any]:
    """One broadcast and its delivery to each person, by structure."""
    broadcast = broadcast_get_for_user(user=user, broadcast_id=broadcast_id)
    rows = sorted(broadcast.messages.all(), key=lambda m: (
        m.recipient_focal_point.structure.code if m.recipient_focal_point else "", m.recipient_name))
    return {"broadcast": broadcast, "rows": rows}
