"""The reference data loaded by migrations: geography, the 18 structures, the bodies."""

import pytest

from mboa.actors.models import Department, Region, Structure
from mboa.governance.models import Body

pytestmark = pytest.mark.django_db

EXPECTED_STRUCTURES = {
    "OIM", "DUE", "MINREX", "MINAT", "MINAS", "MINSANTE", "MINJEC", "MINEFOP", "MINPROFF", "MINPMEESA",
    "MINJUSTICE", "MINEPIA", "MINADER", "DGSN", "INS", "MINEPAT", "FNE", "PARIJEDI",
}


def test_the_ten_regions_and_fifty_eight_departments_are_loaded():
    assert Region.objects.count() == 10
    assert Department.objects.count() == 58
    littoral = Region.objects.get(name="Littoral")
    assert littoral.capital == "Douala"
    assert Department.objects.get(name="Wouri").region == littoral


def test_the_eighteen_structures_are_loaded_with_mandates():
    structures = {s.code: s for s in Structure.objects.all()}
    assert set(structures) == EXPECTED_STRUCTURES
    assert all(s.mandate for s in structures.values())
    assert structures["PARIJEDI"].parent == structures["MINJEC"]
    assert structures["DUE"].kind == "donor"
    assert structures["OIM"].kind == "international"
    assert structures["MINSANTE"].kind == "ministry"
    assert structures["MINSANTE"].name_fr == "Ministère de la Santé Publique"
    assert structures["MINSANTE"].name_en == "Ministry of Public Health"


def _members(code):
    body = Body.objects.get(code=code)
    return {m.structure.code: m.role for m in body.memberships.filter(end_date__isnull=True)}


def test_copil_is_co_chaired_by_minrex_and_due_with_iom_as_secretariat():
    members = _members("COPIL")
    assert {c for c, r in members.items() if r == "co_chair"} == {"MINREX", "DUE"}
    assert {c for c, r in members.items() if r == "secretariat"} == {"OIM"}
    assert set(members) == EXPECTED_STRUCTURES


def test_gta_has_exactly_the_members_of_the_domain():
    assert set(_members("GTA")) == {"OIM", "DUE", "MINREX", "MINSANTE", "MINAS", "MINJEC", "MINAT", "DGSN"}


def test_gtr_has_exactly_the_members_of_the_domain():
    assert set(_members("GTR")) == {
        "DUE", "OIM", "MINREX", "MINJEC", "MINEFOP", "MINPMEESA", "MINAS", "MINPROFF", "MINEPAT", "MINEPIA",
        "MINADER", "FNE", "PARIJEDI",
    }


def test_health_and_psychosocial_group_exists_without_members_yet():
    body = Body.objects.get(code="GTSAP")
    assert body.kind == "working_group"
    assert _members("GTSAP") == {}
