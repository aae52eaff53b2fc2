"""Personal API tokens: stored as digests only, shown once, expiring, revocable."""

import datetime as dt

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from mboa.accounts import services
from mboa.accounts.models import ApiToken
from mboa.accounts.tests.factories import TEST_PASSWORD, api_token_for

pytestmark = pytest.mark.django_db


def _api(client, key):
    return client.get("/api/v1/me/", HTTP_AUTHORIZATION=f"Token {key}")


def test_the_token_works_for_the_api(client, fp_minas):
    key = api_token_for(fp_minas)
    response = _api(client, key)
    assert response.status_code == 200
    assert response.json()["username"] == fp_minas.username
    assert ApiToken.objects.get(user=fp_minas).last_used_at is not None


def test_the_database_holds_no_usable_secret(client, fp_minas):
    key = api_token_for(fp_minas)
    token = ApiToken.objects.get(user=fp_minas)
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM accounts_apitoken")
        stored = " ".join(str(value) for row in cursor.fetchall() for value in row)
    assert key not in stored and key.split(".", 1)[1] not in stored
    # What is stored does not authenticate: not the digest, not the prefix.
    assert _api(client, token.digest).status_code == 401
    assert _api(client, token.prefix).status_code == 401
    # DRF's plaintext token table is gone.
    assert "authtoken_token" not in connection.introspection.table_names()


def test_an_expired_token_gets_401(client, fp_minas):
    key = api_token_for(fp_minas)
    ApiToken.objects.filter(user=fp_minas).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    response = _api(client, key)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"


def test_tokens_expire_after_the_setting(fp_minas, settings):
    settings.MBOA = {**settings.MBOA, "API_TOKEN_DAYS": 7}
    token, _key = services.api_token_create(user=fp_minas, by=fp_minas)
    assert dt.timedelta(days=6) < token.expires_at - timezone.now() <= dt.timedelta(days=7)


def test_the_page_shows_a_new_token_once_and_revokes_it(client_for, fp_minas):
    client = client_for(fp_minas)
    page = client.post(reverse("accounts:profile"), {"action": "token", "name": "export script"})
    key = page.context["token"]
    assert key in page.content.decode()
    assert _api(client.__class__(), key).status_code == 200
    again = client.get(reverse("accounts:profile")).content.decode()
    assert key not in again and "export script" in again and key.split(".")[0] in again  # the prefix only
    token = ApiToken.objects.get(user=fp_minas)
    response = client.post(reverse("accounts:token_revoke", args=[token.pk]))
    assert response.status_code == 302
    assert _api(client.__class__(), key).status_code == 401


def test_a_revoked_token_gets_401_and_others_may_not_revoke_it(client_for, client, fp_minas, fp_minsante):
    key = api_token_for(fp_minas)
    token = ApiToken.objects.get(user=fp_minas)
    assert client_for(fp_minsante).post(reverse("accounts:token_revoke", args=[token.pk])).status_code == 404
    services.api_token_revoke(token=token, by=fp_minas)
    client.logout()
    assert _api(client, key).status_code == 401


def test_a_user_holds_a_bounded_number_of_working_tokens(fp_minas, settings):
    settings.MBOA = {**settings.MBOA, "API_TOKENS_PER_USER": 2}
    for _ in range(3):
        api_token_for(fp_minas)
    assert ApiToken.objects.filter(user=fp_minas, revoked_at__isnull=True).count() == 2


def test_the_token_endpoint_returns_a_new_token_once(client, fp_minas):
    response = client.post("/api/v1/auth/token/", {"username": fp_minas.username, "password": TEST_PASSWORD},
                           content_type="application/json")
    assert response.status_code == 200, response.content
    key = response.json()["token"]
    assert response.json()["expires_at"]
    assert not ApiToken.objects.filter(digest=key).exists()
    assert _api(client, key).status_code == 200
    wrong = client.post("/api/v1/auth/token/", {"username": fp_minas.username, "password": "wrong"},
                        content_type="application/json")
    assert wrong.status_code == 400


def test_tokens_are_not_in_the_admin(client, make_user):
    root = make_user("OIM", ("admin",), username="root", is_staff=True, is_superuser=True)
    api_token_for(root)
    client.force_login(root)
    assert client.get("/admin/accounts/apitoken/").status_code == 404
    assert client.get("/admin/authtoken/tokenproxy/").status_code == 404
