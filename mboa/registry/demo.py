"""Demo people: returnees with the variations the matcher must handle, and two pairs in
the review queue. Idempotent: people are found again by name and year of birth."""

from __future__ import annotations

import random

from mboa.core.demo import FAMILY_NAMES, GIVEN_NAMES_F, GIVEN_NAMES_M, DemoContext, cameroon_mobile

from . import identity, matching
from .models import DuplicateCandidate, Person, PersonPhone, Source
from .services import duplicate_propose, person_refresh_keys

# Records of the same people written differently (the review queue's demo content).
VARIANTS = [
    (("Tchakounté", "Jean-Paul", "M", 1990, 4, 12), ("Chakounte", "Jean Paul", "M", 1990, 12, 4)),
    (("Ngo Bassa", "Pélagie", "F", 1988, None, None), ("Ngo Bassa", "Pelagie", "F", 1988, 6, 3)),
]


def _person(ctx: DemoContext, family, given, sex, year, month, day, department=None) -> Person:
    # The phone comes from a generator seeded by the natural key, not from ctx.rng: a
    # second run must draw the same values whatever was created the first time.
    person, created = Person.objects.get_or_create(
        family_name=family, given_names=given, birth_year=year,
        defaults={"sex": sex, "birth_month": month, "birth_day": day, "place_of_birth_id": department},
    )
    if created:
        rng = random.Random(f"{family}|{given}|{year}")
        PersonPhone.objects.create(person=person, number=cameroon_mobile(rng))
        person_refresh_keys(person=person)
    ctx.count("people", created)
    return person


def seed(ctx: DemoContext) -> None:
    for i in range(40):
        sex = "F" if i % 2 else "M"
        names = GIVEN_NAMES_F if sex == "F" else GIVEN_NAMES_M
        given = names[(i * 7) % len(names)]
        _person(ctx, FAMILY_NAMES[i % len(FAMILY_NAMES)], given, sex, 1975 + (i * 7) % 30, 1 + i % 12,
                1 + (i * 5) % 28, "CE01" if i % 3 else "LT01")
    for first, second in VARIANTS:
        a, b = _person(ctx, *first), _person(ctx, *second)
        if not DuplicateCandidate.objects.filter(person_a_id=min(a.pk, b.pk), person_b_id=max(a.pk, b.pk)).exists():
            score, reasons = identity.compare(a.match_profile, b.match_profile)
            match = matching.Match(b.pk, score, reasons)
            duplicate_propose(a_id=a.pk, b_id=b.pk, match=match, source=Source.SCAN)
