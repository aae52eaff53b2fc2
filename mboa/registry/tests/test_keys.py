"""The matcher's keys are written by the registry's services only; bulk registration
(demo data, benchmarks) builds them like a registration does."""

import ast
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied

import mboa
from mboa.core.models import Activity
from mboa.registry import services
from mboa.registry.matching import find_candidates
from mboa.registry.models import MatchKey, Person

MBOA = Path(mboa.__file__).parent


def _mentions_match_keys(tree: ast.AST) -> list[int]:
    """Lines that name the key model or its table (import, attribute, apps.get_model, SQL)."""
    lines = []
    for node in ast.walk(tree):
        named = (isinstance(node, ast.Name) and node.id == "MatchKey") or (
            isinstance(node, ast.Attribute) and node.attr == "MatchKey") or (
            isinstance(node, ast.alias) and node.name.split(".")[-1] == "MatchKey") or (
            isinstance(node, ast.Constant) and isinstance(node.value, str)
            and ("registry_matchkey" in node.value.lower() or node.value.lower() == "matchkey"))
        if named:
            lines.append(getattr(node, "lineno", 0))
    return lines


def test_no_app_but_the_registry_touches_the_match_keys():
    offenders = []
    for path in sorted(MBOA.rglob("*.py")):
        relative = path.relative_to(MBOA)
        if relative.parts[0] == "registry":
            continue
        offenders += [f"mboa/{relative}:{line}" for line in _mentions_match_keys(ast.parse(path.read_text()))]
    assert offenders == [], "write keys through mboa.registry.services (people_register_bulk, person_create...)"


def test_the_check_sees_a_key_write():
    code = "from mboa.registry.models import MatchKey\nMatchKey.objects.bulk_create([])\n"
    assert _mentions_match_keys(ast.parse(code)) == [1, 2]


@pytest.mark.django_db
def test_bulk_registration_builds_keys_the_matcher_finds(insertion_counsellor):
    rows = [{"family_name": "Tchakounte", "given_names": "Jean Paul", "sex": "M", "birth_year": 1990,
             "birth_month": 4, "birth_day": 12},
            {"family_name": "Ngo Bassa", "given_names": "Pelagie", "sex": "F", "birth_year": 1988}]
    people = services.people_register_bulk(people=rows, by=insertion_counsellor)
    assert [p.pk for p in people] == list(Person.objects.order_by("pk").values_list("pk", flat=True))
    assert MatchKey.objects.filter(person=people[0]).exists()
    assert people[0].registered_by_structure_id == insertion_counsellor.structure_id
    found = find_candidates({"family_name": "TCHAKOUNTE", "given_names": "Jean-Paul", "date_of_birth": "1990-04-12"})
    assert [m.person_id for m in found] == [people[0].pk]
    assert Activity.objects.filter(verb="person.registered").count() == 2


@pytest.mark.django_db
def test_bulk_registration_needs_the_right_to_register(psy_counsellor):
    with pytest.raises(PermissionDenied):
        services.people_register_bulk(people=[{"family_name": "Abena"}], by=psy_counsellor)
    assert not Person.objects.exists()
