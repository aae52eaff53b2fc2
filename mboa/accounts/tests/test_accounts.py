import pytest
from django.urls import reverse

from mboa.accounts.tests.factories import TEST_PASSWORD, api_token_for

pytestmark = pytest.mark.django_db


def test_login_page_is_french_by_default(client, settings):
    settings.LANGUAGE_CODE = "fr"  # the product's default (config/settings/base.py)
    page = client.get(reverse("accounts:login"))
    assert page.status_code == 200
    assert '<html lang="fr">' in page.content.decode()
    assert "Se connecter" in page.content.decode()


def test_sign_in_leads_to_home(client, case_manager):
    response = client.post(reverse("accounts:login"), {"username": case_manager.username, "password": TEST_PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("core:home")


def test_language_switch_persists_on_the_user(client_for, case_manager):
    client = client_for(case_manager)
    response = client.post(reverse("accounts:set_language"), {"language": "en", "next": "/"})
    assert response.status_code == 302
    case_manager.refresh_from_db()
    assert case_manager.language == "en"
    page = client.get(reverse("actors:structure_list")).content.decode()
    assert '<html lang="en">' in page
    assert "Structures" in page and "Add a structure" not in page  # English, and no add button for a case manager
    # It follows the user to a new device (a fresh session without the cookie).
    client.logout()
    client.cookies.clear()
    client.force_login(case_manager)
    assert '<html lang="en">' in client.get(reverse("core:home")).content.decode()


def test_language_switch_back_to_french(client_for, case_manager, settings):
    settings.LANGUAGE_CODE = "fr"
    client = client_for(case_manager)
    client.post(reverse("accounts:set_language"), {"language": "en", "next": "/"})
    client.post(reverse("accounts:set_language"), {"language": "fr", "next": "/"})
    assert '<html lang="fr">' in client.get(reverse("core:home")).content.decode()


def test_repeated_failed_logins_lock_the_account(client, case_manager, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("accounts:login"), {"username": case_manager.username, "password": "wrong"})
    response = client.post(reverse("accounts:login"), {"username": case_manager.username, "password": TEST_PASSWORD})
    assert response.status_code == 429
    assert "home" not in response.get("Location", "")


def test_passwords_are_hashed(case_manager):
    assert case_manager.password.startswith(("md5$", "pbkdf2_sha256$"))
    assert TEST_PASSWORD not in case_manager.password


def test_home_shows_role_navigation(client_for, donor, admin):
    donor_page = client_for(donor).get(reverse("core:home")).content.decode()
    assert reverse("actors:structure_list") in donor_page
    assert "Nothing waits" in donor_page or "Rien ne vous attend" in donor_page


def test_home_shows_the_users_structure_and_bodies(client_for, fp_minas):
    page = client_for(fp_minas).get(reverse("core:home"))
    html = page.content.decode()
    assert "MINAS" in html
    assert reverse("governance:body_detail", args=["GTA"]) in html  # MINAS sits on the GTA


def test_api_me_returns_structure_and_roles(client_for, fp_minsante):
    data = client_for(fp_minsante).get("/api/v1/me/").json()
    assert data["structure"] == "MINSANTE"
    assert data["roles"] == ["focal_point"]


def test_api_requires_authentication(client):
    assert client.get("/api/v1/structures/").status_code in (401, 403)


def test_api_token_authentication(client, fp_minas):
    key = api_token_for(fp_minas)
    response = client.get("/api/v1/structures/?kind=ministry", HTTP_AUTHORIZATION=f"Token {key}")
    assert response.status_code == 200
    codes = {row["code"] for row in response.json()["results"]}
    assert "MINAS" in codes and "DUE" not in codes
