"""Cohort figures against a fixture with known answers, the trajectory page, the home panel."""

import datetime as dt

import pytest
from django.urls import reverse

from mboa.cases.models import Case
from mboa.cases.tests.factories import make_case
from mboa.monitoring.surveys import catalog, selectors, services

pytestmark = pytest.mark.django_db


@pytest.fixture
def version(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        version, _weights = services.catalog_load(catalog=catalog.example_catalog(), by=None, is_example=True,
                                                  adopt=True)
    return version


def _arrived(case, day):
    Case.objects.filter(pk=case.pk).update(arrival_date=day)
    case.refresh_from_db()
    return case


def test_cohort_means_and_counts_by_hand(version, case_manager, donor, client_for):
    # Five returnees of 2024, intake answers: eco_activite "oui" (1) for three, "non" (0) for two; nothing else.
    # Each survey: economic = 1 or 0, no other dimension: composite = economic.
    # Cohort 2024 at intake: n = 5, mean composite = (1 + 1 + 1 + 0 + 0) / 5 = 0.6.
    for answer in ("oui", "oui", "oui", "non", "non"):
        case = _arrived(make_case(by=case_manager), dt.date(2024, 3, 1))
        services.survey_record(case=case, round="intake", version=version, collected_on=dt.date(2024, 3, 2),
                               answers={"eco_activite": answer}, by=case_manager)
    # Four of 2025: under 5, their cell shows its count only.
    for _ in range(4):
        case = _arrived(make_case(by=case_manager), dt.date(2025, 5, 1))
        services.survey_record(case=case, round="intake", version=version, collected_on=dt.date(2025, 5, 2),
                               answers={"eco_activite": "oui"}, by=case_manager)
    table = selectors.cohorts_for_user(user=donor)
    assert table.cohorts == ["2024", "2025"]
    assert table.cells[("2024", "intake")]["n"] == 5 and table.cells[("2024", "intake")]["value"] == 0.6
    assert table.cells[("2025", "intake")]["n"] == 4 and table.cells[("2025", "intake")]["value"] is None
    page = client_for(donor).get(reverse("monitoring:survey_cohorts")).content.decode()
    assert "0,600" in page or "0.600" in page
    trend = selectors.score_trend(filters={"group": "arrival_year"})
    assert [(r["period"], r["n"], r["composite"]) for r in trend] == [("2024", 5, 0.6), ("2025", 4, None)]


def test_the_trajectory_shows_scores_by_round_and_the_home_panel_lists_due_cases(version, case_manager, client_for):
    case = _arrived(make_case(by=case_manager), dt.date.today() - dt.timedelta(days=200))
    services.survey_record(case=case, round="intake", version=version, collected_on=case.arrival_date,
                           answers={"eco_activite": "non"}, by=case_manager)
    services.survey_record(case=case, round="m3", version=version, collected_on=case.arrival_date + dt.timedelta(days=95),
                           answers={"eco_activite": "oui"}, by=case_manager)
    client = client_for(case_manager)
    page = client.get(reverse("monitoring:survey_case", args=[case.pk])).content.decode()
    assert page.index("0.0000") < page.index("1.0000")  # intake 0, then 3 months 1
    # Six months after arrival, the 6-month round is due.
    due = selectors.surveys_due_for_user(user=case_manager)
    assert due["count"] == 1 and due["rows"][0]["number"] == case.number
    home = client.get("/").content.decode()
    assert reverse("monitoring:survey_case", args=[case.pk]) in home


def test_the_case_page_leads_its_staff_to_the_trajectory_and_not_the_others(case_manager, fp_minas, client_for):
    case = make_case(by=case_manager)
    link = reverse("monitoring:survey_case", args=[case.pk])
    assert link in client_for(case_manager).get(reverse("cases:case_detail", args=[case.pk])).content.decode()
    assert client_for(fp_minas).get(reverse("cases:case_detail", args=[case.pk])).status_code in (403, 404)
