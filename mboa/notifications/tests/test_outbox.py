"""The outbox: once per key, preferences, retries with backoff, crash recovery, failures shown."""

import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from mboa.actors.models import Structure
from mboa.actors.tests.factories import FocalPointFactory
from mboa.notifications import services
from mboa.notifications.backends import StoreBackend
from mboa.notifications.models import Message, Preference

pytestmark = pytest.mark.django_db


def test_same_key_queues_and_sends_once(fp_minas, django_capture_on_commit_callbacks):
    for _ in range(3):
        with django_capture_on_commit_callbacks(execute=True):
            services.notify(recipients=[fp_minas], subject="Réunion", body="Demain 10h", idempotency_key="k1")
    assert Message.objects.count() == 1
    assert Message.objects.get().status == "sent"
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [fp_minas.email]


def test_nothing_is_sent_when_the_action_rolls_back(fp_minas, django_capture_on_commit_callbacks):
    from django.db import transaction

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        try:
            with transaction.atomic():
                services.notify(recipients=[fp_minas], subject="x", body="y", idempotency_key="rolled-back")
                raise RuntimeError
        except RuntimeError:
            pass
    assert callbacks == [] and not Message.objects.exists() and mail.outbox == []


def test_user_preferences_choose_the_channels(fp_minas, django_capture_on_commit_callbacks):
    fp_minas.phone = "+237699000111"
    fp_minas.save()
    services.preference_update(user=fp_minas, by=fp_minas, email=True, sms=True, whatsapp=False)
    with django_capture_on_commit_callbacks(execute=True):
        services.notify(recipients=[fp_minas], subject="Rappel", body="…", idempotency_key="pref")
    assert sorted(Message.objects.values_list("channel", "address", "status")) == [
        ("email", fp_minas.email, "sent"), ("sms", "+237699000111", "sent")]
    assert [m["to"] for m in StoreBackend.sent] == ["+237699000111"]


def test_sms_needs_a_phone_number(fp_minas):
    with pytest.raises(Exception, match="phone"):
        services.preference_update(user=fp_minas, by=fp_minas, email=False, sms=True, whatsapp=False)
    assert not Preference.objects.exists()


def test_focal_point_without_address_is_visible_as_skipped():
    fp = FocalPointFactory(structure=Structure.objects.get(code="MINAT"), email="", phone="")
    [message] = services.notify(recipients=[fp], subject="x", body="y", idempotency_key="noaddr", channel="email")
    assert message.status == "skipped" and "email" in message.last_error


def test_retries_with_backoff_then_sends(gateway, fp_minas, settings):
    settings.MBOA_NOTIFICATIONS = {**settings.MBOA_NOTIFICATIONS, "BACKOFF_SECONDS": 60, "MAX_ATTEMPTS": 5}
    fp_minas.phone = "+237699000111"
    fp_minas.save()
    gateway.fail_next = 2
    [message] = services.notify(recipients=[fp_minas], subject="s", body="b", idempotency_key="retry", channel="sms")
    t0 = timezone.now()
    message = services.message_send(message_id=message.pk, now=t0)
    assert (message.status, message.attempts) == ("pending", 1)
    assert message.next_attempt_at == t0 + dt.timedelta(seconds=60)
    assert services.messages_send_due(now=t0 + dt.timedelta(seconds=59)) == 0  # backoff respected
    assert services.messages_send_due(now=t0 + dt.timedelta(seconds=61)) == 0  # second failure
    message.refresh_from_db()
    assert message.attempts == 2
    assert message.next_attempt_at == t0 + dt.timedelta(seconds=61 + 120)  # doubled
    assert services.messages_send_due(now=t0 + dt.timedelta(seconds=200)) == 1
    message.refresh_from_db()
    assert (message.status, message.attempts) == ("sent", 3)
    assert len(gateway.delivered) == 1 and len(gateway.requests) == 3


def test_message_sent_once_across_a_worker_crash(gateway, fp_minas, settings):
    """A worker claimed the message, posted it, and died before writing "sent"."""
    settings.MBOA_NOTIFICATIONS = {**settings.MBOA_NOTIFICATIONS, "LEASE_SECONDS": 300}
    fp_minas.phone = "+237699000111"
    fp_minas.save()
    [message] = services.notify(recipients=[fp_minas], subject="s", body="b", idempotency_key="crash", channel="sms")
    t0 = timezone.now()
    # The dead worker's part: claimed with a lease, and the gateway got the request.
    Message.objects.filter(pk=message.pk).update(status="sending", attempts=1, locked_until=t0 + dt.timedelta(seconds=300))
    from mboa.notifications.backends import backend_for

    backend_for("sms").send(Message.objects.get(pk=message.pk))
    # While the lease runs, nobody else sends it (the redelivered task does nothing).
    assert services.message_send(message_id=message.pk, now=t0 + dt.timedelta(seconds=10)) is None
    # After the lease, the sweeper sends it again with the same key: the gateway delivers once.
    assert services.messages_send_due(now=t0 + dt.timedelta(seconds=301)) == 1
    message.refresh_from_db()
    assert (message.status, message.attempts) == ("sent", 2)
    assert len(gateway.requests) == 2 and len(gateway.delivered) == 1
    # Sent is final: another run of the task sends nothing.
    assert services.message_send(message_id=message.pk, now=t0 + dt.timedelta(days=1)) is None
    assert len(gateway.requests) == 2


def test_failures_are_visible_to_administrators_and_can_be_retried(gateway, fp_minas, admin, client_for, settings):
    settings.MBOA_NOTIFICATIONS = {**settings.MBOA_NOTIFICATIONS, "MAX_ATTEMPTS": 2}
    fp_minas.phone = "+237699000111"
    fp_minas.save()
    gateway.fail_next = 5
    [message] = services.notify(recipients=[fp_minas], subject="Échec visible", body="b", idempotency_key="fail",
                                channel="sms")
    t0 = timezone.now()
    services.message_send(message_id=message.pk, now=t0)
    services.messages_send_due(now=t0 + dt.timedelta(hours=1))
    message.refresh_from_db()
    assert message.status == "failed" and "503" in message.last_error
    client = client_for(admin)
    page = client.get(reverse("notifications:outbox") + "?status=failed").content.decode()
    assert "Échec visible" in page and "503" in page
    gateway.fail_next = 0
    assert client.post(reverse("notifications:message_retry", args=[message.pk])).status_code == 302
    message.refresh_from_db()
    assert message.status == "pending"  # queued again; sent by the task after commit
    assert message.attempts == 0


def test_outbox_is_for_administrators_only(client_for, fp_minas, secretariat):
    assert client_for(fp_minas).get(reverse("notifications:outbox")).status_code == 403
    assert client_for(secretariat).get(reverse("notifications:outbox")).status_code == 403


def test_api_user_sees_only_own_messages(client_for, fp_minas, fp_minsante, admin):
    services.notify(recipients=[fp_minas], subject="pour MINAS", body="b", idempotency_key="a1")
    services.notify(recipients=[fp_minsante], subject="pour MINSANTE", body="b", idempotency_key="a2")
    subjects = [m["subject"] for m in client_for(fp_minas).get("/api/v1/messages/").json()["results"]]
    assert subjects == ["pour MINAS"]
    other = Message.objects.get(subject="pour MINSANTE")
    assert client_for(fp_minas).get(f"/api/v1/messages/{other.pk}/").status_code == 404


def test_outbox_query_count(client_for, admin, fp_minas, django_assert_max_num_queries):
    for i in range(20):
        services.notify(recipients=[fp_minas], subject=f"m{i}", body="b", idempotency_key=f"q{i}")
    client = client_for(admin)
    with django_assert_max_num_queries(10):
        assert client.get(reverse("notifications:outbox")).status_code == 200
    with django_assert_max_num_queries(8):
        assert client.get("/api/v1/messages/").status_code == 200


def test_preferences_page(client_for, fp_minas):
    client = client_for(fp_minas)
    assert client.get(reverse("notifications:preferences")).status_code == 200
    response = client.post(reverse("notifications:preferences"), {"email": "on"})
    assert response.status_code == 302
    assert Preference.objects.get(user=fp_minas).channels() == ["email"]
