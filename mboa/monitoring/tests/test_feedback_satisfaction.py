"""The satisfaction question after a step: recorded by staff on the page or the API, or
answered by SMS with the code the returnee was given; once per step, for finished steps
of cases the user works on."""

import json
import time

import pytest
from django.conf import settings
from django.test import override_settings
from django.urls import reverse

from mboa.monitoring.feedback.models import SatisfactionScore
from mboa.monitoring.feedback.webhook import sign
from mboa.referrals.models import Referral
from mboa.referrals.tests.factories import give_consent, make_case, send

pytestmark = pytest.mark.django_db


@pytest.fixture
def referral(case_manager):
    case = make_case(by=case_manager, phone="+237699000021")
    give_consent(case, "MINAS", by=case_manager)
    referral = send(case, by=case_manager)
    Referral.objects.filter(pk=referral.pk).update(status="delivered")
    referral.refresh_from_db()
    return referral


def test_staff_record_it_once_after_a_finished_step(client_for, case_manager, referral):
    client = client_for(case_manager)
    url = reverse("monitoring:satisfaction_record", args=["referral", referral.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"score": "4", "comment": "Bien reçu"}, follow=True)
    assert "Satisfaction recorded: 4/5." in response.content.decode()
    row = SatisfactionScore.objects.get()
    assert (row.step, row.referral, row.case, row.score) == ("referral", referral, referral.case, 4)
    again = client.post(url, {"score": "2"})
    assert again.status_code == 400 and SatisfactionScore.objects.get().score == 4
    listed = client.get(reverse("monitoring:satisfaction_list")).content.decode()
    assert "Bien reçu" in listed and referral.case.number in listed


def test_an_unfinished_step_is_refused(client_for, case_manager, referral):
    Referral.objects.filter(pk=referral.pk).update(status="accepted")
    response = client_for(case_manager).post(
        "/api/v1/satisfaction/", {"step": "referral", "step_id": referral.pk, "score": 5}, format="json")
    assert response.status_code == 400 and not SatisfactionScore.objects.exists()


def test_a_step_of_a_case_the_user_does_not_see_is_a_404(client_for, psy_counsellor, fp_minas, referral):
    for user in (psy_counsellor,):
        url = reverse("monitoring:satisfaction_record", args=["referral", referral.pk])
        assert client_for(user).get(url).status_code == 404
    assert client_for(fp_minas).get(
        reverse("monitoring:satisfaction_record", args=["referral", referral.pk])).status_code == 403
    assert client_for(fp_minas).get(reverse("monitoring:satisfaction_record", args=["nonsense", 1])).status_code == 403


def test_asked_by_staff_answered_by_sms(client, client_for, case_manager, referral):
    api = client_for(case_manager).post("/api/v1/satisfaction/", {"step": "referral", "step_id": referral.pk},
                                        content_type="application/json")
    assert api.status_code == 201 and api.json()["score"] is None
    code = api.json()["code"]
    body = json.dumps({"from": "+237699000021", "text": f"note {code} 5 très bon accueil"}).encode()
    stamp = str(int(time.time()))
    with override_settings(MBOA_MONITORING={**settings.MBOA_MONITORING, "SMS_WEBHOOK_SECRET": "s"}):
        response = client.post(reverse("monitoring:sms_webhook"), data=body, content_type="application/json",
                               HTTP_X_MBOA_TIMESTAMP=stamp, HTTP_X_MBOA_SIGNATURE=sign(body, stamp, "s"))
    assert response.json() == {"status": "recorded", "kind": "satisfaction"}
    row = SatisfactionScore.objects.get()
    assert (row.score, row.comment, row.channel) == (5, "très bon accueil", "sms")


def test_a_wrong_code_by_sms_becomes_a_feedback_so_nothing_is_lost(client):
    from mboa.monitoring.feedback.models import Feedback

    body = json.dumps({"from": "+237699000021", "text": "NOTE ZZZZZZ 5"}).encode()
    stamp = str(int(time.time()))
    with override_settings(MBOA_MONITORING={**settings.MBOA_MONITORING, "SMS_WEBHOOK_SECRET": "s"}):
        response = client.post(reverse("monitoring:sms_webhook"), data=body, content_type="application/json",
                               HTTP_X_MBOA_TIMESTAMP=stamp, HTTP_X_MBOA_SIGNATURE=sign(body, stamp, "s"))
    assert response.json()["kind"] == "feedback"
    assert Feedback.objects.get().text == "NOTE ZZZZZZ 5"
