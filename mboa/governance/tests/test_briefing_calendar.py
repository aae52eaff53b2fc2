"""Briefing pack (page, PDF, generated the day before) and the calendar (page, iCalendar feed)."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from mboa.actors.tests.factories import FocalPointFactory
from mboa.governance import briefing, ical, meetings
from mboa.governance.models import Meeting
from mboa.notifications.models import Message

from .factories import CommitmentFactory, body, structure

pytestmark = pytest.mark.django_db


@pytest.fixture
def copil(secretariat):
    now = timezone.now()
    previous = meetings.meeting_create(by=secretariat, body=body("COPIL"), kind="formal", place="MINREX",
                                       starts_at=now - dt.timedelta(days=90),
                                       agenda=[{"title": "Mécanismes de coordination", "presenter": structure("OIM")}])
    meetings.decision_record(meeting=previous, by=secretariat, text="Valider les procédures")
    meetings.meeting_mark_held(meeting=previous, by=secretariat, covered_item_ids=[])
    meeting = meetings.meeting_create(by=secretariat, body=body("COPIL"), kind="formal", place="MINREX",
                                      starts_at=now + dt.timedelta(days=1),
                                      agenda=[{"title": "Retour du gouvernement", "presenter": structure("MINJEC")}])
    CommitmentFactory(structure=structure("MINSANTE"), title="Ambulance pour les charters", late=True)
    CommitmentFactory(structure=structure("MINAS"), title="Placer 4 conseillers psychosociaux")
    CommitmentFactory(body=body("GTR"), structure=structure("MINJEC"), title="Hors COPIL", late=True)
    return meeting


def test_briefing_pack_content(copil):
    context = briefing.briefing_pack_context(meeting=copil)
    assert [c.title for c in context["late_commitments"]] == ["Ambulance pour les charters"]
    assert [c.title for c in context["open_commitments"]] == ["Placer 4 conseillers psychosociaux"]
    assert [i.title for i in context["agenda"]] == ["Retour du gouvernement", "Mécanismes de coordination"]
    prepare = dict(context["prepare"])
    assert [c.title for c in prepare["MINSANTE"]["holds"]] == ["Ambulance pour les charters"]
    assert [i.title for i in prepare["MINJEC"]["presents"]] == ["Retour du gouvernement"]
    figures = {f["key"]: f["value"] for f in context["figures"]}
    assert figures["governance.decisions"] == 1
    assert context["previous"].reference.startswith("COPIL-")


def test_briefing_page_and_pdf(copil, client_for, fp_minas):
    client = client_for(fp_minas)
    page = client.get(reverse("governance:briefing", args=[copil.pk])).content.decode()
    assert "Ambulance pour les charters" in page and "Hors COPIL" not in page
    response = client.get(reverse("governance:briefing_pdf", args=[copil.pk]))
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_pack_is_generated_the_day_before_once_and_invitees_told(copil, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    fp = FocalPointFactory(structure=structure("MINAS"), email="minas@x.cm")
    meetings._invite_members(copil)  # the focal point was created after the meeting was planned
    assert briefing.briefing_packs_prepare(now=copil.starts_at - dt.timedelta(days=3)) == []
    assert briefing.briefing_packs_prepare(now=copil.starts_at - dt.timedelta(hours=20)) == [copil.reference]
    copil.refresh_from_db()
    assert copil.briefing_pdf.read().startswith(b"%PDF")
    assert Message.objects.filter(recipient_focal_point=fp, idempotency_key__startswith=f"briefing:{copil.pk}").exists()
    assert briefing.briefing_packs_prepare(now=copil.starts_at - dt.timedelta(hours=19)) == []


def test_calendar_shows_my_meetings_and_deadlines(copil, client_for, fp_minsante):
    page = client_for(fp_minsante).get(reverse("governance:calendar")).content.decode()
    assert copil.reference in page
    assert "Ambulance pour les charters" in page
    assert "Placer 4 conseillers" not in page  # MINAS's deadline, not MINSANTE's


def test_ical_feed_with_token_and_refused_with_a_bad_one(copil, client, fp_minsante):
    token = ical.feed_token(fp_minsante)
    response = client.get(reverse("governance:calendar_feed", args=[token]))
    body_text = response.content.decode()
    assert response["Content-Type"].startswith("text/calendar")
    assert body_text.startswith("BEGIN:VCALENDAR\r\n") and body_text.rstrip().endswith("END:VCALENDAR")
    assert f"UID:meeting-{copil.pk}@mboa" in body_text
    assert "DTSTART" in body_text and "SUMMARY:" in body_text
    assert all(len(line.encode()) <= 75 for line in body_text.split("\r\n"))
    assert client.get(reverse("governance:calendar_feed", args=[token + "x"])).status_code == 404
    fp_minsante.is_active = False
    fp_minsante.save()
    assert client.get(reverse("governance:calendar_feed", args=[token])).status_code == 404


def test_gtr_meeting_not_in_a_non_member_calendar(secretariat, client_for, fp_minsante):
    gtr = meetings.meeting_create(by=secretariat, body=body("GTR"), kind="work_session", place="MINJEC",
                                  starts_at=timezone.now() + dt.timedelta(days=5))
    assert gtr.reference not in client_for(fp_minsante).get(reverse("governance:calendar")).content.decode()
    assert Meeting.objects.count() == 1
