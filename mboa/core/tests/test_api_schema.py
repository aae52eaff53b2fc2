"""The OpenAPI schema, the local docs, and a schemathesis run over the whole API."""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.urls import reverse
from hypothesis import HealthCheck, given, settings

from mboa.accounts.tests.factories import api_token_for

pytestmark = pytest.mark.django_db


def test_schema_is_generated_and_lists_the_endpoints(client):
    response = client.get(reverse("api-schema"), HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    schema = response.json()
    for path in ("/api/v1/structures/", "/api/v1/focal-points/", "/api/v1/bodies/", "/api/v1/me/"):
        assert path in schema["paths"], path


def test_api_docs_use_local_assets_only(client_for, donor):
    page = client_for(donor).get(reverse("api-docs")).content.decode()
    assert "swagger-ui" in page
    assert "cdn.jsdelivr" not in page and "unpkg.com" not in page


@pytest.fixture
def api_schema(db, client):
    from config.wsgi import application

    response = client.get(reverse("api-schema"), HTTP_ACCEPT="application/vnd.oai.openapi+json")
    # Called through WSGI, each request would close the database connection at its end
    # (close_old_connections), and with it the test's transaction: keep it open, as
    # Django's own test client does.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield schemathesis.openapi.from_dict(response.json()), application
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def test_schemathesis_finds_no_server_error(api_schema, admin):
    """Every operation, with generated input, as an administrator: never a 5xx."""
    schema, application = api_schema
    token = api_token_for(admin)
    failures = []
    calls = []

    def make_check(operation):
        @settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck), database=None)
        @given(case=operation.as_strategy())
        def check(case):
            case.headers = {**(case.headers or {}), "Authorization": f"Token {token}"}
            response = case.call(app=application)
            calls.append(operation.label)
            if response.status_code >= 500:
                failures.append((operation.label, response.status_code, case.as_curl_command()))

        return check

    for result in schema.get_all_operations():
        make_check(result.ok())()
    assert failures == []
    assert len(set(calls)) >= 10  # every operation was exercised, not silently skipped
