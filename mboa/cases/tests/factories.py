"""Factories of the cases app. ``CounsellorFactory(kind=..., city=...)`` makes the user
(with the role matching the kind) too; ``make_case(...)`` opens a case through the service."""

import factory

from mboa.accounts.tests.factories import UserFactory
from mboa.actors.models import Structure
from mboa.cases import services
from mboa.cases.models import Case, Counsellor, Supervisor
from mboa.registry.tests.factories import PersonFactory


class CounsellorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Counsellor

    kind = "insertion"
    city = "Yaoundé"
    structure = factory.LazyAttribute(lambda c: Structure.objects.get(code="MINJEC" if c.kind == "insertion" else "MINAS"))
    user = factory.LazyAttribute(lambda c: UserFactory(
        structure=c.structure, city=c.city,
        roles=["insertion_counsellor" if c.kind == "insertion" else "psychosocial_counsellor"]))


def make_supervisor(user):
    Supervisor.objects.get_or_create(user=user)
    user.__dict__.pop("_cases_supervisor", None)
    return user


def make_case(*, by, person=None, city="Yaoundé", status=None, **person_fields) -> Case:
    """A case opened by ``by`` for a new person; ``status`` forces a state (fixtures only)."""
    person = person or PersonFactory(**person_fields)
    case = services.case_open(person=person, by=by, city=city)
    if status:
        fields = {"status": status}
        if status == "closed":
            from django.utils import timezone

            fields["closed_at"] = timezone.now()
        Case.objects.filter(pk=case.pk).update(**fields)
        case.refresh_from_db()
    return case
