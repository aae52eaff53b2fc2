"""Referrals: sending from a case (minimum data, consent gate), the steps of their life,
reminders when they wait too long, and the overdue list for the working group.

Agreements have their own module (``agreements.py``); this one re-exports its writes so
that callers find every write of the app here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from mboa.accounts.roles import FOCAL_POINT
from mboa.actors.models import FocalPoint, Structure
from mboa.core import activity
from mboa.core.conf import setting
from mboa.core.errors import ApplicationError
from mboa.core.numbering import number_from_pk, provisional_number
from mboa.core.permissions import check, require
from mboa.core.validators import SHORT_TEXT_MAX_LENGTH
from mboa.core.vocabulary import split_health
from mboa.core.workflows import transition

from . import delays
from .agreements import (  # noqa: F401  (the app's writes, in one place)
    agreement_create,
    agreement_document_add,
    agreement_transition,
    agreement_update,
    agreements_send_reminders,
)
from .limits import text_within
from .models import (
    Agreement,
    AgreementStatus,
    Referral,
    ReferralStatus,
    ReferralStatusChange,
    Service,
    ServicePoint,
    SharedPart,
    Urgency,
)
from .workflows import REFERRAL


def is_health_structure(structure: Structure) -> bool:
    return structure.code in setting("", "HEALTH_STRUCTURES")


def agreement_covering(*, structure: Structure, service: Service, on: dt.date | None = None) -> Agreement | None:
    """The agreement in force with ``structure`` that covers ``service`` on day ``on``."""
    on = on or timezone.localdate()
    return (
        Agreement.objects.filter(structure=structure, status=AgreementStatus.IN_FORCE, services=service)
        .filter(Q(valid_from__isnull=True) | Q(valid_from__lte=on))
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=on))
        .order_by("-in_force_at")
        .first()
    )


def shared_data_for(*, case: Any, parts: Iterable[str], health_details: str = "") -> dict[str, Any]:
    """The snapshot of the chosen parts of ``case`` that travels with a referral."""
    parts = set(parts)
    person = case.person
    data: dict[str, Any] = {}
    if SharedPart.IDENTITY in parts:
        data["identity"] = {"family_name": person.family_name, "given_names": person.given_names,
                            "sex": person.sex, "birth_year": person.birth_year}
    if SharedPart.CONTACT in parts:
        data["contact"] = {"phones": list(person.phones.values_list("number", flat=True))}
    if SharedPart.LOCATION in parts:
        data["location"] = {"town": case.city,
                            "region": case.destination_region.name if case.destination_region_id else ""}
    # One vocabulary (mboa.core.vocabulary) says which codes are health data, whichever app
    # wrote them: those travel only with the "health" part, which goes to health structures.
    others, health = split_health(case.vulnerabilities.values_list("category", flat=True))
    if SharedPart.VULNERABILITIES in parts:
        data["vulnerabilities"] = others
    if SharedPart.HOUSEHOLD in parts:
        data["household"] = [{"relationship": m.relationship, "birth_year": m.birth_year}
                             for m in case.household.all()]
    if SharedPart.HEALTH in parts:
        data["health"] = {"vulnerabilities": health, "details": health_details.strip()}
    return data


def _focal_point_recipients(structure: Structure) -> list[Any]:
    """The structure's current focal points, and its users holding the focal-point role
    who are not on the directory yet."""
    points = list(FocalPoint.objects.active().filter(structure=structure).select_related("user"))
    linked = {fp.user_id for fp in points if fp.user_id}
    users = [u for u in structure.users.filter(is_active=True, roles__code=FOCAL_POINT).distinct() if u.pk not in linked]
    return points + users


def _notify_receivers(referral: Referral, *, key: str, subject: str, body: str, urgent: bool = False) -> None:
    from mboa.notifications.services import notify

    recipients = _focal_point_recipients(referral.structure)
    if not recipients:
        return
    notify(recipients=recipients, subject=subject, body=body, idempotency_key=key, related=referral)
    if urgent:
        notify(recipients=recipients, subject=subject, body=body, idempotency_key=f"{key}:sms", channel="sms",
               related=referral)


def _history(referral: Referral, status: str, by: Any, at: dt.datetime, note: str = "") -> None:
    ReferralStatusChange.objects.create(referral=referral, status=status, at=at, by=by,
                                        by_structure=getattr(by, "structure", None), note=note)


def referral_send(
    *,
    by: Any,
    case: Any,
    service: Service,
    structure: Structure,
    reason: str,
    shared_parts: Iterable[str] = (),
    service_point: ServicePoint | None = None,
    urgency: str = Urgency.NORMAL,
    health_details: str = "",
    consent_override_reason: str = "",
    from_reception: bool = False,
    vital_interest: bool = False,
) -> Referral:
    """Send a referral of ``case`` to ``structure`` for ``service``.

    Refused (ApplicationError, with the field at fault) when: the service is inactive or
    not offered by the structure (or not at the chosen point); health data is sent to a
    structure that is not a health structure; the returnee has not consented to a referral
    to that structure and no override reason is given, or the sender lacks the override
    right. A service not covered by an agreement in force is allowed and marked
    (``agreement`` empty). The receiving structure's focal points are notified after
    commit, at once by SMS too when urgent.
    """
    # Vital interest: only the urgent medical referral that reception creates for a returnee
    # flagged urgent at arrival (referral_create_urgent) may go without the sender's right
    # and without consent; the reason is recorded on the referral.
    vital_interest = vital_interest and from_reception and urgency == Urgency.URGENT and is_health_structure(structure)
    if not vital_interest:
        require(by, "referrals.send_referral", case)
    parts = list(dict.fromkeys(shared_parts))
    unknown = set(parts) - set(SharedPart.values)
    if unknown:
        raise ApplicationError(_("Unknown part of the case: %(parts)s.") % {"parts": ", ".join(sorted(unknown))},
                               field="shared_parts")
    if not reason.strip():
        raise ApplicationError(_("Say why the returnee is referred."), field="reason")
    text_within(reason, field="reason")
    text_within(health_details, field="health_details")
    text_within(consent_override_reason, field="consent_override_reason", limit=SHORT_TEXT_MAX_LENGTH)
    if urgency not in Urgency.values:
        raise ApplicationError(_("Choose the urgency."), field="urgency")
    if not service.is_active:
        raise ApplicationError(_("This service is no longer offered."), field="service")
    points = ServicePoint.objects.filter(structure=structure, services=service, is_active=True)
    if service_point is not None:
        if not points.filter(pk=service_point.pk).exists():
            raise ApplicationError(_("%(point)s does not offer %(service)s for %(structure)s.") % {
                "point": service_point.name, "service": service.name, "structure": structure.code},
                field="service_point")
    elif not points.exists():
        raise ApplicationError(_("%(structure)s offers no %(service)s.") % {
            "structure": structure.code, "service": service.name}, field="structure")
    health = SharedPart.HEALTH in parts or bool(health_details.strip())
    if health and not is_health_structure(structure):
        raise ApplicationError(_("Health details travel only to health services; %(structure)s is not one.") % {
            "structure": structure.code}, field="shared_parts")
    if health_details.strip() and SharedPart.HEALTH not in parts:
        parts.append(SharedPart.HEALTH)

    from mboa.cases.consent import consent_allows

    consented = consent_allows(person=case.person, purpose="referral", structure=structure)
    override = consent_override_reason.strip()
    if not consented and vital_interest:
        override = override or VITAL_INTEREST_REASON
    elif not consented:
        if not override:
            raise ApplicationError(
                _("The returnee has not consented to a referral to %(structure)s. Record the consent first, or "
                  "give the reason for sending without it.") % {"structure": structure.code},
                field="consent_override_reason")
        if not check(by, "referrals.override_consent"):
            raise ApplicationError(_("Sending without consent needs the override right, which you do not have."),
                                   field="consent_override_reason")
    now = timezone.now()
    with transaction.atomic():
        referral = Referral.objects.create(
            number=provisional_number(), case=case, service=service, structure=structure,
            service_point=service_point, sender_structure=getattr(by, "structure", None), sent_by=by,
            urgency=urgency, from_reception=from_reception, reason=reason.strip(), shared_parts=parts,
            shared_data=shared_data_for(case=case, parts=parts, health_details=health_details),
            health_details=health_details.strip(), consent_checked=consented,
            consent_override_reason="" if consented else override, consent_override_by=None if consented else by,
            agreement=agreement_covering(structure=structure, service=service), status=ReferralStatus.SENT,
            sent_at=now,
        )
        number_from_pk(referral, field="number", template="REF-{year}-{pk:05d}", year=f"{now:%Y}")
        _history(referral, ReferralStatus.SENT, by, now)
        activity.record(
            verb="referral.send", actor=by, target=referral, subject=case,
            summary=_("Referred to %(structure)s for %(service)s") % {"structure": structure.code,
                                                                      "service": service.name},
            data={"number": referral.number, "urgency": urgency, "parts": parts, "covered": referral.covered,
                  "consent": "given" if consented else "overridden"},
        )
        if not consented:
            activity.record(verb="referral.consent_override", actor=by, target=referral, subject=case,
                            summary=_("Sent without consent"), data={"reason": override}, sensitive=True)
        urgent = urgency == Urgency.URGENT
        _notify_receivers(
            referral, key=f"referral-sent:{referral.pk}",
            subject=(_("URGENT referral %(number)s") if urgent else _("New referral %(number)s")) % {
                "number": referral.number},
            body=_("%(sender)s refers a returnee to %(structure)s for %(service)s. Open your Mboa inbox.") % {
                "sender": getattr(referral.sender_structure, "code", "IOM"), "structure": structure.code,
                "service": service.name},
            urgent=urgent,
        )
    return referral


SENDER_NOTICES = {"accept", "decline", "deliver", "not_deliver"}


def referral_transition(*, referral: Referral, action: str, by: Any, note: str = "") -> Referral:
    """Move the referral along its lifecycle (see workflows.REFERRAL), recording who and
    when; a decline, a service not delivered and a withdrawal need a reason. The sender
    is told of the receiver's decisions after commit."""
    t = REFERRAL.get(action)
    text_within(note, field="note", limit=SHORT_TEXT_MAX_LENGTH)
    changes = {"outcome_reason": note.strip()} if t.note_required else None
    with transaction.atomic():
        updated = transition(referral, REFERRAL, action, by=by, note=note, changes=changes, subject=referral.case)
        _history(updated, t.target, by, getattr(updated, f"{t.target}_at", None) or timezone.now(), note)
        if action in SENDER_NOTICES and updated.sent_by_id:
            from mboa.notifications.services import notify

            notify(
                recipients=[updated.sent_by],
                subject=_("Referral %(number)s: %(status)s") % {"number": updated.number,
                                                               "status": updated.get_status_display()},
                body=_("%(structure)s: %(status)s. %(note)s") % {
                    "structure": updated.structure.code, "status": updated.get_status_display(), "note": note},
                idempotency_key=f"referral-{action}:{updated.pk}", related=updated,
            )
    return updated


def referrals_send_reminders(*, now: dt.datetime | None = None, chunk: int = 200) -> int:
    """Remind the receiving structure's focal points of each overdue referral, at most once
    every REMINDER_EVERY_DAYS. Idempotent (one message per referral, stage and reminder
    number). Works in transactions of ``chunk`` referrals: a failure loses at most one
    chunk's bookkeeping, and the messages of a rolled-back chunk are never sent.

    A system task: run by the hourly Celery task (``tasks.send_reminders``) on nobody's
    behalf, so it takes no user and checks no rule; no page or API endpoint calls it."""
    from mboa.notifications.services import notify

    now = now or timezone.now()
    every = dt.timedelta(days=setting("REFERRALS", "REMINDER_EVERY_DAYS"))
    due_ids = list(
        Referral.objects.filter(delays.overdue_q(now=now))
        .filter(Q(last_reminder_at__isnull=True) | Q(last_reminder_at__lte=now - every))
        .order_by("pk").values_list("pk", flat=True)
    )
    recipients_by_structure: dict[int, list[Any]] = {}
    for start in range(0, len(due_ids), chunk):
        ids = due_ids[start:start + chunk]
        with transaction.atomic():
            for referral in Referral.objects.filter(pk__in=ids).select_related("structure", "service", "case"):
                stage, due = delays.current_due(referral)
                if referral.structure_id not in recipients_by_structure:
                    recipients_by_structure[referral.structure_id] = _focal_point_recipients(referral.structure)
                recipients = recipients_by_structure[referral.structure_id]
                if recipients:
                    notify(
                        recipients=recipients,
                        subject=_("Referral %(number)s is overdue") % {"number": referral.number},
                        body=_("The referral %(number)s for %(service)s waits for you since %(due)s (%(stage)s).") % {
                            "number": referral.number, "service": referral.service.name,
                            "due": timezone.localtime(due).strftime("%d/%m/%Y %H:%M"), "stage": stage},
                        idempotency_key=f"referral-reminder:{referral.pk}:{referral.status}:{referral.reminder_count}",
                        related=referral,
                    )
                activity.record(verb="referral.reminded", target=referral, subject=referral.case,
                                summary=referral.number, data={"stage": stage})
            Referral.objects.filter(pk__in=ids).update(last_reminder_at=now, reminder_count=F("reminder_count") + 1)
    return len(due_ids)


def _next_meeting(body_code: str) -> Any:
    from mboa.governance.meetings import next_planned_meeting
    from mboa.governance.models import Body

    body = Body.objects.filter(code=body_code).first()
    meeting = next_planned_meeting(body=body) if body else None
    if meeting is None:
        raise ApplicationError(_("No meeting of %(body)s is planned: plan one first.") % {"body": body_code})
    return meeting


def overdue_to_agenda(*, by: Any, now: dt.datetime | None = None) -> Any:
    """Put the overdue referrals, counted per structure (numbers only, no names), on the
    agenda of the next meeting of the working group (settings OVERDUE_BODY). For those who
    run the meetings (governance.manage_meetings, the rule of the agenda it writes)."""
    from mboa.governance.meetings import agenda_item_add

    require(by, "governance.manage_meetings")
    now = now or timezone.now()
    rows = list(Referral.objects.filter(delays.overdue_q(now=now)).select_related("structure", "service")
                .order_by("structure__code", "sent_at"))
    if not rows:
        raise ApplicationError(_("No referral is overdue."))
    meeting = _next_meeting(setting("REFERRALS", "OVERDUE_BODY"))
    per_structure: dict[str, int] = {}
    for r in rows:
        per_structure[r.structure.code] = per_structure.get(r.structure.code, 0) + 1
    title = _("Overdue referrals: %(n)s (%(detail)s)") % {
        "n": len(rows), "detail": ", ".join(f"{code} {n}" for code, n in per_structure.items())}
    notes = "\n".join(f"{r.number} · {r.structure.code} · {r.service.name} · {r.get_status_display()} · "
                      f"{timezone.localtime(r.sent_at):%d/%m/%Y}" for r in rows)
    return agenda_item_add(meeting=meeting, by=by, title=title[:300], notes=notes)


def escalation_to_agenda(*, by: Any, now: dt.datetime | None = None) -> Any:
    """Put the agreements waiting too long on their structure on the agenda of the next
    steering-committee meeting (settings ESCALATION_BODY). For those who manage agreements
    (referrals.manage_agreements) and run the meetings (governance.manage_meetings)."""
    from mboa.governance.meetings import agenda_item_add

    from .agreements import escalation_list

    require(by, "referrals.manage_agreements")
    require(by, "governance.manage_meetings")
    now = now or timezone.now()
    rows = escalation_list(now=now)
    if not rows:
        raise ApplicationError(_("No agreement waits long enough on its structure to be escalated."))
    meeting = _next_meeting(setting("REFERRALS", "ESCALATION_BODY"))
    title = _("Agreements waiting on the structures: %(list)s") % {
        "list": ", ".join(f"{a.structure.code} ({int((now - a.ball_since).days)} d)" for a in rows)}
    notes = "\n".join(f"{a.reference} · {a.subject} · {a.get_status_display()}" for a in rows)
    return agenda_item_add(meeting=meeting, by=by, title=title[:300], notes=notes)


VITAL_INTEREST_REASON = (
    "Vital interest: urgent medical condition flagged at arrival; consent to be recorded once the returnee can give it."
)


def referral_create_urgent(*, person: Any, by: Any, flags: str = "", source: Any = None,
                           case: Any = None) -> Referral | None:
    """The urgent medical referral of a returnee flagged urgent at arrival (called by reception).

    Goes to the first health structure (settings.MBOA["HEALTH_STRUCTURES"]) for medical care,
    with the returnee's identity and phones; the needs flagged at arrival (``flags``) travel
    as its health details, which only the health structure reads: the reason, which the
    sending side reads too, says no more than "medical attention needed" (the medical
    details stay with the health staff at the desk). Sent in the vital interest of the person: without the consent
    override right, the reason recorded on the referral. Needs the returnee's case: returns
    None while there is none (reception calls again at hand-over). Idempotent: one urgent
    reception referral per case.

    Called only by reception's services (flagging a returnee urgent, hand-over), after they
    required their own rule (reception.flag_vulnerability, reception.manage_arrivals): the
    vital interest, not a referrals rule of ``by``, is what allows it; no page or API
    endpoint reaches it, and ``referral_send`` grants the vital interest only to an urgent
    reception referral to a health structure.
    """
    case = case or getattr(source, "case", None)
    if case is None:
        return None
    existing = Referral.objects.filter(case=case, from_reception=True, urgency=Urgency.URGENT).first()
    if existing is not None:
        return existing
    structure = Structure.objects.get(code=setting("", "HEALTH_STRUCTURES")[0])
    service = Service.objects.get(code="medical_care")
    return referral_send(
        by=by, case=case, service=service, structure=structure,
        reason=_("Flagged urgent at arrival: %(reason)s") % {"reason": _("medical attention needed")},
        health_details=flags,
        shared_parts=(SharedPart.IDENTITY, SharedPart.CONTACT), urgency=Urgency.URGENT, from_reception=True,
        vital_interest=True,
    )
