"""Input with a NUL character is refused with 400 everywhere (PostgreSQL cannot store it)."""

import pytest

pytestmark = pytest.mark.django_db


def test_nul_in_api_search_is_a_400_not_a_500(client_for, donor):
    response = client_for(donor).get("/api/v1/structures/", {"search": "MIN\x00AS"})
    assert response.status_code == 400
    assert "NUL" in response.json()["detail"]


def test_nul_in_json_body_is_refused(client_for, admin):
    response = client_for(admin).post("/api/v1/structures/", '{"code": "A\\u0000B", "name_fr": "x"}',
                                      content_type="application/json")
    assert response.status_code == 400


def test_nul_in_a_page_form_is_refused(client_for, admin):
    response = client_for(admin).post("/structures/new/", {"code": "A\x00B"})
    assert response.status_code == 400


def test_ordinary_requests_pass(client_for, donor):
    assert client_for(donor).get("/api/v1/structures/", {"search": "MINAS"}).status_code == 200


def test_nul_in_a_multipart_api_field_is_refused(client_for, admin):
    response = client_for(admin).post("/api/v1/structures/", {"code": "A\x00B", "name_fr": "x", "name_en": "x",
                                                              "kind": "ministry"})
    assert response.status_code == 400


def test_a_body_over_the_limit_is_answered_in_json_on_the_api(client_for, admin, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    response = client_for(admin).post("/api/v1/structures/", '{"code": "' + "A" * 2000 + '"}',
                                      content_type="application/json")
    assert response.status_code == 413
    assert "too large" in response.json()["detail"]


def test_api_errors_are_json_not_html_pages(client_for, donor):
    response = client_for(donor).get("/api/v1/no-such-endpoint/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")


def test_pages_and_api_answers_are_not_cached_and_carry_the_security_headers(client_for, donor):
    client = client_for(donor)
    for url in ("/", "/api/v1/structures/"):
        response = client.get(url)
        assert "no-store" in response["Cache-Control"], url
        csp = response["Content-Security-Policy"]
        assert "default-src 'self'" in csp and "'unsafe-inline'" not in csp and "frame-ancestors 'none'" in csp
        assert "camera=()" in response["Permissions-Policy"]
