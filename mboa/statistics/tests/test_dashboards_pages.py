"""The dashboards, ownership and reports pages as each persona: who reads them, that they
name no one (page and API), that downloads are formula-safe, the homes and menus."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.urls import reverse
from django.utils import timezone

pytestmark = pytest.mark.django_db

PAGES = ("statistics:dashboards_index", "statistics:dashboards_ownership", "statistics:dashboards_reports",
         "statistics:dashboards_xlsx", "statistics:dashboards_ownership_xlsx")


@pytest.fixture
def named(case_manager):
    """A returnee with a name no figure may show, with a case, a referral and a passenger record."""
    from mboa.cases.models import Case
    from mboa.cases.tests.factories import make_case
    from mboa.reception.tests.factories import ArrivalFactory, PassengerFactory

    case = make_case(by=case_manager, family_name="Zzyzxnom", given_names="Prenomsecret", sex="F")
    Case.objects.filter(pk=case.pk).update(destination_region_id="LT")
    arrival = ArrivalFactory(expected_at=timezone.now() - dt.timedelta(days=3), status="completed",
                             notes="=HYPERLINK(\"http://x\")")
    PassengerFactory(arrival=arrival, family_name="Zzyzxnom", given_names="Prenomsecret", sex="F", case=case)
    return case


@pytest.mark.parametrize("persona,allowed", [
    ("admin", True), ("case_manager", True), ("secretariat", True), ("fp_minsante", True), ("donor", True),
    ("statistician", True), ("insertion_counsellor", False), ("psy_counsellor", False),
])
def test_who_reads_the_figures(personas, client_for, persona, allowed):
    client = client_for(personas[persona])
    for name in PAGES:
        status = client.get(reverse(name)).status_code
        assert status == (200 if allowed else 403), (name, status)


def test_donor_and_statistician_see_no_one_on_pages_or_api(personas, client_for, named):
    for persona in ("donor", "statistician"):
        client = client_for(personas[persona])
        for name in ("statistics:dashboards_index", "statistics:dashboards_ownership", "statistics:dashboards_reports"):
            body = client.get(reverse(name)).content.decode()
            assert "Zzyzxnom" not in body and "Prenomsecret" not in body, (persona, name)
        xlsx = client.get(reverse("statistics:dashboards_xlsx")).content
        assert b"Zzyzxnom" not in xlsx
        # ...and the API gives them no one either.
        for basename in ("person", "case", "referral", "arrivalreturnee", "project-dossier"):
            url = reverse(f"api:{basename}-list")
            response = client.get(url)
            assert "Zzyzxnom" not in response.content.decode(), (persona, url)
            assert response.status_code in (403, 404) or response.json() in ([], {"count": 0}) or \
                response.json().get("count") == 0, (persona, url, response.status_code)
        home = client.get("/").content.decode()
        assert "Zzyzxnom" not in home


def test_the_dashboard_shows_the_figures_and_the_map(client_for, donor, named):
    response = client_for(donor).get(reverse("statistics:dashboards_index"), {"region": "LT", "sex": "F"})
    body = response.content.decode()
    assert 'data-testid="figure-arrivals_month"' in body
    assert 'type="application/json"' in body and "<script>" not in body  # data for the charts, no inline script
    assert body.count("data-region=") == 30  # 10 regions x (returns, cases, projects)
    assert 'class="level-4" data-region="LT"' in body  # the only region with a return: the darkest
    assert 'class="table-wrap"' in body and "style=" not in body
    assert 'data-testid="coming-next"' not in body  # replaced by the outcome figures
    assert 'data-testid="figure-survival_total"' in body and 'data-testid="figure-scores_round"' in body


def test_a_wrong_filter_is_ignored_not_an_error(client_for, statistician):
    response = client_for(statistician).get(reverse("statistics:dashboards_index"),
                                            {"start": "not-a-date", "region": "XX", "age_group": "0-17"})
    assert response.status_code == 200


def test_xlsx_download_is_formula_safe(client_for, secretariat, named):
    from openpyxl import load_workbook

    from mboa.reception.models import Arrival

    Arrival.objects.update(departure_country="=1")  # a country code that a spreadsheet would compute
    response = client_for(secretariat).get(reverse("statistics:dashboards_xlsx"), {"figure": "arrivals_country"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [c.value for row in sheet.iter_rows() for c in row if c.value is not None]
    assert "'=1" in values and "=1" not in values
    assert client_for(secretariat).get(reverse("statistics:dashboards_xlsx"), {"figure": "nope"}).status_code == 404


def test_ownership_page_shows_the_index_with_its_parts(client_for, secretariat):
    from mboa.statistics.dashboards import demo

    demo.seed(type("Ctx", (), {"count": lambda *a: None})())
    body = client_for(secretariat).get(reverse("statistics:dashboards_ownership")).content.decode()
    assert 'data-testid="ownership-index"' in body and 'data-testid="index-example"' in body
    assert 'data-testid="figure-ownership_parts"' in body
    assert "Mboa" in body and 'data-testid="ownership-missing"' in body


def test_ownership_page_without_an_adopted_index(client_for, donor):
    body = client_for(donor).get(reverse("statistics:dashboards_ownership")).content.decode()
    assert 'data-testid="no-index"' in body


def test_donor_statistician_and_secretariat_land_on_their_figures(personas, client_for):
    for persona in ("donor", "statistician", "secretariat"):
        body = client_for(personas[persona]).get("/").content.decode()
        assert 'data-testid="home-key-figures"' in body, persona
        for name in ("statistics:dashboards_index", "statistics:dashboards_ownership", "statistics:dashboards_reports"):
            assert f'href="{reverse(name)}"' in body, (persona, name)
    body = client_for(personas["insertion_counsellor"]).get("/").content.decode()
    assert 'data-testid="home-key-figures"' not in body
    assert reverse("statistics:dashboards_index") not in body


def test_reports_list_arrival_reports_and_gtr_syntheses(client_for, donor, named):
    body = client_for(donor).get(reverse("statistics:dashboards_reports")).content.decode()
    assert 'data-testid="arrival-reports"' in body
    assert reverse("referrals:delays") in body
