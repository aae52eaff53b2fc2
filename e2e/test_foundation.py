"""A person signs in, switches to English and opens the structure directory."""

import pytest

from mboa.accounts.tests.factories import TEST_PASSWORD, UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_login_switch_language_open_directory(live_server, page):
    user = UserFactory(username="pf.minas.e2e", structure_code="MINAS", roles=["focal_point"])
    page.goto(f"{live_server.url}/")
    # Anonymous: sent to the French login page.
    assert "/accounts/login/" in page.url
    assert page.locator("html").get_attribute("lang") == "fr"
    page.get_by_label("Nom d’utilisateur").fill(user.username)
    page.get_by_label("Mot de passe").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url(f"{live_server.url}/")
    page.get_by_test_id("lang-en").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_role("heading", name="What waits for you").is_visible()
    page.get_by_role("link", name="Structures").first.click()
    page.wait_for_url("**/structures/")
    assert page.get_by_role("heading", name="Structures").is_visible()
    assert page.get_by_role("link", name="MINSANTE").is_visible()
    # The choice persists on the next page.
    page.get_by_role("link", name="MINAS", exact=True).click()
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_role("heading", name="Focal points").is_visible()
    page.screenshot(path="var/e2e-structure.png", full_page=True)


def test_phone_screen_has_no_horizontal_scroll(live_server, browser):
    user = UserFactory(username="phone.e2e", structure_code="OIM", roles=["case_manager"])
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="fr-FR")
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Nom d’utilisateur").fill(user.username)
    page.get_by_label("Mot de passe").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.goto(f"{live_server.url}/structures/")
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0
    context.close()
