import datetime as dt

import factory

from mboa.actors.models import FocalPoint, Structure


class StructureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Structure

    code = factory.Sequence(lambda n: f"ONG{n}")
    name_fr = factory.LazyAttribute(lambda s: f"Association {s.code}")
    name_en = factory.LazyAttribute(lambda s: f"Association {s.code}")
    kind = "civil_society"


class FocalPointFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FocalPoint

    structure = factory.LazyFunction(lambda: Structure.objects.get(code="MINAS"))
    given_names = factory.Faker("first_name", locale="fr_FR")
    family_name = factory.Faker("last_name", locale="fr_FR")
    function = "Point focal"
    phone = "+237699123456"
    start_date = dt.date(2020, 1, 1)

    class Params:
        former = factory.Trait(end_date=dt.date(2021, 12, 31))
