"""Failed sign-ins: axes locks one (username, address) pair; login_limits stops spraying
from one address and, at a higher count, from everywhere."""

import pytest
from django.core.cache import cache
from django.urls import reverse

from mboa.accounts.tests.factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_counters():
    cache.clear()
    yield
    cache.clear()


def _sign_in(client, username, password, address):
    return client.post(reverse("accounts:login"), {"username": username, "password": password},
                       REMOTE_ADDR=address)


def test_spraying_4_passwords_over_8_users_from_one_address_is_refused_at_the_limit(client, make_user, settings):
    settings.LANGUAGE_CODE = "fr"
    users = [make_user("OIM", ("case_manager",)) for _ in range(8)]
    limit = settings.MBOA["LOGIN_LIMITS"]["PER_ADDRESS"]
    codes = [_sign_in(client, user.username, password, "203.0.113.7").status_code
             for password in ("Password1", "azerty123", "cameroun2024", "Motdepasse1") for user in users]
    assert codes == [200] * limit + [429] * (32 - limit)
    # Even the right password is refused from there now, with a clear message in French.
    refused = _sign_in(client, users[0].username, TEST_PASSWORD, "203.0.113.7")
    assert refused.status_code == 429
    assert "Trop de tentatives" in refused.content.decode() or "depuis votre réseau" in refused.content.decode()
    # Someone else, elsewhere, signs in.
    assert _sign_in(client, users[1].username, TEST_PASSWORD, "198.51.100.4").status_code == 302


def test_the_token_endpoint_counts_and_refuses_the_same(client, make_user, settings):
    settings.MBOA = {**settings.MBOA, "LOGIN_LIMITS": {**settings.MBOA["LOGIN_LIMITS"], "PER_ADDRESS": 3}}
    user = make_user("OIM", ("case_manager",))
    codes = [client.post("/api/v1/auth/token/", {"username": f"user-{i}", "password": "x"},
                         REMOTE_ADDR="203.0.113.8").status_code for i in range(3)]
    response = client.post("/api/v1/auth/token/", {"username": user.username, "password": TEST_PASSWORD},
                           REMOTE_ADDR="203.0.113.8")
    assert codes == [400, 400, 400] and response.status_code == 429
    assert "detail" in response.json()


def test_a_global_limit_stops_a_spray_spread_over_many_addresses(client, make_user, settings):
    settings.MBOA = {**settings.MBOA, "LOGIN_LIMITS": {**settings.MBOA["LOGIN_LIMITS"], "GLOBAL": 6}}
    user = make_user("OIM", ("case_manager",))
    codes = [_sign_in(client, user.username if i % 2 else f"nobody{i}", "wrong", f"192.0.2.{i}").status_code
             for i in range(8)]
    assert codes == [200] * 6 + [429] * 2


def test_one_users_failures_elsewhere_do_not_lock_them_out_everywhere(client, case_manager, settings):
    # AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]: the lock is for that pair only.
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _sign_in(client, case_manager.username, "wrong", "203.0.113.50")
    assert _sign_in(client, case_manager.username, TEST_PASSWORD, "203.0.113.50").status_code == 429
    assert _sign_in(client, case_manager.username, TEST_PASSWORD, "198.51.100.20").status_code == 302


def test_behind_the_proxy_the_clients_own_address_counts(client, case_manager, settings):
    settings.MBOA_TRUSTED_PROXY_COUNT = 1  # one reverse proxy, which appends the address it saw

    def through_proxy(password, client_address, forged="198.51.100.61"):
        return client.post(reverse("accounts:login"), {"username": case_manager.username, "password": password},
                           REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=f"{forged}, {client_address}")

    for _ in range(settings.AXES_FAILURE_LIMIT):
        through_proxy("wrong", "203.0.113.60")
    assert through_proxy(TEST_PASSWORD, "203.0.113.60").status_code == 429
    # Another client behind the same proxy (even one writing the locked address in the
    # header) signs in: the lock is not on the proxy's address nor on the username.
    assert through_proxy(TEST_PASSWORD, "198.51.100.61", forged="203.0.113.60").status_code == 302
