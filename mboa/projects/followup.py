"""Follow-up visits of installed projects and of returnees after their case is closed:
planned by rule, recorded or missed, reminded when overdue. Writes (services) only; the
reads are in ``selectors.py`` and the survival figures in ``outcomes.py``.

Planning (``MBOA_PROJECTS["FOLLOWUP_MONTHS"]``, ``MBOA_CASES["FOLLOWUP_MONTHS_AFTER_CLOSURE"]``):
one visit per milestone, due that many calendar months after the installation (the day the
last purchase was received) or the case's closure. ``dossier_followups_plan`` runs when a
project is installed; ``case_followups_plan`` when a case is closed (an activity-bus
subscriber: cases know nothing of projects); ``followups_plan_missing`` plans what is
missing for existing data (idempotent; the command ``plan_followup_visits`` and the
Celery task ``projects.followup_daily``).
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from mboa.core import activity
from mboa.core.conf import setting
from mboa.core.errors import ApplicationError
from mboa.core.permissions import require

from .models import (
    VISIT_STATUSES,
    Dossier,
    DossierStatus,
    FollowUpVisit,
    MissedReason,
    OperatingStatus,
    VisitMode,
    VisitState,
)

DAYS_PER_MONTH = 30.4375
FINDABLE = tuple(s.value for s in VISIT_STATUSES)


# --- Dates --------------------------------------------------------------------------------------


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` plus ``months`` calendar months; the 31st becomes the month's last day
    (31 August + 6 months = 28 or 29 February)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def months_between(start: dt.date, end: dt.date) -> int:
    """Whole months from ``start`` to ``end``, rounded to the nearest (never negative)."""
    return max(0, round((end - start).days / DAYS_PER_MONTH))


def project_months() -> list[int]:
    return sorted({int(m) for m in setting("PROJECTS", "FOLLOWUP_MONTHS")})


def closure_months() -> list[int]:
    return sorted({int(m) for m in setting("CASES", "FOLLOWUP_MONTHS_AFTER_CLOSURE")})


def schedule(start: dt.date, months: Iterable[int]) -> list[tuple[int, dt.date]]:
    """``[(milestone, due date)]`` for visits ``months`` after ``start``."""
    return [(m, add_months(start, m)) for m in months]


# --- Planning -----------------------------------------------------------------------------------


def _plan(rows: list[FollowUpVisit]) -> int:
    """Insert planned visits, skipping those already there (the milestone is unique per
    dossier and per case, so two runs at once plan each visit once)."""
    created = 0
    for row in rows:
        try:
            with transaction.atomic():
                row.save()
            created += 1
        except IntegrityError:
            continue
    return created


def dossier_followups_plan(*, dossier: Dossier, since: dt.date | None = None) -> int:
    """Plan the follow-up visits of an installed project, to its counsellor. Idempotent.
    ``since``: do not plan visits that fell due before this day (planning old data).
    A system step (no user): called by the installation and by the planner."""
    if dossier.status != DossierStatus.INSTALLED or dossier.installed_on is None:
        return 0
    have = set(dossier.visits.filter(milestone_months__isnull=False).values_list("milestone_months", flat=True))
    rows = [FollowUpVisit(dossier=dossier, version_id=dossier.current_version_id, milestone_months=m, due_on=due,
                          assignee_id=dossier.counsellor_id)
            for m, due in schedule(dossier.installed_on, project_months())
            if m not in have and (since is None or due >= since)]
    return _plan(rows)


def case_assignee(case: Any) -> Any:
    """Who follows a returnee up after closure: their insertion counsellor, else the case's owner."""
    counsellor = case.insertion_counsellor
    return counsellor.user_id if counsellor is not None else case.owner_id


def case_followups_plan(*, case: Any, since: dt.date | None = None) -> int:
    """Plan the visits of a returnee after their case was closed. Idempotent; a system step."""
    if case.status != "closed" or case.closed_at is None:
        return 0
    closed_on = timezone.localdate(case.closed_at)
    have = set(case.followup_visits.filter(milestone_months__isnull=False).values_list("milestone_months", flat=True))
    rows = [FollowUpVisit(case=case, milestone_months=m, due_on=due, assignee_id=case_assignee(case))
            for m, due in schedule(closed_on, closure_months())
            if m not in have and (since is None or due >= since)]
    return _plan(rows)


def on_case_closed(activity_id: int) -> None:
    """Activity-bus subscriber (``case.close``, after commit): plan the case's visits."""
    from mboa.cases.models import Case
    from mboa.core.models import Activity

    row = Activity.objects.filter(pk=activity_id).values("target_id").first()
    case = Case.objects.select_related("insertion_counsellor").filter(pk=(row or {}).get("target_id")).first()
    if case is not None:
        case_followups_plan(case=case)


def followups_plan_missing(*, today: dt.date | None = None, chunk: int = 1000) -> dict[str, int]:
    """Plan every missing visit of installed projects and closed cases (existing data, or a
    hook that did not run). Idempotent. Visits that fell due more than
    ``FOLLOWUP_BACKFILL_DAYS`` ago are not planned: nobody would make them now.
    Only the dossiers and cases missing a visit are read, ``chunk`` at a time."""
    from mboa.cases.models import Case

    today = today or timezone.localdate()
    since = today - dt.timedelta(days=int(setting("PROJECTS", "FOLLOWUP_BACKFILL_DAYS")))
    counts = {"projects": 0, "cases": 0}
    months = project_months()
    if months:
        missing = Q()
        for m in months:
            missing |= ~Exists(FollowUpVisit.objects.filter(dossier=OuterRef("pk"), milestone_months=m))
        dossiers = (Dossier.objects.filter(status=DossierStatus.INSTALLED, installed_on__isnull=False)
                    .filter(installed_on__gte=add_months(since, -max(months))).filter(missing))
        for dossier in dossiers.iterator(chunk_size=chunk):
            counts["projects"] += dossier_followups_plan(dossier=dossier, since=since)
    months = closure_months()
    if months:
        missing = Q()
        for m in months:
            missing |= ~Exists(FollowUpVisit.objects.filter(case=OuterRef("pk"), milestone_months=m))
        cases = (Case.objects.filter(status="closed", closed_at__isnull=False)
                 .filter(closed_at__date__gte=add_months(since, -max(months))).filter(missing)
                 .select_related("insertion_counsellor"))
        for case in cases.iterator(chunk_size=chunk):
            counts["cases"] += case_followups_plan(case=case, since=since)
    return counts


# --- Recording ----------------------------------------------------------------------------------


def _check_visit(*, subject_is_project: bool, visited_on: Any, mode: str, status: str) -> None:
    if visited_on is None:
        raise ApplicationError(_("Give the date of the visit."), field="visited_on")
    if visited_on > timezone.localdate():
        raise ApplicationError(_("The visit date is in the future."), field="visited_on")
    if mode not in VisitMode.values:
        raise ApplicationError(_("Say whether the visit was on site or by phone."), field="mode")
    if subject_is_project and status not in FINDABLE:
        raise ApplicationError(_("Say how the project is doing: running, struggling, stopped or sold."),
                               field="status")
    if not subject_is_project and status:
        raise ApplicationError(_("A returnee's visit has no project status."), field="status")


def _refresh_operating_status(dossier_id: int) -> None:
    """The dossier shows what its latest visit found."""
    latest = (FollowUpVisit.objects.filter(dossier_id=dossier_id, state=VisitState.DONE)
              .order_by("-visited_on", "-id").values_list("status", flat=True).first())
    if latest:
        Dossier.objects.filter(pk=dossier_id).update(operating_status=latest, updated_at=timezone.now())


def _months_after(dossier: Dossier, visited_on: dt.date, milestone: int | None) -> int | None:
    if dossier.installed_on is None:
        return None
    return max(milestone or 0, months_between(dossier.installed_on, visited_on))


@transaction.atomic
def visit_record(*, dossier: Dossier, by: Any, visited_on: dt.date, status: str, notes: str = "",
                 mode: str = VisitMode.ON_SITE) -> FollowUpVisit:
    """Record a visit of a project that was not planned (or record it without choosing the
    planned one): when a planned visit of the dossier is open and due within the
    due-soon window (or overdue), the visit fulfils it instead of adding a row."""
    dossier = Dossier.objects.select_for_update().get(pk=dossier.pk)
    require(by, "projects.record_visit", dossier)
    if dossier.status not in (DossierStatus.APPROVED, DossierStatus.INSTALLED):
        raise ApplicationError(_("Follow-up visits are for approved projects."))
    _check_visit(subject_is_project=True, visited_on=visited_on, mode=mode, status=status)
    horizon = visited_on + dt.timedelta(days=int(setting("PROJECTS", "FOLLOWUP_DUE_SOON_DAYS")))
    planned = (dossier.visits.select_for_update().filter(state=VisitState.PLANNED, due_on__lte=horizon)
               .order_by("due_on").first())
    if planned is not None:
        return _fulfil(planned, by=by, visited_on=visited_on, mode=mode, status=status, notes=notes)
    visit = FollowUpVisit.objects.create(
        dossier=dossier, version_id=dossier.current_version_id, state=VisitState.DONE, visited_on=visited_on,
        mode=mode, status=status, notes=notes, by=by, assignee=by,
        months_after=_months_after(dossier, visited_on, None))
    _refresh_operating_status(dossier.pk)
    activity.record(verb="projects.visit_recorded", actor=by, target=visit, subject=dossier,
                    summary=_("Follow-up visit: %(s)s") % {"s": OperatingStatus(status).label},
                    data={"status": status, "mode": mode, "visited_on": visited_on.isoformat()})
    return visit


def _subject(visit: FollowUpVisit) -> Any:
    return visit.dossier if visit.dossier_id else visit.case


def _fulfil(visit: FollowUpVisit, *, by: Any, visited_on: dt.date, mode: str, status: str,
            notes: str) -> FollowUpVisit:
    visit.state, visit.visited_on, visit.mode, visit.status, visit.notes, visit.by = (
        VisitState.DONE, visited_on, mode, status, notes, by)
    if visit.dossier_id:
        visit.months_after = _months_after(visit.dossier, visited_on, visit.milestone_months)
    visit.save()
    if visit.dossier_id:
        _refresh_operating_status(visit.dossier_id)
    summary = (_("Follow-up visit: %(s)s") % {"s": OperatingStatus(status).label} if status
               else _("Follow-up visit made"))
    activity.record(verb="projects.visit_recorded", actor=by, target=visit, subject=_subject(visit),
                    summary=summary, data={"status": status, "mode": mode, "visited_on": visited_on.isoformat(),
                                           "milestone": visit.milestone_months})
    return visit


def _locked_open(visit: FollowUpVisit, by: Any) -> FollowUpVisit:
    visit = FollowUpVisit.objects.select_for_update(of=("self",)).select_related(
        "dossier", "case").get(pk=visit.pk)
    require(by, "projects.record_visit", visit)
    if visit.state != VisitState.PLANNED:
        raise ApplicationError(_("This visit is already %(state)s.") % {"state": visit.get_state_display().lower()})
    return visit


@transaction.atomic
def visit_complete(*, visit: FollowUpVisit, by: Any, visited_on: dt.date, mode: str, status: str = "",
                   notes: str = "") -> FollowUpVisit:
    """Record a planned visit as made: date, on site or by phone, findings and, for a
    project, its status (running, struggling, stopped or sold)."""
    visit = _locked_open(visit, by)
    _check_visit(subject_is_project=bool(visit.dossier_id), visited_on=visited_on, mode=mode, status=status)
    return _fulfil(visit, by=by, visited_on=visited_on, mode=mode, status=status, notes=notes)


@transaction.atomic
def visit_miss(*, visit: FollowUpVisit, by: Any, reason: str, note: str = "") -> FollowUpVisit:
    """Record that a planned visit could not be made, with a reason (``other`` needs details)."""
    visit = _locked_open(visit, by)
    if reason not in MissedReason.values:
        raise ApplicationError(_("Say why the visit was not made."), field="reason")
    if reason == MissedReason.OTHER and not note.strip():
        raise ApplicationError(_("Explain the reason in a few words."), field="note")
    visit.state, visit.missed_reason, visit.missed_note, visit.by = VisitState.MISSED, reason, note.strip()[:300], by
    visit.save(update_fields=["state", "missed_reason", "missed_note", "by", "updated_at"])
    activity.record(verb="projects.visit_missed", actor=by, target=visit, subject=_subject(visit),
                    summary=_("Follow-up visit missed: %(reason)s") % {"reason": visit.get_missed_reason_display()},
                    data={"reason": reason, "milestone": visit.milestone_months})
    return visit


# --- Reminders ----------------------------------------------------------------------------------


def overdue_visits(*, today: dt.date | None = None):
    """Planned visits past their due date whose subject still calls for them (an installed
    project; a case still closed — a reopened case is followed as a case again)."""
    today = today or timezone.localdate()
    return FollowUpVisit.objects.filter(state=VisitState.PLANNED, due_on__lt=today).filter(
        Q(dossier__status=DossierStatus.INSTALLED) | Q(case__status="closed"))


def visits_send_reminders(*, today: dt.date | None = None) -> int:
    """One message a week to each person with overdue visits: how many, the oldest due
    date, and the page that lists them. Idempotent within the week (the outbox key).
    A system task (``projects.followup_daily``) acting for nobody. Returns messages queued."""
    from mboa.accounts.models import User
    from mboa.notifications.services import notify

    today = today or timezone.localdate()
    year, week, _day = today.isocalendar()
    rows = (overdue_visits(today=today).filter(assignee__isnull=False, assignee__is_active=True)
            .values("assignee").annotate(n=Count("id")).order_by("assignee"))
    counts = {row["assignee"]: row["n"] for row in rows}
    queued = 0
    for user in User.objects.filter(pk__in=counts):
        n = counts[user.pk]
        notify(recipients=[user],
               subject=_("%(n)s follow-up visits overdue") % {"n": n},
               body=_("%(n)s follow-up visits of projects or returnees are past their due date. Record each one, "
                      "or say why it could not be made, on the page “My follow-up visits”.") % {"n": n},
               idempotency_key=f"projects.visits-overdue:{user.pk}:{year}-{week}")
        queued += 1
    return queued
