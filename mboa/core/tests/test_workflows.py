"""The workflow runner, on a real model (the structure's is_active flag stands in for a state)."""

import pytest
from django.utils import translation

from mboa.actors.models import Structure
from mboa.core.errors import ApplicationError
from mboa.core.models import Activity
from mboa.core.workflows import Transition, Workflow, transition

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
