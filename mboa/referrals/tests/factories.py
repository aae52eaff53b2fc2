"""Factories for referrals and agreements; ``at`` arguments let tests fix the clock."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from mboa.actors.models import Structure

from ..models import Service


def structure(code: str) -> Structure:
    return Structure.objects.get(code=code)


def service(code: str) -> Service:
    return Service.objects.get(code=code)


def days_ago(days: float, now: dt.datetime | None = None) -> dt.datetime:
    return (now or timezone.now()) - dt.timedelta(days=days)


def make_case(*, by, family_name: str = "Mbarga", given_names: str = "Serge", city: str = "Yaoundé",
              vulnerabilities: tuple[str, ...] = (), phone: str = "+237699000001"):
    """A person with a phone and an open case, owned by ``by`` (an IOM case manager).

    ``vulnerabilities`` are recorded as cases records them, by a vulnerability assessment
    (``mboa.core.vocabulary`` codes: a code cases never writes is refused)."""
    from mboa.cases.assessments import assessment_record
    from mboa.cases.services import case_open
    from mboa.registry.models import Person, PersonPhone

    person = Person.objects.create(family_name=family_name, given_names=given_names, sex="M", birth_year=1994)
    PersonPhone.objects.create(person=person, number=phone)
    case = case_open(person=person, by=by, city=city)
    if vulnerabilities:
        assessment_record(case=case, kind="vulnerability", by=by, answers={"categories": list(vulnerabilities)})
    return case


def give_consent(case, *codes: str, by=None):
    from mboa.cases.consent import consent_record

    return consent_record(person=case.person, purpose="referral", method="signed", by=by,
                          structures=[structure(c) for c in codes], case=case)


def send(case, *, by, to: str = "MINAS", service_code: str = "psychosocial_support", parts=("identity",), **kwargs):
    from ..services import referral_send

    kwargs.setdefault("reason", "Needs support after a difficult journey.")
    return referral_send(by=by, case=case, service=service(service_code), structure=structure(to),
                         shared_parts=parts, **kwargs)


def api(user):
    """An API client signed in as ``user``."""
    from rest_framework.test import APIClient

    client = APIClient()
    client.force_authenticate(user)
    return client
