"""The indicators API and the DHIS2 payload against a fixture with known counts; the
payload validated against the documented dataValueSets shape; the report's XLSX is
formula-safe."""

from __future__ import annotations

import datetime as dt
import io

import jsonschema
import pytest
from django.test import override_settings
from django.utils import timezone
from rest_framework.test import APIClient

from mboa.reception.tests.factories import ArrivalFactory, PassengerFactory
from mboa.statistics.release import indicators
from mboa.statistics.release.dhis2 import period_dates, periods_between

pytestmark = pytest.mark.django_db

# The shape DHIS2 imports at POST /api/dataValueSets (docs/statistics-release.md).
DATA_VALUE_SETS = {
    "type": "object",
    "required": ["dataValues"],
    "additionalProperties": False,
    "properties": {
        "dataSet": {"type": "string", "pattern": "^[A-Za-z][A-Za-z0-9]{10}$"},
        "dataValues": {"type": "array", "items": {
            "type": "object", "additionalProperties": False,
            "required": ["dataElement", "period", "orgUnit", "value"],
            "properties": {
                "dataElement": {"type": "string", "pattern": "^[A-Za-z][A-Za-z0-9]{10}$"},
                "period": {"type": "string", "pattern": r"^\d{4}((0[1-9]|1[0-2])|Q[1-4])?$"},
                "orgUnit": {"type": "string", "pattern": "^[A-Za-z][A-Za-z0-9]{10}$"},
                "value": {"type": "string", "pattern": r"^-?\d+(\.\d+)?$"},
            }}},
    },
}
MAPPING = {
    "DHIS2_DATA_SET": "dsMboa00001",
    "DHIS2_DATA_ELEMENTS": {"returnees": "deRetTotal1", "returnees_female": "deRetFemal1", "arrivals": "deArrivals1"},
    "DHIS2_ORG_UNITS": {"CM": "ouCameroon1", "CE": "ouCentre001"},
}


@pytest.fixture
def fixture_data():
    """January 2024: one arrival, 10 returnees (4 women, 3 minors, 2 with a vulnerability),
    3 of them born in the Centre; a cancelled arrival that does not count; March: 5 more."""
    from mboa.actors.models import Department
    from mboa.registry.tests.factories import PersonFactory

    centre = Department.objects.filter(region_id="CE").order_by("code").first()
    jan = ArrivalFactory(reference="jan", status="completed", expected_at=timezone.make_aware(dt.datetime(2024, 1, 9)))
    for i in range(10):
        person = PersonFactory(place_of_birth=centre) if i < 3 else None
        PassengerFactory(arrival=jan, sex="F" if i < 4 else "M", birth_year=2012 if i < 3 else 1990,
                         vulnerabilities=["debt", "medical"] if i < 2 else [], person=person)
    off = ArrivalFactory(reference="off", status="cancelled", expected_at=timezone.make_aware(dt.datetime(2024, 1, 9)))
    PassengerFactory(arrival=off)
    mar = ArrivalFactory(reference="mar", status="completed", expected_at=timezone.make_aware(dt.datetime(2024, 3, 2)))
    for _i in range(5):
        PassengerFactory(arrival=mar, sex="M")


def _api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_the_indicators_api_gives_each_indicator_its_code_value_and_parts(donor, fixture_data):
    body = _api(donor).get("/api/v1/indicators/?from=2024-01-01&to=2024-01-31").json()
    by_code = {row["code"]: row for row in body["indicators"]}
    assert body["from"] == "2024-01-01" and body["region"] == ""
    assert by_code["arrivals"]["value"] == 1
    assert by_code["returnees"]["value"] == 10
    assert (by_code["returnees_female"]["numerator"], by_code["returnees_female"]["denominator"]) == (4, 10)
    assert by_code["returnees_female"]["value"] == 0.4 and by_code["returnees_female"]["unit"] == "rate"
    assert by_code["returnees_minor"]["numerator"] == 3
    assert by_code["returnees_vulnerable"]["numerator"] == 2
    assert {"cases_opened", "referrals_sent", "referral_accept_days", "agreements_signed", "projects_approved",
            "projects_installed"} <= set(by_code)
    centre = _api(donor).get("/api/v1/indicators/?from=2024-01-01&to=2024-03-31&region=CE").json()
    by_code = {row["code"]: row for row in centre["indicators"]}
    assert by_code["returnees"]["value"] == 3
    assert by_code["arrivals"]["value"] is None  # national only


def test_a_wrong_period_is_a_400_naming_its_field(donor):
    response = _api(donor).get("/api/v1/indicators/?from=2024-05-01&to=2024-01-01")
    assert response.status_code == 400 and "to" in response.json()
    assert _api(donor).get("/api/v1/indicators/dhis2/?period=2024Q5").status_code == 400


@pytest.mark.parametrize("role", ["insertion_counsellor", "psy_counsellor", "fp_minas"])
def test_indicators_are_refused_to_those_they_are_not_for(personas, role):
    assert _api(personas[role]).get("/api/v1/indicators/").status_code == 403
    assert _api(personas[role]).get("/api/v1/indicators/dhis2/?period=202401").status_code == 403


@override_settings(MBOA_STATISTICS={"SUPPRESSION_THRESHOLD": 5, "DHIS2_MAX_PERIODS": 12, **MAPPING})
def test_the_dhis2_payload_has_the_documented_shape_and_the_known_values(statistician, fixture_data):
    payload = _api(statistician).get("/api/v1/indicators/dhis2/?from=2024-01-01&to=2024-03-31"
                                     "&period_type=monthly").json()
    jsonschema.validate(payload, DATA_VALUE_SETS)
    values = {(v["dataElement"], v["period"], v["orgUnit"]): v["value"] for v in payload["dataValues"]}
    assert values[("deRetTotal1", "202401", "ouCameroon1")] == "10"
    assert values[("deRetFemal1", "202401", "ouCameroon1")] == "0.4"
    assert values[("deRetTotal1", "202401", "ouCentre001")] == "3"
    assert values[("deRetTotal1", "202403", "ouCameroon1")] == "5"
    assert values[("deArrivals1", "202401", "ouCameroon1")] == "1"
    assert ("deArrivals1", "202401", "ouCentre001") not in values  # national only: no regional value
    assert ("deRetFemal1", "202402", "ouCameroon1") not in values  # no returnee: no rate
    quarter = _api(statistician).get("/api/v1/indicators/dhis2/?period=2024Q1").json()
    jsonschema.validate(quarter, DATA_VALUE_SETS)
    assert {(v["dataElement"], v["orgUnit"]): v["value"] for v in quarter["dataValues"]}[
        ("deRetTotal1", "ouCameroon1")] == "15"


def test_dhis2_periods():
    assert period_dates("2024Q2") == (dt.date(2024, 4, 1), dt.date(2024, 6, 30))
    assert period_dates("202402") == (dt.date(2024, 2, 1), dt.date(2024, 2, 29))
    assert period_dates("2023") == (dt.date(2023, 1, 1), dt.date(2023, 12, 31))
    assert periods_between(dt.date(2024, 1, 15), dt.date(2024, 7, 31), "quarterly") == ["2024Q2"]
    assert periods_between(dt.date(2023, 12, 1), dt.date(2024, 2, 29)) == ["202312", "202401", "202402"]


def test_the_report_workbook_never_holds_a_formula(client_for, donor, fixture_data):
    from openpyxl import load_workbook

    hostile = indicators.Indicator("test_hostile", '=HYPERLINK("http://evil","x")', lambda f: 1, group="@SUM(A1)")
    indicators.register(hostile)
    try:
        response = client_for(donor).get("/statistics/release/report.xlsx?date_from=2024-01-01&date_to=2024-01-31")
    finally:
        indicators._registry.pop("test_hostile")
    sheet = load_workbook(io.BytesIO(response.content)).active
    texts = [cell.value for row in sheet.iter_rows() for cell in row if isinstance(cell.value, str)]
    assert "'=HYPERLINK(\"http://evil\",\"x\")" in texts and "'@SUM(A1)" in texts
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)
    values = {row[1].value: row[2].value for row in sheet.iter_rows() if len(row) > 2}
    assert values["returnees"] == 10


def test_referral_indicators_count_what_was_sent_accepted_and_delivered(donor, case_manager):
    from mboa.referrals.models import Referral
    from mboa.referrals.tests.factories import give_consent, make_case, send

    today = timezone.localdate()
    sent_at = timezone.now() - dt.timedelta(days=3)
    for i in range(3):
        case = make_case(by=case_manager, family_name=f"Ndzi{i}", phone=f"+23769900001{i}")
        give_consent(case, "MINAS", by=case_manager)
        referral = send(case, by=case_manager)
        Referral.objects.filter(pk=referral.pk).update(sent_at=sent_at)
        if i < 2:  # accepted two days after sending
            Referral.objects.filter(pk=referral.pk).update(accepted_at=sent_at + dt.timedelta(days=2),
                                                          status="accepted")
    body = _api(donor).get(f"/api/v1/indicators/?from={today - dt.timedelta(days=10)}&to={today}").json()
    by_code = {row["code"]: row for row in body["indicators"]}
    assert by_code["referrals_sent"]["value"] == 3
    assert (by_code["referrals_accepted"]["numerator"], by_code["referrals_accepted"]["denominator"]) == (2, 3)
    assert by_code["referral_accept_days"]["value"] == 2.0
    assert by_code["cases_opened"]["value"] == 3
