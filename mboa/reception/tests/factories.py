import datetime as dt

import factory
from django.utils import timezone

from mboa.reception.models import Arrival, Passenger


class ArrivalFactory(factory.django.DjangoModelFactory):
    """A planned individual return; traits ``charter`` (mobilisation is done by the service)."""

    class Meta:
        model = Arrival

    reference = factory.Sequence(lambda n: f"arr-{n}")
    kind = "scheduled_flight"
    departure_country = "LY"
    entry_point = "NSI"
    expected_at = factory.LazyFunction(lambda: timezone.now() + dt.timedelta(days=2))
    expected_people = 3
    pocket_money_eligible = True
    pocket_money_amount = 65000


class PassengerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Passenger

    arrival = factory.SubFactory(ArrivalFactory)
    number = factory.Sequence(lambda n: n + 1)
    family_name = factory.Sequence(lambda n: f"Mbarga{n}")
    given_names = "Serge"
    sex = "M"
    birth_year = 1990
    birth_month = 5
    birth_day = 12
    nationality = "CM"
    search_text = factory.LazyAttribute(lambda p: f"{p.number} {p.family_name.lower()} {p.given_names.lower()}")


def csv_bytes(rows, *, header=None, sep=",", encoding="utf-8", bom=False):
    header = header or ["Nom", "Prénoms", "Sexe", "Date de naissance", "Lieu de naissance", "Nationalité",
                        "Numéro de document", "Téléphone", "Remarques"]
    lines = [sep.join(header)] + [sep.join(r) for r in rows]
    data = ("\r\n".join(lines) + "\r\n").encode(encoding)
    return (b"\xef\xbb\xbf" + data) if bom else data


GOOD_ROWS = [
    ["Atangana", "Jean-Paul", "M", "12/04/1990", "Yaoundé", "Camerounaise", "P123456", "699123456", ""],
    ["Ngo Bassa", "Hélène", "F", "00/05/1995", "Edéa", "CM", "", "", "enceinte"],
    ["Tchakounté", "Moïse", "H", "1988", "Bafoussam", "CM", "P654321", "", ""],
]
