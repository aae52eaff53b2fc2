"""Meetings: numbering, decisions numbered per meeting, agenda items carried over, minutes."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from mboa.actors.tests.factories import FocalPointFactory
from mboa.core.errors import ApplicationError
from mboa.governance import meetings
from mboa.governance.models import AgendaItem, Decision, Meeting

from .factories import aware, body, structure

pytestmark = pytest.mark.django_db


def _plan(by, when, code="COPIL", agenda=()):
    return meetings.meeting_create(by=by, body=body(code), kind="formal", starts_at=when, place="Yaoundé",
                                   agenda=[{"title": t, "presenter": structure(p) if p else None} for t, p in agenda])


def test_meetings_are_numbered_per_body_and_year(secretariat):
    first = _plan(secretariat, aware(2018, 3, 1))
    second = _plan(secretariat, aware(2018, 11, 20))
    gtr = _plan(secretariat, aware(2018, 12, 1), code="GTR")
    next_year = _plan(secretariat, aware(2019, 2, 1))
    assert [first.reference, second.reference, gtr.reference, next_year.reference] == [
        "COPIL-2018-01", "COPIL-2018-02", "GTR-2018-01", "COPIL-2019-01"]


def test_decisions_and_recommendations_are_numbered_per_meeting(secretariat):
    _plan(secretariat, aware(2018, 3, 1))
    meeting = _plan(secretariat, aware(2018, 11, 20))
    refs = [meetings.decision_record(meeting=meeting, by=secretariat, text=f"D {i}").reference for i in range(3)]
    rec = meetings.decision_record(meeting=meeting, by=secretariat, text="Créer les groupes de travail",
                                   kind="recommendation", addressed_to=structure("MINREX"))
    assert refs == ["COPIL-2018-02-D1", "COPIL-2018-02-D2", "COPIL-2018-02-D3"]
    assert rec.reference == "COPIL-2018-02-R1"
    other = _plan(secretariat, aware(2019, 5, 1))
    assert meetings.decision_record(meeting=other, by=secretariat, text="x").reference == "COPIL-2019-01-D1"


def test_decision_with_commitment_creates_the_commitment(secretariat):
    meeting = _plan(secretariat, aware(2018, 3, 1))
    decision = meetings.decision_record(
        meeting=meeting, by=secretariat, text="Désigner les points focaux santé",
        commitments=[{"structure": structure("MINSANTE"), "title": "Désigner 2 points focaux",
                      "deadline": dt.date(2018, 4, 30)}])
    commitment = decision.commitments.get()
    assert (commitment.structure.code, commitment.body.code, commitment.meeting_id) == ("MINSANTE", "COPIL", meeting.pk)


def test_items_not_covered_are_carried_to_the_next_meeting(secretariat):
    now = timezone.now()
    first = _plan(secretariat, now - dt.timedelta(days=1),
                  agenda=[("Procédures opérationnelles", "OIM"), ("Retour du gouvernement", "MINREX"),
                          ("Pérennisation", None)])
    items = list(first.agenda_items.order_by("order"))
    meetings.meeting_mark_held(meeting=first, by=secretariat, covered_item_ids=[items[0].pk])
    # Planned later: its draft agenda starts with the two items not covered, with their presenter.
    second = _plan(secretariat, now + dt.timedelta(days=60), agenda=[("Nouveau point", None)])
    titles = list(second.agenda_items.order_by("order").values_list("title", "presenter__code", "carried_from"))
    assert titles[0] == ("Nouveau point", None, None)
    assert [(t, p) for t, p, _ in titles[1:]] == [("Retour du gouvernement", "MINREX"), ("Pérennisation", None)]
    # Carried once only, even when a third meeting is planned.
    third = _plan(secretariat, now + dt.timedelta(days=120))
    assert third.agenda_items.count() == 0


def test_items_carry_into_a_meeting_already_planned(secretariat):
    now = timezone.now()
    first = _plan(secretariat, now - dt.timedelta(days=1), agenda=[("Renforcement des capacités", None)])
    second = _plan(secretariat, now + dt.timedelta(days=30))
    assert second.agenda_items.count() == 0
    meetings.meeting_mark_held(meeting=first, by=secretariat, covered_item_ids=[])
    assert list(second.agenda_items.values_list("title", flat=True)) == ["Renforcement des capacités"]


def test_members_focal_points_are_invited_and_attendance_recorded(secretariat):
    fp = FocalPointFactory(structure=structure("MINAS"))
    meeting = _plan(secretariat, timezone.now() - dt.timedelta(hours=2), code="GTA")
    invitation = meeting.invitations.get(focal_point=fp)
    assert set(meeting.invitations.values_list("structure__code", flat=True)) == {
        "OIM", "DUE", "MINREX", "MINSANTE", "MINAS", "MINJEC", "MINAT", "DGSN"}
    meetings.meeting_mark_held(meeting=meeting, by=secretariat, covered_item_ids=[],
                               attendance={invitation.pk: "excused"})
    invitation.refresh_from_db()
    assert invitation.attendance == "excused"


def test_minutes_then_approval_locks_them(secretariat):
    meeting = _plan(secretariat, timezone.now() - dt.timedelta(hours=2))
    meetings.meeting_mark_held(meeting=meeting, by=secretariat, covered_item_ids=[])
    with pytest.raises(ApplicationError):
        meetings.meeting_approve_minutes(meeting=Meeting.objects.get(pk=meeting.pk), by=secretariat)
    meetings.meeting_record_minutes(meeting=meeting, by=secretariat, minutes="# Relevé\n- point **1**")
    approved = meetings.meeting_approve_minutes(meeting=Meeting.objects.get(pk=meeting.pk), by=secretariat)
    assert approved.status == "minutes_approved" and approved.minutes_approved_at
    with pytest.raises(ApplicationError):
        meetings.meeting_record_minutes(meeting=approved, by=secretariat, minutes="changed")


def test_minutes_render_formatting_but_not_scripts(client_for, secretariat):
    meeting = _plan(secretariat, timezone.now() - dt.timedelta(hours=2))
    meetings.meeting_record_minutes(meeting=meeting, by=secretariat, minutes="**Accord** <script>alert(1)</script>")
    page = client_for(secretariat).get(reverse("governance:meeting_detail", args=[meeting.pk])).content.decode()
    assert "<strong>Accord</strong>" in page
    assert "<script>alert(1)" not in page


def test_focal_point_cannot_plan_a_meeting(client_for, fp_minas):
    response = client_for(fp_minas).post(reverse("governance:meeting_create", args=["COPIL"]), {
        "kind": "formal", "starts_at": "2030-01-10T10:00", "place": "Yaoundé"})
    assert response.status_code == 403
    assert not Meeting.objects.exists()


def test_secretariat_plans_a_meeting_in_the_ui_with_agenda(client_for, secretariat):
    response = client_for(secretariat).post(reverse("governance:meeting_create", args=["GTR"]), {
        "kind": "work_session", "starts_at": "2030-01-10T10:00", "place": "MINJEC",
        "agenda": "Synthèse des projets par filière | MINJEC\nDéfis structurels"})
    assert response.status_code == 302
    meeting = Meeting.objects.get()
    assert meeting.reference == "GTR-2030-01"
    assert list(meeting.agenda_items.values_list("title", "presenter__code")) == [
        ("Synthèse des projets par filière", "MINJEC"), ("Défis structurels", None)]


def test_unknown_presenter_in_agenda_is_reported_with_its_line(client_for, secretariat):
    response = client_for(secretariat).post(reverse("governance:meeting_create", args=["GTR"]), {
        "kind": "work_session", "starts_at": "2030-01-10T10:00", "place": "MINJEC",
        "agenda": "Point A\nPoint B | NOPE"})
    assert response.status_code == 400
    assert "2" in response.content.decode() and "NOPE" in response.content.decode()


def test_other_structure_gets_404_on_a_meeting_of_a_body_it_does_not_sit_on(client_for, secretariat, fp_minsante):
    meeting = _plan(secretariat, aware(2030, 1, 10), code="GTR")  # MINSANTE is not a GTR member
    client = client_for(fp_minsante)
    assert client.get(reverse("governance:meeting_detail", args=[meeting.pk])).status_code == 404
    assert client.get(reverse("governance:briefing", args=[meeting.pk])).status_code == 404
    assert client.get(f"/api/v1/meetings/{meeting.pk}/").status_code == 404
    assert meeting.pk not in [m["id"] for m in client.get("/api/v1/meetings/").json()["results"]]


def test_member_sees_the_meeting(client_for, secretariat, fp_minas):
    meeting = _plan(secretariat, aware(2030, 1, 10), code="GTR")
    assert client_for(fp_minas).get(reverse("governance:meeting_detail", args=[meeting.pk])).status_code == 200


def test_meeting_list_query_count_does_not_grow(client_for, secretariat, django_assert_max_num_queries):
    for i in range(6):
        _plan(secretariat, aware(2030, 1, 1 + i), code="GTA")
    client = client_for(secretariat)
    with django_assert_max_num_queries(14):
        assert client.get(reverse("governance:meeting_list")).status_code == 200
    with django_assert_max_num_queries(10):
        assert client.get("/api/v1/meetings/").status_code == 200


def test_api_records_a_decision_with_a_commitment(client_for, secretariat):
    meeting = _plan(secretariat, aware(2018, 6, 1))
    response = client_for(secretariat).post("/api/v1/decisions/", {
        "meeting": meeting.pk, "text": "Créer le GTA et le GTR", "kind": "recommendation", "addressed_to": "MINREX",
        "commitments": [{"structure": "MINREX", "title": "Arrêté de création", "deadline": "2018-09-30"}],
    }, content_type="application/json")
    assert response.status_code == 201, response.content
    assert response.json()["reference"] == "COPIL-2018-01-R1"
    assert response.json()["commitments"][0]["structure"] == "MINREX"
    assert Decision.objects.count() == 1 and AgendaItem.objects.count() == 0
