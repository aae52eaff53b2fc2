"""An insertion counsellor finds a case by a misspelt name, records a session and a needs
assessment, and sees both on the case page."""

import pytest
from django.utils import timezone

from mboa.accounts.tests.factories import TEST_PASSWORD, UserFactory
from mboa.cases import services
from mboa.cases.tests.factories import CounsellorFactory
from mboa.registry.tests.factories import PersonFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_counsellor_finds_case_records_session_and_assessment(live_server, page):
    manager = UserFactory(username="gestionnaire.e2e", structure_code="OIM", roles=["case_manager"], city="Yaoundé")
    counsellor = CounsellorFactory(kind="insertion", city="Yaoundé")
    counsellor.user.username = "conseiller.e2e"
    counsellor.user.save(update_fields=["username"])
    person = PersonFactory(family_name="Tchakounté", given_names="Serge")
    case = services.case_open(person=person, by=manager, city="Yaoundé")
    services.case_assign(case=case, counsellor=counsellor, by=manager)
    services.case_open(person=PersonFactory(family_name="Mbarga", given_names="Paul"), by=manager)

    page.goto(f"{live_server.url}/accounts/login/?next=/cases/")
    page.locator("input[name=username]").fill("conseiller.e2e")
    page.locator("input[name=password]").fill(TEST_PASSWORD)
    page.locator("form button[type=submit]").last.click()
    page.wait_for_url("**/cases/")
    # Spelt without the accent and with "ch" for "tch": found by the phonetic search.
    page.get_by_test_id("case-search").fill("chakounte")
    page.get_by_test_id("case-search").press("Enter")
    page.wait_for_url("**q=chakounte**")
    links = page.get_by_test_id("case-link")
    assert links.count() == 1
    links.first.click()
    page.wait_for_url(f"**/cases/{case.pk}/")

    page.get_by_test_id("record-session").click()
    page.locator("select[name=kind]").select_option("orientation")
    page.locator("input[name=held_on]").fill(timezone.localdate().isoformat())
    page.locator("textarea[name=notes]").fill("Wants to start a poultry farm in Soa.")
    page.get_by_test_id("save").click()
    page.wait_for_url(f"**/cases/{case.pk}/")
    assert "Wants to start a poultry farm in Soa." in page.get_by_test_id("session").first.inner_text()

    page.get_by_test_id("assess-needs").click()
    page.locator("select[name=housing]").select_option("temporary")
    page.locator("input[name=priority_needs][value=employment]").check()
    page.locator("input[name=priority_needs][value=training]").check()
    page.get_by_test_id("save").click()
    page.wait_for_url(f"**/cases/{case.pk}/")
    assessment = page.get_by_test_id("assessment").first
    assessment.locator("summary").click()
    text = assessment.inner_text()
    assert "v1" in text and "Employment or income" in text
    assert page.get_by_test_id("timeline").locator("li").count() >= 4
    page.screenshot(path="var/e2e-case.png", full_page=True)
