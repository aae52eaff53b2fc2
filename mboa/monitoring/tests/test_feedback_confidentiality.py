"""A complaint against staff is read only by the designated officer: not by the one who
logged it, not by the other handlers, not by an administrator — on the pages and the API."""

import pytest
from django.conf import settings
from django.test import override_settings
from django.urls import reverse

from mboa.core.models import SensitiveAccess
from mboa.monitoring.feedback import services
from mboa.monitoring.feedback.models import FeedbackCategory

pytestmark = pytest.mark.django_db

SECRET_TEXT = "Un agent a demandé de l'argent MARQUEPLAINTE"


@pytest.fixture
def officer(make_user):
    return make_user("OIM", ("case_manager",), username="officer.test")


@pytest.fixture(autouse=True)
def _officer_setting(officer):
    with override_settings(MBOA_MONITORING={**settings.MBOA_MONITORING, "STAFF_COMPLAINT_OFFICERS": ["officer.test"]}):
        yield


@pytest.fixture
def complaint(case_manager):
    return services.feedback_log(by=case_manager, kind="complaint", channel="in_person",
                                 category=FeedbackCategory.objects.get(code="staff_conduct"), text=SECRET_TEXT)


@pytest.fixture
def ordinary(case_manager):
    return services.feedback_log(by=case_manager, kind="complaint", channel="phone",
                                 category=FeedbackCategory.objects.get(code="assistance_delay"),
                                 text="Mon kit tarde MARQUEORDINAIRE")


def test_the_staff_conduct_category_makes_it_a_complaint_against_staff(complaint):
    assert complaint.against_staff


def test_nobody_but_the_officer_reads_it_on_the_pages(client_for, personas, officer, complaint, ordinary):
    for name, user in personas.items():
        client = client_for(user)
        detail = client.get(reverse("monitoring:feedback_detail", args=[complaint.pk]))
        assert detail.status_code in (403, 404), name
        for url in (reverse("monitoring:feedback_list") + "?status=", reverse("monitoring:feedback_staff_list")):
            response = client.get(url)
            assert "MARQUEPLAINTE" not in response.content.decode(), (name, url)
            assert complaint.number not in response.content.decode(), (name, url)
    # The administrator sees the ordinary feedback, not the complaint against staff.
    admin = client_for(personas["admin"])
    assert "MARQUEORDINAIRE" in admin.get(reverse("monitoring:feedback_detail", args=[ordinary.pk])).content.decode()
    assert admin.get(reverse("monitoring:feedback_staff_list")).status_code == 403

    client = client_for(officer)
    response = client.get(reverse("monitoring:feedback_detail", args=[complaint.pk]))
    assert response.status_code == 200 and "MARQUEPLAINTE" in response.content.decode()
    assert SensitiveAccess.objects.filter(user=officer, target_id=str(complaint.pk)).exists()
    assert complaint.number in client.get(reverse("monitoring:feedback_staff_list")).content.decode()


def test_nobody_but_the_officer_reads_it_in_the_api(client_for, personas, officer, complaint, ordinary):
    for name, user in personas.items():
        client = client_for(user)
        assert client.get(f"/api/v1/feedback/{complaint.pk}/").status_code in (403, 404), name
        listed = client.get("/api/v1/feedback/?staff=1")
        assert "MARQUEPLAINTE" not in listed.content.decode() and complaint.number not in listed.content.decode()
        everything = client.get("/api/v1/feedback/")
        assert complaint.number not in everything.content.decode(), name
        answer = client.post(f"/api/v1/feedback/{complaint.pk}/respond/", {"text": "vu"},
                             content_type="application/json")
        assert answer.status_code in (403, 404), name
    response = client_for(officer).get(f"/api/v1/feedback/{complaint.pk}/")
    assert response.status_code == 200 and response.json()["text"] == SECRET_TEXT


def test_whoever_logged_it_is_told_it_went_to_the_officer_and_cannot_open_it(client_for, case_manager):
    client = client_for(case_manager)
    response = client.post(reverse("monitoring:feedback_create"), {
        "channel": "phone", "kind": "complaint", "category": "quality", "against_staff": "on",
        "text": "Le chauffeur a été insultant MARQUEPLAINTE"}, follow=True)
    assert response.status_code == 200
    assert "sent to the designated officer only" in response.content.decode()
    assert "MARQUEPLAINTE" not in response.content.decode()
    from mboa.monitoring.feedback.models import Feedback

    complaint = Feedback.objects.get()
    assert complaint.against_staff
    assert client.get(reverse("monitoring:feedback_detail", args=[complaint.pk])).status_code == 404
    created = client.post("/api/v1/feedback/", {"channel": "phone", "category": "staff_conduct", "text": "MARQUE2"},
                          content_type="application/json")
    assert created.status_code == 201 and "MARQUE2" not in created.content.decode()


def test_only_the_officer_answers_and_closes_it(case_manager, admin, officer, complaint):
    from django.core.exceptions import PermissionDenied

    for user in (case_manager, admin):
        with pytest.raises(PermissionDenied):
            services.feedback_respond(feedback=complaint, by=user, text="vu")
    closed = services.feedback_close(feedback=complaint, by=officer, resolution="Enquête menée.")
    assert closed.status == "closed"


def test_without_an_officer_account_a_complaint_against_staff_is_refused(case_manager):
    from mboa.core.errors import ApplicationError

    officers = {**settings.MBOA_MONITORING, "STAFF_COMPLAINT_OFFICERS": ["nobody"]}
    with override_settings(MBOA_MONITORING=officers), pytest.raises(ApplicationError):
        services.feedback_log(by=case_manager, kind="complaint", channel="phone",
                              category=FeedbackCategory.objects.get(code="staff_conduct"), text="x")


def test_the_officer_is_told_a_complaint_waits_without_its_content(case_manager, officer, django_capture_on_commit_callbacks):
    from mboa.notifications.models import Message

    with django_capture_on_commit_callbacks(execute=True):
        complaint = services.feedback_log(by=case_manager, kind="complaint", channel="phone",
                                          category=FeedbackCategory.objects.get(code="staff_conduct"),
                                          text=SECRET_TEXT)
    messages = Message.objects.filter(recipient_user=officer)
    assert messages.exists()
    assert all("MARQUEPLAINTE" not in (m.body + m.subject) and complaint.number in m.body for m in messages)
