"""Writes of the projects app. Each function is one transaction, checks the user's right
itself (``require`` → 403; domain refusals are ApplicationError) and records its activity.

States move only through the workflows of ``workflows.py``: ``transition`` for one row,
``transition_many`` for a batch (agenda, determinations, their undo), which records one
activity per dossier in one INSERT.

Naming: ``<entity>_<verb>``, keyword-only arguments, ``by`` is the acting user.
Side effects (notifications, PDF generation) are queued with ``transaction.on_commit``.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.db.models import Max, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from mboa.actors.models import Structure
from mboa.core import activity
from mboa.core.conf import setting
from mboa.core.errors import ApplicationError
from mboa.core.numbering import next_free_reference, number_from_pk, provisional_number
from mboa.core.permissions import check, require
from mboa.core.uploads import accept_upload
from mboa.core.workflows import transition, transition_many
from mboa.governance.models import Body

from . import eligibility, followup, scoring
from .followup import visit_complete, visit_miss, visit_record  # noqa: F401  (the follow-up services, here too)
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
from .workflows import DOSSIER, OUTCOME_ACTION, PURCHASE, SESSION

VERSION_FIELDS = (
    "title", "sector", "filiere", "region", "department", "town", "description", "market", "contributions",
    "contribution_xaf", "monthly_revenue_xaf", "monthly_costs_xaf", "risks", "counsellor_opinion",
)
# Copied from the current version onto the dossier (selection, synthesis).
DENORMALISED = ("title", "sector", "filiere", "region", "department", "town", "budget_xaf")
EDITABLE_STATUSES = (DossierStatus.DRAFT, DossierStatus.READY, DossierStatus.AMENDMENTS, DossierStatus.RESUBMITTED,
                     DossierStatus.DEFERRED)
AGENDA_STATUSES = (DossierStatus.READY, DossierStatus.DEFERRED)
# A dossier submitted from these states is an amended version (its amendments are ticked on it).
AMENDED_STATUSES = (DossierStatus.AMENDMENTS, DossierStatus.RESUBMITTED)


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


def _denormalised(version: DossierVersion) -> dict[str, Any]:
    return {name: getattr(version, name) for name in DENORMALISED}


def _copy_to_dossier(dossier: Dossier, version: DossierVersion) -> None:
    for name, value in _denormalised(version).items():
        setattr(dossier, name, value)


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
    if dossier.current_version_id is None or dossier.status == DossierStatus.DRAFT:
        _copy_to_dossier(dossier, version)
    dossier.save()
    activity.record(verb="projects.dossier_edited", actor=by, target=dossier,
                    summary=_("Version %(n)s edited") % {"n": version.number}, data={"version": version.number})
    if dossier.status == DossierStatus.READY:  # changed after submission: to be submitted again
        transition(dossier, DOSSIER, "reopen", by=by, changes=_denormalised(version))
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
    action = "resubmit" if dossier.status in AMENDED_STATUSES else "submit"
    return transition(dossier, DOSSIER, action, by=by,
                      changes={"current_version": version, "submitted_at": now, **_denormalised(version)})


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
    reviewers = list(reviewers)
    session.reviewers.set(reviewers)
    activity.record(verb="projects.reviewers_set", actor=by, target=session,
                    summary=_("Reviewers designated"), data={"reviewers": sorted(u.pk for u in reviewers)})


@transaction.atomic
def agenda_add(*, session: ValidationSession, by: Any, dossiers: Iterable[Dossier]) -> dict:
    """Put dossiers on the agenda (ready or deferred ones; others are skipped, and counted)."""
    require(by, "projects.manage_sessions")
    if session.status == SessionStatus.CLOSED:
        raise ApplicationError(_("The session is closed."))
    ids = [d.pk for d in dossiers]
    eligible = list(Dossier.objects.filter(pk__in=ids, status__in=AGENDA_STATUSES)
                    .exclude(agenda_items__session=session).exclude(current_version__isnull=True).only("id", "status"))
    moved = transition_many(eligible, DOSSIER, "put_on_agenda", by=by, data={"session": session.reference},
                            summary=_("Put on the agenda of %(session)s") % {"session": session.reference})
    order = {pk: i for i, pk in enumerate(ids)}
    moved.sort(key=lambda d: order[d.pk])  # the agenda follows the order given (e.g. by reference)
    start = (session.items.aggregate(m=Max("position"))["m"] or 0) + 1
    AgendaItem.objects.bulk_create([AgendaItem(session=session, dossier=d, version_id=d.current_version_id,
                                               position=start + i) for i, d in enumerate(moved)])
    result = {"added": len(moved), "skipped": len(ids) - len(moved)}
    activity.record(verb="projects.agenda_added", actor=by, target=session,
                    summary=_("%(added)s dossiers put on the agenda") % result, data=result)
    return result


@transaction.atomic
def agenda_remove(*, item: AgendaItem, by: Any) -> None:
    require(by, "projects.manage_sessions")
    if item.reviews.exists() or Determination.objects.filter(session=item.session_id, dossier=item.dossier_id,
                                                             undone_at__isnull=True).exists():
        raise ApplicationError(_("This dossier has been reviewed or decided: it stays on the agenda."))
    transition(item.dossier, DOSSIER, "take_off_agenda", by=by)
    item.delete()


@transaction.atomic
def analysis_save(*, item: AgendaItem, by: Any, summary: str, strengths: str = "", weaknesses: str = "") -> AgendaItem:
    require(by, "projects.manage_sessions")
    item.analysis_summary, item.analysis_strengths, item.analysis_weaknesses = summary, strengths, weaknesses
    item.analysed_by, item.analysed_at = by, timezone.now()
    item.save(update_fields=["analysis_summary", "analysis_strengths", "analysis_weaknesses", "analysed_by",
                             "analysed_at", "updated_at"])
    activity.record(verb="projects.analysis_saved", actor=by, target=item, subject=item.dossier,
                    summary=_("Analysis sheet saved"))
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
    if ValidationSession.objects.filter(pk=item.session_id, status=SessionStatus.CLOSED).exists():
        raise ApplicationError(_("The session is closed: scores can no longer change."))
    config = setting("PROJECTS", "SCORING")
    clean = scoring.validate_scores(scores, config)
    combined = scoring.combine(clean, config["WEIGHTS"])
    previous = Review.objects.filter(item=item, reviewer=by).values_list("combined", flat=True).first()
    review, created = Review.objects.update_or_create(
        item=item, reviewer=by,
        defaults={**clean, "combined": combined, "scoring_version": str(config["VERSION"]),
                  "weights": dict(config["WEIGHTS"]), "comment": comment, "structure_id": by.structure_id},
    )
    _refresh_item_scores(item)
    activity.record(verb="projects.review_recorded" if created else "projects.review_changed", actor=by,
                    target=review, subject=item, summary=_("Dossier scored: %(score).2f") % {"score": combined},
                    data={"scores": clean, "combined": combined, "previous": previous})
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
    version_of = dict(rows)
    dossiers = list(Dossier.objects.filter(pk__in=version_of).only("id", "status"))
    not_open = [d for d in dossiers if d.status != DossierStatus.ON_AGENDA]
    if not_open:  # said here in words; transition_many checks the states again, under lock
        raise ApplicationError(_("%(n)s of the selected dossiers are already decided; undo their determination "
                                 "first.") % {"n": len(not_open)}, field="items")
    now = timezone.now()
    batch = DeterminationBatch.objects.create(session=session, outcome=outcome, by=by, count=len(dossiers),
                                              undo_until=now + dt.timedelta(seconds=int(setting("PROJECTS", "UNDO_SECONDS"))))
    label = str(Outcome(outcome).label)
    dossiers = transition_many(
        dossiers, DOSSIER, OUTCOME_ACTION[Outcome(outcome)], by=by, now=now,
        summary=_("%(outcome)s at %(session)s") % {"outcome": label, "session": session.reference},
        data={"session": session.reference, "batch": batch.pk, "reasons": reasons})
    determinations = Determination.objects.bulk_create([
        Determination(dossier_id=d.pk, session=session, version_id=version_of[d.pk], outcome=outcome,
                      reasons=reasons, decided_by=by, decided_at=now, batch=batch,
                      previous_status=DossierStatus.ON_AGENDA)
        for d in dossiers
    ], batch_size=1000)
    if outcome == Outcome.AMENDMENTS:
        determination = determinations[0]
        if determination.pk is None:  # backends without RETURNING
            determination = Determination.objects.get(batch=batch)
        AmendmentItem.objects.bulk_create([AmendmentItem(determination=determination, position=i, **a)
                                           for i, a in enumerate(clean_amendments, start=1)])
    if session.status == SessionStatus.PLANNED:
        session.status = transition(session, SESSION, "hold", by=by).status
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
    previous = {d.dossier_id: d.previous_status for d in determinations}
    transition_many(changed, DOSSIER, "undo_determination", by=by, now=now, target_of=lambda d: previous[d.pk],
                    changes={"approved_at": None}, summary=_("Determination undone"), data={"batch": batch.pk})
    batch.determinations.update(undone_at=now)
    batch.undone_at, batch.undone_by = now, by
    batch.save(update_fields=["undone_at", "undone_by", "updated_at"])
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
    determination = Determination.objects.create(
        dossier=dossier, session=asked.session, version=dossier.current_version, outcome=Outcome.APPROVED,
        reasons=_("Amendments made and verified."), decided_by=by, decided_at=timezone.now(),
        previous_status=dossier.status, resolves=asked)
    dossier = transition(dossier, DOSSIER, "approve_amended", by=by)
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
    activity.record(verb="projects.minutes_requested", actor=by, target=session, summary=_("Minutes requested"))
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
    return transition(session, SESSION, "close", by=by)


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


@transaction.atomic
def purchase_transition(*, purchase: Purchase, by: Any, action: str, on: dt.date | None = None,
                        received_by: str = "", proof: Any = None, over_budget_reason: str = "") -> Purchase:
    """draft → to approve → approved (ordered) → delivered → closed (received by the returnee),
    as ``workflows.PURCHASE`` says; the dossier is installed when its last purchase is received.

    Approval refuses an amount that takes the project over its approved budget unless an
    administrator approves the excess with a reason (recorded on the purchase)."""
    purchase = Purchase.objects.select_for_update().select_related("dossier").get(pk=purchase.pk)
    dossier = purchase.dossier
    require(by, "projects.manage_installation", dossier)
    allowed, reason = PURCHASE.check(purchase, action, by)  # the state first, before what the step needs
    if not allowed:
        raise ApplicationError(reason)
    on = on or timezone.localdate()
    changes: dict[str, Any] = {}
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
            changes.update(over_budget_reason=over_budget_reason.strip(), over_budget_approved_by=by)
        changes["ordered_on"] = on
    elif action == "deliver":
        changes["delivered_on"] = on
    elif action == "receive":
        if not received_by.strip():
            raise ApplicationError(_("Say who received the goods."), field="received_by")
        if not proof and not purchase.proof:
            raise ApplicationError(_("Attach the proof of receipt (signed slip or photo)."), field="proof")
        changes.update(received_on=on, received_by=received_by.strip())
        if proof:
            accept_upload(proof, field="proof", label=_("proof of receipt"))
            changes["proof"] = proof
    purchase = transition(purchase, PURCHASE, action, by=by, changes=changes, subject=dossier)
    if (action == "receive" and dossier.status == DossierStatus.APPROVED
            and not dossier.purchases.exclude(status=PurchaseStatus.CLOSED).exists()):
        installed = transition(dossier, DOSSIER, "install", by=by,
                               changes={"operating_status": dossier.operating_status or OperatingStatus.INSTALLED,
                                        "installed_on": on})
        followup.dossier_followups_plan(dossier=installed)
    return purchase
