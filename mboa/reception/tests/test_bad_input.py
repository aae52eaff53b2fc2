"""Bad input is a 400 with a message (form and API), never a database error: arrivals that
expect nobody, dates in the year 272, notes of ten thousand characters and more."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from mboa.core.validators import NOTE_MAX_LENGTH
from mboa.reception.models import Arrival, Passenger
from mboa.reception.tests.factories import GOOD_ROWS, ArrivalFactory, csv_bytes

pytestmark = pytest.mark.django_db

NEW = {"reference": "x-bad", "kind": "scheduled_flight", "departure_country": "NE", "entry_point": "DLA",
       "expected_at": "2030-01-01T10:00:00Z", "expected_people": 3}


def api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.mark.parametrize(("field", "value"), [
    ("expected_people", 0), ("expected_people", -1), ("expected_at", "0272-01-01T10:00:00Z"),
    ("expected_at", "2999-01-01T10:00:00Z"), ("notes", "x" * (NOTE_MAX_LENGTH + 1)),
])
def test_api_refuses_a_bad_arrival_with_a_400(case_manager, field, value):
    response = api(case_manager).post("/api/v1/arrivals/", {**NEW, field: value}, format="json")
    assert response.status_code == 400, response.content
    assert field in response.json() or field in str(response.json())
    assert not Arrival.objects.filter(reference="x-bad").exists()


def test_api_refuses_to_change_an_arrival_to_expect_nobody(case_manager):
    arrival = ArrivalFactory(reference="x-edit")
    response = api(case_manager).patch(f"/api/v1/arrivals/{arrival.reference}/", {"expected_people": 0}, format="json")
    assert response.status_code == 400
    arrival.refresh_from_db()
    assert arrival.expected_people == 3


def test_api_refuses_a_transition_note_too_long(case_manager):
    arrival = ArrivalFactory(reference="x-note")
    response = api(case_manager).post(f"/api/v1/arrivals/{arrival.reference}/transition/",
                                      {"action": "confirm", "note": "x" * (NOTE_MAX_LENGTH + 1)}, format="json")
    assert response.status_code == 400
    arrival.refresh_from_db()
    assert arrival.status == "planned"


@pytest.mark.parametrize(("field", "value"), [("expected_people", "0"), ("expected_people", "-4"),
                                              ("expected_at", "0272-01-01T10:00")])
def test_form_refuses_a_bad_arrival_with_a_400(client_for, case_manager, field, value):
    data = {**NEW, "expected_at": "2030-01-01T10:00", "pocket_money_amount": "0", field: value}
    response = client_for(case_manager).post("/reception/new/", data)
    assert response.status_code == 400
    assert not Arrival.objects.filter(reference="x-bad").exists()


def test_api_refuses_a_birth_date_in_the_year_272(case_manager):
    arrival = ArrivalFactory(reference="x-birth")
    row = [*GOOD_ROWS[0][:3], "12/04/0272", *GOOD_ROWS[0][4:]]
    response = api(case_manager).post("/api/v1/manifests/", {
        "arrival": arrival.reference, "file": SimpleUploadedFile("m.csv", csv_bytes([row]))}, format="multipart")
    assert response.status_code == 400
    assert "272" in " ".join(response.json()["messages"])
    assert not Passenger.objects.filter(arrival=arrival).exists()
