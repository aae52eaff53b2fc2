"""The secretariat plans a meeting, records a decision with a commitment for MINSANTE, and
MINSANTE's focal point finds the commitment on their home page."""

import datetime as dt

import pytest
from django.utils import timezone

from mboa.accounts.tests.factories import TEST_PASSWORD, UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def sign_in(page, live_server, user):
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Nom d’utilisateur").fill(user.username)
    page.get_by_label("Mot de passe").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url(f"{live_server.url}/")


def test_meeting_decision_commitment_reaches_the_holder_home_page(live_server, page, browser):
    secretariat = UserFactory(username="secretariat.e2e", structure_code="OIM", roles=["secretariat"])
    holder = UserFactory(username="pf.minsante.e2e", structure_code="MINSANTE", roles=["focal_point"])
    meeting_day = timezone.localdate() + dt.timedelta(days=10)
    deadline = timezone.localdate() + dt.timedelta(days=5)

    sign_in(page, live_server, secretariat)
    page.goto(f"{live_server.url}/bodies/meetings/")
    page.get_by_test_id("plan-COPIL").click()
    page.locator("select[name=kind]").select_option("informal")
    page.locator("input[name=starts_at]").fill(f"{meeting_day:%Y-%m-%d}T10:00")
    page.locator("input[name=place]").fill("MINREX, Yaoundé")
    page.locator("textarea[name=agenda]").fill("Dispositif sanitaire des charters | MINSANTE")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/bodies/meetings/*/")
    reference = f"COPIL-{meeting_day.year}-01"
    assert page.get_by_role("heading", name=reference).is_visible()
    assert "Dispositif sanitaire des charters" in page.get_by_test_id("agenda").inner_text()

    page.locator("a[href$='/decisions/new/']").click()
    page.locator("textarea[name=text]").fill("Mettre une ambulance en attente à chaque charter.")
    page.locator("select[name=commitment_structure]").select_option(label="MINSANTE")
    page.locator("input[name=commitment_title]").fill("Ambulance en attente à Nsimalen")
    page.locator("input[name=commitment_deadline]").fill(f"{deadline:%Y-%m-%d}")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/bodies/meetings/*/")
    decision = page.get_by_test_id("decision").first
    assert f"{reference}-D1" in decision.inner_text()
    assert "Ambulance en attente à Nsimalen" in decision.inner_text()

    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="fr-FR")
    holder_page = context.new_page()
    holder_page.set_default_timeout(10_000)
    sign_in(holder_page, live_server, holder)
    panel = holder_page.get_by_test_id("panel-my-commitments")
    assert "Ambulance en attente à Nsimalen" in panel.inner_text()
    panel.get_by_role("link", name="Ambulance en attente à Nsimalen").click()
    holder_page.wait_for_url("**/bodies/commitments/*/")
    assert holder_page.get_by_role("heading", name="Ambulance en attente à Nsimalen").is_visible()
    holder_page.screenshot(path="var/e2e-governance-commitment.png", full_page=True)
    context.close()
