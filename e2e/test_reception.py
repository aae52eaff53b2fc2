"""A case manager imports a manifest, then ticks a returnee through two stations (on a phone)."""

import datetime as dt

import pytest
from django.utils import timezone

from mboa.accounts.tests.factories import TEST_PASSWORD, UserFactory
from mboa.reception import services
from mboa.reception.models import ReceptionStep
from mboa.reception.tests.factories import GOOD_ROWS, csv_bytes

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _login(page, url, user):
    page.goto(f"{url}/accounts/login/")
    page.get_by_label("Nom d’utilisateur").fill(user.username)
    page.get_by_label("Mot de passe").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url(f"{url}/")


def test_import_manifest_and_tick_through_two_stations(live_server, browser, tmp_path):
    user = UserFactory(username="gestionnaire.e2e", structure_code="OIM", roles=["case_manager"])
    services.arrival_create(by=user, data={
        "reference": "e2e-charter", "kind": "charter", "departure_country": "LY", "entry_point": "NSI",
        "expected_at": timezone.now() + dt.timedelta(hours=2), "expected_people": 3, "pocket_money_eligible": True})
    manifest = tmp_path / "manifeste.csv"
    manifest.write_bytes(csv_bytes(GOOD_ROWS, sep=";", encoding="cp1252"))

    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="fr-FR")
    page = context.new_page()
    page.set_default_timeout(10_000)
    _login(page, live_server.url, user)

    # Import: the file is checked first, then imported.
    page.goto(f"{live_server.url}/reception/e2e-charter/manifest/")
    page.locator("input[type=file]").set_input_files(str(manifest))
    page.get_by_test_id("check-file").click()
    page.get_by_test_id("manifest-ok").wait_for()
    page.get_by_test_id("import").click()
    page.wait_for_url("**/reception/e2e-charter/returnees/")
    assert page.get_by_text("ATANGANA Jean-Paul").is_visible()

    # Station 1, registration: a few letters find the returnee; one tap ticks them.
    page.goto(f"{live_server.url}/reception/e2e-charter/stations/registration/")
    page.get_by_test_id("station-search").fill("atan")
    row = page.get_by_test_id("row-1")
    page.get_by_test_id("row-2").wait_for(state="detached")
    row.get_by_test_id("tick").click()
    row.get_by_test_id("done").wait_for()
    page.screenshot(path="var/e2e-reception-registration.png", full_page=True)
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0

    # Station 2, first interview: found by their number.
    page.goto(f"{live_server.url}/reception/e2e-charter/stations/interview/")
    page.get_by_test_id("station-search").fill("1")
    page.get_by_test_id("row-3").wait_for(state="detached")
    page.get_by_test_id("row-1").get_by_test_id("tick").click()
    page.get_by_test_id("row-1").get_by_test_id("done").wait_for()
    page.screenshot(path="var/e2e-reception-station.png", full_page=True)

    ticked = set(ReceptionStep.objects.filter(passenger__number=1, passenger__arrival__reference="e2e-charter")
                 .values_list("step", flat=True))
    assert ticked == {"registration", "interview"}
    context.close()
