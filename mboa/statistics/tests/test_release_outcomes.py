"""The outcome indicators (survival, sustainability score, satisfaction and complaints,
community) in the indicators API, the DHIS2 payload and the donor's periodic report,
against the fixture of the dashboards' outcome tests (known counts, see its docstring)."""

from __future__ import annotations

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from mboa.projects.followup import add_months

from .test_dashboards_outcomes import outcomes  # noqa: F401  (the fixture)

pytestmark = pytest.mark.django_db

CODES = ("project_survival_6m", "project_survival_12m", "sustainability_composite_mean", "satisfaction_mean",
         "feedback_first_response_median_days", "feedback_closed_within_target_share", "awareness_activities",
         "community_beneficiaries")


def _api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_the_api_carries_the_outcome_indicators_with_their_known_values(donor, outcomes):  # noqa: F811
    today = timezone.localdate()
    period = f"from={add_months(today, -1)}&to={today}"
    by_code = {row["code"]: row for row in _api(donor).get(f"/api/v1/indicators/?{period}").json()["indicators"]}
    assert set(CODES) <= set(by_code)
    # 6 months: C (installed 7 months ago) reached its milestone in the period, running. 12 months: A
    # (running) and B (stopped at 6 months), installed 13 months ago.
    assert (by_code["project_survival_6m"]["numerator"], by_code["project_survival_6m"]["denominator"]) == (1, 1)
    assert by_code["project_survival_12m"]["value"] == 0.5
    assert (by_code["project_survival_12m"]["numerator"], by_code["project_survival_12m"]["denominator"]) == (1, 2)
    # five intake surveys (0.4 to 0.8) and three at 6 months (1.0): (3.0 + 3.0) / 8
    assert by_code["sustainability_composite_mean"]["value"] == 0.75
    assert by_code["sustainability_composite_mean"]["unit"] == "mean"
    assert by_code["satisfaction_mean"]["value"] == 4.5
    assert by_code["feedback_first_response_median_days"]["value"] == 2.0
    assert by_code["feedback_closed_within_target_share"]["value"] == 0.667
    assert by_code["awareness_activities"]["value"] == 2
    assert by_code["community_beneficiaries"]["value"] == 12
    centre = {row["code"]: row["value"] for row in
              _api(donor).get(f"/api/v1/indicators/?{period}&region=CE").json()["indicators"]}
    assert centre["project_survival_12m"] is None  # the projects are in the Littoral
    assert centre["awareness_activities"] == 2 and centre["satisfaction_mean"] == 4.5


def test_the_composite_mean_is_not_published_below_five_surveys(donor, outcomes):  # noqa: F811
    from mboa.monitoring.surveys.models import SurveyScore

    SurveyScore.objects.filter(survey__round="intake").delete()  # three surveys left
    today = timezone.localdate()
    body = _api(donor).get(f"/api/v1/indicators/?from={add_months(today, -1)}&to={today}").json()
    assert {r["code"]: r["value"] for r in body["indicators"]}["sustainability_composite_mean"] is None


def test_the_dhis2_payload_carries_the_mapped_outcome_indicators(statistician, outcomes):  # noqa: F811
    from django.conf import settings

    mapping = {"DHIS2_DATA_ELEMENTS": {"awareness_activities": "deAwareAct01", "satisfaction_mean": "deSatisMea01",
                                       "community_beneficiaries": "deComBenef01"},
               "DHIS2_ORG_UNITS": {"CM": "ouCameroon1"}}
    period = f"{timezone.localdate():%Y%m}"
    with override_settings(MBOA_STATISTICS={**settings.MBOA_STATISTICS, **mapping}):
        payload = _api(statistician).get(f"/api/v1/indicators/dhis2/?period={period}").json()
    values = {v["dataElement"]: v["value"] for v in payload["dataValues"]}
    assert values == {"deAwareAct01": "2", "deSatisMea01": "4.5", "deComBenef01": "12"}


def test_the_donor_report_shows_the_outcome_indicators(client_for, donor, outcomes):  # noqa: F811
    today = timezone.localdate()
    response = client_for(donor).get(reverse("statistics:release_donor_report"),
                                     {"date_from": add_months(today, -1), "date_to": today})
    assert response.status_code == 200
    lines = {line.code: line.value for _group, lines in response.context["sections"] for line in lines}
    assert set(CODES) <= set(lines)
    assert lines["project_survival_12m"].startswith("50")
    assert lines["sustainability_composite_mean"] in ("0.75", "0,75")  # two decimals, not rounded to 1
    assert lines["awareness_activities"] == "2"
