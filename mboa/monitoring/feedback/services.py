"""Writes of feedback, satisfaction, community projects and awareness activities.

Every service checks its rule itself (``require``); the SMS webhook's service is a system
action (``by=None``): the webhook's signature is its authority, checked before it is called.
"""

from __future__ import annotations

import datetime as dt
import re
import secrets
from collections.abc import Iterable
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mboa.core import activity
from mboa.core.conf import setting
from mboa.core.errors import ApplicationError
from mboa.core.numbering import number_from_pk, provisional_number
from mboa.core.permissions import require

from .models import (
    AgeGroup,
    AwarenessActivity,
    BeneficiarySex,
    Channel,
    CommunityBeneficiaries,
    CommunityProject,
    Feedback,
    FeedbackCategory,
    FeedbackKind,
    FeedbackResponse,
    FeedbackStatus,
    InboundSms,
    SatisfactionScore,
    Step,
)
from .reference import SMS_CATEGORY


def _seconds(start: dt.datetime, end: dt.datetime) -> int:
    return max(0, int((end - start).total_seconds()))


def officers() -> list[Any]:
    """The active accounts of the designated officers for complaints against staff."""
    names = setting("MONITORING", "STAFF_COMPLAINT_OFFICERS")
    return list(get_user_model().objects.filter(username__in=names, is_active=True).order_by("pk"))


def _tell_officers(feedback: Feedback) -> None:
    """A complaint against staff: its officers are told that one is waiting (not what it
    says), after commit."""
    from mboa.notifications.services import notify

    notify(recipients=officers(), subject=_("A complaint against staff is waiting"),
           body=_("Complaint %(number)s is waiting for you in Mboa (complaints against staff).")
           % {"number": feedback.number},
           idempotency_key=f"staff-complaint-{feedback.pk}", related=feedback)


def _create(*, by: Any, kind: str, channel: str, category: FeedbackCategory, text: str, case: Any = None,
            person: Any = None, contact_phone: str = "", region: Any = None, received_at: dt.datetime | None = None,
            against_staff: bool = False) -> Feedback:
    text = (text or "").strip()
    if not text:
        raise ApplicationError(_("Write down what the person said."), field="text")
    against_staff = bool(against_staff or category.against_staff)
    if against_staff and not officers():
        raise ApplicationError(_("No designated officer for complaints against staff has an active account: "
                                 "ask the administrator to name one in the settings first."), field="category")
    now = timezone.now()
    received_at = received_at or now
    if received_at > now + dt.timedelta(minutes=5):
        raise ApplicationError(_("The date of receipt is in the future."), field="received_at")
    if case is not None and person is None:
        person = case.person
    if region is None and case is not None:
        region = case.destination_region
    with transaction.atomic():
        feedback = Feedback.objects.create(
            number=provisional_number(), kind=kind, channel=channel, category=category, against_staff=against_staff,
            text=text, case=case, person=person, contact_phone=contact_phone, region=region,
            received_at=received_at, received_by=by, received_by_structure=getattr(by, "structure", None))
        number_from_pk(feedback, field="number", template="FB-{year}-{pk:05d}", year=received_at.year)
        # Not on the case's timeline (the subject is the feedback): a complaint against staff
        # must not show to those who read the case.
        activity.record(verb="feedback.logged", actor=by, target=feedback, sensitive=True,
                        data={"channel": channel, "category": category.code})
        if against_staff:
            transaction.on_commit(lambda: _tell_officers(feedback))
    return feedback


def feedback_log(*, by: Any, kind: str, channel: str, category: FeedbackCategory, text: str, case: Any = None,
                 contact_phone: str = "", received_at: dt.datetime | None = None,
                 against_staff: bool = False) -> Feedback:
    """Log a feedback received by phone, in person or on a written form (IOM staff). A
    complaint against staff (its category, or ``against_staff``) goes to the designated
    officers only: whoever logged it no longer reads it."""
    require(by, "monitoring.log_feedback")
    if channel == Channel.SMS:
        raise ApplicationError(_("SMS arrive through the gateway, not by hand."), field="channel")
    return _create(by=by, kind=kind, channel=channel, category=category, text=text, case=case,
                   contact_phone=contact_phone, received_at=received_at, against_staff=against_staff)


def feedback_respond(*, feedback: Feedback, by: Any, text: str, at: dt.datetime | None = None) -> FeedbackResponse:
    """Record an answer given to the person. The first one sets the time to first response."""
    require(by, "monitoring.handle_feedback", feedback)
    text = (text or "").strip()
    if not text:
        raise ApplicationError(_("Write the response."), field="text")
    at = at or timezone.now()
    with transaction.atomic():
        locked = Feedback.objects.select_for_update().get(pk=feedback.pk)
        if locked.status == FeedbackStatus.CLOSED:
            raise ApplicationError(_("This feedback is closed."))
        if at < locked.received_at:
            raise ApplicationError(_("A response cannot come before the feedback was received."), field="at")
        response = FeedbackResponse.objects.create(feedback=locked, text=text, at=at, by=by)
        if locked.first_response_at is None:
            locked.first_response_at = at
            locked.first_response_seconds = _seconds(locked.received_at, at)
        locked.status = FeedbackStatus.ANSWERED
        locked.save(update_fields=["first_response_at", "first_response_seconds", "status", "updated_at"])
        activity.record(verb="feedback.responded", actor=by, target=locked, sensitive=True)
    feedback.refresh_from_db()
    return response


def feedback_close(*, feedback: Feedback, by: Any, resolution: str, at: dt.datetime | None = None) -> Feedback:
    """Close a feedback with what was done. Closing is also an answer: a feedback closed
    without an earlier response gets its first response at closure."""
    require(by, "monitoring.handle_feedback", feedback)
    resolution = (resolution or "").strip()
    if not resolution:
        raise ApplicationError(_("Say how the feedback was resolved."), field="resolution")
    at = at or timezone.now()
    with transaction.atomic():
        locked = Feedback.objects.select_for_update().get(pk=feedback.pk)
        if locked.status == FeedbackStatus.CLOSED:
            raise ApplicationError(_("This feedback is already closed."))
        if at < locked.received_at:
            raise ApplicationError(_("A feedback cannot be closed before it was received."), field="at")
        if locked.first_response_at is None:
            locked.first_response_at = at
            locked.first_response_seconds = _seconds(locked.received_at, at)
        locked.status = FeedbackStatus.CLOSED
        locked.closed_at = at
        locked.closure_seconds = _seconds(locked.received_at, at)
        locked.closed_by = by
        locked.resolution = resolution
        locked.save(update_fields=["first_response_at", "first_response_seconds", "status", "closed_at",
                                   "closure_seconds", "closed_by", "resolution", "updated_at"])
        activity.record(verb="feedback.closed", actor=by, target=locked, sensitive=True)
    return locked


# --- Satisfaction after a step of assistance ----------------------------------------------


def step_case(step: str, obj: Any) -> Any:
    """The case a step belongs to (a project: its first returnee's case)."""
    if step == Step.PROJECT:
        member = obj.members.filter(is_returnee=True, case__isnull=False).select_related("case").first()
        return member.case if member else None
    return obj.case


def _step_done(step: str, obj: Any) -> bool:
    from mboa.cases.models import EnrolmentStatus
    from mboa.projects.models import DossierStatus
    from mboa.referrals.models import ReferralStatus

    if step == Step.RECEPTION:
        return obj.handed_over_at is not None
    if step == Step.REFERRAL:
        return obj.status in (ReferralStatus.DELIVERED, ReferralStatus.CLOSED)
    if step == Step.PROJECT:
        return obj.status == DossierStatus.INSTALLED
    return obj.status == EnrolmentStatus.COMPLETED


STEP_FIELD = {Step.RECEPTION: "passenger", Step.REFERRAL: "referral", Step.PROJECT: "dossier",
              Step.TRAINING: "enrolment"}


def _step_row(step: str, obj: Any, by: Any) -> SatisfactionScore:
    """The (locked) score row of a step, created when the question was not asked yet."""
    case = step_case(step, obj)
    require(by, "monitoring.record_satisfaction", case)
    if not _step_done(step, obj):
        raise ApplicationError(_("This step is not finished yet: ask once it is done."), field="step")
    lookup = {STEP_FIELD[step]: obj}
    row = SatisfactionScore.objects.select_for_update().filter(step=step, **lookup).first()
    if row is None:
        row = SatisfactionScore(step=step, **lookup, case=case, person=case.person if case else None,
                                region=case.destination_region if case else None, asked_at=timezone.now(),
                                recorded_by=by)
    return row


def satisfaction_record(*, by: Any, step: str, obj: Any, score: int, comment: str = "",
                        channel: str = Channel.IN_PERSON, at: dt.datetime | None = None) -> SatisfactionScore:
    """Record the returnee's answer to "how satisfied are you with ..." (1 to 5) after a
    finished step of a case the user works on. One answer per step."""
    if not isinstance(score, int) or not 1 <= score <= 5:
        raise ApplicationError(_("The score goes from 1 to 5."), field="score")
    with transaction.atomic():
        row = _step_row(step, obj, by)
        if row.score is not None:
            raise ApplicationError(_("The returnee already answered for this step."), field="score")
        row.score, row.comment, row.channel = score, (comment or "").strip(), channel
        row.answered_at = at or timezone.now()
        row.recorded_by = by
        row.save()
        activity.record(verb="satisfaction.recorded", actor=by, target=row, subject=row.case,
                        data={"step": step, "score": score})
    return row


def _new_code() -> str:
    alphabet = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I/L: read aloud and typed on a phone
    while True:
        code = "".join(secrets.choice(alphabet) for _i in range(6))
        if not SatisfactionScore.objects.filter(code=code).exists():
            return code


def satisfaction_ask(*, by: Any, step: str, obj: Any) -> SatisfactionScore:
    """Ask the question for a finished step and give it a code the returnee answers by SMS
    (``NOTE <code> <1-5> [comment]``), for those who prefer to answer later. Asking again
    gives the same code."""
    with transaction.atomic():
        row = _step_row(step, obj, by)
        if row.score is not None:
            raise ApplicationError(_("The returnee already answered for this step."), field="score")
        if not row.code:
            row.code = _new_code()
            row.channel = Channel.SMS
            row.save()
            activity.record(verb="satisfaction.asked", actor=by, target=row, subject=row.case, data={"step": step})
    return row


# --- SMS from the gateway's webhook ----------------------------------------------------


def _person_of_phone(phone: str) -> Any:
    """The registry person with this phone, when exactly one has it."""
    from mboa.registry.models import PersonPhone

    ids = list(PersonPhone.objects.filter(number=phone).values_list("person_id", flat=True).distinct()[:2])
    if len(ids) != 1:
        return None
    from mboa.registry.models import Person

    return Person.objects.filter(pk=ids[0]).first()


def _satisfaction_answer(text: str) -> tuple[str, int, str] | None:
    words = text.strip().split(None, 3)
    keywords = {k.upper() for k in setting("MONITORING", "SMS_SATISFACTION_KEYWORDS")}
    if len(words) < 3 or words[0].upper() not in keywords or not re.fullmatch(r"[1-5]", words[2]):
        return None
    return words[1].upper(), int(words[2]), words[3] if len(words) > 3 else ""


def sms_receive(*, digest: str, sender: str, text: str, received_at: dt.datetime | None = None
                ) -> tuple[InboundSms, bool]:
    """An SMS the gateway delivered (system action, by=None; the webhook checked the
    signature). ``NOTE <code> <score> [comment]`` answers a satisfaction question still
    waiting; anything else becomes a feedback (category "other", to be read and sorted by
    the queue). The same call delivered twice (``digest``) is recorded once: returns the
    SMS and whether it was new."""
    received_at = received_at or timezone.now()
    with transaction.atomic():
        existing = InboundSms.objects.select_for_update().filter(digest=digest).first()
        if existing is not None:
            return existing, False
        sms = InboundSms.objects.create(digest=digest, sender=sender[:20], text=text, received_at=received_at)
        answer = _satisfaction_answer(text)
        row = None
        if answer is not None:
            code, score, comment = answer
            row = SatisfactionScore.objects.select_for_update().filter(code=code, score__isnull=True).first()
        if row is not None:
            row.score, row.comment, row.channel, row.answered_at = score, comment.strip(), Channel.SMS, received_at
            row.save(update_fields=["score", "comment", "channel", "answered_at", "updated_at"])
            sms.satisfaction = row
            activity.record(verb="satisfaction.recorded", target=row, subject=row.case,
                            data={"step": row.step, "score": score, "channel": "sms"})
        else:
            sms.feedback = _create(by=None, kind=FeedbackKind.COMPLAINT, channel=Channel.SMS,
                                   category=FeedbackCategory.objects.get(code=SMS_CATEGORY), text=text or "—",
                                   person=_person_of_phone(sender), contact_phone=sender[:20],
                                   received_at=received_at)
        sms.save(update_fields=["satisfaction", "feedback", "updated_at"])
    return sms, True


# --- Community projects and awareness activities ---------------------------------------


def community_project_create(*, by: Any, title: str, region: Any, town: str = "", sector: Any = None,
                             structure: Any = None, dossier: Any = None, status: str = "planned",
                             started_on: dt.date | None = None, ended_on: dt.date | None = None,
                             budget_xaf: int = 0, returnees: int = 0, description: str = "") -> CommunityProject:
    require(by, "monitoring.manage_community")
    if started_on and ended_on and ended_on < started_on:
        raise ApplicationError(_("The project cannot end before it starts."), field="ended_on")
    with transaction.atomic():
        project = CommunityProject.objects.create(
            reference=provisional_number(), title=title, region=region, town=town, sector=sector,
            structure=structure, dossier=dossier, status=status, started_on=started_on, ended_on=ended_on,
            budget_xaf=budget_xaf, returnees=returnees, description=description, created_by=by)
        year = (started_on or timezone.localdate()).year
        number_from_pk(project, field="reference", template="PC-{year}-{pk:04d}", year=year)
        activity.record(verb="community_project.created", actor=by, target=project)
    return project


# A line of counted beneficiaries (one sex, one age group): more than a region's population is a typo.
MAX_BENEFICIARIES = 1_000_000


def community_beneficiaries_set(*, project: CommunityProject, by: Any, counts: dict[tuple[str, str], int]
                                ) -> CommunityProject:
    """Set the number of non-migrant beneficiaries per (sex, age group); a zero removes the
    line. Numbers only: the beneficiaries are never people of the registry."""
    require(by, "monitoring.manage_community", project)
    sexes, groups = set(BeneficiarySex.values), set(AgeGroup.values)
    for (sex, group), n in counts.items():
        if sex not in sexes or group not in groups:
            raise ApplicationError(_("Unknown sex or age group."))
        if n is None or n < 0:
            raise ApplicationError(_("A number of beneficiaries cannot be negative."))
        if n > MAX_BENEFICIARIES:
            raise ApplicationError(_("At most %(n)s beneficiaries in one line.") % {"n": f"{MAX_BENEFICIARIES:,}"},
                                   field="count")
    with transaction.atomic():
        for (sex, group), n in counts.items():
            if n:
                CommunityBeneficiaries.objects.update_or_create(project=project, sex=sex, age_group=group,
                                                                defaults={"count": n})
            else:
                CommunityBeneficiaries.objects.filter(project=project, sex=sex, age_group=group).delete()
        activity.record(verb="community_project.beneficiaries_set", actor=by, target=project,
                        data={"total": sum(n for n in counts.values() if n)})
    return project


def awareness_activity_create(*, by: Any, title: str, held_on: dt.date, region: Any, place: str,
                              audience_kind: str, audience_size: int, structure: Any = None,
                              speakers: Iterable[Any] = (), notes: str = "") -> AwarenessActivity:
    """Record an awareness activity and the returnees who spoke (people the user sees,
    fetched by the caller through a selector)."""
    require(by, "monitoring.manage_awareness")
    if held_on > timezone.localdate() + dt.timedelta(days=366):
        raise ApplicationError(_("The date is too far ahead."), field="held_on")
    if audience_size < 0:
        raise ApplicationError(_("The audience size cannot be negative."), field="audience_size")
    with transaction.atomic():
        item = AwarenessActivity.objects.create(
            reference=provisional_number(), title=title, held_on=held_on, region=region, place=place,
            audience_kind=audience_kind, audience_size=audience_size, structure=structure, notes=notes,
            created_by=by)
        number_from_pk(item, field="reference", template="SENS-{year}-{pk:04d}", year=held_on.year)
        item.speakers.set(list(speakers))
        activity.record(verb="awareness_activity.created", actor=by, target=item)
    return item
