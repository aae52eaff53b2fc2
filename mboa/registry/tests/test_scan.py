"""The whole-registry scan finds what the registration check finds, pair by pair, and the
stricter name and place rules keep namesakes apart at a million people."""

import numpy as np
import pytest

from mboa.registry import blocking, identity
from mboa.registry.matching import find_candidates, scan_pairs

from .factories import PersonFactory

pytestmark = pytest.mark.django_db


def _pairs(**kwargs):
    return {(a, b): match for a, b, match in scan_pairs(**kwargs)}


def test_scan_finds_a_misspelt_family_name_with_a_common_first_name_and_the_same_birthday():
    # no shared name pair ("mbraga" is not "mbarga"): found through "Jean" + the full date
    earlier = PersonFactory(family_name="Mbarga", given_names="Jean")
    later = PersonFactory(family_name="Mbraga", given_names="Jean")
    found = _pairs()
    assert list(found) == [(earlier.pk, later.pk)]
    assert found[(earlier.pk, later.pk)].is_probable


def test_scan_scores_each_pair_as_the_registration_check_does():
    a = PersonFactory(phone="+237699123456")
    b = PersonFactory(given_names="Jean Paul", birth_month=12, birth_day=4, phone="699 12 34 56")
    PersonFactory(family_name="Ngono", given_names="Marie", sex="F", birth_year=1995)
    match = _pairs()[(a.pk, b.pk)]
    check = next(m for m in find_candidates(b) if m.person_id == a.pk)
    assert (match.score, match.reasons) == (check.score, check.reasons)
    assert match.reasons["phone"] == "agree" and match.reasons["date_of_birth"] == "swapped"


def test_scan_partitions_cover_the_registry_once():
    people = [PersonFactory(), PersonFactory(given_names="Jean Paul"), PersonFactory(family_name="MBARGA"),
              PersonFactory(family_name="Fotso", given_names="Aline", sex="F"),
              PersonFactory(family_name="Fotso", given_names="Aline", sex="F", birth_month=12, birth_day=4)]
    whole = _pairs()
    middle = people[1].pk
    parts = {**_pairs(end_id=middle), **_pairs(start_id=middle)}
    assert set(parts) == set(whole) and len(whole) == 4  # three Mbarga pairs, one Fotso pair


def test_namesakes_born_years_apart_are_not_even_scored():
    ids = np.array([1, 2, 3, 1, 2, 3])
    pair_key = identity.key_hash("n|jan|mbarga")
    keys = np.array([pair_key] * 3 + [11, 12, 13])
    kinds = np.array([identity.KEY_NAME_PAIR] * 3 + [identity.KEY_NAME_YEAR] * 3)
    years = np.array([0, 1990, 1991, 1975])  # by person id; 0 = unknown
    a, b, counts = blocking.candidate_pairs(ids, keys, kinds, years)
    # 1990 and 1991 are close enough to be one person; 1975 is not
    assert list(zip(a.tolist(), b.tolist(), strict=True)) == [(1, 2)]
    assert counts.tolist() == [2]  # two other records under the name pair: its frequency


def test_registry_without_keys_scans_to_nothing():
    assert _pairs() == {}


@pytest.mark.parametrize("earlier, later", [
    (("Abena", "Kadiatou"), ("Abena Hmemou", "Kadiatou Prisca")),  # two name parts more
    (("Mbouombouo", "Estelle Pauline"), ("Mbounokou", "Pauline")),  # one part fewer, another only alike
])
def test_namesake_born_the_same_day_is_not_a_probable_match(earlier, later):
    PersonFactory(family_name=earlier[0], given_names=earlier[1], sex="F")
    matches = find_candidates({"family_name": later[0], "given_names": later[1], "sex": "F",
                               "date_of_birth": "1990-04-12"})
    assert matches and not matches[0].is_probable  # proposed for review at most


def test_different_birth_departments_weigh_against_a_match():
    same = PersonFactory(place_of_birth_text="Bafoussam")
    base = {"family_name": "Mbarga", "given_names": "Jean-Paul", "sex": "M", "date_of_birth": "1990-04-12"}
    agree = find_candidates({**base, "place_of_birth": "Bafoussam"})[0]
    differ = find_candidates({**base, "place_of_birth": "Lagos"})[0]
    assert agree.person_id == differ.person_id == same.pk
    assert agree.reasons["place_of_birth"] == "agree" and differ.reasons["place_of_birth"] == "differ"
    assert differ.score < agree.score


def test_a_department_and_a_place_abroad_are_not_compared():
    p = identity.build_profile({"family_name": "X", "place_of_birth_code": "MFOUNDI"})
    q = identity.build_profile({"family_name": "X", "place_of_birth": "Lagos"})
    assert identity.compare(p, q)[1]["place_of_birth"] == "missing"


def test_rebuilding_the_keys_restores_matching():
    from io import StringIO

    from django.core.management import call_command

    from mboa.registry.models import MatchKey

    person = PersonFactory()
    MatchKey.objects.all().delete()  # keys of an older scheme, gone
    assert find_candidates({"family_name": "Mbarga", "given_names": "Jean-Paul", "date_of_birth": "1990-04-12"}) == []
    out = StringIO()
    call_command("rebuild_match_keys", stdout=out)
    assert "keys written" in out.getvalue()
    matches = find_candidates({"family_name": "Mbarga", "given_names": "Jean-Paul", "date_of_birth": "1990-04-12"})
    assert [m.person_id for m in matches] == [person.pk]
