"""Each reception write that exists as a page and as an API endpoint gives every persona
the same answer on both (done / refused / forbidden / hidden), and the list selectors show
exactly what the per-object rules allow.

Writes on one side only (not compared here):
- pages only: the identity decision on a returnee (``passenger_identity``), unticking a
  step (``step_tick`` with ``undo``), reopening a GTA task, uploading a manifest as a draft
  and saving its column mapping (the API uploads and imports in one request), editing the
  GTA task template (administration);
- API only: none.
"""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from mboa.core.testing import (
    DONE,
    FORBIDDEN,
    HIDDEN,
    REFUSED,
    Request,
    Write,
    assert_same_answers,
    parity_answers,
    scope_disagreements,
)
from mboa.reception import selectors, services
from mboa.reception.models import Arrival, GtaTask, Passenger, PocketMoneyPayment, ReceptionStep
from mboa.reception.tests.factories import GOOD_ROWS, ArrivalFactory, PassengerFactory, csv_bytes

pytestmark = pytest.mark.django_db



@pytest.fixture
def charter(case_manager):
    return services.arrival_create(by=case_manager, data={
        "reference": "ch-parity", "kind": "charter", "departure_country": "LY", "entry_point": "NSI",
        "expected_at": timezone.now() + dt.timedelta(hours=12), "expected_people": 162,
        "pocket_money_eligible": True})


@pytest.fixture
def returnee(charter, case_manager):
    passenger = PassengerFactory(arrival=charter, family_name="Atangana")
    services.step_record(passenger=passenger, step="registration", by=case_manager)
    return passenger


def _arrival_form(arrival: Arrival, **changes) -> dict:
    local = timezone.localtime(arrival.expected_at)
    data = {"reference": arrival.reference, "kind": arrival.kind, "departure_country": arrival.departure_country,
            "entry_point": arrival.entry_point, "entry_point_detail": arrival.entry_point_detail,
            "flight_number": arrival.flight_number, "expected_at": local.strftime("%Y-%m-%dT%H:%M"),
            "expected_people": str(arrival.expected_people), "pocket_money_amount": str(arrival.pocket_money_amount),
            "notes": arrival.notes}
    if arrival.pocket_money_eligible:
        data["pocket_money_eligible"] = "on"
    return {**data, **changes}


def _writes(charter: Arrival, returnee: Passenger) -> list[Write]:
    ref, pid = charter.reference, returnee.pk
    task = charter.tasks.get(code="medical_screening", structure__code="MINSANTE")
    new = {"reference": "new-1", "kind": "scheduled_flight", "departure_country": "NE", "entry_point": "DLA",
           "expected_people": "3"}
    return [
        Write("arrival create",
              page=lambda: Request("post", "/reception/new/", {**new, "expected_at": "2030-01-10T10:00",
                                                               "pocket_money_amount": "0"}),
              api=lambda: Request("post", "/api/v1/arrivals/", {**new, "expected_at": "2030-01-10T10:00:00Z"}),
              effect=lambda: Arrival.objects.count()),
        Write("arrival update",
              page=lambda: Request("post", f"/reception/{ref}/edit/", _arrival_form(charter, expected_people="99")),
              api=lambda: Request("patch", f"/api/v1/arrivals/{ref}/", {"expected_people": 99}),
              effect=lambda: Arrival.objects.get(pk=charter.pk).expected_people),
        Write("arrival transition",
              page=lambda: Request("post", f"/reception/{ref}/transition/confirm/"),
              api=lambda: Request("post", f"/api/v1/arrivals/{ref}/transition/", {"action": "confirm"}),
              effect=lambda: Arrival.objects.get(pk=charter.pk).status),
        Write("step (information)",
              page=lambda: Request("post", f"/reception/returnees/{pid}/steps/information/"),
              api=lambda: Request("post", f"/api/v1/arrival-returnees/{pid}/steps/", {"step": "information"}),
              effect=lambda: ReceptionStep.objects.filter(passenger_id=pid, step="information").count()),
        Write("step (police, with its outcome)",
              page=lambda: Request("post", f"/reception/returnees/{pid}/steps/police/",
                                   {"nationality_check": "verified"}),
              api=lambda: Request("post", f"/api/v1/arrival-returnees/{pid}/steps/",
                                  {"step": "police", "nationality_check": "verified"}),
              effect=lambda: ReceptionStep.objects.filter(passenger_id=pid, step="police").count()),
        Write("pocket money",
              page=lambda: Request("post", f"/reception/returnees/{pid}/steps/pocket_money/", {"receipt": "signature"}),
              api=lambda: Request("post", f"/api/v1/arrival-returnees/{pid}/steps/",
                                  {"step": "pocket_money", "receipt": "signature"}),
              effect=lambda: PocketMoneyPayment.objects.count()),
        Write("vulnerability flag",
              page=lambda: Request("post", f"/reception/returnees/{pid}/vulnerability/", {"flags": ["medical"]}),
              api=lambda: Request("post", f"/api/v1/arrival-returnees/{pid}/vulnerability/", {"flags": ["medical"]}),
              effect=lambda: Passenger.objects.get(pk=pid).vulnerabilities),
        Write("GTA task completion",
              page=lambda: Request("post", f"/reception/tasks/{task.pk}/done/", {"comment": "fait"}),
              api=lambda: Request("post", f"/api/v1/gta-tasks/{task.pk}/complete/", {"comment": "fait"}),
              effect=lambda: GtaTask.objects.get(pk=task.pk).status),
        Write("hand-over",
              page=lambda: Request("post", f"/reception/{ref}/hand-over/"),
              api=lambda: Request("post", f"/api/v1/arrivals/{ref}/hand-over/"),
              effect=lambda: Passenger.objects.filter(arrival=charter, handed_over_at__isnull=False).count()),
    ]


def test_page_and_api_give_every_persona_the_same_answer(client, personas, charter, returnee):
    for write in _writes(charter, returnee):
        assert_same_answers(write.name, parity_answers(client, personas, write))


def test_who_may_do_what_at_reception(client, personas, charter, returnee):
    """The answers themselves, for a few writes (the matrix of permissions.py)."""
    writes = {w.name: w for w in _writes(charter, returnee)}
    create = parity_answers(client, personas, writes["arrival create"])
    assert {p for p, (page, _api) in create.items() if page == DONE} == {"admin", "case_manager", "supervisor"}
    assert create["fp_minas"] == (FORBIDDEN, FORBIDDEN)
    task = parity_answers(client, personas, writes["GTA task completion"])
    assert task["fp_minsante"] == (DONE, DONE) and task["fp_minas"] == (HIDDEN, HIDDEN)
    assert task["case_manager"] == (REFUSED, REFUSED)  # sees the whole board, ticks only IOM's tasks
    step = parity_answers(client, personas, writes["step (information)"])
    assert step["case_manager"] == (DONE, DONE) and step["fp_minas"] == (FORBIDDEN, FORBIDDEN)
    assert step["insertion_counsellor"] == (HIDDEN, HIDDEN)  # not a returnee of their cases: not theirs to see
    hand_over = parity_answers(client, personas, writes["hand-over"])
    assert hand_over["fp_minsante"] == (FORBIDDEN, FORBIDDEN) and hand_over["statistician"] == (HIDDEN, HIDDEN)


def test_manifest_import_page_and_api_agree(client, personas, charter, case_manager):
    """The API takes the file as multipart (the page imports a draft uploaded before)."""
    draft = services.manifest_upload(arrival=charter, by=case_manager, content=csv_bytes(GOOD_ROWS), file_name="m.csv")
    write = Write(
        "manifest import",
        page=lambda: Request("post", f"/reception/manifests/{draft.pk}/", {"do": "import"}),
        api=lambda: Request("post", "/api/v1/manifests/", {
            "arrival": charter.reference, "file": SimpleUploadedFile("m.csv", csv_bytes(GOOD_ROWS))}, multipart=True),
        effect=lambda: Passenger.objects.filter(arrival=charter).count())
    answers = parity_answers(client, personas, write)
    assert_same_answers(write.name, answers)
    assert answers["case_manager"] == (DONE, DONE) and answers["fp_minsante"] == (HIDDEN, HIDDEN)


def test_arrival_list_shows_what_the_report_rule_allows(personas):
    arrivals = [ArrivalFactory(), ArrivalFactory(status="completed")]
    assert scope_disagreements(users=personas, listed=lambda user: selectors.arrival_list_for_user(user=user),
                               rule="reception.view_report", candidates=arrivals) == []


def test_returnee_list_shows_what_the_passenger_rule_allows(personas):
    arrival = ArrivalFactory()
    passengers = [PassengerFactory(arrival=arrival) for _ in range(3)]
    PassengerFactory()  # another arrival's
    assert scope_disagreements(
        users=personas, listed=lambda user: selectors.passenger_list_for_user(user=user, arrival=arrival),
        rule="reception.view_passengers", candidates=passengers) == []
