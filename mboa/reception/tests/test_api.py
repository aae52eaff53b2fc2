"""The API: same rules and scoping as the pages."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from rest_framework.test import APIClient

from mboa.core.models import SensitiveAccess
from mboa.reception import services
from mboa.reception.models import Passenger
from mboa.reception.tests.factories import GOOD_ROWS, ArrivalFactory, PassengerFactory, csv_bytes

pytestmark = pytest.mark.django_db


def api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def charter(case_manager):
    return services.arrival_create(by=case_manager, data={
        "reference": "ch-api", "kind": "charter", "departure_country": "LY", "entry_point": "NSI",
        "expected_at": timezone.now() + dt.timedelta(hours=12), "expected_people": 162, "pocket_money_eligible": True})


def test_create_arrival_mobilises(case_manager):
    response = api(case_manager).post("/api/v1/arrivals/", {
        "reference": "x-1", "kind": "charter", "departure_country": "NE", "entry_point": "DLA",
        "expected_at": "2030-01-01T10:00:00Z", "expected_people": 80}, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["mobilises_gta"] is True


def test_focal_point_cannot_create_arrival(fp_minas):
    response = api(fp_minas).post("/api/v1/arrivals/", {"reference": "x"}, format="json")
    assert response.status_code == 403


def test_tasks_scoped_by_structure(charter, fp_minsante, fp_minas, django_assert_max_num_queries):
    with django_assert_max_num_queries(8):
        response = api(fp_minsante).get("/api/v1/gta-tasks/?arrival=ch-api")
    codes = {row["structure"] for row in response.json()["results"]}
    assert codes == {"MINSANTE"}
    minas_task = charter.tasks.get(structure__code="MINAS", code="first_interview")
    assert api(fp_minsante).get(f"/api/v1/gta-tasks/{minas_task.pk}/").status_code == 404
    assert api(fp_minsante).post(f"/api/v1/gta-tasks/{minas_task.pk}/complete/", {}).status_code == 404
    response = api(fp_minas).post(f"/api/v1/gta-tasks/{minas_task.pk}/complete/", {"comment": "fait"}, format="json")
    assert response.status_code == 200 and response.json()["status"] == "done"


def test_manifest_upload_all_or_nothing(charter, case_manager):
    client = api(case_manager)
    bad = csv_bytes([GOOD_ROWS[0], [*GOOD_ROWS[1][:3], "31/02/1990", *GOOD_ROWS[1][4:]]])
    response = client.post("/api/v1/manifests/", {"arrival": "ch-api", "file": SimpleUploadedFile("m.csv", bad)},
                           format="multipart")
    assert response.status_code == 400
    assert response.json()["problems"][0]["row"] == 3
    assert response.json()["problems"][0]["column"] == "Date de naissance"
    assert not Passenger.objects.exists()
    response = client.post("/api/v1/manifests/", {"arrival": "ch-api",
                                                  "file": SimpleUploadedFile("m.csv", csv_bytes(GOOD_ROWS))},
                           format="multipart")
    assert response.status_code == 201 and response.json()["imported"] == 3


def test_medical_hidden_from_non_health_roles_in_api(charter, fp_minsante, case_manager, fp_minas):
    passenger = PassengerFactory(arrival=charter)
    services.step_record(passenger=passenger, step="medical", by=fp_minsante,
                         data={"needs_follow_up": True, "findings": "Tuberculose", "vaccinations": ""})
    health = api(fp_minsante).get(f"/api/v1/arrival-returnees/{passenger.pk}/").json()
    assert health["medical"]["findings"] == "Tuberculose"
    for user in (case_manager, fp_minas):
        data = api(user).get(f"/api/v1/arrival-returnees/{passenger.pk}/").json()
        assert data["medical"] is None
        assert "Tuberculose" not in str(data)
        medical_step = next(s for s in data["steps"] if s["step"] == "medical")
        assert medical_step["needs_follow_up"] is True  # the summary everyone sees
    logged = [a.fields for a in SensitiveAccess.objects.filter(user=fp_minsante, channel="api")]
    assert ["findings", "hospital_referral", "vaccinations"] in logged


def test_steps_through_api_and_pocket_money_once(charter, case_manager, fp_minas):
    passenger = PassengerFactory(arrival=charter)
    client = api(case_manager)
    url = f"/api/v1/arrival-returnees/{passenger.pk}/steps/"
    assert client.post(url, {"step": "pocket_money", "receipt": "signature"}, format="json").status_code == 201
    again = client.post(url, {"step": "pocket_money", "receipt": "signature"}, format="json")
    assert again.status_code == 400 and "once" in again.json()["detail"]
    assert api(fp_minas).post(url, {"step": "police", "nationality_check": "verified"}, format="json").status_code == 403


def test_returnee_list_queries_constant(charter, case_manager, django_assert_max_num_queries):
    for _ in range(15):
        PassengerFactory(arrival=charter)
    with django_assert_max_num_queries(10):
        response = api(case_manager).get("/api/v1/arrival-returnees/?arrival=ch-api")
    assert response.json()["count"] == 15


def test_outsiders_see_nothing(charter, make_user, donor):
    outsider = make_user("MINEFOP", ("focal_point",))
    passenger = PassengerFactory(arrival=charter)
    assert api(outsider).get("/api/v1/arrivals/").status_code == 403
    assert api(outsider).get(f"/api/v1/arrival-returnees/{passenger.pk}/").status_code in (403, 404)
    assert api(donor).get("/api/v1/arrival-returnees/").status_code == 403
    assert api(donor).get("/api/v1/arrivals/ch-api/report/").status_code == 200


def test_report_api(charter, case_manager):
    ArrivalFactory()
    data = api(case_manager).get("/api/v1/arrivals/ch-api/report/").json()
    assert data["total"] == 0 and "by_sex" in data


def test_list_reads_are_logged_in_one_row_naming_the_returnees(charter, case_manager):
    shown = [PassengerFactory(arrival=charter) for _ in range(3)]
    api(case_manager).get("/api/v1/arrival-returnees/?arrival=ch-api")
    access = SensitiveAccess.objects.get(user=case_manager, channel="api")
    assert sorted(access.target_ids) == sorted(str(p.pk) for p in shown)
