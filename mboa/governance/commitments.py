"""Commitments: creation, progress, closing, escalation when late, and on-time figures.

Escalation (``commitments_escalate``, run daily by Celery beat with the time injected in
tests) takes each step once, in this order, and records it:

1. ``reminder``: N days before the deadline (``REMINDER_DAYS_BEFORE``), to the holder;
2. ``late_reminder``: the deadline passed (status becomes *late*), a second reminder;
3. ``agenda``: still late after ``AGENDA_DAYS_AFTER`` days, put on the draft agenda of the
   body's next planned meeting (waits until one is planned);
4. ``co_chairs``: still late after ``CO_CHAIRS_DAYS_AFTER`` days, flagged to the co-chairs'
   focal points (the body's secretariat when the body has no co-chair).

Who may write: creating and dropping a commitment is the secretariat's
(``governance.manage_meetings``), progress and closing its holder's too
(``governance.update_commitment``); each service checks it. The escalation is a system
write, run by the scheduler, with no user.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from mboa.actors.models import FocalPoint, Structure
from mboa.core import activity
from mboa.core.conf import setting
from mboa.core.errors import ApplicationError
from mboa.core.permissions import require

from .models import (
    ACTIVE_COMMITMENT_STATUSES,
    AgendaItem,
    Body,
    Commitment,
    CommitmentEscalation,
    CommitmentStatus,
    CommitmentUpdate,
    EscalationStep,
    MemberRole,
)


@transaction.atomic
def commitment_create(*, by: Any, body: Body, structure: Structure, title: str, deadline: dt.date,
                      decision: Any = None, meeting: Any = None, focal_point: FocalPoint | None = None,
                      details: str = "") -> Commitment:
    require(by, "governance.manage_meetings", body)
    if not title.strip():
        raise ApplicationError(_("Say what was committed."), field="title")
    if deadline is None:
        raise ApplicationError(_("A commitment needs a deadline."), field="deadline")
    if focal_point is not None and focal_point.structure_id != structure.pk:
        raise ApplicationError(_("The focal point must belong to %(code)s.") % {"code": structure.code},
                               field="focal_point")
    commitment = Commitment.objects.create(
        body=body, structure=structure, title=title.strip(), deadline=deadline, decision=decision,
        meeting=meeting, focal_point=focal_point, details=details, created_by=by if getattr(by, "pk", None) else None,
    )
    activity.record(verb="governance.commitment.created", actor=by, target=commitment, subject=body,
                    summary=f"{structure.code}: {commitment.title}", actor_structure=None,
                    data={"structure": structure.code, "deadline": deadline.isoformat()})
    return commitment


def _locked(commitment: Commitment) -> Commitment:
    return Commitment.objects.select_for_update().select_related("structure", "body").get(pk=commitment.pk)


@transaction.atomic
def commitment_add_update(*, commitment: Commitment, by: Any, note: str, progress: int | None = None,
                          on: dt.date | None = None) -> CommitmentUpdate:
    """A dated progress update by the holder (or the secretariat). Moves *open* to *in progress*."""
    require(by, "governance.update_commitment", commitment)
    commitment = _locked(commitment)
    if not commitment.is_active:
        raise ApplicationError(_("This commitment is closed."))
    if not note.strip():
        raise ApplicationError(_("Say what progressed."), field="note")
    if progress is not None and not 0 <= progress <= 100:
        raise ApplicationError(_("Progress is a percentage between 0 and 100."), field="progress")
    update = CommitmentUpdate.objects.create(commitment=commitment, on=on or timezone.localdate(), note=note.strip(),
                                             progress=progress, by=by)
    fields = ["updated_at"]
    if progress is not None:
        commitment.progress = progress
        fields.append("progress")
    if commitment.status == CommitmentStatus.OPEN:
        commitment.status = CommitmentStatus.IN_PROGRESS
        fields.append("status")
    commitment.save(update_fields=fields)
    activity.record(verb="governance.commitment.progress", actor=by, target=commitment, subject=commitment.body,
                    summary=note[:200], data={"progress": progress})
    return update


@transaction.atomic
def commitment_mark_done(*, commitment: Commitment, by: Any, done_on: dt.date | None = None,
                         note: str = "") -> Commitment:
    require(by, "governance.update_commitment", commitment)
    commitment = _locked(commitment)
    if not commitment.is_active:
        raise ApplicationError(_("This commitment is closed."))
    done_on = done_on or timezone.localdate()
    if done_on > timezone.localdate():
        raise ApplicationError(_("The date it was done cannot be in the future."), field="done_on")
    commitment.status, commitment.done_on, commitment.progress = CommitmentStatus.DONE, done_on, 100
    commitment.save(update_fields=["status", "done_on", "progress", "updated_at"])
    if note.strip():
        CommitmentUpdate.objects.create(commitment=commitment, on=done_on, note=note.strip(), progress=100, by=by)
    activity.record(verb="governance.commitment.done", actor=by, target=commitment, subject=commitment.body,
                    summary=commitment.title, data={"days_late": commitment.days_late()})
    return commitment


@transaction.atomic
def commitment_drop(*, commitment: Commitment, by: Any, reason: str) -> Commitment:
    require(by, "governance.manage_meetings", commitment)
    commitment = _locked(commitment)
    if not commitment.is_active:
        raise ApplicationError(_("This commitment is closed."))
    if not reason.strip():
        raise ApplicationError(_("Give the reason for dropping the commitment."), field="reason")
    commitment.status, commitment.drop_reason = CommitmentStatus.DROPPED, reason.strip()
    commitment.save(update_fields=["status", "drop_reason", "updated_at"])
    activity.record(verb="governance.commitment.dropped", actor=by, target=commitment, subject=commitment.body,
                    summary=reason[:200])
    return commitment


# --- Escalation ---------------------------------------------------------------------------------


def commitment_holders(commitment: Commitment) -> list[Any]:
    """Who is reminded: the commitment's focal point, else the structure's current focal points."""
    if commitment.focal_point_id and commitment.focal_point.is_active:
        return [commitment.focal_point]
    holders = list(FocalPoint.objects.active().filter(structure_id=commitment.structure_id).select_related("user"))
    if holders:
        return holders
    from mboa.accounts.models import User

    return list(User.objects.filter(structure_id=commitment.structure_id, roles__code="focal_point", is_active=True))


def body_chairs(body: Body) -> list[FocalPoint]:
    memberships = body.memberships.filter(end_date__isnull=True)
    chairs = list(memberships.filter(role=MemberRole.CO_CHAIR).values_list("structure_id", flat=True))
    if not chairs:
        chairs = list(memberships.filter(role=MemberRole.SECRETARIAT).values_list("structure_id", flat=True))
    return list(FocalPoint.objects.active().filter(structure_id__in=chairs).select_related("user", "structure"))


def _notify(commitment: Commitment, step: str, recipients: list[Any], subject: str, body: str) -> None:
    from mboa.notifications.services import notify

    notify(recipients=recipients, subject=subject, body=body, idempotency_key=f"commitment:{commitment.pk}:{step}",
           related=commitment)


def _describe(commitment: Commitment) -> str:
    return _("%(structure)s committed to: %(title)s (deadline %(deadline)s, %(body)s).") % {
        "structure": commitment.structure.code, "title": commitment.title,
        "deadline": commitment.deadline.strftime("%d/%m/%Y"), "body": commitment.body.code,
    }


def _escalation_days() -> dict[str, int]:
    return {key: setting("GOVERNANCE", key) for key in
            ("REMINDER_DAYS_BEFORE", "LATE_REMINDER_DAYS_AFTER", "AGENDA_DAYS_AFTER", "CO_CHAIRS_DAYS_AFTER")}


def _take_step(commitment: Commitment, step: str, now: dt.datetime, detail: str = "") -> bool:
    """Record the step once (the unique constraint stops a second run taking it again)."""
    try:
        with transaction.atomic():
            CommitmentEscalation.objects.create(commitment=commitment, step=step, occurred_at=now, detail=detail[:300])
    except IntegrityError:
        return False
    activity.record(verb=f"governance.commitment.escalated.{step}", target=commitment, subject=commitment.body,
                    summary=detail or step, data={"step": step})
    return True


@transaction.atomic
def commitment_escalate(*, commitment: Commitment, now: dt.datetime) -> list[str]:
    """Take the escalation steps due at ``now`` for one commitment. Returns the steps taken."""
    from .meetings import next_planned_meeting

    rules = _escalation_days()
    commitment = _locked(commitment)
    if not commitment.is_active:
        return []
    today = timezone.localdate(now)
    done = set(commitment.escalations.values_list("step", flat=True))
    taken: list[str] = []
    days_left = (commitment.deadline - today).days
    if (0 <= days_left <= rules["REMINDER_DAYS_BEFORE"] and EscalationStep.REMINDER not in done
            and _take_step(commitment, EscalationStep.REMINDER, now,
                           _("%(n)d days before the deadline") % {"n": days_left})):
        _notify(commitment, EscalationStep.REMINDER, commitment_holders(commitment),
                _("Reminder: a commitment is due on %(date)s") % {"date": commitment.deadline.strftime("%d/%m/%Y")},
                _describe(commitment))
        taken.append(EscalationStep.REMINDER)
    if days_left >= 0:
        return taken
    late_by = -days_left
    if commitment.status != CommitmentStatus.LATE:
        commitment.status = CommitmentStatus.LATE
        commitment.save(update_fields=["status", "updated_at"])
        activity.record(verb="governance.commitment.late", target=commitment, subject=commitment.body,
                        summary=commitment.title)
    if (late_by >= rules["LATE_REMINDER_DAYS_AFTER"] and EscalationStep.LATE_REMINDER not in done
            and _take_step(commitment, EscalationStep.LATE_REMINDER, now, _("late by %(n)d days") % {"n": late_by})):
        _notify(commitment, EscalationStep.LATE_REMINDER, commitment_holders(commitment),
                _("Late commitment: %(title)s") % {"title": commitment.title}, _describe(commitment))
        taken.append(EscalationStep.LATE_REMINDER)
        done.add(EscalationStep.LATE_REMINDER)
    if (late_by >= rules["AGENDA_DAYS_AFTER"] and EscalationStep.LATE_REMINDER in done
            and EscalationStep.AGENDA not in done):
        meeting = next_planned_meeting(body=commitment.body, after=now)
        if meeting is not None:
            _take_step(commitment, EscalationStep.AGENDA, now, meeting.reference)
            order = (meeting.agenda_items.aggregate(m=Max("order"))["m"] or 0) + 1
            AgendaItem.objects.get_or_create(
                meeting=meeting, commitment=commitment,
                defaults={"order": order, "presenter": commitment.structure,
                          "title": _("Late commitment of %(structure)s: %(title)s")
                          % {"structure": commitment.structure.code, "title": commitment.title}},
            )
            taken.append(EscalationStep.AGENDA)
    if (late_by >= rules["CO_CHAIRS_DAYS_AFTER"] and EscalationStep.LATE_REMINDER in done
            and EscalationStep.CO_CHAIRS not in done):
        chairs = body_chairs(commitment.body)
        if _take_step(commitment, EscalationStep.CO_CHAIRS, now,
                      ", ".join(sorted({fp.structure.code for fp in chairs})) or _("no co-chair focal point")):
            _notify(commitment, EscalationStep.CO_CHAIRS, chairs,
                    _("%(body)s: a commitment is late by %(n)d days") % {"body": commitment.body.code, "n": late_by},
                    _describe(commitment))
            taken.append(EscalationStep.CO_CHAIRS)
    return taken


def _has_work(commitment: Commitment, today: dt.date, done: set[str], rules: dict[str, int],
              bodies_with_meeting: set[int]) -> bool:
    """Cheap pre-check (no lock, no query): would ``commitment_escalate`` do anything today?"""
    days_left = (commitment.deadline - today).days
    if days_left >= 0:
        return days_left <= rules["REMINDER_DAYS_BEFORE"] and EscalationStep.REMINDER not in done
    late_by = -days_left
    return (commitment.status != CommitmentStatus.LATE
            or (late_by >= rules["LATE_REMINDER_DAYS_AFTER"] and EscalationStep.LATE_REMINDER not in done)
            or (late_by >= rules["AGENDA_DAYS_AFTER"] and EscalationStep.AGENDA not in done
                and commitment.body_id in bodies_with_meeting)
            or (late_by >= rules["CO_CHAIRS_DAYS_AFTER"] and EscalationStep.CO_CHAIRS not in done))


def commitments_escalate(*, now: dt.datetime | None = None) -> dict[str, int]:
    """Run the escalation over every active commitment due soon or late. Idempotent.

    Commitments with nothing to do are skipped without a lock (one query for all their
    steps), so the hourly run stays cheap when everything is up to date."""
    from .models import Meeting, MeetingStatus

    now = now or timezone.now()
    rules = _escalation_days()
    today = timezone.localdate(now)
    horizon = today + dt.timedelta(days=rules["REMINDER_DAYS_BEFORE"])
    candidates = list(Commitment.objects.filter(status__in=ACTIVE_COMMITMENT_STATUSES, deadline__lte=horizon)
                      .only("pk", "deadline", "status", "body_id").order_by("pk"))
    taken_steps: dict[int, set[str]] = defaultdict(set)
    for commitment_id, step in CommitmentEscalation.objects.filter(
        commitment__status__in=ACTIVE_COMMITMENT_STATUSES, commitment__deadline__lte=horizon
    ).values_list("commitment_id", "step"):
        taken_steps[commitment_id].add(step)
    bodies_with_meeting = set(Meeting.objects.filter(status=MeetingStatus.PLANNED, starts_at__gt=now)
                              .values_list("body_id", flat=True))
    counts: dict[str, int] = defaultdict(int)
    for commitment in candidates:
        if not _has_work(commitment, today, taken_steps[commitment.pk], rules, bodies_with_meeting):
            continue
        for step in commitment_escalate(commitment=commitment, now=now):
            counts[step] += 1
    return dict(counts)


# --- On-time figures -----------------------------------------------------------------------------


def commitment_stats_by_structure(*, today: dt.date | None = None, body: Body | None = None,
                                  structure_ids: list[int] | None = None) -> list[dict[str, Any]]:
    """Per structure: commitments due so far, kept on time (count and %), average delay.

    *Due* = done, or deadline passed (dropped ones are left out). *Kept on time* = done on
    or before the deadline. *Average delay* = mean days late over the due commitments that
    were (or still are) late: 0 when every due commitment was kept on time.
    """
    today = today or timezone.localdate()
    qs = Commitment.objects.exclude(status=CommitmentStatus.DROPPED).filter(
        Q(status=CommitmentStatus.DONE) | Q(deadline__lt=today)
    )
    if body is not None:
        qs = qs.filter(body=body)
    if structure_ids is not None:
        qs = qs.filter(structure_id__in=structure_ids)
    rows: dict[int, dict[str, Any]] = {}
    for structure_id, code, status, deadline, done_on in qs.values_list(
        "structure_id", "structure__code", "status", "deadline", "done_on"
    ):
        row = rows.setdefault(structure_id, {"structure_id": structure_id, "code": code, "due": 0, "on_time": 0,
                                             "late_days": []})
        row["due"] += 1
        end = done_on if status == CommitmentStatus.DONE else today
        delay = max(0, (end - deadline).days)
        if status == CommitmentStatus.DONE and delay == 0:
            row["on_time"] += 1
        elif delay > 0:
            row["late_days"].append(delay)
    result = []
    for row in sorted(rows.values(), key=lambda r: r["code"]):
        late = row.pop("late_days")
        row["on_time_rate"] = round(100 * row["on_time"] / row["due"], 1) if row["due"] else None
        row["late_count"] = len(late)
        row["average_delay_days"] = round(sum(late) / len(late), 1) if late else 0.0
        result.append(row)
    return result
