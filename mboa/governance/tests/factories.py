"""Factories for meetings, decisions and commitments (reference bodies come from migrations)."""

import datetime as dt

import factory
from django.utils import timezone

from mboa.actors.models import Structure
from mboa.governance.models import Body, Commitment, Decision, Meeting


def body(code: str = "COPIL") -> Body:
    return Body.objects.get(code=code)


def structure(code: str) -> Structure:
    return Structure.objects.get(code=code)


def aware(year: int, month: int, day: int, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime(year, month, day, hour, 0))


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Meeting

    body = factory.LazyFunction(lambda: Body.objects.get(code="COPIL"))
    starts_at = factory.LazyFunction(lambda: timezone.now() + dt.timedelta(days=30))
    year = factory.LazyAttribute(lambda m: timezone.localtime(m.starts_at).year)
    number = factory.Sequence(lambda n: n + 1)
    kind = "formal"
    place = "MINREX, Yaoundé"

    class Params:
        held = factory.Trait(status="held", starts_at=factory.LazyFunction(lambda: timezone.now() - dt.timedelta(days=3)))


class DecisionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Decision

    meeting = factory.SubFactory(MeetingFactory)
    body = factory.LazyAttribute(lambda d: d.meeting.body)
    number = factory.Sequence(lambda n: n + 1)
    reference = factory.LazyAttribute(lambda d: f"{d.meeting.reference}-D{d.number}")
    text = "Décision"


class CommitmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Commitment

    body = factory.LazyFunction(lambda: Body.objects.get(code="COPIL"))
    structure = factory.LazyFunction(lambda: Structure.objects.get(code="MINSANTE"))
    title = factory.Sequence(lambda n: f"Engagement {n}")
    deadline = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=30))

    class Params:
        done_on_time = factory.Trait(status="done", progress=100,
                                     done_on=factory.LazyAttribute(lambda c: c.deadline))
        late = factory.Trait(status="late", deadline=factory.LazyFunction(
            lambda: timezone.localdate() - dt.timedelta(days=10)))
