import pytest
from django.db import transaction

from mboa.actors.models import Structure
from mboa.core import activity
from mboa.core.models import Activity

pytestmark = pytest.mark.django_db


def test_subscribers_run_after_commit_only(django_capture_on_commit_callbacks):
    seen = []
    activity.subscribe("test.", seen.append)
    structure = Structure.objects.get(code="MINAS")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        record = activity.record(verb="test.done", target=structure)
        assert seen == []
    assert len(callbacks) == 1
    assert seen == [record.pk]


def test_rolled_back_activity_is_never_announced(django_capture_on_commit_callbacks):
    seen = []
    activity.subscribe("rollback.", seen.append)
    structure = Structure.objects.get(code="MINAS")
    with django_capture_on_commit_callbacks(execute=True) as callbacks, pytest.raises(RuntimeError), transaction.atomic():
        activity.record(verb="rollback.done", target=structure)
        raise RuntimeError("boom")
    assert callbacks == []
    assert seen == []
    assert not Activity.objects.filter(verb="rollback.done").exists()


def test_timeline_hides_sensitive_events_unless_asked():
    structure = Structure.objects.get(code="MINAS")
    activity.record(verb="x.public", target=structure)
    activity.record(verb="x.secret", target=structure, sensitive=True)
    assert [a.verb for a in activity.timeline_for(structure)] == ["x.public"]
    assert {a.verb for a in activity.timeline_for(structure, include_sensitive=True)} == {"x.public", "x.secret"}


def test_record_many_writes_one_row_per_target_and_announces_each_after_commit(django_capture_on_commit_callbacks):
    seen = []
    activity.subscribe("many.", seen.append)
    targets = list(Structure.objects.filter(code__in=["MINAS", "MINSANTE", "MINJEC"]))
    with django_capture_on_commit_callbacks(execute=True):
        assert activity.record_many(verb="many.done", targets=targets, summary="s", data={"k": 1}) == 3
        assert seen == []
    rows = list(Activity.objects.filter(verb="many.done"))
    assert sorted(seen) == sorted(a.pk for a in rows)
    assert sorted(a.target_id for a in rows) == sorted(str(t.pk) for t in targets)
    assert {(a.summary, a.data["k"]) for a in rows} == {("s", 1)}


def test_a_list_read_is_one_row_naming_every_record(admin):
    from mboa.core.models import SensitiveAccess
    from mboa.core.sensitive import log_list_read

    shown = list(Structure.objects.filter(code__in=["MINAS", "MINSANTE"]))
    log_list_read(user=admin, objs=shown, fields=["name_fr"], channel="api", purpose="test")
    assert log_list_read(user=admin, objs=[], fields=["name_fr"]) is None
    row = SensitiveAccess.objects.get()
    assert sorted(row.target_ids) == sorted(str(s.pk) for s in shown) and row.target_id == "" and row.channel == "api"


def test_an_activity_keeps_the_name_its_actor_had_then(admin):
    structure = Structure.objects.get(code="MINAS")
    done = activity.record(verb="test.named", actor=admin, target=structure)
    former = str(admin)
    admin.first_name, admin.last_name = "Nouveau", "Nom"
    admin.save()
    done.refresh_from_db()
    assert done.actor_name == former and former != str(admin)
