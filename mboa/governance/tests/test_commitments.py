"""Commitments: progress, escalation at the right times (time injected), on-time figures."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from mboa.actors.tests.factories import FocalPointFactory
from mboa.core.errors import ApplicationError
from mboa.governance import commitments, meetings
from mboa.governance.models import Commitment, CommitmentEscalation
from mboa.notifications.models import Message

from .factories import CommitmentFactory, body, structure

pytestmark = pytest.mark.django_db

DEADLINE = dt.date(2030, 6, 30)


def at(day: dt.date, hour: int = 8) -> dt.datetime:
    return timezone.make_aware(dt.datetime(day.year, day.month, day.day, hour))


@pytest.fixture
def minsante_fp():
    return FocalPointFactory(structure=structure("MINSANTE"), email="pf@minsante.cm", start_date=dt.date(2020, 1, 1))


@pytest.fixture
def chairs():
    return [FocalPointFactory(structure=structure("MINREX"), email="pf@minrex.cm"),
            FocalPointFactory(structure=structure("DUE"), email="pf@due.eu")]


def steps(commitment):
    return list(CommitmentEscalation.objects.filter(commitment=commitment).order_by("occurred_at")
                .values_list("step", flat=True))


def test_escalation_steps_happen_at_the_right_times(secretariat, minsante_fp, chairs, settings,
                                                     django_capture_on_commit_callbacks):
    settings.MBOA_GOVERNANCE = {"REMINDER_DAYS_BEFORE": 7, "LATE_REMINDER_DAYS_AFTER": 1, "AGENDA_DAYS_AFTER": 7,
                                "CO_CHAIRS_DAYS_AFTER": 30}
    with django_capture_on_commit_callbacks(execute=True):  # the holder is told when it is recorded
        commitment = commitments.commitment_create(by=secretariat, body=body("COPIL"),
                                                   structure=structure("MINSANTE"),
                                                   title="Ambulance à l'aéroport", deadline=DEADLINE)
    run = commitments.commitments_escalate
    assert run(now=at(DEADLINE - dt.timedelta(days=8))) == {}
    assert run(now=at(DEADLINE - dt.timedelta(days=7))) == {"reminder": 1}
    assert run(now=at(DEADLINE - dt.timedelta(days=6))) == {}  # once only
    assert run(now=at(DEADLINE)) == {}
    commitment.refresh_from_db()
    assert commitment.status == "open"
    assert run(now=at(DEADLINE + dt.timedelta(days=1))) == {"late_reminder": 1}
    commitment.refresh_from_db()
    assert commitment.status == "late"
    # Late for a week but no meeting planned: the agenda step waits...
    assert run(now=at(DEADLINE + dt.timedelta(days=8))) == {}
    meeting = meetings.meeting_create(by=secretariat, body=body("COPIL"), kind="formal", place="Yaoundé",
                                      starts_at=at(DEADLINE + dt.timedelta(days=40), 10))
    # ...and happens at the next run once a meeting is planned.
    assert run(now=at(DEADLINE + dt.timedelta(days=9))) == {"agenda": 1}
    item = meeting.agenda_items.get(commitment=commitment)
    assert item.presenter.code == "MINSANTE" and "MINSANTE" in item.title
    assert run(now=at(DEADLINE + dt.timedelta(days=29))) == {}
    assert run(now=at(DEADLINE + dt.timedelta(days=30))) == {"co_chairs": 1}
    assert run(now=at(DEADLINE + dt.timedelta(days=60))) == {}
    assert steps(commitment) == ["reminder", "late_reminder", "agenda", "co_chairs"]
    # Who was told what: the holder twice (+ when created), then the co-chairs' focal points.
    holder = Message.objects.filter(recipient_focal_point=minsante_fp).order_by("id")
    assert holder.count() == 3
    to_chairs = Message.objects.filter(idempotency_key__startswith=f"commitment:{commitment.pk}:co_chairs")
    assert {m.address for m in to_chairs} == {"pf@minrex.cm", "pf@due.eu"}
    assert not Message.objects.filter(idempotency_key__contains=":co_chairs", address="pf@minsante.cm").exists()


def test_working_group_without_co_chair_flags_its_secretariat(secretariat, minsante_fp):
    oim = FocalPointFactory(structure=structure("OIM"), email="pf@oim.int")
    commitment = CommitmentFactory(body=body("GTA"), deadline=DEADLINE)
    commitments.commitments_escalate(now=at(DEADLINE + dt.timedelta(days=1)))
    commitments.commitments_escalate(now=at(DEADLINE + dt.timedelta(days=31)))
    assert steps(commitment) == ["late_reminder", "co_chairs"]
    assert Message.objects.filter(recipient_focal_point=oim, idempotency_key__contains="co_chairs").exists()


def test_done_or_dropped_commitments_are_not_escalated(secretariat):
    done = CommitmentFactory(deadline=DEADLINE, status="done", done_on=DEADLINE)
    dropped = CommitmentFactory(deadline=DEADLINE, status="dropped", drop_reason="Budget")
    commitments.commitments_escalate(now=at(DEADLINE + dt.timedelta(days=40)))
    assert not CommitmentEscalation.objects.filter(commitment__in=[done, dropped]).exists()


def test_holder_focal_point_updates_progress_and_closes(fp_minsante):
    commitment = CommitmentFactory(structure=structure("MINSANTE"))
    commitments.commitment_add_update(commitment=commitment, by=fp_minsante, note="Ambulance réservée", progress=50)
    commitment.refresh_from_db()
    assert (commitment.status, commitment.progress) == ("in_progress", 50)
    commitments.commitment_mark_done(commitment=commitment, by=fp_minsante)
    commitment.refresh_from_db()
    assert commitment.status == "done" and commitment.done_on == timezone.localdate()


def test_another_structure_cannot_update_it(client_for, fp_minas):
    commitment = CommitmentFactory(structure=structure("MINSANTE"))
    with pytest.raises(Exception, match="focal points"):
        commitments.commitment_add_update(commitment=commitment, by=fp_minas, note="x")
    response = client_for(fp_minas).post(reverse("governance:commitment_progress", args=[commitment.pk]),
                                         {"note": "x"})
    assert response.status_code == 403


def test_dropping_needs_a_reason(secretariat):
    commitment = CommitmentFactory()
    with pytest.raises(ApplicationError):
        commitments.commitment_drop(commitment=commitment, by=secretariat, reason=" ")
    commitments.commitment_drop(commitment=commitment, by=secretariat, reason="Budget non disponible")
    commitment.refresh_from_db()
    assert commitment.status == "dropped"


def test_on_time_rates_and_average_delay_on_a_fixture():
    today = dt.date(2019, 12, 31)
    d = dt.date(2019, 6, 30)
    minsante, minas, minrex = structure("MINSANTE"), structure("MINAS"), structure("MINREX")
    # MINSANTE: 2 on time, 1 done 10 days late, 1 still late (184 days), 1 not due yet, 1 dropped.
    CommitmentFactory(structure=minsante, deadline=d, status="done", done_on=d)
    CommitmentFactory(structure=minsante, deadline=d, status="done", done_on=d - dt.timedelta(days=5))
    CommitmentFactory(structure=minsante, deadline=d, status="done", done_on=d + dt.timedelta(days=10))
    CommitmentFactory(structure=minsante, deadline=d, status="late")
    CommitmentFactory(structure=minsante, deadline=dt.date(2020, 3, 1), status="open")
    CommitmentFactory(structure=minsante, deadline=d, status="dropped", drop_reason="Budget")
    # MINAS: 1 on time. MINREX: 1 done 20 days late.
    CommitmentFactory(structure=minas, deadline=d, status="done", done_on=d)
    CommitmentFactory(structure=minrex, deadline=d, status="done", done_on=d + dt.timedelta(days=20))
    rows = {r["code"]: r for r in commitments.commitment_stats_by_structure(today=today)}
    assert rows["MINSANTE"]["due"] == 4 and rows["MINSANTE"]["on_time"] == 2
    assert rows["MINSANTE"]["on_time_rate"] == 50.0
    assert rows["MINSANTE"]["average_delay_days"] == (10 + 184) / 2
    assert (rows["MINAS"]["on_time_rate"], rows["MINAS"]["average_delay_days"]) == (100.0, 0.0)
    assert (rows["MINREX"]["on_time_rate"], rows["MINREX"]["average_delay_days"]) == (0.0, 20.0)


def test_home_panel_shows_what_my_structure_holds(client_for, fp_minsante, fp_minas):
    late = CommitmentFactory(structure=structure("MINSANTE"), title="Plan de vaccination", late=True)
    CommitmentFactory(structure=structure("MINSANTE"), title="Lointain",
                      deadline=timezone.localdate() + dt.timedelta(days=200))
    page = client_for(fp_minsante).get("/").content.decode()
    assert "Plan de vaccination" in page and "Lointain" not in page
    assert reverse("governance:commitment_detail", args=[late.pk]) in page
    assert "Plan de vaccination" not in client_for(fp_minas).get("/").content.decode()


def test_other_structure_gets_404_on_a_commitment_of_a_body_it_does_not_sit_on(client_for, fp_minsante):
    commitment = CommitmentFactory(body=body("GTR"), structure=structure("MINJEC"))
    client = client_for(fp_minsante)
    assert client.get(reverse("governance:commitment_detail", args=[commitment.pk])).status_code == 404
    assert client.get(f"/api/v1/commitments/{commitment.pk}/").status_code == 404
    assert client.post(f"/api/v1/commitments/{commitment.pk}/progress/", {"note": "x"}).status_code == 404


def test_commitment_list_and_api_query_counts(client_for, secretariat, django_assert_max_num_queries):
    for _ in range(8):
        CommitmentFactory()
    client = client_for(secretariat)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("governance:commitment_list")).status_code == 200
    with django_assert_max_num_queries(8):
        response = client.get("/api/v1/commitments/")
    assert response.json()["count"] == 8


def test_api_focal_point_marks_own_commitment_done(client_for, fp_minsante):
    commitment = CommitmentFactory(structure=structure("MINSANTE"))
    response = client_for(fp_minsante).post(f"/api/v1/commitments/{commitment.pk}/done/", {},
                                            content_type="application/json")
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "done"
    assert Commitment.objects.get(pk=commitment.pk).progress == 100
