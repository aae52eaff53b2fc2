"""The matcher finds the same person across the variations of real registrations, in both
directions (the earlier record may hold either spelling), and not a namesake."""

import pytest

from mboa.registry import identity
from mboa.registry.matching import find_candidates, match_batch
from mboa.registry.models import DuplicateCandidate
from mboa.registry.services import person_refresh_keys

from .factories import PersonFactory

pytestmark = pytest.mark.django_db

BASE = {"family_name": "Tchakounté", "given_names": "Jean-Paul Hervé", "sex": "M",
        "date_of_birth": "1990-04-12", "phone": "+237699123456", "place_of_birth": "Bafoussam"}

VARIANTS = {
    "typo in the family name": {"family_name": "Tchakounde"},
    "typo in a given name": {"given_names": "Jean-Paul Herve"},
    "accents removed": {"family_name": "TCHAKOUNTE", "given_names": "JEAN PAUL HERVE"},
    "transliteration": {"family_name": "Chakounte"},
    "family and given names swapped": {"family_name": "Jean-Paul Hervé", "given_names": "Tchakounté"},
    "a given name missing": {"given_names": "Jean-Paul"},
    "compound name written together": {"given_names": "Jeanpaul Hervé"},
    "day and month swapped": {"date_of_birth": "1990-12-04"},
    "date of birth missing": {"date_of_birth": None},
    "only the year known": {"date_of_birth": "1990"},
    "phone changed": {"phone": "+237677000111"},
    "date in DD/MM/YYYY": {"date_of_birth": "12/04/1990"},
}


def _person(data):
    y, m, d = identity.parse_date_parts(data.get("date_of_birth"))
    return PersonFactory(family_name=data["family_name"], given_names=data["given_names"], sex=data["sex"],
                         birth_year=y, birth_month=m, birth_day=d, phone=data.get("phone"),
                         place_of_birth_text=data.get("place_of_birth", ""))


@pytest.mark.parametrize("variation", VARIANTS)
def test_variant_finds_the_earlier_record(variation):
    earlier = _person(BASE)
    matches = find_candidates({**BASE, **VARIANTS[variation]})
    assert matches and matches[0].person_id == earlier.pk, variation
    assert matches[0].is_probable, (variation, matches[0])


@pytest.mark.parametrize("variation", VARIANTS)
def test_earlier_variant_is_found_from_the_clean_record(variation):
    earlier = _person({**BASE, **VARIANTS[variation]})
    matches = find_candidates(BASE)
    assert matches and matches[0].person_id == earlier.pk, variation
    assert matches[0].is_probable, (variation, matches[0])


def test_reasons_say_what_agrees_and_what_differs():
    _person(BASE)
    match = find_candidates({**BASE, "date_of_birth": "1990-12-04", "phone": "+237677000111"})[0]
    assert match.reasons["date_of_birth"] == "swapped"
    assert match.reasons["phone"] == "differ"
    assert "name" in match.agree and "phone" not in match.agree
    assert 0 <= match.score <= 1


def test_shared_document_is_strong_evidence_despite_a_different_spelling():
    earlier = PersonFactory(family_name="Abubakar", given_names="Moussa", birth_year=None, birth_month=None,
                            birth_day=None, document="CM1234567")
    match = find_candidates({"family_name": "Aboubakar", "given_names": "Mousa", "document_number": "cm 123 4567"})[0]
    assert match.person_id == earlier.pk and match.reasons["document"] == "agree" and match.is_probable


def test_namesakes_born_on_other_dates_are_not_matched():
    PersonFactory(family_name="Mbarga", given_names="Jean", birth_year=1978, birth_month=9, birth_day=30)
    PersonFactory(family_name="Mbarga", given_names="Jean", birth_year=1990, birth_month=7, birth_day=25)
    assert find_candidates({"family_name": "Mbarga", "given_names": "Jean", "date_of_birth": "1990-03-14"}) == []


def test_clearly_different_person_is_not_matched():
    PersonFactory(family_name="Ngono", given_names="Marie Solange", sex="F", birth_year=1995)
    assert find_candidates(BASE) == []


def test_merged_and_declared_different_records_are_left_out():
    first = _person(BASE)
    second = _person({**BASE, "given_names": "Jean-Paul"})
    assert [m.person_id for m in find_candidates(second)] == [first.pk]
    DuplicateCandidate.objects.create(person_a=first, person_b=second, score=0.9, source="scan", status="different")
    assert find_candidates(second) == []
    assert [m.person_id for m in find_candidates(BASE)] != []  # a new candidate still sees both


def test_batch_matches_a_manifest_in_order_with_constant_queries(django_assert_max_num_queries):
    people = [_person({**BASE, "family_name": name, "phone": None}) for name in ("Fotso", "Kamga", "Ndongo")]
    manifest = [{**BASE, "family_name": name, "phone": None} for name in ("Ndongo", "Nobody", "Fotsso", "Kamga")]
    with django_assert_max_num_queries(2):
        results = match_batch(manifest)
    assert [r[0].person_id if r else None for r in results] == [people[2].pk, None, people[0].pk, people[1].pk]


def test_keys_are_rebuilt_when_an_alias_is_added():
    person = PersonFactory(family_name="Ngo Bassa", given_names="Pélagie", sex="F", birth_year=1988,
                           birth_month=None, birth_day=None)
    assert find_candidates({"family_name": "Ewondo", "given_names": "Pelagie", "date_of_birth": "1988"}) == []
    person.aliases.create(family_name="Ewondo", given_names="Pélagie")
    person_refresh_keys(person=person)
    assert [m.person_id for m in find_candidates({"family_name": "Ewondo", "given_names": "Pelagie",
                                                  "date_of_birth": "1988", "sex": "F"})] == [person.pk]


@pytest.mark.parametrize("raw, parts", [
    ("1990-04-12", (1990, 4, 12)), ("19900412", (1990, 4, 12)), ("12/04/1990", (1990, 4, 12)),
    ("1990", (1990, None, None)), ("1990-04", (1990, 4, None)), ("00/00/1990", (1990, None, None)), ("", (None,) * 3),
])
def test_date_formats(raw, parts):
    assert identity.parse_date_parts(raw) == parts


def test_unreadable_date_is_refused():
    with pytest.raises(ValueError):
        identity.parse_date_parts("12.04.90")
