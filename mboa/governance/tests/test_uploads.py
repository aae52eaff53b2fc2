"""Attachments of the minutes: accepted by their content (a page or an SVG picture is
refused, whatever its name, with the field named), stored out of any public URL, and
downloaded only by those who see the meeting, as a download the browser does not sniff."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from mboa.core.errors import ApplicationError
from mboa.governance import meetings
from mboa.governance.models import MeetingAttachment

from .factories import aware, body

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
SVG = b"<svg xmlns='http://www.w3.org/2000/svg' onload='alert(document.cookie)'/>"
HTML = b"<html><script>alert(document.cookie)</script></html>"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def meeting(secretariat):
    return meetings.meeting_create(by=secretariat, body=body("GTR"), kind="formal", starts_at=aware(2018, 3, 1),
                                   place="Yaoundé", agenda=[])


def _downloaded(response) -> bytes:
    content = b"".join(response.streaming_content)
    return content


@pytest.mark.parametrize(("name", "content"), [("plan.svg", SVG), ("minutes.html", HTML), ("fake.pdf", HTML)])
def test_a_page_or_a_picture_with_script_is_refused_on_the_page_naming_the_field(name, content, meeting,
                                                                               secretariat, client_for):
    response = client_for(secretariat).post(reverse("governance:meeting_minutes", args=[meeting.pk]), {
        "minutes": "Relevé", "attachment_title": "Plan", "attachment": SimpleUploadedFile(name, content)})
    assert response.status_code in (200, 400)
    assert "Attachment: This file is not an accepted document" in response.content.decode()
    assert not MeetingAttachment.objects.exists()


def test_the_service_refuses_it_too(meeting, secretariat):
    with pytest.raises(ApplicationError) as refused:
        meetings.meeting_record_minutes(meeting=meeting, by=secretariat, minutes="x",
                                        attachments=[("Plan", SimpleUploadedFile("plan.svg", SVG))])
    assert refused.value.field == "attachment"
    assert not MeetingAttachment.objects.exists()


def test_a_pdf_is_downloaded_by_those_who_see_the_meeting_and_404_for_the_others(meeting, secretariat, make_user,
                                                                                client_for):
    meetings.meeting_record_minutes(meeting=meeting, by=secretariat, minutes="Relevé",
                                    attachments=[("Liste de présence", SimpleUploadedFile("liste.pdf", PDF))])
    attachment = MeetingAttachment.objects.get()
    url = reverse("governance:attachment_download", args=[meeting.pk, attachment.pk])
    page = client_for(secretariat).get(reverse("governance:meeting_detail", args=[meeting.pk])).content.decode()
    assert f'href="{url}"' in page and "/media/" not in page

    response = client_for(secretariat).get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"] == "application/pdf"
    assert _downloaded(response) == PDF

    outsider = make_user("INS", ("statistician",))  # the INS does not sit on the GTR
    assert client_for(outsider).get(reverse("governance:meeting_detail", args=[meeting.pk])).status_code == 404
    assert client_for(outsider).get(url).status_code == 404
    other = meetings.meeting_create(by=secretariat, body=body("GTR"), kind="formal", starts_at=aware(2018, 4, 1),
                                    place="Yaoundé", agenda=[])
    wrong_meeting = reverse("governance:attachment_download", args=[other.pk, attachment.pk])
    assert client_for(secretariat).get(wrong_meeting).status_code == 404
