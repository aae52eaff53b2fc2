"""Manifest drafts: read once by a task, reviewed from what it stored, imported once.

- the review page never reads the file (the stored table is enough), and says "being
  analysed" (polling every 2 s) until the task is done;
- two drafts of one file, or one draft submitted twice, list nobody twice: the second
  submit answers "already imported", and an import that checked before another wrote is
  refused under the arrival's lock; the database refuses one person twice on an arrival.
"""

import pytest
from django.db import IntegrityError, transaction
from django.test import override_settings
from rest_framework.test import APIClient

from mboa.reception import services
from mboa.reception.models import AnalysisState, Manifest, Passenger
from mboa.reception.tests.factories import GOOD_ROWS, ArrivalFactory, PassengerFactory, csv_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture
def arrival(db):
    return ArrivalFactory(reference="ch-race", kind="charter", expected_people=162)


def _draft(arrival, by, content=None):
    manifest = services.manifest_upload(arrival=arrival, by=by, content=content or csv_bytes(GOOD_ROWS),
                                        file_name="m.csv")
    services.manifest_analysis_queue(manifest=manifest)  # the task, eager here
    manifest.refresh_from_db()
    return manifest


def test_the_review_reads_what_the_task_stored_never_the_file(client_for, arrival, case_manager):
    draft = _draft(arrival, case_manager)
    assert draft.analysis_state == AnalysisState.DONE and len(draft.table["rows"]) == 3 and draft.problems == []
    Manifest.objects.filter(pk=draft.pk).update(content=b"\x00 not a spreadsheet any more")
    client = client_for(case_manager)
    page = client.get(f"/reception/manifests/{draft.pk}/").content.decode()
    assert 'data-testid="manifest-ok"' in page and "3 returnees" in page
    response = client.post(f"/reception/manifests/{draft.pk}/", {"do": "import"})
    assert response.status_code == 302 and Passenger.objects.filter(arrival=arrival).count() == 3


def test_a_draft_being_analysed_says_so_and_polls(client_for, arrival, case_manager):
    draft = _draft(arrival, case_manager)
    Manifest.objects.filter(pk=draft.pk).update(analysis_state=AnalysisState.RUNNING)
    client = client_for(case_manager)
    page = client.get(f"/reception/manifests/{draft.pk}/").content.decode()
    assert 'hx-trigger="every 2s"' in page and "Being analysed" in page and "<script" not in page.split("<main")[-1]
    assert client.post(f"/reception/manifests/{draft.pk}/", {"do": "import"}).status_code == 200
    assert not Passenger.objects.exists()  # nothing imported while it is analysed
    poll = client.get(f"/reception/manifests/{draft.pk}/", HTTP_HX_REQUEST="true", HTTP_HX_TARGET="manifest-analysis")
    assert "Being analysed" in poll.content.decode() and "<html" not in poll.content.decode()
    Manifest.objects.filter(pk=draft.pk).update(analysis_state=AnalysisState.DONE)
    poll = client.get(f"/reception/manifests/{draft.pk}/", HTTP_HX_REQUEST="true", HTTP_HX_TARGET="manifest-analysis")
    assert poll.status_code == 204 and poll["HX-Refresh"] == "true"


def test_the_analysis_runs_once(arrival, case_manager):
    draft = _draft(arrival, case_manager)
    analysed_at = draft.analysed_at
    Manifest.objects.filter(pk=draft.pk).update(content=b"garbage")
    assert services.manifest_analyse(manifest_id=draft.pk) == AnalysisState.DONE
    draft.refresh_from_db()
    assert draft.analysed_at == analysed_at and len(draft.table["rows"]) == 3


@override_settings(MBOA_RECEPTION={**__import__("django.conf").conf.settings.MBOA_RECEPTION, "MANIFEST_MAX_ROWS": 2})
def test_the_row_limit_holds_in_the_task(client_for, arrival, case_manager):
    draft = _draft(arrival, case_manager)
    assert draft.table.get("refused") and "rows" not in draft.table
    page = client_for(case_manager).get(f"/reception/manifests/{draft.pk}/").content.decode()
    assert 'data-testid="manifest-refused"' in page
    assert client_for(case_manager).post(f"/reception/manifests/{draft.pk}/", {"do": "import"}).status_code == 400
    assert not Passenger.objects.exists()


def test_one_draft_submitted_twice_imports_once(client_for, arrival, case_manager):
    draft = _draft(arrival, case_manager)
    client = client_for(case_manager)
    client.post(f"/reception/manifests/{draft.pk}/", {"do": "import"})
    second = client.post(f"/reception/manifests/{draft.pk}/", {"do": "import"}, follow=True)
    assert "imported already" in second.content.decode()
    assert Passenger.objects.filter(arrival=arrival).count() == 3
    # The service itself, as a second request that passed the page's check before the first wrote:
    stale = Manifest.objects.get(pk=draft.pk)
    stale.status = "draft"
    report = services.manifest_import_draft(manifest=stale, by=case_manager)
    assert report.already_imported and report.imported == 0
    assert Passenger.objects.filter(arrival=arrival).count() == 3
    api = APIClient()
    api.force_authenticate(case_manager)
    response = api.post(f"/api/v1/manifests/{draft.pk}/import/", {}, format="json")
    assert response.status_code == 200 and response.json()["already_imported"] is True


def test_two_drafts_of_one_file_list_nobody_twice(client_for, arrival, case_manager):
    first, second = _draft(arrival, case_manager), _draft(arrival, case_manager)
    client = client_for(case_manager)
    assert client.post(f"/reception/manifests/{first.pk}/", {"do": "import"}).status_code == 302
    response = client.post(f"/reception/manifests/{second.pk}/", {"do": "import"})
    assert response.status_code == 400 and "already on this arrival" in response.content.decode()
    assert Passenger.objects.filter(arrival=arrival).count() == 3


def test_an_import_checked_before_another_wrote_is_refused_under_the_lock(arrival, case_manager, monkeypatch):
    """Two requests: both check the list (nobody listed yet), then each writes in turn."""
    first, second = _draft(arrival, case_manager), _draft(arrival, case_manager)
    checked_before = services.manifest_check_table(arrival=arrival, stored=second.table, file_name="m.csv",
                                                   mapping=second.mapping)
    assert services.manifest_import_draft(manifest=first, by=case_manager).imported == 3
    monkeypatch.setattr(services, "manifest_check_table", lambda **kwargs: checked_before)
    report = services.manifest_import_draft(manifest=second, by=case_manager)
    assert not report.ok and report.imported == 0
    assert Passenger.objects.filter(arrival=arrival).count() == 3
    second.refresh_from_db()
    assert second.status == "draft"


def test_the_database_refuses_one_person_twice_on_an_arrival(arrival, case_manager):
    services.manifest_import_draft(manifest=_draft(arrival, case_manager), by=case_manager)
    listed = Passenger.objects.filter(arrival=arrival).first()
    assert listed.identity_key.startswith("atangana|jean paul|1990|4|12")
    with pytest.raises(IntegrityError), transaction.atomic():
        PassengerFactory(arrival=arrival, number=99, identity_key=listed.identity_key)
    PassengerFactory(arrival=ArrivalFactory(), number=1, identity_key=listed.identity_key)  # another arrival: fine
