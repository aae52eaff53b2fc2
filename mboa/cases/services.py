"""Writes on cases: opening (called by reception at hand-over), assignment of counsellors,
the lifecycle, approvals, transfers, household, counselling sessions, saved filters.

Every function checks its rule itself (``require`` → PermissionDenied, 403 on pages and
API; the lifecycle's transitions are checked by the workflow runner), runs in one
transaction and records its activity with the case as subject (so it appears on the case
timeline). Side effects (notifications) go after commit.
Consent, assessments, the niche map and trainings have their own modules
(``consent.py``, ``assessments.py``, ``niches.py``, ``trainings.py``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mboa.accounts.roles import CASE_MANAGER, PSYCHOSOCIAL_COUNSELLOR
from mboa.actors.models import Department, Region, Structure
from mboa.core import activity
from mboa.core.conf import setting
from mboa.core.errors import ApplicationError
from mboa.core.numbering import number_from_pk, provisional_number
from mboa.core.permissions import require
from mboa.core.validators import note_length, plausible_date, validate_field
from mboa.core.workflows import transition
from mboa.registry import identity
from mboa.registry.models import Person
from mboa.registry.services import person_survivor

from . import workflows
from .models import (
    Approval,
    ApprovalKind,
    ApprovalStatus,
    Case,
    CaseAssignment,
    CaseStatus,
    ClosureReason,
    CounsellingSession,
    Counsellor,
    CounsellorKind,
    HouseholdMember,
    Relationship,
    SavedFilter,
    SessionKind,
    Transfer,
)

# --- Helpers --------------------------------------------------------------------------------


def region_for_city(city: str) -> Region | None:
    """The region of a town, from the reference geography (chief towns of departments/regions)."""
    name = (city or "").strip()
    if not name:
        return None
    region = Region.objects.filter(capital__iexact=name).first()
    if region is not None:
        return region
    department = Department.objects.select_related("region").filter(capital__iexact=name).first()
    return department.region if department else None


def search_text_for(person: Person, extra_names: list[tuple[str, str]] | None = None) -> str:
    """Accent-free name tokens and their phonetic forms (``#``-prefixed), framed by spaces:
    the case list searches them with ``LIKE`` (trigram-indexed on PostgreSQL)."""
    parts = [(person.family_name, person.given_names), *(extra_names or [])]
    tokens: list[str] = []
    for family, given in parts:
        for token in identity.name_tokens(family, given):
            if token not in tokens:
                tokens.append(token)
    phonetics = []
    for token in tokens:
        code = identity.phonetic(token)
        if code and code not in phonetics:
            phonetics.append(code)
    text = " " + " ".join(tokens) + " | " + " ".join(f"#{p}" for p in phonetics) + " "
    return text[:400]


def case_refresh_search(*, case: Case) -> None:
    """Rebuild the case's search text from its person (names and other names)."""
    person = case.person
    aliases = [(a.family_name or person.family_name, a.given_names) for a in person.aliases.all()]
    text = search_text_for(person, aliases)
    Case.objects.filter(pk=case.pk).update(search_text=text)
    case.search_text = text


# --- Opening --------------------------------------------------------------------------------


def case_open(*, person: Person, by: Any, city: str = "", arrival_reference: str = "", note: str = "") -> Case:
    """Open the case of ``person`` for one return. Stable API (reception calls it at hand-over).

    - One case per person and return: if the person has an active case and the arrival
      reference is empty or the same, that case is returned unchanged (idempotent).
    - A person who returns again (no active case, or a different arrival reference) gets a
      new case linked to their latest earlier case (``previous_case``).
    - A merged record is followed to its survivor.
    The person's row is locked, so two hand-overs at once open one case. ``by`` needs
    ``cases.open_case`` (reception hands over as an IOM case manager) and is recorded as the actor.
    """
    require(by, "cases.open_case")
    arrival_reference = (arrival_reference or "").strip()
    with transaction.atomic():
        person = Person.objects.select_for_update().get(pk=person_survivor(person).pk)
        earlier = list(Case.objects.filter(person=person).order_by("-opened_at", "-id"))
        for existing in earlier:
            if existing.status != CaseStatus.CLOSED and (
                not arrival_reference or existing.arrival_reference in ("", arrival_reference)
            ):
                if arrival_reference and not existing.arrival_reference:
                    existing.arrival_reference = arrival_reference
                    existing.save(update_fields=["arrival_reference", "updated_at"])
                return existing
        home = Structure.objects.get(code=setting("CASES", "HOME_STRUCTURE"))
        by_structure = getattr(by, "structure", None)
        is_manager = bool(getattr(by, "pk", None)) and by.has_role(CASE_MANAGER)
        city = (city or getattr(by, "city", "") or "").strip()
        case = Case.objects.create(
            number=provisional_number(),
            person=person,
            previous_case=earlier[0] if earlier else None,
            structure=by_structure if (is_manager and by_structure is not None) else home,
            owner=by if is_manager else None,
            city=city,
            destination_region=region_for_city(city),
            arrival_reference=arrival_reference,
            arrival_date=timezone.localdate(),
            note=note,
        )
        number_from_pk(case, field="number", template="{prefix}-{year}-{pk:06d}",
                       prefix=setting("CASES", "CASE_NUMBER_PREFIX"), year=f"{case.opened_at:%Y}")
        case_refresh_search(case=case)
        activity.record(
            verb="case.open", actor=by, target=case, subject=case,
            summary=_("Case %(number)s opened") % {"number": case.number},
            data={"arrival_reference": arrival_reference, "previous_case": case.previous_case_id},
        )
    return case


# --- Assignment of counsellors ------------------------------------------------------------------


def case_assign(*, case: Case, counsellor: Counsellor, by: Any, reason: str = "") -> Case:
    """Make ``counsellor`` the case's counsellor of their kind. Replacing a current one is a
    reassignment: supervisors only (``cases.assign``, then ``cases.reassign``). Locks the case."""
    field = "insertion_counsellor" if counsellor.kind == CounsellorKind.INSERTION else "psychosocial_counsellor"
    with transaction.atomic():
        locked = Case.objects.select_for_update().get(pk=case.pk)
        require(by, "cases.assign", locked)
        current_id = getattr(locked, f"{field}_id")
        if current_id not in (None, counsellor.pk):
            require(by, "cases.reassign", locked)
        if locked.is_closed:
            raise ApplicationError(_("The case is closed."))
        if not counsellor.is_active:
            raise ApplicationError(_("This counsellor is no longer active."), field="counsellor")
        if current_id == counsellor.pk:
            return locked
        CaseAssignment.objects.filter(case=locked, kind=counsellor.kind, ended_at__isnull=True).update(
            ended_at=timezone.now()
        )
        CaseAssignment.objects.create(case=locked, counsellor=counsellor, kind=counsellor.kind, assigned_by=by,
                                      reason=reason)
        setattr(locked, field, counsellor)
        locked.save(update_fields=[field, "updated_at"])
        activity.record(
            verb="case.reassign" if current_id else "case.assign", actor=by, target=locked, subject=locked,
            summary=_("%(kind)s counsellor: %(name)s") % {"kind": counsellor.get_kind_display(), "name": counsellor},
            data={"counsellor": counsellor.pk, "previous": current_id, "reason": reason},
        )
    return locked


# --- Lifecycle -----------------------------------------------------------------------------------


def case_transition(*, case: Case, action: str, by: Any, note: str = "") -> Case:
    """Apply one of the manual workflow actions (orientation, plan, follow-up, reopen).
    Approved steps (assistance, closure) go through :func:`approval_decide`."""
    if action not in workflows.MANUAL_ACTIONS:
        raise ApplicationError(_("This step needs a supervisor's approval."))
    changes: dict[str, Any] = {}
    if action == "reopen":
        fresh = Case.objects.get(pk=case.pk)
        changes = {"closure_reason": "", "reopen_count": fresh.reopen_count + 1}
    return transition(case, workflows.CASE, action, by=by, note=note, changes=changes, subject=case)


def approval_request(*, case: Case, kind: str, by: Any, note: str = "", closure_reason: str = "") -> Approval:
    """Ask a supervisor to approve the plan (case in ``plan``) or the closure (any active state)."""
    require(by, "cases.work_on_case", case)
    if kind == ApprovalKind.PLAN and case.status != CaseStatus.PLAN:
        raise ApplicationError(_("Only a case whose plan is drawn up can have it approved."))
    if kind == ApprovalKind.CLOSURE:
        if case.is_closed:
            raise ApplicationError(_("The case is closed already."))
        if closure_reason not in ClosureReason.values:
            raise ApplicationError(_("Choose the reason for closing."), field="closure_reason")
    elif kind != ApprovalKind.PLAN:
        raise ApplicationError(_("Unknown approval."), field="kind")
    with transaction.atomic():
        Case.objects.select_for_update().get(pk=case.pk)
        if Approval.objects.filter(case=case, kind=kind, status=ApprovalStatus.REQUESTED).exists():
            raise ApplicationError(_("An approval of this kind is already waiting."))
        approval = Approval.objects.create(case=case, kind=kind, requested_by=by, request_note=note,
                                           closure_reason=closure_reason if kind == ApprovalKind.CLOSURE else "")
        activity.record(verb="approval.request", actor=by, target=approval, subject=case,
                        summary=_("Approval requested: %(kind)s") % {"kind": approval.get_kind_display()},
                        data={"kind": kind, "note": note})
    return approval


def approval_decide(*, approval: Approval, by: Any, approve: bool, comment: str = "") -> Approval:
    """Approve (and apply: plan → assistance, or close the case) or send back with a comment."""
    with transaction.atomic():
        decided = transition(
            approval, workflows.APPROVAL, "approve" if approve else "send_back", by=by, note=comment,
            changes={"decided_by": by, "decided_at": timezone.now(), "comment": comment}, subject=approval.case,
        )
        if approve:
            case = decided.case
            if decided.kind == ApprovalKind.PLAN:
                transition(case, workflows.CASE, "start_assistance", by=by, note=comment, subject=case)
            else:
                transition(case, workflows.CASE, "close", by=by, note=comment, subject=case,
                           changes={"closure_reason": decided.closure_reason, "next_due_on": None})
            decided.applied_at = timezone.now()
            decided.save(update_fields=["applied_at"])
    return decided


# --- Transfers ------------------------------------------------------------------------------------


def transfer_request(*, case: Case, to_owner: Any, to_city: str, reason: str, by: Any) -> Transfer:
    """Hand the case to another case manager / office; nothing changes until they accept."""
    require(by, "cases.request_transfer", case)
    if not reason.strip():
        raise ApplicationError(_("Say why the case is transferred."), field="reason")
    if not to_owner.has_role(CASE_MANAGER) or not to_owner.is_active:
        raise ApplicationError(_("The receiver must be an active case manager."), field="to_owner")
    if to_owner.pk == case.owner_id and (to_city or case.city) == case.city:
        raise ApplicationError(_("The case is already with this case manager and office."), field="to_owner")
    with transaction.atomic():
        Case.objects.select_for_update().get(pk=case.pk)
        if Transfer.objects.filter(case=case, status="requested").exists():
            raise ApplicationError(_("A transfer of this case is already waiting."))
        transfer = Transfer.objects.create(case=case, from_owner_id=case.owner_id, from_city=case.city,
                                           to_owner=to_owner, to_city=(to_city or to_owner.city or case.city).strip(),
                                           reason=reason, requested_by=by)
        activity.record(verb="transfer.request", actor=by, target=transfer, subject=case,
                        summary=_("Transfer requested to %(city)s (%(owner)s)") % {"city": transfer.to_city,
                                                                                   "owner": to_owner},
                        data={"to_owner": to_owner.pk, "to_city": transfer.to_city})
    return transfer


def transfer_decide(*, transfer: Transfer, by: Any, action: str, note: str = "") -> Transfer:
    """``accept`` (the case moves: owner, office, city; counsellors of the old city are
    released for the receiver to assign), ``decline`` (with a reason) or ``cancel``."""
    if action not in ("accept", "decline", "cancel"):
        raise ApplicationError(_("Unknown action."))
    changes: dict[str, Any] = {"decided_at": timezone.now()}
    if action == "decline":
        changes["decline_reason"] = note
    with transaction.atomic():
        decided = transition(transfer, workflows.TRANSFER, action, by=by, note=note, changes=changes,
                             subject=transfer.case)
        if action == "accept":
            case = Case.objects.select_for_update().get(pk=decided.case_id)
            fields = ["owner", "city", "structure", "destination_region", "updated_at"]
            moved_city = decided.to_city.lower() != case.city.lower()
            case.owner = decided.to_owner
            case.structure = decided.to_owner.structure or case.structure
            case.city = decided.to_city
            case.destination_region = region_for_city(decided.to_city) or case.destination_region
            if moved_city:
                CaseAssignment.objects.filter(case=case, ended_at__isnull=True).update(ended_at=timezone.now())
                case.insertion_counsellor = None
                case.psychosocial_counsellor = None
                fields += ["insertion_counsellor", "psychosocial_counsellor"]
            case.save(update_fields=fields)
    return decided


# --- Household ------------------------------------------------------------------------------------


def household_member_add(*, case: Case, by: Any, data: Mapping[str, Any]) -> HouseholdMember:
    require(by, "cases.work_on_case", case)
    name = (data.get("name") or "").strip()
    if not name and data.get("person") is None:
        raise ApplicationError(_("Give the member's name."), field="name")
    relationship = data.get("relationship") or ""
    if relationship not in Relationship.values:
        raise ApplicationError(_("Choose the relationship."), field="relationship")
    person = data.get("person")
    with transaction.atomic():
        member = HouseholdMember.objects.create(
            case=case, person=person, name=name or str(person), relationship=relationship,
            birth_year=data.get("birth_year"), is_beneficiary=bool(data.get("is_beneficiary")),
        )
        activity.record(verb="case.household_add", actor=by, target=member, subject=case,
                        summary=_("Household member added: %(rel)s") % {"rel": member.get_relationship_display()})
    return member


# --- Counselling sessions ---------------------------------------------------------------------------


def session_record(
    *,
    case: Case,
    by: Any,
    kind: str,
    held_on: dt.date,
    notes: str = "",
    next_appointment_at: dt.datetime | None = None,
) -> CounsellingSession:
    """Record a session held by ``by`` (their Counsellor profile, when they have one).

    Psychosocial sessions are recorded by psychosocial counsellors only; their activity is
    marked sensitive and never carries the notes. The next appointment becomes the case's
    next due date (the caseload page and the reminders read it).
    """
    from .permissions import counsellor_of

    require(by, "cases.work_on_case", case)
    if kind not in SessionKind.values:
        raise ApplicationError(_("Choose the kind of session."), field="kind")
    if kind == SessionKind.PSYCHOSOCIAL and not by.has_role(PSYCHOSOCIAL_COUNSELLOR):
        raise ApplicationError(_("Psychosocial sessions are recorded by psychosocial counsellors."), field="kind")
    if held_on > timezone.localdate():
        raise ApplicationError(_("A session cannot be recorded in the future."), field="held_on")
    validate_field(plausible_date, held_on, field="held_on")
    validate_field(plausible_date, next_appointment_at, field="next_appointment_at")
    validate_field(note_length, notes or "", field="notes")
    if next_appointment_at is not None and next_appointment_at <= timezone.now():
        raise ApplicationError(_("The next appointment must be in the future."), field="next_appointment_at")
    with transaction.atomic():
        session = CounsellingSession.objects.create(
            case=case, counsellor=counsellor_of(by), recorded_by=by, kind=kind, held_on=held_on, notes=notes,
            next_appointment_at=next_appointment_at,
        )
        if next_appointment_at is not None:
            Case.objects.filter(pk=case.pk).update(next_due_on=timezone.localdate(next_appointment_at),
                                                   updated_at=timezone.now())
        activity.record(
            verb="session.record", actor=by, target=session, subject=case,
            summary=_("%(kind)s session") % {"kind": session.get_kind_display()},
            data={"kind": kind, "held_on": held_on.isoformat(), "category": "psychosocial"
                  if session.is_restricted else ""},
            sensitive=session.is_restricted,
        )
    return session


def appointment_reminders_send(*, now: dt.datetime | None = None) -> int:
    """Queue a reminder (notifications outbox, after commit) for each appointment in the
    next ``REMINDER_HOURS_BEFORE`` hours not reminded yet. Idempotent: the outbox key and
    ``reminder_sent_at`` make a second run queue nothing. Returns the number queued."""
    from mboa.notifications.services import notify

    now = now or timezone.now()
    horizon = now + dt.timedelta(hours=setting("CASES", "REMINDER_HOURS_BEFORE"))
    queued = 0
    with transaction.atomic():
        # Lock only the session rows (the joined counsellor is on the nullable side of an outer join).
        due = (CounsellingSession.objects.select_for_update(skip_locked=True, of=("self",))
               .filter(next_appointment_at__gt=now, next_appointment_at__lte=horizon, reminder_sent_at__isnull=True)
               .select_related("case", "counsellor__user", "recorded_by"))
        for session in due:
            user = session.counsellor.user if session.counsellor else session.recorded_by
            if user is None:
                continue
            when = timezone.localtime(session.next_appointment_at)
            notify(
                recipients=[user],
                subject=_("Appointment %(when)s — case %(number)s") % {"when": f"{when:%d/%m %H:%M}",
                                                                      "number": session.case.number},
                body=_("Reminder: appointment for case %(number)s on %(when)s.") % {
                    "number": session.case.number, "when": f"{when:%d/%m/%Y %H:%M}"},
                idempotency_key=f"cases.appointment.{session.pk}.{when:%Y%m%d%H%M}",
                related=session.case,
            )
            session.reminder_sent_at = now
            session.save(update_fields=["reminder_sent_at", "updated_at"])
            activity.record(verb="session.reminder", actor=None, target=session, subject=session.case,
                            summary=_("Appointment reminder sent"), actor_structure=None)
            queued += 1
    return queued


# --- Saved filters ------------------------------------------------------------------------------------


def saved_filter_save(*, user: Any, name: str, query: str) -> SavedFilter:
    """Save (or replace, by name) one of the user's own searches of the case list."""
    require(user, "cases.manage_saved_filter")
    name = name.strip()
    if not name:
        raise ApplicationError(_("Give the filter a name."), field="name")
    saved, _created = SavedFilter.objects.update_or_create(user=user, name=name[:80],
                                                           defaults={"query": query[:500]})
    return saved


def saved_filter_delete(*, saved: SavedFilter, by: Any) -> None:
    require(by, "cases.manage_saved_filter", saved)
    saved.delete()
