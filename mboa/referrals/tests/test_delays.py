"""Delay computations on referrals with known times (targets from settings.MBOA_REFERRALS)."""

import datetime as dt

import pytest

from mboa.notifications.models import Message

from .. import delays
from ..models import Referral
from ..services import referrals_send_reminders
from .factories import give_consent, make_case, send

pytestmark = pytest.mark.django_db

T0 = dt.datetime(2026, 3, 2, 8, 0, tzinfo=dt.UTC)


def h(hours: float) -> dt.datetime:
    return T0 + dt.timedelta(hours=hours)


@pytest.fixture
def referrals(case_manager, fp_minas):
    case = make_case(by=case_manager)
    give_consent(case, "MINAS", "MINSANTE", by=case_manager)

    def make(to="MINAS", service_code="psychosocial_support", urgency="normal", **stamps):
        r = send(case, by=case_manager, to=to, service_code=service_code, urgency=urgency)
        Referral.objects.filter(pk=r.pk).update(**stamps)
        r.refresh_from_db()
        return r

    return make


def test_response_times_per_structure_service_month(referrals):
    # MINAS psychosocial (targets: acknowledge 2 d, accept 4 d, deliver 30 d)
    referrals(sent_at=h(0), acknowledged_at=h(24), accepted_at=h(72), delivered_at=h(72 + 240), status="delivered")
    referrals(sent_at=h(10), acknowledged_at=h(10 + 96), accepted_at=h(10 + 120), status="accepted")
    referrals(sent_at=h(20), accepted_at=h(20 + 12), status="accepted")  # accepted straight away
    # April, another month.
    referrals(sent_at=h(24 * 31), status="sent")
    rows = delays.delay_report(rows=Referral.objects.values(*delays.REPORT_FIELDS), now=h(24 * 31 + 1))
    march = next(r for r in rows if r["month"] == "2026-03")
    assert (march["structure"], march["service"], march["referrals"]) == ("MINAS", "psychosocial_support", 3)
    assert march["acknowledge"] == {"n": 3, "median": 24.0, "mean": round((24 + 96 + 12) / 3, 1)}
    assert march["accept"]["median"] == 72.0 and march["accept"]["n"] == 3
    assert march["deliver"] == {"n": 1, "median": 240.0, "mean": 240.0}
    assert march["acknowledge_within_target"] == pytest.approx(2 / 3, abs=0.001)  # 96 h > 48 h
    assert march["accept_within_target"] == pytest.approx(2 / 3, abs=0.001)  # 120 h > 96 h
    april = next(r for r in rows if r["month"] == "2026-04")
    assert april["referrals"] == 1 and april["acknowledge"]["n"] == 0 and april["overdue"] == 0


def test_grouping_by_structure_only(referrals):
    referrals(sent_at=h(0), acknowledged_at=h(5))
    referrals(to="MINSANTE", service_code="medical_care", sent_at=h(0), acknowledged_at=h(30))
    rows = delays.delay_report(rows=Referral.objects.values(*delays.REPORT_FIELDS), group_by=("structure",), now=h(40))
    assert [(r["structure"], r["acknowledge"]["median"]) for r in rows] == [("MINAS", 5.0), ("MINSANTE", 30.0)]
    # medical care: 1 day to acknowledge; 30 h is late.
    assert rows[1]["acknowledge_within_target"] == 0.0


def test_overdue_follows_each_service_target(referrals):
    psy = referrals(sent_at=h(0))  # acknowledge within 2 days
    med = referrals(to="MINSANTE", service_code="medical_care", sent_at=h(0))  # within 1 day
    urgent = referrals(to="MINSANTE", service_code="medical_care", urgency="urgent", sent_at=h(0))  # 4 hours
    delivering = referrals(sent_at=h(0), status="accepted", accepted_at=h(1))  # deliver within 30 days

    def overdue(at):
        return set(Referral.objects.filter(delays.overdue_q(now=at)).values_list("pk", flat=True))

    assert overdue(h(3)) == set()
    assert overdue(h(5)) == {urgent.pk}
    assert overdue(h(25)) == {urgent.pk, med.pk}
    assert overdue(h(49)) == {urgent.pk, med.pk, psy.pk}
    assert delivering.pk in overdue(h(1 + 30 * 24 + 1))
    assert delays.is_overdue(psy, h(49)) and not delays.is_overdue(psy, h(47))
    _stage, due = delays.current_due(urgent)
    assert due == h(4)


def test_reminders_once_per_period(referrals, fp_minas, django_capture_on_commit_callbacks):
    r = referrals(sent_at=h(0))
    with django_capture_on_commit_callbacks(execute=False):
        assert referrals_send_reminders(now=h(47)) == 0
        assert referrals_send_reminders(now=h(49)) == 1
        assert referrals_send_reminders(now=h(60)) == 0  # reminded less than 2 days ago
        assert referrals_send_reminders(now=h(49 + 49)) == 1
    reminders = Message.objects.filter(related_id=str(r.pk), idempotency_key__startswith="referral-reminder")
    assert reminders.count() == 2 and {m.recipient_user_id for m in reminders} == {fp_minas.pk}
