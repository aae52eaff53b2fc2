"""Trainings (MINEFOP): offers, enrolment of returnees, attendance per day, completion.

Enrolling a returnee shares their name with the training provider: when the provider is
not the home structure (IOM), the returnee's referral consent to it is required
(:func:`mboa.cases.consent.consent_allows`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mboa.core import activity
from mboa.core.conf import setting
from mboa.core.errors import ApplicationError
from mboa.core.permissions import require

from .consent import consent_allows
from .models import Attendance, Case, Enrolment, EnrolmentStatus, TrainingKind, TrainingOffer

OFFER_FIELDS = ("title", "kind", "provider", "provider_name", "filiere", "place", "city", "start_date", "end_date",
                "capacity")


def offer_create(*, by: Any, data: Mapping[str, Any]) -> TrainingOffer:
    require(by, "cases.manage_trainings")
    cleaned = {k: data[k] for k in OFFER_FIELDS if k in data}
    if cleaned.get("kind") not in TrainingKind.values:
        raise ApplicationError(_("Choose technical or entrepreneurial."), field="kind")
    if cleaned["end_date"] < cleaned["start_date"]:
        raise ApplicationError(_("The training ends before it starts."), field="end_date")
    if int(cleaned.get("capacity") or 0) < 1:
        raise ApplicationError(_("The capacity must be at least 1."), field="capacity")
    if cleaned.get("provider") is None:
        cleaned["provider"] = by.structure
    with transaction.atomic():
        offer = TrainingOffer.objects.create(**cleaned, created_by=by)
        activity.record(verb="training.create", actor=by, target=offer, summary=offer.title)
    return offer


def enrol(*, offer: TrainingOffer, case: Case, by: Any) -> Enrolment:
    """Enrol the case's returnee. Refused when full, when the case is closed, when already
    enrolled, or without the returnee's consent to share with the provider. Locks the offer."""
    require(by, "cases.work_on_case", case)
    if offer.provider.code != setting("CASES", "HOME_STRUCTURE") and not consent_allows(
        person=case.person, purpose="referral", structure=offer.provider
    ):
        raise ApplicationError(_("The returnee has not consented to share their data with %(s)s.") % {
            "s": offer.provider.code}, field="consent")
    with transaction.atomic():
        locked = TrainingOffer.objects.select_for_update().get(pk=offer.pk)
        if locked.end_date < timezone.localdate():
            raise ApplicationError(_("This training is over."))
        if Enrolment.objects.filter(offer=locked, case=case).exists():
            raise ApplicationError(_("The returnee is already enrolled."))
        taken = Enrolment.objects.filter(offer=locked).exclude(status=EnrolmentStatus.DROPPED).count()
        if taken >= locked.capacity:
            raise ApplicationError(_("The training is full (%(n)d places).") % {"n": locked.capacity})
        enrolment = Enrolment.objects.create(offer=locked, case=case, enrolled_by=by)
        activity.record(verb="training.enrol", actor=by, target=enrolment, subject=case,
                        summary=_("Enrolled in training: %(t)s") % {"t": locked.title})
    return enrolment


def attendance_record(*, enrolment: Enrolment, day: dt.date, present: bool, by: Any) -> Attendance:
    """One day of attendance (MINEFOP); recording a day again corrects it."""
    require(by, "cases.manage_trainings", enrolment.offer)
    offer = enrolment.offer
    if not (offer.start_date <= day <= offer.end_date):
        raise ApplicationError(_("This day is outside the training's dates."), field="day")
    if day > timezone.localdate():
        raise ApplicationError(_("Attendance cannot be recorded in advance."), field="day")
    with transaction.atomic():
        row, _created = Attendance.objects.update_or_create(enrolment=enrolment, day=day,
                                                            defaults={"present": present})
    return row


def enrolment_finish(*, enrolment: Enrolment, by: Any, completed: bool, on: dt.date | None = None) -> Enrolment:
    """Completion (or drop-out) of a training, shown on the case."""
    require(by, "cases.manage_trainings", enrolment.offer)
    with transaction.atomic():
        locked = Enrolment.objects.select_for_update().select_related("offer").get(pk=enrolment.pk)
        if locked.status != EnrolmentStatus.ENROLLED:
            raise ApplicationError(_("This enrolment is already finished."))
        locked.status = EnrolmentStatus.COMPLETED if completed else EnrolmentStatus.DROPPED
        locked.completed_on = (on or timezone.localdate()) if completed else None
        locked.save(update_fields=["status", "completed_on", "updated_at"])
        activity.record(verb="training.complete" if completed else "training.drop", actor=by, target=locked,
                        subject=locked.case, summary=_("Training %(state)s: %(t)s") % {
                            "state": locked.get_status_display(), "t": locked.offer.title})
    return locked
