"""Health data travels only to health structures, whatever vocabulary put it on the case.

The case is built the way cases builds it: a vulnerability assessment recorded through
``cases.assessments.assessment_record`` writes the case's categories (``medical`` is the
assessment's code for medical needs). A referral to MINAS (not a health structure) with the
"vulnerabilities" part must carry the non-health ones only: in what is stored, on the
receiver's page and in the API.
"""

import pytest
from django.urls import reverse

from mboa.cases.assessments import assessment_record
from mboa.cases.tests.factories import make_case

from ..models import Referral
from .factories import api, give_consent, send

pytestmark = pytest.mark.django_db


@pytest.fixture
def assessed_case(case_manager):
    """A case assessed with medical needs and as a single head of household."""
    case = make_case(by=case_manager, family_name="Fouda")
    assessment_record(case=case, kind="vulnerability", by=case_manager,
                      answers={"categories": ["medical", "single_head"]})
    give_consent(case, "MINAS", by=case_manager)
    return case


def test_medical_needs_do_not_reach_minas_through_the_page(assessed_case, case_manager, fp_minas, client_for):
    response = client_for(case_manager).post(reverse("referrals:send", args=[assessed_case.pk]), {
        "service": "psychosocial_support", "structure": "MINAS", "urgency": "normal", "reason": "Support",
        "shared_parts": ["identity", "vulnerabilities"]})
    assert response.status_code == 302
    referral = Referral.objects.get(case=assessed_case)
    assert referral.shared_data["vulnerabilities"] == ["single_head"]
    page = client_for(fp_minas).get(reverse("referrals:detail", args=[referral.pk])).content.decode()
    assert "Single head of household" in page
    assert "Medical needs" not in page and "medical" not in page


def test_medical_needs_do_not_reach_minas_through_the_api(assessed_case, case_manager, fp_minas):
    response = api(case_manager).post("/api/v1/referrals/", {
        "case": assessed_case.pk, "service": "psychosocial_support", "structure": "MINAS", "reason": "Support",
        "shared_parts": ["identity", "vulnerabilities"]}, format="json")
    assert response.status_code == 201, response.content
    seen = api(fp_minas).get(f"/api/v1/referrals/{response.json()['id']}/").json()
    assert seen["shared_data"]["vulnerabilities"] == ["single_head"]
    assert "medical" not in str(seen)
    assert "medical" not in str(Referral.objects.get(case=assessed_case).shared_data)


def test_medical_needs_travel_with_the_health_part_to_a_health_structure(assessed_case, case_manager):
    give_consent(assessed_case, "MINSANTE", by=case_manager)
    referral = send(assessed_case, by=case_manager, to="MINSANTE", service_code="medical_care",
                    parts=("identity", "vulnerabilities", "health"), health_details="Insulin twice a day")
    assert referral.shared_data["vulnerabilities"] == ["single_head"]
    assert referral.shared_data["health"] == {"vulnerabilities": ["medical"], "details": "Insulin twice a day"}
