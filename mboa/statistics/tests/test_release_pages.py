"""The statistician's release page, the donor's report and the indicators API: who reaches
them, and that what they show names nobody."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from mboa.reception.tests.factories import ArrivalFactory, PassengerFactory
from mboa.statistics.release.models import StatisticalRelease

pytestmark = pytest.mark.django_db

MARK = "Marqreleasename"


@pytest.fixture
def returnees():
    when = timezone.make_aware(dt.datetime(2024, 2, 5, 10))
    arrival = ArrivalFactory(reference="feb", status="completed", expected_at=when, expected_people=12)
    for i in range(12):
        PassengerFactory(arrival=arrival, family_name=f"{MARK}{i}", sex="F" if i < 7 else "M", birth_year=2000,
                         vulnerabilities=["debt"] if i < 6 else [])
    return arrival


def test_the_statistician_generates_a_release_and_downloads_a_zip_that_names_nobody(client_for, statistician,
                                                                                   returnees,
                                                                                   django_capture_on_commit_callbacks):
    client = client_for(statistician)
    page = client.get("/statistics/release/")
    assert page.status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/statistics/release/new/", {"date_from": "2024-01-01", "date_to": "2024-03-31"})
    assert response.status_code == 302
    release = StatisticalRelease.objects.get()
    assert release.status == "done" and release.requested_by == statistician  # the task ran (eagerly)
    listing = client.get("/statistics/release/").content.decode()
    assert f"/statistics/release/{release.pk}/download/" in listing
    download = client.get(f"/statistics/release/{release.pk}/download/")
    assert download.status_code == 200
    content = b"".join(download.streaming_content)
    download.close()
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        names = {name.split("/", 1)[1] for name in archive.namelist()}
        assert {"README", "records_returnees.csv", "arrivals_month_sex_age.csv"} <= names
        for name in archive.namelist():
            assert MARK.lower() not in archive.read(name).decode().lower()
        table = archive.read(next(n for n in archive.namelist() if n.endswith("arrivals_month_sex_age.csv"))).decode()
    assert "2024-02,F,18-24,7," in table and "Total,Total,Total,12," in table


def test_a_period_that_ends_before_it_begins_is_refused_on_the_form(client_for, statistician):
    response = client_for(statistician).post("/statistics/release/new/",
                                             {"date_from": "2024-03-01", "date_to": "2024-01-31"})
    assert response.status_code == 400
    assert not StatisticalRelease.objects.exists()


@pytest.mark.parametrize("role", ["donor", "case_manager", "insertion_counsellor", "fp_minas", "secretariat"])
def test_only_statisticians_and_administrators_reach_the_release(client_for, personas, role):
    release = StatisticalRelease.objects.create(date_from=dt.date(2024, 1, 1), date_to=dt.date(2024, 1, 31))
    client = client_for(personas[role])
    assert client.get("/statistics/release/").status_code == 403
    assert client.post("/statistics/release/new/", {"date_from": "2024-01-01",
                                                      "date_to": "2024-01-31"}).status_code == 403
    assert client.get(f"/statistics/release/{release.pk}/download/").status_code == 403
    assert StatisticalRelease.objects.count() == 1


def test_the_statistician_reaches_no_identifying_page_or_api_route(client_for, statistician, returnees):
    client = client_for(statistician)
    passenger = returnees.passengers.first()
    for url in ("/cases/", "/registry/", f"/reception/{returnees.reference}/",
                f"/reception/passengers/{passenger.pk}/", "/referrals/"):
        response = client.get(url)
        assert response.status_code in (403, 404), f"{url} answers {response.status_code}"
    api = APIClient()
    api.force_authenticate(statistician)
    for url in ("/api/v1/people/", "/api/v1/cases/", "/api/v1/arrival-returnees/", "/api/v1/referrals/"):
        response = api.get(url)
        assert response.status_code in (403, 404) or response.json() in ([], {"count": 0}) or (
            isinstance(response.json(), dict) and response.json().get("count") == 0), url
    for url in ("/api/v1/indicators/?from=2024-01-01&to=2024-12-31", "/statistics/release/"):
        body = (api.get(url) if url.startswith("/api") else client.get(url)).content.decode()
        assert MARK.lower() not in body.lower()


def test_the_donor_finds_the_report_in_the_menu_and_it_names_nobody(client_for, donor, returnees):
    client = client_for(donor)
    home = client.get("/").content.decode()
    assert "/statistics/release/report/" in home
    assert "/statistics/release/\"" not in home  # the release is not theirs
    page = client.get("/statistics/release/report/?date_from=2024-01-01&date_to=2024-12-31&region=")
    assert page.status_code == 200
    body = page.content.decode()
    assert "12" in body and MARK.lower() not in body.lower()
    xlsx = client.get("/statistics/release/report.xlsx?date_from=2024-01-01&date_to=2024-12-31")
    assert xlsx.status_code == 200 and xlsx["Content-Type"].startswith("application/vnd.openxmlformats")
    pdf = client.get("/statistics/release/report.pdf?date_from=2024-01-01&date_to=2024-12-31")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


def test_the_statistician_finds_the_release_in_the_menu(client_for, statistician):
    home = client_for(statistician).get("/").content.decode()
    assert "/statistics/release/\"" in home


@pytest.mark.parametrize("role", ["statistician", "insertion_counsellor", "psy_counsellor", "fp_minas"])
def test_the_report_is_refused_to_those_it_is_not_for(client_for, personas, role):
    client = client_for(personas[role])
    for url in ("/statistics/release/report/", "/statistics/release/report.xlsx", "/statistics/release/report.pdf"):
        assert client.get(url).status_code == 403
