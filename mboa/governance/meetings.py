"""Writes on meetings, their agenda, attendance and minutes, and on decisions.

Meeting numbers (COPIL-2018-02) and decision numbers (COPIL-2018-02-D3) are given under
a row lock on the body / the meeting, so two secretaries saving at once never get the
same number.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mboa.actors.models import FocalPoint
from mboa.core import activity
from mboa.core.errors import ApplicationError
from mboa.core.numbering import next_in_sequence
from mboa.core.permissions import require
from mboa.core.uploads import accept_upload
from mboa.core.workflows import Transition, Workflow, transition

from .models import (
    AgendaItem,
    Attendance,
    Body,
    Commitment,
    Decision,
    DecisionKind,
    Invitation,
    Meeting,
    MeetingAttachment,
    MeetingStatus,
)

MEETING_WORKFLOW = Workflow(
    name="governance.meeting",
    states=dict(MeetingStatus.choices),
    transitions=[
        Transition("hold", sources=(MeetingStatus.PLANNED,), target=MeetingStatus.HELD,
                   roles=("admin", "secretariat"), label=gettext_lazy("Mark as held")),
        Transition("approve_minutes", sources=(MeetingStatus.HELD,), target=MeetingStatus.MINUTES_APPROVED,
                   roles=("admin", "secretariat"), label=gettext_lazy("Approve the minutes")),
    ],
)


def next_planned_meeting(*, body: Body, after: dt.datetime | None = None, exclude_id: int | None = None) -> Meeting | None:
    qs = Meeting.objects.filter(body=body, status=MeetingStatus.PLANNED, starts_at__gt=after or timezone.now())
    if exclude_id:
        qs = qs.exclude(pk=exclude_id)
    return qs.order_by("starts_at", "id").first()


def _carry_pending_items(*, body: Body, into: Meeting) -> int:
    """Copy the items of the body's held meetings that were not covered (and not carried yet)."""
    pending = (AgendaItem.objects.filter(meeting__body=body, covered=False,
                                         meeting__status__in=[MeetingStatus.HELD, MeetingStatus.MINUTES_APPROVED],
                                         meeting__starts_at__lt=into.starts_at)
               .exclude(carried_to__isnull=False).order_by("meeting__starts_at", "order"))
    order = (into.agenda_items.aggregate(m=Max("order"))["m"] or 0)
    carried = 0
    for item in pending:
        order += 1
        AgendaItem.objects.create(meeting=into, order=order, title=item.title, presenter=item.presenter,
                                  notes=item.notes, carried_from=item, commitment=item.commitment,
                                  linked_type=item.linked_type, linked_id=item.linked_id,
                                  linked_label=item.linked_label)
        carried += 1
    return carried


def _invite_members(meeting: Meeting) -> None:
    structure_ids = list(meeting.body.memberships.filter(end_date__isnull=True).values_list("structure_id", flat=True))
    focal = {}
    for fp in FocalPoint.objects.active(on=meeting.starts_at.date()).filter(structure_id__in=structure_ids):
        focal.setdefault(fp.structure_id, []).append(fp)
    for structure_id in structure_ids:
        for fp in focal.get(structure_id) or [None]:
            Invitation.objects.get_or_create(meeting=meeting, structure_id=structure_id, focal_point=fp)


@transaction.atomic
def meeting_create(
    *, by: Any, body: Body, kind: str, starts_at: dt.datetime, title: str = "", ends_at: dt.datetime | None = None,
    place: str = "", online_url: str = "", agenda: list[dict] | None = None, invite: bool = True,
) -> Meeting:
    """Plan a meeting: numbered in the body's year, members' focal points invited, and the
    items not covered at earlier meetings carried onto its draft agenda."""
    require(by, "governance.manage_meetings", body)
    if ends_at and ends_at < starts_at:
        raise ApplicationError(_("The meeting cannot end before it starts."), field="ends_at")
    if not place.strip() and not online_url.strip():
        raise ApplicationError(_("Give a place or an online link."), field="place")
    Body.objects.select_for_update().get(pk=body.pk)
    year = timezone.localtime(starts_at).year if timezone.is_aware(starts_at) else starts_at.year
    number = next_in_sequence(Meeting.objects.filter(body=body, year=year))
    meeting = Meeting.objects.create(body=body, year=year, number=number, kind=kind, title=title.strip(),
                                     starts_at=starts_at, ends_at=ends_at, place=place.strip(),
                                     online_url=online_url.strip(), created_by=by if getattr(by, "pk", None) else None)
    for order, item in enumerate(agenda or [], start=1):
        AgendaItem.objects.create(meeting=meeting, order=order, title=item["title"],
                                  presenter=item.get("presenter"), notes=item.get("notes", ""),
                                  commitment=item.get("commitment"))
    carried = _carry_pending_items(body=body, into=meeting)
    if invite:
        _invite_members(meeting)
    activity.record(verb="governance.meeting.planned", actor=by, target=meeting, subject=body,
                    summary=meeting.reference, data={"carried_items": carried})
    return meeting


@transaction.atomic
def agenda_item_add(*, meeting: Meeting, by: Any, title: str, presenter: Any = None, notes: str = "",
                    commitment: Commitment | None = None, linked: Any = None) -> AgendaItem:
    require(by, "governance.manage_meetings", meeting)
    if meeting.status != MeetingStatus.PLANNED:
        raise ApplicationError(_("The agenda of a meeting already held cannot change."))
    if not title.strip():
        raise ApplicationError(_("An agenda item needs a title."), field="title")
    order = (meeting.agenda_items.aggregate(m=Max("order"))["m"] or 0) + 1
    item = AgendaItem(meeting=meeting, order=order, title=title.strip(), presenter=presenter, notes=notes,
                      commitment=commitment)
    if linked is not None:
        item.linked = linked
        item.linked_label = str(linked)[:200]
    item.save()
    activity.record(verb="governance.agenda.item_added", actor=by, target=item, subject=meeting, summary=item.title)
    return item


@transaction.atomic
def meeting_mark_held(*, meeting: Meeting, by: Any, covered_item_ids: list[int],
                      attendance: dict[int, str] | None = None, persons: dict[int, str] | None = None) -> Meeting:
    """Record that the meeting took place: which items were covered, who came.

    Items not covered go to the next planned meeting's draft agenda (or to the next
    meeting planned later)."""
    require(by, "governance.manage_meetings", meeting)
    covered = set(covered_item_ids)
    for item in meeting.agenda_items.all():
        item.covered = item.pk in covered
        item.save(update_fields=["covered", "updated_at"])
    for invitation_id, status in (attendance or {}).items():
        if status not in Attendance.values:
            raise ApplicationError(_("Unknown attendance “%(s)s”.") % {"s": status}, field="attendance")
        meeting.invitations.filter(pk=invitation_id).update(attendance=status)
    for invitation_id, person in (persons or {}).items():
        if person:  # who actually came, when not the invited focal point
            meeting.invitations.filter(pk=invitation_id).update(person_name=person)
    meeting = transition(meeting, MEETING_WORKFLOW, "hold", by=by, subject=meeting.body,
                         changes={"held_at": timezone.now()})
    following = next_planned_meeting(body=meeting.body, after=meeting.starts_at, exclude_id=meeting.pk)
    if following is not None:
        _carry_pending_items(body=meeting.body, into=following)
    return meeting


@transaction.atomic
def meeting_record_minutes(*, meeting: Meeting, by: Any, minutes: str,
                           attachments: list[tuple[str, Any]] = ()) -> Meeting:
    require(by, "governance.manage_meetings", meeting)
    if meeting.status == MeetingStatus.MINUTES_APPROVED:
        raise ApplicationError(_("Approved minutes cannot change."))
    for _title, upload in attachments:  # documents by their content only (no page, no script)
        accept_upload(upload, field="attachment", label=_("Attachment"))
    meeting.minutes = minutes
    meeting.save(update_fields=["minutes", "updated_at"])
    for title, upload in attachments:
        MeetingAttachment.objects.create(meeting=meeting, title=title or upload.name, file=upload, uploaded_by=by)
    activity.record(verb="governance.meeting.minutes", actor=by, target=meeting, subject=meeting.body,
                    summary=meeting.reference)
    return meeting


def meeting_approve_minutes(*, meeting: Meeting, by: Any) -> Meeting:
    require(by, "governance.manage_meetings", meeting)
    if not meeting.minutes.strip():
        raise ApplicationError(_("Write the minutes before approving them."), field="minutes")
    return transition(meeting, MEETING_WORKFLOW, "approve_minutes", by=by, subject=meeting.body,
                      changes={"minutes_approved_at": timezone.now()})


def decision_prefix(kind: str) -> str:
    return "R" if kind == DecisionKind.RECOMMENDATION else "D"


@transaction.atomic
def decision_record(*, meeting: Meeting, by: Any, text: str, kind: str = DecisionKind.DECISION,
                    addressed_to: Any = None, commitments: list[dict] | None = None) -> Decision:
    """Record a decision (or recommendation) taken at ``meeting`` with its commitments.

    Numbered per meeting and kind: the third decision of COPIL-2018-02 is COPIL-2018-02-D3."""
    from .commitments import commitment_create

    require(by, "governance.manage_meetings", meeting)
    if not text.strip():
        raise ApplicationError(_("A decision needs a text."), field="text")
    if kind not in DecisionKind.values:
        raise ApplicationError(_("Unknown kind of decision."), field="kind")
    Meeting.objects.select_for_update().get(pk=meeting.pk)
    number = next_in_sequence(Decision.objects.filter(meeting=meeting, kind=kind))
    decision = Decision.objects.create(
        body=meeting.body, meeting=meeting, kind=kind, number=number, text=text.strip(), addressed_to=addressed_to,
        reference=f"{meeting.reference}-{decision_prefix(kind)}{number}",
        created_by=by if getattr(by, "pk", None) else None,
    )
    activity.record(verb="governance.decision.recorded", actor=by, target=decision, subject=meeting.body,
                    summary=decision.reference,
                    data={"kind": kind, "addressed_to": addressed_to.code if addressed_to else None})
    for spec in commitments or []:
        commitment_create(by=by, body=meeting.body, decision=decision, meeting=meeting, **spec)
    return decision


@transaction.atomic
def decision_follow_up(*, decision: Decision, by: Any, status: str, note: str = "") -> Decision:
    require(by, "governance.manage_meetings", decision.meeting)
    decision.follow_up_status = status
    decision.follow_up_note = note
    decision.save(update_fields=["follow_up_status", "follow_up_note", "updated_at"])
    activity.record(verb="governance.decision.follow_up", actor=by, target=decision, subject=decision.body,
                    summary=decision.reference, data={"status": status})
    return decision
