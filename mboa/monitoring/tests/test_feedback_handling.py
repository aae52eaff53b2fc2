"""Logging, answering and closing feedback: the times to first response and to closure,
who may handle the queue, and the case linked by its number."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from mboa.cases.tests.factories import make_case
from mboa.core.errors import ApplicationError
from mboa.core.models import SensitiveAccess
from mboa.monitoring.feedback import services
from mboa.monitoring.feedback.models import Feedback, FeedbackCategory

pytestmark = pytest.mark.django_db


def _log(by, **kwargs):
    defaults = {"kind": "complaint", "channel": "phone", "category": FeedbackCategory.objects.get(code="quality"),
                "text": "Le matériel est incomplet."}
    return services.feedback_log(by=by, **{**defaults, **kwargs})


def test_times_to_first_response_and_closure_are_kept_and_shown(client_for, case_manager):
    received = timezone.now() - dt.timedelta(days=10)
    feedback = _log(case_manager, received_at=received)
    services.feedback_respond(feedback=feedback, by=case_manager, text="Nous vérifions.",
                              at=received + dt.timedelta(days=2, hours=12))
    services.feedback_respond(feedback=feedback, by=case_manager, text="Livraison prévue.",
                              at=received + dt.timedelta(days=5))
    services.feedback_close(feedback=feedback, by=case_manager, resolution="Matériel livré.",
                            at=received + dt.timedelta(days=7))
    feedback.refresh_from_db()
    assert feedback.first_response_seconds == int(2.5 * 86400)  # the first answer, not the second
    assert feedback.closure_seconds == 7 * 86400
    assert (feedback.days_to_first_response, feedback.days_to_closure) == (2.5, 7.0)
    page = client_for(case_manager).get(reverse("monitoring:feedback_detail", args=[feedback.pk])).content.decode()
    assert "after 2.5 days" in page and "after 7.0 days" in page


def test_closing_without_an_answer_is_the_first_response(case_manager):
    received = timezone.now() - dt.timedelta(days=3)
    feedback = services.feedback_close(feedback=_log(case_manager, received_at=received), by=case_manager,
                                       resolution="Réglé sur place.", at=received + dt.timedelta(days=1))
    assert feedback.first_response_seconds == feedback.closure_seconds == 86400


def test_a_closed_feedback_takes_no_more_answers(case_manager):
    feedback = services.feedback_close(feedback=_log(case_manager), by=case_manager, resolution="ok")
    with pytest.raises(ApplicationError):
        services.feedback_respond(feedback=feedback, by=case_manager, text="encore")


def test_the_queue_is_for_iom_handlers(client_for, personas):
    feedback = _log(personas["case_manager"])
    for name, user in personas.items():
        client = client_for(user)
        listed = client.get(reverse("monitoring:feedback_list"))
        opened = client.get(reverse("monitoring:feedback_detail", args=[feedback.pk]))
        api = client.get(f"/api/v1/feedback/{feedback.pk}/")
        if name in ("admin", "case_manager", "supervisor"):
            assert (listed.status_code, opened.status_code, api.status_code) == (200, 200, 200), name
        else:
            assert listed.status_code == 403, name
            assert opened.status_code in (403, 404) and api.status_code in (403, 404), name


def test_others_cannot_log_feedback(personas):
    for name in ("insertion_counsellor", "fp_minas", "donor", "statistician"):
        with pytest.raises(PermissionDenied):
            _log(personas[name])
    assert _log(personas["secretariat"]).received_by == personas["secretariat"]


def test_a_case_number_links_the_case_and_its_person_and_the_list_read_is_logged(client_for, case_manager):
    case = make_case(by=case_manager, family_name="Ndongo")
    client = client_for(case_manager)
    response = client.post(reverse("monitoring:feedback_create"), {
        "channel": "in_person", "kind": "complaint", "category": "assistance_delay", "text": "Rien reçu.",
        "case_number": case.number.lower()})
    feedback = Feedback.objects.get()
    assert response.status_code == 302 and (feedback.case, feedback.person) == (case, case.person)
    page = client.get(reverse("monitoring:feedback_list")).content.decode()
    assert "NDONGO" in page
    assert any(str(feedback.pk) in row.target_ids for row in SensitiveAccess.objects.filter(user=case_manager))


def test_an_unknown_case_number_is_said_on_the_form(client_for, case_manager):
    response = client_for(case_manager).post(reverse("monitoring:feedback_create"), {
        "channel": "in_person", "kind": "complaint", "category": "quality", "text": "x", "case_number": "CM-0000"})
    assert response.status_code == 400 and "No case CM-0000" in response.content.decode()
    assert not Feedback.objects.exists()


def test_respond_and_close_pages_and_api_agree(client_for, case_manager):
    feedback = _log(case_manager)
    client = client_for(case_manager)
    client.post(reverse("monitoring:feedback_respond", args=[feedback.pk]), {"text": "Nous vérifions."})
    feedback.refresh_from_db()
    assert feedback.status == "answered" and feedback.first_response_at is not None
    response = client.post(f"/api/v1/feedback/{feedback.pk}/close/", {"resolution": "Réglé."},
                           content_type="application/json")
    assert response.status_code == 200 and response.json()["status"] == "closed"
    again = client.post(f"/api/v1/feedback/{feedback.pk}/close/", {"resolution": "Réglé."},
                        content_type="application/json")
    assert again.status_code == 400
