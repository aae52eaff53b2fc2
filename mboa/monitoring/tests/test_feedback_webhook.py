"""The SMS gateway's inbound webhook: a call counts only when signed with the shared
secret and dated within the tolerance; a call delivered twice is recorded once."""

import json
import time

import pytest
from django.test import override_settings
from django.urls import reverse

from mboa.monitoring.feedback.models import Feedback, InboundSms
from mboa.monitoring.feedback.webhook import sign

pytestmark = pytest.mark.django_db

SECRET = "test-webhook-secret"
URL = reverse("monitoring:sms_webhook")


def monitoring(**overrides):
    from django.conf import settings

    return override_settings(MBOA_MONITORING={**settings.MBOA_MONITORING, "SMS_WEBHOOK_SECRET": SECRET,
                                              **overrides})


def post(client, payload, *, secret=SECRET, timestamp=None, signature=None):
    body = json.dumps(payload).encode()
    timestamp = str(int(time.time()) if timestamp is None else timestamp)
    headers = {"HTTP_X_MBOA_TIMESTAMP": timestamp,
               "HTTP_X_MBOA_SIGNATURE": signature if signature is not None else sign(body, timestamp, secret)}
    return client.post(URL, data=body, content_type="application/json", **headers)


def test_a_signed_sms_becomes_a_feedback_to_read(client):
    with monitoring():
        response = post(client, {"from": "+237670000001", "text": "Je n'ai pas reçu mon kit."})
    assert response.status_code == 200
    assert response.json() == {"status": "recorded", "kind": "feedback"}
    feedback = Feedback.objects.get()
    assert (feedback.channel, feedback.category_id, feedback.contact_phone) == ("sms", "other", "+237670000001")
    assert feedback.text == "Je n'ai pas reçu mon kit."


def test_a_wrong_signature_is_refused_and_nothing_is_recorded(client):
    with monitoring():
        bad_secret = post(client, {"from": "+237670000001", "text": "x"}, secret="guessed")
        tampered = post(client, {"from": "+237670000001", "text": "x"},
                        signature=sign(b'{"from": "+237670000001", "text": "y"}', int(time.time()), SECRET))
        unsigned = client.post(URL, data=b'{"from": "+237670000001", "text": "x"}', content_type="application/json")
    assert (bad_secret.status_code, tampered.status_code, unsigned.status_code) == (403, 403, 403)
    assert not Feedback.objects.exists() and not InboundSms.objects.exists()


def test_without_a_configured_secret_every_call_is_refused(client):
    with monitoring(SMS_WEBHOOK_SECRET=""):
        response = post(client, {"from": "+237670000001", "text": "x"}, secret="")
    assert response.status_code == 403
    assert not Feedback.objects.exists()


def test_an_old_call_replayed_is_refused(client):
    with monitoring(SMS_WEBHOOK_TOLERANCE_SECONDS=300):
        replay = post(client, {"from": "+237670000001", "text": "x"}, timestamp=int(time.time()) - 301)
        future = post(client, {"from": "+237670000001", "text": "x"}, timestamp=int(time.time()) + 301)
    assert (replay.status_code, future.status_code) == (403, 403)
    assert not Feedback.objects.exists()


def test_the_same_call_delivered_twice_is_recorded_once(client):
    body = json.dumps({"from": "+237670000001", "text": "Bonjour"}).encode()
    timestamp = str(int(time.time()))
    headers = {"HTTP_X_MBOA_TIMESTAMP": timestamp, "HTTP_X_MBOA_SIGNATURE": sign(body, timestamp, SECRET)}
    with monitoring():
        first = client.post(URL, data=body, content_type="application/json", **headers)
        again = client.post(URL, data=body, content_type="application/json", **headers)
    assert first.json()["status"] == "recorded" and again.json()["status"] == "duplicate"
    assert Feedback.objects.count() == 1


def test_a_signed_call_without_sender_is_a_400(client):
    with monitoring():
        response = post(client, {"text": "x"})
    assert response.status_code == 400


def test_the_webhook_needs_no_csrf_token(client):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    with monitoring():
        response = post(strict, {"from": "+237670000001", "text": "x"})
    assert response.status_code == 200
