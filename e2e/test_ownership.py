"""The COPIL projects the government-ownership page; here on a phone 360 px wide: it does not
scroll sideways, the charts draw (no inline script, nothing blocked), and filtering by
region keeps only that region's referrals."""

import datetime as dt

import pytest
from django.utils import timezone

from mboa.accounts.tests.factories import TEST_PASSWORD, UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _referral(case, structure_code: str, number: str) -> None:
    from mboa.actors.models import Structure
    from mboa.referrals.models import Referral, Service

    sent = timezone.now() - dt.timedelta(days=20)
    Referral.objects.create(number=number, case=case, service=Service.objects.first(),
                            structure=Structure.objects.get(code=structure_code), reason="e2e", sent_at=sent,
                            consent_checked=True, status="accepted", accepted_at=sent + dt.timedelta(days=2))


def test_ownership_page_on_a_phone_filtered_by_region(live_server, browser):
    from mboa.cases.models import Case
    from mboa.cases.tests.factories import make_case
    from mboa.statistics.dashboards import demo

    manager = UserFactory(username="gc.e2e", structure_code="OIM", roles=["case_manager"])
    secretariat = UserFactory(username="sec.own.e2e", structure_code="OIM", roles=["secretariat"])
    littoral = make_case(by=manager, family_name="Ebode")
    centre = make_case(by=manager, family_name="Owona")
    Case.objects.filter(pk=littoral.pk).update(destination_region_id="LT")
    Case.objects.filter(pk=centre.pk).update(destination_region_id="CE")
    _referral(littoral, "MINAS", "REF-E2E-1")
    _referral(centre, "MINSANTE", "REF-E2E-2")
    demo.seed(type("Ctx", (), {"count": lambda *a: None})())  # the example index

    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="fr-FR")
    page = context.new_page()
    page.set_default_timeout(10_000)
    blocked: list[str] = []
    page.on("console", lambda m: blocked.append(m.text)
            if m.type == "error" and "Content Security Policy" in m.text else None)
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Nom d’utilisateur").fill(secretariat.username)
    page.get_by_label("Mot de passe").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url(f"{live_server.url}/")

    page.goto(f"{live_server.url}/statistics/dashboards/ownership/")
    page.get_by_test_id("ownership-index").wait_for()
    assert page.get_by_test_id("index-example").is_visible()
    referrals = page.get_by_test_id("figure-ownership_referrals")
    assert "MINAS" in referrals.text_content() and "MINSANTE" in referrals.text_content()
    # The trend chart is drawn by Chart.js from the JSON next to its canvas.
    page.wait_for_function("window.Chart && Chart.getChart(document.querySelector('canvas[data-chart]'))")

    page.locator("select[name=region]").select_option("LT")
    page.get_by_test_id("apply-filters").click()
    page.wait_for_url("**region=LT**")
    referrals = page.get_by_test_id("figure-ownership_referrals")
    assert "MINAS" in referrals.text_content()
    assert "MINSANTE" not in referrals.text_content()
    assert page.locator("select[name=region]").input_value() == "LT"

    page.screenshot(path="var/e2e-ownership-360.png", full_page=True)
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0
    assert blocked == []
    context.close()
