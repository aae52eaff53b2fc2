"""Referral and agreement writes hold to plausible dates and text lengths a page can show
(mboa.core.validators): out of them, the API answers 400 naming the field, the page shows
the refusal, and nothing is written."""

import pytest
from django.urls import reverse

from mboa.core.validators import NOTE_MAX_LENGTH, SHORT_TEXT_MAX_LENGTH

from .. import agreements
from ..models import Agreement, Referral
from .factories import api, give_consent, make_case, send, structure

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(case_manager):
    c = make_case(by=case_manager, family_name="Atangana")
    give_consent(c, "MINAS", by=case_manager)
    return c


def _refused(response, field):
    """400 naming the field: ``{"detail", "field"}`` from a service, ``{field: [...]}`` from a serializer."""
    assert response.status_code == 400, response.content
    body = response.json()
    assert body.get("field") == field or field in body, body


@pytest.mark.parametrize(("field", "limit"), [("reason", NOTE_MAX_LENGTH),
                                              ("consent_override_reason", SHORT_TEXT_MAX_LENGTH)])
def test_a_referral_with_an_endless_text_is_refused_in_the_api(field, limit, case, case_manager):
    data = {"case": case.pk, "service": "psychosocial_support", "structure": "MINAS", "reason": "Support",
            field: "x" * (limit + 1)}
    _refused(api(case_manager).post("/api/v1/referrals/", data, format="json"), field)
    assert not Referral.objects.exists()


def test_and_on_the_page(case, case_manager, client_for):
    response = client_for(case_manager).post(reverse("referrals:send", args=[case.pk]), {
        "service": "psychosocial_support", "structure": "MINAS", "urgency": "normal",
        "reason": "x" * (NOTE_MAX_LENGTH + 1), "shared_parts": ["identity"]})
    assert response.status_code == 400 and "at most" in response.content.decode()
    assert not Referral.objects.exists()


def test_an_endless_note_on_a_step_is_refused(case, case_manager, fp_minas):
    referral = send(case, by=case_manager)
    response = api(fp_minas).post(f"/api/v1/referrals/{referral.pk}/transition/",
                                  {"action": "decline", "note": "x" * (SHORT_TEXT_MAX_LENGTH + 1)}, format="json")
    _refused(response, "note")
    referral.refresh_from_db()
    assert referral.status == "sent" and referral.outcome_reason == ""


def test_agreement_dates_in_the_year_272_are_refused(secretariat):
    a = agreements.agreement_create(by=secretariat, structure=structure("MINAS"), subject="Care")
    client = api(secretariat)
    _refused(client.patch(f"/api/v1/agreements/{a.pk}/", {"valid_until": "0272-05-01"}, format="json"), "valid_until")
    _refused(client.post(f"/api/v1/agreements/{a.pk}/transition/",
                         {"action": "start_drafting", "at": "0272-05-01T10:00:00Z"}, format="json"), "at")
    _refused(client.patch(f"/api/v1/agreements/{a.pk}/", {"notes": "x" * (NOTE_MAX_LENGTH + 1)}, format="json"),
             "notes")
    a.refresh_from_db()
    assert a.valid_until is None and a.status == "idea" and a.notes == ""
    assert Agreement.objects.count() == 1
