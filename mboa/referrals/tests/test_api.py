"""The API: same scoping and rules as the pages; two read shapes for a referral."""

import pytest

from .. import agreements
from ..models import ReferralStatus
from .factories import api, give_consent, make_case, send, service, structure

PDF = b"%PDF-1.4\n%%EOF\n"

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(case_manager):
    c = make_case(by=case_manager, family_name="Tabi", phone="+237655443322")
    give_consent(c, "MINAS", "MINSANTE", by=case_manager)
    return c


def test_send_and_receive_through_the_api(case_manager, fp_minas, case):
    response = api(case_manager).post("/api/v1/referrals/", {
        "case": case.pk, "service": "psychosocial_support", "structure": "MINAS", "reason": "Support",
        "shared_parts": ["identity"]}, format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["case_number"] == case.number and body["consent_checked"] is True and body["covered"] is False
    pk = body["id"]
    inbox = api(fp_minas).get("/api/v1/referrals/?inbox=1").json()
    assert [r["id"] for r in inbox["results"]] == [pk]
    seen = api(fp_minas).get(f"/api/v1/referrals/{pk}/").json()
    assert seen["shared_data"]["identity"]["family_name"] == "Tabi"
    assert "case" not in seen and "case_number" not in seen and "consent_override_reason" not in seen
    assert "+237655443322" not in str(seen)
    response = api(fp_minas).post(f"/api/v1/referrals/{pk}/transition/", {"action": "accept"}, format="json")
    assert response.status_code == 200 and response.json()["status"] == ReferralStatus.ACCEPTED


def test_api_refusals_say_what_and_where(case_manager, case):
    response = api(case_manager).post("/api/v1/referrals/", {
        "case": case.pk, "service": "psychosocial_support", "structure": "MINAS", "reason": "x",
        "shared_parts": ["health"]}, format="json")
    assert response.status_code == 400 and response.json()["field"] == "shared_parts"
    response = api(case_manager).post("/api/v1/referrals/", {
        "case": case.pk, "service": "psychosocial_support", "structure": "MINAS", "reason": "x",
        "shared_parts": ["dna"]}, format="json")
    assert response.status_code == 400 and "shared_parts" in response.json()


def test_other_structure_gets_404_in_the_api(case_manager, fp_minsante, case):
    referral = send(case, by=case_manager)
    client = api(fp_minsante)
    assert client.get(f"/api/v1/referrals/{referral.pk}/").status_code == 404
    assert client.post(f"/api/v1/referrals/{referral.pk}/transition/", {"action": "accept"},
                       format="json").status_code == 404
    assert client.get("/api/v1/referrals/").json()["results"] == []
    assert client.get("/api/v1/referrals/?inbox=1").json()["results"] == []


def test_list_has_no_personal_data_and_bounded_queries(case_manager, case, django_assert_max_num_queries):
    for _ in range(3):
        send(case, by=case_manager)
    client = api(case_manager)
    client.get("/api/v1/referrals/")
    with django_assert_max_num_queries(12):
        first = client.get("/api/v1/referrals/").json()
    for _ in range(10):
        send(case, by=case_manager)
    with django_assert_max_num_queries(12):
        second = client.get("/api/v1/referrals/").json()
    assert second["count"] == 13 and "Tabi" not in str(first)


def test_delays_api(donor, case, case_manager):
    send(case, by=case_manager)
    body = api(donor).get("/api/v1/referral-delays/?group=structure").json()
    assert body["group_by"] == ["structure"] and body["results"][0]["structure"] == "MINAS"
    assert "default" in body["targets"]


def test_agreements_api(secretariat, fp_minas, fp_minsante):
    response = api(secretariat).post("/api/v1/agreements/", {
        "structure": "MINAS", "subject": "Care", "services": ["psychosocial_support"]}, format="json")
    assert response.status_code == 201
    pk = response.json()["id"]
    r = api(secretariat).post(f"/api/v1/agreements/{pk}/transition/", {"action": "start_drafting"}, format="json")
    assert r.json()["status"] == "drafting" and len(r.json()["history"]) == 2
    r = api(secretariat).post(f"/api/v1/agreements/{pk}/transition/", {"action": "send"}, format="json")
    assert r.json()["ball_with"] == "structure"
    r = api(fp_minas).post(f"/api/v1/agreements/{pk}/transition/", {"action": "start_review"}, format="json")
    assert r.status_code == 200
    assert api(fp_minsante).get(f"/api/v1/agreements/{pk}/").status_code == 404
    assert api(fp_minas).post("/api/v1/agreements/", {"structure": "MINAS", "subject": "x"},
                              format="json").status_code == 403
    figures = api(secretariat).get("/api/v1/agreements/figures/").json()
    assert figures[0]["structure"] == "MINAS"


def test_catalogue_api(fp_minas):
    services = api(fp_minas).get("/api/v1/services/").json()
    assert "medical_care" in [s["code"] for s in services]
    points = api(fp_minas).get("/api/v1/service-points/?structure=MINSANTE").json()["results"]
    assert {p["structure"] for p in points} == {"MINSANTE"}


def test_agreement_marks_referral_covered_in_api(secretariat, case_manager, case):
    a = agreements.agreement_create(by=secretariat, structure=structure("MINAS"), subject="Care",
                                    services=[service("psychosocial_support")])
    for action in ("start_drafting", "finalise", "sign", "enter_into_force"):
        a = agreements.agreement_transition(agreement=a, action=action, by=secretariat)
    referral = send(case, by=case_manager)
    assert api(case_manager).get(f"/api/v1/referrals/{referral.pk}/").json()["agreement"] == a.reference


def test_agreement_update_api(secretariat, fp_minas):
    a = agreements.agreement_create(by=secretariat, structure=structure("MINAS"), subject="Care")
    r = api(secretariat).patch(f"/api/v1/agreements/{a.pk}/", {
        "services": ["psychosocial_support"], "valid_from": "2026-01-01", "valid_until": "2025-01-01"}, format="json")
    assert r.status_code == 400 and r.json()["field"] == "valid_until"
    r = api(secretariat).patch(f"/api/v1/agreements/{a.pk}/", {
        "services": ["psychosocial_support"], "valid_until": "2028-12-31"}, format="json")
    assert r.status_code == 200 and r.json()["services"] == ["psychosocial_support"]
    assert api(fp_minas).patch(f"/api/v1/agreements/{a.pk}/", {"subject": "x"}, format="json").status_code == 403


def test_agreement_document_api_numbers_the_next_version_as_the_page_does(secretariat, fp_minas, case_manager,
                                                                          settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    a = agreements.agreement_create(by=secretariat, structure=structure("MINAS"), subject="Care")
    url = f"/api/v1/agreements/{a.pk}/documents/"
    r = api(fp_minas).post(url, {"title": "Comments", "file": SimpleUploadedFile("c.pdf", PDF)}, format="multipart")
    assert r.status_code == 201 and r.json()["version"] == 1
    r = api(case_manager).post(url, {"title": "Draft", "file": SimpleUploadedFile("d.pdf", PDF)}, format="multipart")
    assert r.status_code == 403
