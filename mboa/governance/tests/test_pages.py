"""Every governance follow-up page renders for the people who use it; forms post through the services."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from mboa.core.demo import DemoContext
from mboa.governance import meetings
from mboa.governance.models import Commitment, Decision, Meeting

from .factories import body, structure

pytestmark = pytest.mark.django_db


def run_demo():
    """The demo steps governance needs (not the whole chain: later apps' steps are theirs to test)."""
    from mboa.accounts import demo as accounts_demo
    from mboa.actors import demo as actors_demo
    from mboa.governance import demo as governance_demo

    ctx = DemoContext()
    for step in (actors_demo, accounts_demo, governance_demo):
        step.seed(ctx)


@pytest.fixture
def demo():
    run_demo()


def test_demo_has_the_four_copil_meetings_with_kept_and_late_commitments(demo):
    copil = Meeting.objects.filter(body__code="COPIL", year__lte=2019).order_by("starts_at")
    assert [m.reference for m in copil] == ["COPIL-2017-01", "COPIL-2018-01", "COPIL-2018-02", "COPIL-2019-01"]
    assert Decision.objects.get(reference="COPIL-2017-01-R1").addressed_to.code == "MINREX"
    statuses = set(Commitment.objects.values_list("status", flat=True))
    assert {"done", "late", "dropped"} <= statuses
    assert Meeting.objects.filter(body__code="GTA").exists() and Meeting.objects.filter(body__code="GTR").exists()
    before = (Meeting.objects.count(), Decision.objects.count(), Commitment.objects.count())
    run_demo()  # idempotent
    assert (Meeting.objects.count(), Decision.objects.count(), Commitment.objects.count()) == before


def test_all_pages_render_for_the_secretariat(demo, client_for, secretariat):
    client = client_for(secretariat)
    meeting = Meeting.objects.filter(status="planned").first()
    commitment = Commitment.objects.filter(status="late").first()
    for url in [
        reverse("governance:meeting_list"), reverse("governance:meeting_detail", args=[meeting.pk]),
        reverse("governance:meeting_create", args=["COPIL"]), reverse("governance:meeting_held", args=[meeting.pk]),
        reverse("governance:meeting_minutes", args=[meeting.pk]), reverse("governance:decision_create", args=[meeting.pk]),
        reverse("governance:briefing", args=[meeting.pk]), reverse("governance:commitment_list"),
        reverse("governance:commitment_list") + "?status=&mine=1", reverse("governance:commitment_stats"),
        reverse("governance:commitment_stats") + "?body=COPIL",
        reverse("governance:commitment_detail", args=[commitment.pk]), reverse("governance:calendar"),
        reverse("governance:calendar_ics"), reverse("governance:body_detail", args=["GTA"]),
        reverse("governance:broadcast_create", args=["GTA"]), reverse("notifications:preferences"), "/",
    ]:
        assert client.get(url).status_code == 200, url


def test_decision_form_records_decision_and_commitment(client_for, secretariat):
    meeting = meetings.meeting_create(by=secretariat, body=body("GTA"), kind="informal", place="OIM",
                                      starts_at=timezone.now() + dt.timedelta(days=2))
    response = client_for(secretariat).post(reverse("governance:decision_create", args=[meeting.pk]), {
        "kind": "decision", "text": "Préparer l'accueil du charter",
        "commitment_structure": structure("MINAT").pk, "commitment_title": "Kits d'hygiène pour 160 personnes",
        "commitment_deadline": "2030-01-05"})
    assert response.status_code == 302
    decision = Decision.objects.get()
    assert decision.reference == f"{meeting.reference}-D1"
    assert decision.commitments.get().structure.code == "MINAT"


def test_half_filled_commitment_is_refused(client_for, secretariat):
    meeting = meetings.meeting_create(by=secretariat, body=body("GTA"), kind="informal", place="OIM",
                                      starts_at=timezone.now() + dt.timedelta(days=2))
    response = client_for(secretariat).post(reverse("governance:decision_create", args=[meeting.pk]), {
        "kind": "decision", "text": "x", "commitment_title": "Sans structure"})
    assert response.status_code == 400
    assert not Decision.objects.exists()


def test_mark_held_page_carries_unticked_items(client_for, secretariat):
    now = timezone.now()
    first = meetings.meeting_create(by=secretariat, body=body("GTR"), kind="work_session", place="MINJEC",
                                    starts_at=now - dt.timedelta(hours=3),
                                    agenda=[{"title": "A"}, {"title": "B"}])
    second = meetings.meeting_create(by=secretariat, body=body("GTR"), kind="work_session", place="MINJEC",
                                     starts_at=now + dt.timedelta(days=20))
    a = first.agenda_items.get(title="A")
    response = client_for(secretariat).post(reverse("governance:meeting_held", args=[first.pk]),
                                            {"covered": [a.pk]})
    assert response.status_code == 302
    assert Meeting.objects.get(pk=first.pk).status == "held"
    assert list(second.agenda_items.values_list("title", flat=True)) == ["B"]


def test_planning_a_meeting_invites_the_focal_points_by_message(secretariat, django_capture_on_commit_callbacks):
    from mboa.actors.tests.factories import FocalPointFactory
    from mboa.notifications.models import Message

    fp = FocalPointFactory(structure=structure("DGSN"), email="pf@dgsn.cm")
    outsider = FocalPointFactory(structure=structure("MINEFOP"), email="pf@minefop.cm")  # not in the GTA
    with django_capture_on_commit_callbacks(execute=True):
        meeting = meetings.meeting_create(by=secretariat, body=body("GTA"), kind="informal", place="OIM",
                                          starts_at=timezone.now() + dt.timedelta(days=2))
    invitation = Message.objects.get(recipient_focal_point=fp)
    assert invitation.subject.startswith(f"Invitation: {meeting.reference}") and invitation.status == "sent"
    assert not Message.objects.filter(recipient_focal_point=outsider).exists()


def test_attendance_person_and_decision_follow_up(client_for, secretariat):
    meeting = meetings.meeting_create(by=secretariat, body=body("GTA"), kind="informal", place="OIM",
                                      starts_at=timezone.now() - dt.timedelta(hours=1))
    invitation = meeting.invitations.get(structure__code="MINAT", focal_point=None)
    client = client_for(secretariat)
    client.post(reverse("governance:meeting_held", args=[meeting.pk]),
                {f"attendance-{invitation.pk}": "present", f"person-{invitation.pk}": "Cdt Ngono (suppléant)"})
    invitation.refresh_from_db()
    assert (invitation.attendance, invitation.person_name) == ("present", "Cdt Ngono (suppléant)")
    decision = meetings.decision_record(meeting=meeting, by=secretariat, text="Kits d'hygiène")
    client.post(reverse("governance:decision_follow_up", args=[decision.pk]), {"status": "implemented", "note": "Livrés"})
    decision.refresh_from_db()
    assert (decision.follow_up_status, decision.follow_up_note) == ("implemented", "Livrés")
