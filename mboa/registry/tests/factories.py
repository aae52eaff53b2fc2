import factory

from mboa.registry.models import DuplicateCandidate, IdentityDocument, Person, PersonName, PersonPhone
from mboa.registry.services import person_refresh_keys


class PersonFactory(factory.django.DjangoModelFactory):
    """A registered person with its matcher keys built.

    Extra keywords: ``phone="+237699123456"``, ``document="CM1234567"``,
    ``alias=("Family", "Given")``.
    """

    class Meta:
        model = Person

    family_name = "Mbarga"
    given_names = "Jean-Paul"
    sex = "M"
    birth_year = 1990
    birth_month = 4
    birth_day = 12

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        phone = kwargs.pop("phone", None)
        document = kwargs.pop("document", None)
        alias = kwargs.pop("alias", None)
        person = super()._create(model_class, *args, **kwargs)
        if phone:
            PersonPhone.objects.create(person=person, number=phone)
        if document:
            IdentityDocument.objects.create(person=person, kind="passport", number=document,
                                            number_normalized=document.upper())
        if alias:
            PersonName.objects.create(person=person, family_name=alias[0], given_names=alias[1])
        person_refresh_keys(person=person)
        return person


class DuplicateFactory(factory.django.DjangoModelFactory):
    """An open pair; ``person_a`` is created first, so it has the smaller id."""

    class Meta:
        model = DuplicateCandidate

    person_a = factory.SubFactory(PersonFactory)
    person_b = factory.SubFactory(PersonFactory, given_names="Jean Paul", birth_month=12, birth_day=4)
    score = 0.9
    reasons = factory.LazyFunction(lambda: {"name": "high", "date_of_birth": "swapped"})
    source = "scan"
