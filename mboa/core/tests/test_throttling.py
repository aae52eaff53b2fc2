"""API rate limits: a user, an anonymous caller and the token endpoint are each held to a
rate (settings REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]); the 429 answer says when to retry."""

import pytest
from django.core.cache import cache
from rest_framework.throttling import SimpleRateThrottle

pytestmark = pytest.mark.django_db


@pytest.fixture
def real_rates(monkeypatch):
    cache.clear()
    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", {"anon": "3/minute", "user": "5/minute",
                                                                "token": "2/minute"})
    yield
    cache.clear()


def test_a_user_over_the_rate_gets_429_with_retry_after(client_for, donor, real_rates):
    client = client_for(donor)
    answers = [client.get("/api/v1/structures/").status_code for _ in range(6)]
    assert answers == [200] * 5 + [429]
    response = client.get("/api/v1/structures/")
    assert int(response["Retry-After"]) > 0


def test_token_endpoint_is_limited_per_address(client, real_rates):
    codes = [client.post("/api/v1/auth/token/", {"username": "nobody", "password": "wrong"}).status_code
             for _ in range(3)]
    assert codes[:2] == [400, 400] and codes[2] == 429
