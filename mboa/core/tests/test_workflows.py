"""The workflow runner, on a real model (the structure's is_active flag stands in for a state)."""

import pytest
from django.utils import translation

from mboa.actors.models import Structure
from mboa.core.errors import ApplicationError
from mboa.core.models import Activity
from mboa.core.workflows import Transition, Workflow, transition, transition_many

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield

# A tiny lifecycle on Structure.kind, enough to exercise the runner against the database.
KIND_FLOW = Workflow(
    name="kindtest",
    field="kind",
    states={"civil_society": "CS", "private_sector": "PS", "ministry": "M"},
    transitions=[
        Transition("privatise", sources=("civil_society",), target="private_sector", roles=("admin",)),
        Transition("nationalise", sources=("private_sector",), target="ministry", roles=("admin",),
                   note_required=True),
    ],
)


@pytest.fixture
def structure():
    return Structure.objects.create(code="ASSO1", name_fr="A", name_en="A", kind="civil_society")


def test_allowed_transition_changes_state_and_records_activity(structure, admin):
    result = transition(structure, KIND_FLOW, "privatise", by=admin)
    assert result.kind == "private_sector"
    structure.refresh_from_db()
    assert structure.kind == "private_sector"
    activity = Activity.objects.get(verb="kindtest.privatise")
    assert activity.data == {"from": "civil_society", "to": "private_sector", "note": ""}
    assert activity.actor == admin
    assert activity.actor_structure.code == "OIM"


def test_wrong_role_is_refused_and_nothing_changes(structure, donor):
    with pytest.raises(ApplicationError, match="role"):
        transition(structure, KIND_FLOW, "privatise", by=donor)
    structure.refresh_from_db()
    assert structure.kind == "civil_society"
    assert not Activity.objects.filter(verb__startswith="kindtest").exists()


def test_wrong_source_state_is_refused(structure, admin):
    with pytest.raises(ApplicationError):
        transition(structure, KIND_FLOW, "nationalise", by=admin, note="x")


def test_note_required(structure, admin):
    transition(structure, KIND_FLOW, "privatise", by=admin)
    with pytest.raises(ApplicationError, match="reason"):
        transition(structure, KIND_FLOW, "nationalise", by=admin)


def test_workflow_with_unknown_state_fails_at_declaration():
    with pytest.raises(ValueError):
        Workflow(name="bad", states={"a": "A"}, transitions=[Transition("go", sources=("a",), target="b")])


def test_available_lists_only_what_the_user_may_do(structure, admin, donor):
    assert [t.action for t in KIND_FLOW.available(structure, admin)] == ["privatise"]
    assert KIND_FLOW.available(structure, donor) == []


def test_transition_many_moves_every_row_with_one_activity_each(admin, django_assert_max_num_queries):
    rows = [Structure.objects.create(code=f"ASSO{i}", name_fr="A", name_en="A", kind="civil_society") for i in range(5)]
    with django_assert_max_num_queries(8):
        moved = transition_many(rows, KIND_FLOW, "privatise", by=admin, summary="batch")
    assert {r.kind for r in moved} == {"private_sector"}
    assert set(Structure.objects.filter(code__startswith="ASSO").values_list("kind", flat=True)) == {"private_sector"}
    activities = Activity.objects.filter(verb="kindtest.privatise")
    assert sorted(a.target_id for a in activities) == sorted(str(r.pk) for r in rows)
    assert {a.summary for a in activities} == {"batch"}


def test_transition_many_is_all_or_nothing(admin):
    ok = Structure.objects.create(code="ASSO1", name_fr="A", name_en="A", kind="civil_society")
    wrong = Structure.objects.create(code="ASSO2", name_fr="A", name_en="A", kind="ministry")
    with pytest.raises(ApplicationError, match="1 of 2"):
        transition_many([ok, wrong], KIND_FLOW, "privatise", by=admin)
    ok.refresh_from_db()
    assert ok.kind == "civil_society"
    assert not Activity.objects.filter(verb="kindtest.privatise").exists()


def test_transition_many_checks_roles(donor):
    row = Structure.objects.create(code="ASSO1", name_fr="A", name_en="A", kind="civil_society")
    with pytest.raises(ApplicationError, match="role"):
        transition_many([row], KIND_FLOW, "privatise", by=donor)
