"""Writes of the projects app. Each function is one transaction and records its activity.

Naming: ``<entity>_<verb>``, keyword-only arguments, ``by`` is the acting user.
Side effects (notifications, PDF generation) are queued with ``transaction.on_commit``.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Max, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from mboa.actors.models import Structure
from mboa.core import activity
from mboa.core.conf import setting
from mboa.core.errors import ApplicationError
from mboa.core.models import Activity
from mboa.core.numbering import next_free_reference, number_from_pk, provisional_number
from mboa.core.permissions import check, require
from mboa.governance.models import Body

from . import eligibility, scoring
from .models import (
    CRITERIA,
    OUTCOME_STATUS,
    AgendaItem,
    AmendmentItem,
    BudgetLine,
    Determination,
    DeterminationBatch,
    Dossier,
    DossierMember,
    DossierStatus,
    DossierVersion,
    FollowUpVisit,
    OperatingStatus,
    Outcome,
    Purchase,
    PurchaseStatus,
    Recommendation,
    Review,
    SessionAttendance,
    SessionStatus,
    ValidationSession,
)

VERSION_FIELDS = (
    "title", "sector", "filiere", "region", "department", "town", "description", "market", "contributions",
    "contribution_xaf", "monthly_revenue_xaf", "monthly_costs_xaf", "risks", "counsellor_opinion",
)
# Copied from the current version onto the dossier (selection, synthesis).
DENORMALISED = ("title", "sector", "filiere", "region", "department", "town", "budget_xaf")
EDITABLE_STATUSES = (DossierStatus.DRAFT, DossierStatus.READY, DossierStatus.AMENDMENTS, DossierStatus.RESUBMITTED,
                     DossierStatus.DEFERRED)
AGENDA_STATUSES = (DossierStatus.READY, DossierStatus.DEFERRED)


# --- Dossiers and versions ------------------------------------------------------------------


def _clean_lines(lines: Iterable[Mapping[str, Any]]) -> list[BudgetLine]:
    """Budget lines from dicts; errors name the line (1-based) and the column."""
    result = []
    for index, raw in enumerate(lines, start=1):
        item = str(raw.get("item") or "").strip()
        if not item:
            raise ApplicationError(_("Budget line %(n)s: the item is missing.") % {"n": index}, field="budget_lines")
        try:
            quantity = Decimal(str(raw.get("quantity", 1)).replace(",", ".").strip())
            unit_cost = int(str(raw.get("unit_cost_xaf", "")).replace(" ", "").strip())
        except (InvalidOperation, ValueError):
            raise ApplicationError(_("Budget line %(n)s (%(item)s): quantity and unit cost must be numbers.") % {
                "n": index, "item": item}, field="budget_lines") from None
        if quantity <= 0 or unit_cost < 0:
            raise ApplicationError(_("Budget line %(n)s (%(item)s): quantity must be positive and the unit cost "
                                     "not negative.") % {"n": index, "item": item}, field="budget_lines")
        result.append(BudgetLine(position=index, item=item[:200], quantity=quantity, unit_cost_xaf=unit_cost,
                                 supplier=str(raw.get("supplier") or "")[:200]))
    return result


def _set_lines(version: DossierVersion, lines: list[BudgetLine]) -> None:
    version.budget_lines.all().delete()
    for line in lines:
        line.version = version
    BudgetLine.objects.bulk_create(lines)
    version.budget_xaf = sum(line.total_xaf for line in lines)


def _set_members(dossier: Dossier, members: Iterable[Mapping[str, Any]]) -> None:
    rows = []
    for index, raw in enumerate(members, start=1):
        person = raw.get("person")
        is_returnee = bool(raw.get("is_returnee", person is not None))
        if is_returnee and person is None:
            raise ApplicationError(_("Member %(n)s: a returnee must be chosen from the registry.") % {"n": index},
                                   field="members")
        family = raw.get("family_name") or (person.family_name if person else "")
        if not family:
            raise ApplicationError(_("Member %(n)s: the family name is missing.") % {"n": index}, field="members")
        case = raw.get("case")
        returned_on = raw.get("returned_on") or (getattr(case, "arrival_date", None) if case else None)
        rows.append(DossierMember(
            dossier=dossier, person=person, case=case, is_returnee=is_returnee,
            role=raw.get("role") or ("promoter" if is_returnee else "beneficiary"),
            family_name=family, given_names=raw.get("given_names") or (person.given_names if person else ""),
            sex=raw.get("sex") or (person.sex if person else "U"), returned_on=returned_on, position=index,
        ))
    dossier.members.all().delete()
    DossierMember.objects.bulk_create(rows)
    promoters = [r for r in rows if r.role == "promoter"]
    dossier.women = sum(1 for r in promoters if r.sex == "F")
    dossier.men = sum(1 for r in promoters if r.sex == "M")
    dossier.lead_sex = promoters[0].sex if promoters else ""


def _copy_to_dossier(dossier: Dossier, version: DossierVersion) -> None:
    for name in DENORMALISED:
        setattr(dossier, name, getattr(version, name))


@transaction.atomic
def dossier_create(*, by: Any, kind: str, data: Mapping[str, Any], members: Sequence[Mapping[str, Any]] = (),
                   budget_lines: Sequence[Mapping[str, Any]] = (), structure: Structure | None = None,
                   counsellor: Any = None) -> Dossier:
    """Open a dossier with its first (draft) version."""
    require(by, "projects.add_dossier")
    structure = structure or by.structure
    if structure is None:
        raise ApplicationError(_("The dossier needs a structure."), field="structure")
    lines = _clean_lines(budget_lines)
    dossier = Dossier.objects.create(reference=provisional_number(), kind=kind, structure=structure,
                                     counsellor=counsellor or by, title=str(data.get("title") or "")[:200])
    number_from_pk(dossier, field="reference", template="PRJ-{pk:06d}")
    version = DossierVersion(dossier=dossier, number=1, **{k: data[k] for k in VERSION_FIELDS if k in data})
    version.save()
    _set_lines(version, lines)
    version.save(update_fields=["budget_xaf"])
    _set_members(dossier, members)
    _copy_to_dossier(dossier, version)
    dossier.current_version = version
    dossier.save()
    activity.record(verb="projects.dossier_created", actor=by, target=dossier,
                    summary=_("Project dossier %(ref)s opened") % {"ref": dossier.reference})
    return dossier


def working_version(dossier: Dossier) -> DossierVersion:
    return dossier.versions.order_by("-number").first()


@transaction.atomic
def dossier_edit(*, dossier: Dossier, by: Any, data: Mapping[str, Any] | None = None,
                 budget_lines: Sequence[Mapping[str, Any]] | None = None,
                 members: Sequence[Mapping[str, Any]] | None = None, kind: str | None = None) -> DossierVersion:
    """Edit the working version. When the latest version was submitted, a new version is
    started (a copy with its budget lines): submitted versions are never changed."""
    dossier = Dossier.objects.select_for_update().get(pk=dossier.pk)
    require(by, "projects.change_dossier", dossier)
    if dossier.status not in EDITABLE_STATUSES:
        raise ApplicationError(_("A dossier in the state “%(state)s” cannot be edited.") % {
            "state": dossier.get_status_display()})
    version = working_version(dossier)
    if version.is_submitted:
        old_lines = list(version.budget_lines.all())
        version.pk = None
        version.id = None
        version._state.adding = True
        version.number += 1
        version.submitted_at = None
        version.submitted_by = None
        version.created_at = timezone.now()
        version.save()
        BudgetLine.objects.bulk_create([BudgetLine(version=version, position=ln.position, item=ln.item,
                                                   quantity=ln.quantity, unit_cost_xaf=ln.unit_cost_xaf,
                                                   supplier=ln.supplier) for ln in old_lines])
    for name in VERSION_FIELDS:
        if data and name in data:
            setattr(version, name, data[name])
    if budget_lines is not None:
        _set_lines(version, _clean_lines(budget_lines))
    version.save()
    if members is not None:
        _set_members(dossier, members)
    if kind:
        dossier.kind = kind
    if dossier.status == DossierStatus.READY:
        dossier.status = DossierStatus.DRAFT  # changed after submission: to be submitted again
    if dossier.current_version_id is None or dossier.status == DossierStatus.DRAFT:
        _copy_to_dossier(dossier, version)
    dossier.save()
    return version


def dossier_breaches(*, dossier: Dossier, version: DossierVersion | None = None, today: dt.date | None = None):
    version = version or working_version(dossier)
    return eligibility.breaches(version, dossier.members.all(), kind=dossier.kind,
                                today=today or timezone.localdate())


@transaction.atomic
def dossier_submit(*, dossier: Dossier, by: Any, today: dt.date | None = None) -> Dossier:
    """Submit the working version. Refused, naming each rule broken, when not eligible.

    A first submission makes the dossier *ready*; after a determination with amendments
    the dossier becomes *resubmitted* (its amendments are then ticked on this version)."""
    dossier = Dossier.objects.select_for_update().get(pk=dossier.pk)
    require(by, "projects.change_dossier", dossier)
    version = working_version(dossier)
    if version.is_submitted:
        raise ApplicationError(_("This version is already submitted; edit the dossier to start a new version."))
    if dossier.status not in (DossierStatus.DRAFT, DossierStatus.AMENDMENTS, DossierStatus.DEFERRED,
                              DossierStatus.RESUBMITTED):
        raise ApplicationError(_("A dossier in the state “%(state)s” cannot be submitted.") % {
            "state": dossier.get_status_display()})
    found = dossier_breaches(dossier=dossier, version=version, today=today)
    if found:
        raise ApplicationError(
            _("The dossier is not eligible: %(reasons)s") % {"reasons": " ".join(b.message for b in found)},
            field=found[0].field, extra={"breaches": [{"code": b.code, "field": b.field, "message": b.message}
                                                      for b in found]})
    now = timezone.now()
    version.submitted_at = now
    version.submitted_by = by
    version.save(update_fields=["submitted_at", "submitted_by", "updated_at"])
    previous = dossier.status
    dossier.status = (DossierStatus.RESUBMITTED if previous in (DossierStatus.AMENDMENTS, DossierStatus.RESUBMITTED)
                      else DossierStatus.READY)
    dossier.current_version = version
    dossier.submitted_at = now
    _copy_to_dossier(dossier, version)
    dossier.save()
    activity.record(verb="projects.dossier_submitted", actor=by, target=dossier,
                    summary=_("Version %(n)s submitted") % {"n": version.number},
                    data={"version": version.number, "from": previous, "to": dossier.status})
    return dossier


# --- Sessions -------------------------------------------------------------------------------


@transaction.atomic
def session_create(*, by: Any, date: dt.date, place: str, body: Body | None = None) -> ValidationSession:
    """Plan a validation session of the GTR; attendance starts with every current member structure."""
    require(by, "projects.manage_sessions")
    body = body or Body.objects.get(code="GTR")
    reference = next_free_reference(ValidationSession, f"{body.code}-{date:%Y}-")
    session = ValidationSession.objects.create(reference=reference, body=body, date=date, place=place, created_by=by)
    structures = body.memberships.filter(end_date__isnull=True).values_list("structure_id", flat=True)
    SessionAttendance.objects.bulk_create([SessionAttendance(session=session, structure_id=s) for s in structures])
    activity.record(verb="projects.session_planned", actor=by, target=session,
                    summary=_("Validation session %(ref)s planned") % {"ref": reference})
    return session


@transaction.atomic
def session_attendance_set(*, session: ValidationSession, by: Any, present: Mapping[int, str | bool]) -> dict:
    """``present``: structure id -> representative's name (or True). Absent structures are left out."""
    require(by, "projects.manage_sessions")
    rows = {a.structure_id: a for a in session.attendance.all()}
    for structure_id, row in rows.items():
        value = present.get(structure_id)
        row.present = bool(value)
        row.representative = value if isinstance(value, str) else ""
    SessionAttendance.objects.bulk_update(rows.values(), ["present", "representative"])
    result = quorum(session)
    activity.record(verb="projects.attendance_recorded", actor=by, target=session,
                    summary=_("Attendance: %(present)s of %(members)s structures") % result, data=result)
    return result


def quorum(session: ValidationSession) -> dict:
    """Quorum from settings: share of member structures present and a minimum count."""
    rules = setting("PROJECTS", "QUORUM")
    members = session.attendance.count()
    present = session.attendance.filter(present=True).count()
    needed = max(int(rules["MIN_STRUCTURES"]), math.ceil(members * float(rules["MIN_SHARE"])))
    needed = min(needed, members) if members else int(rules["MIN_STRUCTURES"])
    return {"present": present, "members": members, "needed": needed, "met": present >= needed and present > 0}


@transaction.atomic
def session_reviewers_set(*, session: ValidationSession, by: Any, reviewers: Iterable[Any]) -> None:
    require(by, "projects.manage_sessions")
    session.reviewers.set(list(reviewers))
    activity.record(verb="projects.reviewers_set", actor=by, target=session,
                    summary=_("Reviewers designated"))


@transaction.atomic
def agenda_add(*, session: ValidationSession, by: Any, dossiers: Iterable[Dossier]) -> dict:
    """Put dossiers on the agenda (ready or deferred ones; others are skipped, and counted)."""
    require(by, "projects.manage_sessions")
    if session.status == SessionStatus.CLOSED:
        raise ApplicationError(_("The session is closed."))
    ids = [d.pk for d in dossiers]
    eligible = list(Dossier.objects.select_for_update().filter(pk__in=ids, status__in=AGENDA_STATUSES)
                    .exclude(agenda_items__session=session).exclude(current_version__isnull=True))
    order = {pk: i for i, pk in enumerate(ids)}
    eligible.sort(key=lambda d: order[d.pk])  # the agenda follows the order given (e.g. by reference)
    start = (session.items.aggregate(m=Max("position"))["m"] or 0) + 1
    AgendaItem.objects.bulk_create([AgendaItem(session=session, dossier=d, version_id=d.current_version_id,
                                               position=start + i) for i, d in enumerate(eligible)])
    Dossier.objects.filter(pk__in=[d.pk for d in eligible]).update(status=DossierStatus.ON_AGENDA,
                                                                   updated_at=timezone.now())
    result = {"added": len(eligible), "skipped": len(ids) - len(eligible)}
    activity.record(verb="projects.agenda_added", actor=by, target=session,
                    summary=_("%(added)s dossiers put on the agenda") % result, data=result)
    return result


@transaction.atomic
def agenda_remove(*, item: AgendaItem, by: Any) -> None:
    require(by, "projects.manage_sessions")
    if item.reviews.exists() or Determination.objects.filter(session=item.session_id, dossier=item.dossier_id,
                                                             undone_at__isnull=True).exists():
        raise ApplicationError(_("This dossier has been reviewed or decided: it stays on the agenda."))
    Dossier.objects.filter(pk=item.dossier_id).update(status=DossierStatus.READY)
    item.delete()


@transaction.atomic
def analysis_save(*, item: AgendaItem, by: Any, summary: str, strengths: str = "", weaknesses: str = "") -> AgendaItem:
    require(by, "projects.manage_sessions")
    item.analysis_summary, item.analysis_strengths, item.analysis_weaknesses = summary, strengths, weaknesses
    item.analysed_by, item.analysed_at = by, timezone.now()
    item.save(update_fields=["analysis_summary", "analysis_strengths", "analysis_weaknesses", "analysed_by",
                             "analysed_at", "updated_at"])
    return item


# --- Reviews --------------------------------------------------------------------------------


def _refresh_item_scores(item: AgendaItem) -> None:
    summary = scoring.summarise(Review.objects.filter(item=item).only("combined", *CRITERIA))
    AgendaItem.objects.filter(pk=item.pk).update(review_count=summary["count"], score_mean=summary["mean"],
                                                 score_spread=summary["spread"], criteria_means=summary["criteria"])


@transaction.atomic
def review_record(*, item: AgendaItem, by: Any, scores: Mapping[str, Any], comment: str = "") -> Review:
    """Record (or correct) the user's scores of one dossier with the scoring settings in force."""
    require(by, "projects.review", item.session)
    if item.session.status == SessionStatus.CLOSED:
        raise ApplicationError(_("The session is closed: scores can no longer change."))
    config = setting("PROJECTS", "SCORING")
    clean = scoring.validate_scores(scores, config)
    combined = scoring.combine(clean, config["WEIGHTS"])
    review, _created = Review.objects.update_or_create(
        item=item, reviewer=by,
        defaults={**clean, "combined": combined, "scoring_version": str(config["VERSION"]),
                  "weights": dict(config["WEIGHTS"]), "comment": comment, "structure_id": by.structure_id},
    )
    _refresh_item_scores(item)
    return review


@transaction.atomic
def recommendation_add(*, item: AgendaItem, by: Any, text: str, structure: Structure | None = None
                       ) -> Recommendation:
    """A technical ministry's recommendation; it names the author's structure."""
    require(by, "projects.recommend", item.session)
    text = text.strip()
    if not text:
        raise ApplicationError(_("The recommendation is empty."), field="text")
    structure = structure or by.structure
    if structure is None:
        raise ApplicationError(_("A recommendation names its structure."), field="structure")
    rec = Recommendation.objects.create(item=item, structure=structure, text=text, author=by)
    activity.record(verb="projects.recommendation_added", actor=by, target=item.dossier,
                    summary=_("Recommendation from %(s)s") % {"s": structure.code})
    return rec


# --- Determinations -------------------------------------------------------------------------


def _bulk_activities(*, by: Any, dossiers: Sequence[Dossier], verb: str, summary: str, data: dict) -> None:
    """One activity per dossier in one INSERT (the bus's ``record`` writes one row at a time)."""
    ct = ContentType.objects.get_for_model(Dossier)
    now = timezone.now()
    Activity.objects.bulk_create([
        Activity(occurred_at=now, actor=by, actor_structure_id=getattr(by, "structure_id", None), verb=verb,
                 summary=summary[:300], target_type=ct, target_id=str(d.pk), subject_type=ct, subject_id=str(d.pk),
                 data=data) for d in dossiers
    ], batch_size=1000)


def _notify_later(batch: DeterminationBatch) -> None:
    from .tasks import notify_determinations

    batch_id, countdown = batch.pk, max(0, int((batch.undo_until - timezone.now()).total_seconds()))
    transaction.on_commit(lambda: notify_determinations.apply_async(args=[batch_id], countdown=countdown))


@transaction.atomic
def determinations_record(*, session: ValidationSession, by: Any, items: Sequence[AgendaItem], outcome: str,
                          reasons: str = "", amendments: Sequence[Mapping[str, str]] = ()) -> DeterminationBatch:
    """Record one outcome for one or many dossiers of the session, as one undoable batch.

    Requires the quorum. Amendments (a list of {"what", "by_whom"}) are required for the
    outcome *approved subject to amendments*, and then only for one dossier at a time;
    a rejection requires reasons. Counsellors are told when the undo window has passed.
    """
    require(by, "projects.determine", session)
    if outcome not in Outcome.values:
        raise ApplicationError(_("Unknown outcome."), field="outcome")
    if session.status == SessionStatus.CLOSED:
        raise ApplicationError(_("The session is closed."))
    if not quorum(session)["met"]:
        raise ApplicationError(_("The quorum is not met: record the attendance first (%(present)s present, "
                                 "%(needed)s needed).") % quorum(session))
    if not items:
        raise ApplicationError(_("Select at least one dossier."), field="items")
    if outcome == Outcome.REJECTED and not reasons.strip():
        raise ApplicationError(_("A rejection states its reasons."), field="reasons")
    clean_amendments = [{"what": str(a.get("what") or "").strip(), "by_whom": str(a.get("by_whom") or "").strip()}
                        for a in amendments]
    clean_amendments = [a for a in clean_amendments if a["what"]]
    if outcome == Outcome.AMENDMENTS:
        if len(items) != 1:
            raise ApplicationError(_("Amendments are listed dossier by dossier: select one dossier."), field="items")
        if not clean_amendments:
            raise ApplicationError(_("List at least one precise amendment (what to change, by whom)."),
                                   field="amendments")
        for index, a in enumerate(clean_amendments, start=1):
            if not a["by_whom"]:
                raise ApplicationError(_("Amendment %(n)s: say who makes the change.") % {"n": index},
                                       field="amendments")
    item_ids = [i.pk for i in items]
    rows = list(AgendaItem.objects.filter(pk__in=item_ids, session=session).values_list("dossier_id", "version_id"))
    if len(rows) != len(set(item_ids)):
        raise ApplicationError(_("Some dossiers are not on this session's agenda."), field="items")
    dossier_ids = [d for d, _v in rows]
    dossiers = list(Dossier.objects.select_for_update().filter(pk__in=dossier_ids).only("id", "status"))
    not_open = [d for d in dossiers if d.status != DossierStatus.ON_AGENDA]
    if not_open:
        raise ApplicationError(_("%(n)s of the selected dossiers are already decided; undo their determination "
                                 "first.") % {"n": len(not_open)}, field="items")
    now = timezone.now()
    batch = DeterminationBatch.objects.create(session=session, outcome=outcome, by=by, count=len(dossiers),
                                              undo_until=now + dt.timedelta(seconds=int(setting("PROJECTS", "UNDO_SECONDS"))))
    version_of = dict(rows)
    determinations = Determination.objects.bulk_create([
        Determination(dossier_id=d.pk, session=session, version_id=version_of[d.pk], outcome=outcome,
                      reasons=reasons, decided_by=by, decided_at=now, batch=batch, previous_status=d.status)
        for d in dossiers
    ], batch_size=1000)
    if outcome == Outcome.AMENDMENTS:
        determination = determinations[0]
        if determination.pk is None:  # backends without RETURNING
            determination = Determination.objects.get(batch=batch)
        AmendmentItem.objects.bulk_create([AmendmentItem(determination=determination, position=i, **a)
                                           for i, a in enumerate(clean_amendments, start=1)])
    status = OUTCOME_STATUS[Outcome(outcome)]
    updates: dict[str, Any] = {"status": status, "updated_at": now}
    if outcome == Outcome.APPROVED:
        updates["approved_at"] = now
    Dossier.objects.filter(pk__in=dossier_ids).update(**updates)
    if session.status == SessionStatus.PLANNED:
        ValidationSession.objects.filter(pk=session.pk).update(status=SessionStatus.HELD)
        session.status = SessionStatus.HELD
    label = str(Outcome(outcome).label)
    _bulk_activities(by=by, dossiers=dossiers, verb=f"projects.determination.{outcome}",
                     summary=_("%(outcome)s at %(session)s") % {"outcome": label, "session": session.reference},
                     data={"session": session.reference, "batch": batch.pk, "reasons": reasons})
    activity.record(verb="projects.batch_determined", actor=by, target=session,
                    summary=_("%(n)s dossiers: %(outcome)s") % {"n": len(dossiers), "outcome": label},
                    data={"batch": batch.pk, "count": len(dossiers), "outcome": outcome})
    _notify_later(batch)
    return batch


@transaction.atomic
def batch_undo(*, batch: DeterminationBatch, by: Any, now: dt.datetime | None = None) -> DeterminationBatch:
    """Undo a batch within its window: each dossier goes back on the agenda as it was."""
    batch = DeterminationBatch.objects.select_for_update().get(pk=batch.pk)
    require(by, "projects.determine", batch.session)
    now = now or timezone.now()
    if batch.undone_at:
        raise ApplicationError(_("This determination was already undone."))
    if now > batch.undo_until:
        raise ApplicationError(_("The undo window closed at %(t)s.") % {
            "t": timezone.localtime(batch.undo_until).strftime("%H:%M")})
    determinations = list(batch.determinations.filter(undone_at__isnull=True).select_related("dossier"))
    if AmendmentItem.objects.filter(determination__in=determinations, ticked_at__isnull=False).exists():
        raise ApplicationError(_("Amendments of this determination were already ticked."))
    changed = [d.dossier for d in determinations if d.dossier.status == OUTCOME_STATUS[Outcome(batch.outcome)]]
    if len(changed) != len(determinations):
        raise ApplicationError(_("Some of these dossiers have moved on since; they cannot be undone together."))
    by_previous: dict[str, list[int]] = {}
    for d in determinations:
        by_previous.setdefault(d.previous_status, []).append(d.dossier_id)
    for status, ids in by_previous.items():
        Dossier.objects.filter(pk__in=ids).update(status=status, approved_at=None, updated_at=now)
    batch.determinations.update(undone_at=now)
    batch.undone_at, batch.undone_by = now, by
    batch.save(update_fields=["undone_at", "undone_by", "updated_at"])
    _bulk_activities(by=by, dossiers=changed, verb="projects.determination.undone",
                     summary=_("Determination undone"), data={"batch": batch.pk})
    activity.record(verb="projects.batch_undone", actor=by, target=batch.session,
                    summary=_("%(n)s determinations undone") % {"n": len(determinations)}, data={"batch": batch.pk})
    return batch


def open_amendment_determination(dossier: Dossier) -> Determination | None:
    return (dossier.determinations.filter(outcome=Outcome.AMENDMENTS, undone_at__isnull=True)
            .order_by("-decided_at", "-id").first())


@transaction.atomic
def amendment_tick(*, amendment: AmendmentItem, by: Any) -> AmendmentItem:
    """Tick one amendment as made, on the dossier's current (resubmitted) version, which
    must be newer than the version the amendments were asked on."""
    amendment = AmendmentItem.objects.select_for_update().select_related("determination__dossier",
                                                                         "determination__version").get(pk=amendment.pk)
    dossier = amendment.determination.dossier
    require(by, "projects.verify_amendments", dossier)
    if dossier.status != DossierStatus.RESUBMITTED:
        raise ApplicationError(_("Amendments are ticked on a resubmitted version: the counsellor must submit the "
                                 "amended dossier first."))
    version = dossier.current_version
    if version is None or version.number <= amendment.determination.version.number:
        raise ApplicationError(_("The amendments must be made on a new version."))
    if amendment.ticked_at:
        raise ApplicationError(_("Already ticked."))
    amendment.ticked_version, amendment.ticked_by, amendment.ticked_at = version, by, timezone.now()
    amendment.save(update_fields=["ticked_version", "ticked_by", "ticked_at", "updated_at"])
    activity.record(verb="projects.amendment_ticked", actor=by, target=dossier,
                    summary=_("Amendment made: %(what)s") % {"what": amendment.what[:200]},
                    data={"version": version.number})
    return amendment


@transaction.atomic
def amended_dossier_approve(*, dossier: Dossier, by: Any) -> Determination:
    """Approve an amended dossier: refused until every amendment is ticked on a version
    newer than the one the amendments were asked on. Recorded against the same session."""
    dossier = Dossier.objects.select_for_update().get(pk=dossier.pk)
    require(by, "projects.verify_amendments", dossier)
    asked = open_amendment_determination(dossier)
    if dossier.status != DossierStatus.RESUBMITTED or asked is None:
        raise ApplicationError(_("Only a dossier resubmitted after amendments can be approved this way."))
    items = list(asked.amendments.select_related("ticked_version"))
    missing = [a for a in items if a.ticked_version is None or a.ticked_version.number <= asked.version.number
               or a.ticked_version_id != dossier.current_version_id]
    if missing:
        raise ApplicationError(_("%(n)s amendments are not ticked on the current version: %(what)s") % {
            "n": len(missing), "what": "; ".join(a.what for a in missing)}, field="amendments")
    now = timezone.now()
    determination = Determination.objects.create(
        dossier=dossier, session=asked.session, version=dossier.current_version, outcome=Outcome.APPROVED,
        reasons=_("Amendments made and verified."), decided_by=by, decided_at=now, previous_status=dossier.status,
        resolves=asked)
    dossier.status, dossier.approved_at = DossierStatus.APPROVED, now
    dossier.save(update_fields=["status", "approved_at", "updated_at"])
    activity.record(verb="projects.determination.approved", actor=by, target=dossier,
                    summary=_("Approved after amendments (version %(n)s)") % {"n": dossier.current_version.number})
    if dossier.counsellor_id:
        dossier_id = dossier.pk
        from .tasks import notify_amended_approval

        transaction.on_commit(lambda: notify_amended_approval.delay(dossier_id))
    return determination


# --- Minutes ------------------------------------------------------------------


@transaction.atomic
def minutes_request(*, session: ValidationSession, by: Any) -> ValidationSession:
    """Queue the minutes PDF (a Celery task; progress is kept on the session)."""
    require(by, "projects.manage_sessions")
    session = ValidationSession.objects.select_for_update().get(pk=session.pk)
    if session.minutes_status in ("queued", "running"):
        return session
    session.minutes_status, session.minutes_progress = "queued", 0
    session.save(update_fields=["minutes_status", "minutes_progress", "updated_at"])
    from .tasks import generate_minutes

    session_id = session.pk
    transaction.on_commit(lambda: generate_minutes.delay(session_id))
    return session


@transaction.atomic
def session_close(*, session: ValidationSession, by: Any) -> ValidationSession:
    require(by, "projects.manage_sessions")
    open_items = session.items.filter(dossier__status=DossierStatus.ON_AGENDA).count()
    if open_items:
        raise ApplicationError(_("%(n)s dossiers on the agenda have no determination yet.") % {"n": open_items})
    session.status = SessionStatus.CLOSED
    session.save(update_fields=["status", "updated_at"])
    activity.record(verb="projects.session_closed", actor=by, target=session, summary=_("Session closed"))
    return session


# --- Installation ---------------------------------------------------------------------------


def _committed(dossier: Dossier, exclude: Purchase | None = None) -> int:
    qs = dossier.purchases.exclude(status=PurchaseStatus.DRAFT)
    if exclude is not None:
        qs = qs.exclude(pk=exclude.pk)
    return int(qs.aggregate(s=Sum("amount_xaf"))["s"] or 0)


@transaction.atomic
def purchase_create(*, dossier: Dossier, by: Any, description: str, amount_xaf: int, supplier: str = "",
                    budget_line: BudgetLine | None = None) -> Purchase:
    dossier = Dossier.objects.select_for_update().get(pk=dossier.pk)
    require(by, "projects.manage_installation", dossier)
    if dossier.status not in (DossierStatus.APPROVED, DossierStatus.INSTALLED):
        raise ApplicationError(_("Purchases are for approved projects."))
    if budget_line is not None and budget_line.version_id != dossier.current_version_id:
        raise ApplicationError(_("The budget line is not from the approved version."), field="budget_line")
    if int(amount_xaf) <= 0:
        raise ApplicationError(_("The amount must be positive."), field="amount_xaf")
    purchase = Purchase.objects.create(dossier=dossier, budget_line=budget_line, description=description,
                                       amount_xaf=int(amount_xaf), supplier=supplier, created_by=by)
    activity.record(verb="projects.purchase_created", actor=by, target=purchase, subject=dossier,
                    summary=description[:200])
    return purchase


PURCHASE_STEPS = {
    "submit": (PurchaseStatus.DRAFT, PurchaseStatus.TO_APPROVE),
    "approve": (PurchaseStatus.TO_APPROVE, PurchaseStatus.APPROVED),
    "deliver": (PurchaseStatus.APPROVED, PurchaseStatus.DELIVERED),
    "receive": (PurchaseStatus.DELIVERED, PurchaseStatus.CLOSED),
}


@transaction.atomic
def purchase_transition(*, purchase: Purchase, by: Any, action: str, on: dt.date | None = None,
                        received_by: str = "", proof: Any = None, over_budget_reason: str = "") -> Purchase:
    """draft → to approve → approved (ordered) → delivered → closed (received by the returnee).

    Approval refuses an amount that takes the project over its approved budget unless an
    administrator approves the excess with a reason (recorded on the purchase)."""
    purchase = Purchase.objects.select_for_update().select_related("dossier").get(pk=purchase.pk)
    dossier = purchase.dossier
    require(by, "projects.manage_installation", dossier)
    if action not in PURCHASE_STEPS:
        raise ApplicationError(_("Unknown action “%(action)s”.") % {"action": action})
    source, target = PURCHASE_STEPS[action]
    if purchase.status != source:
        raise ApplicationError(_("This purchase is “%(state)s”: it cannot be %(action)s.") % {
            "state": purchase.get_status_display(), "action": action})
    on = on or timezone.localdate()
    fields = ["status", "updated_at"]
    if action == "approve":
        Dossier.objects.select_for_update().filter(pk=dossier.pk).first()  # serialise approvals per dossier
        budget = dossier.current_version.budget_xaf if dossier.current_version_id else 0
        total = _committed(dossier, exclude=purchase) + purchase.amount_xaf
        if total > budget:
            if not (check(by, "projects.approve_over_budget", dossier) and over_budget_reason.strip()):
                raise ApplicationError(_("This purchase takes the project to %(total)s XAF, over its approved "
                                         "budget of %(budget)s XAF: an administrator must approve the excess with "
                                         "a reason.") % {"total": total, "budget": budget},
                                       field="over_budget_reason")
            purchase.over_budget_reason, purchase.over_budget_approved_by = over_budget_reason.strip(), by
            fields += ["over_budget_reason", "over_budget_approved_by"]
        purchase.ordered_on = on
        fields.append("ordered_on")
    elif action == "deliver":
        purchase.delivered_on = on
        fields.append("delivered_on")
    elif action == "receive":
        if not received_by.strip():
            raise ApplicationError(_("Say who received the goods."), field="received_by")
        if not proof and not purchase.proof:
            raise ApplicationError(_("Attach the proof of receipt (signed slip or photo)."), field="proof")
        purchase.received_on, purchase.received_by = on, received_by.strip()
        fields += ["received_on", "received_by"]
        if proof:
            purchase.proof = proof
            fields.append("proof")
    purchase.status = target
    purchase.save(update_fields=fields)
    if action == "receive" and not dossier.purchases.exclude(status=PurchaseStatus.CLOSED).exists():
        Dossier.objects.filter(pk=dossier.pk).update(status=DossierStatus.INSTALLED,
                                                     operating_status=dossier.operating_status
                                                     or OperatingStatus.INSTALLED)
    activity.record(verb=f"projects.purchase_{action}", actor=by, target=purchase, subject=dossier,
                    summary=f"{purchase.description[:150]} → {purchase.get_status_display()}",
                    data={"amount": purchase.amount_xaf})
    return purchase


@transaction.atomic
def visit_record(*, dossier: Dossier, by: Any, visited_on: dt.date, status: str, notes: str = "") -> FollowUpVisit:
    dossier = Dossier.objects.get(pk=dossier.pk)
    require(by, "projects.record_visit", dossier)
    if dossier.status not in (DossierStatus.APPROVED, DossierStatus.INSTALLED):
        raise ApplicationError(_("Follow-up visits are for approved projects."))
    if visited_on > timezone.localdate():
        raise ApplicationError(_("The visit date is in the future."), field="visited_on")
    if status not in OperatingStatus.values:
        raise ApplicationError(_("Unknown project status."), field="status")
    visit = FollowUpVisit.objects.create(dossier=dossier, visited_on=visited_on, status=status, notes=notes, by=by)
    latest = dossier.visits.order_by("-visited_on", "-id").first()
    Dossier.objects.filter(pk=dossier.pk).update(operating_status=latest.status)
    activity.record(verb="projects.visit_recorded", actor=by, target=visit, subject=dossier,
                    summary=_("Follow-up visit: %(s)s") % {"s": OperatingStatus(status).label})
    return visit
