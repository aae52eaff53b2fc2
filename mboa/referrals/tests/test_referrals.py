
import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied

from mboa.core.errors import ApplicationError
from mboa.core.models import Activity
from mboa.notifications.models import Message

from .. import agreements
from ..models import ReferralStatus
from ..services import referral_transition
from .factories import give_consent, make_case, send, service, structure

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(case_manager):
    c = make_case(by=case_manager, vulnerabilities=("medical", "single_head"))
    give_consent(c, "MINAS", "MINSANTE", by=case_manager)
    return c


def test_full_lifecycle_records_who_and_when(case, case_manager, fp_minas):
    r = send(case, by=case_manager)
    assert r.number.startswith("REF-") and r.status == ReferralStatus.SENT and r.sent_at
    for action in ("acknowledge", "accept", "start", "deliver", "close"):
        r = referral_transition(referral=r, action=action, by=fp_minas)
    assert r.status == ReferralStatus.CLOSED
    assert r.acknowledged_at <= r.accepted_at <= r.in_progress_at <= r.delivered_at <= r.closed_at
    history = list(r.history.values_list("status", "by__username", "by_structure__code"))
    assert [h[0] for h in history] == ["sent", "acknowledged", "accepted", "in_progress", "delivered", "closed"]
    assert history[0][1:] == (case_manager.username, "OIM")
    assert all(h[1:] == (fp_minas.username, "MINAS") for h in history[1:])
    # The case timeline shows the steps.
    assert Activity.objects.filter(verb__startswith="referral.", subject_id=str(case.pk)).count() == 6


def test_refusals(case, case_manager, fp_minas, fp_minsante):
    r = send(case, by=case_manager)
    with pytest.raises(ApplicationError):  # another structure's focal point
        referral_transition(referral=r, action="acknowledge", by=fp_minsante)
    with pytest.raises(ApplicationError):  # the sender does not accept for the receiver
        referral_transition(referral=r, action="accept", by=case_manager)
    with pytest.raises(ApplicationError):  # not from "sent"
        referral_transition(referral=r, action="deliver", by=fp_minas)
    with pytest.raises(ApplicationError):  # a decline needs a reason
        referral_transition(referral=r, action="decline", by=fp_minas)
    r = referral_transition(referral=r, action="decline", by=fp_minas, note="No place before March")
    assert r.status == ReferralStatus.DECLINED and r.outcome_reason == "No place before March"
    with pytest.raises(ApplicationError):  # too late to withdraw
        referral_transition(referral=r, action="withdraw", by=case_manager, note="x")
    assert Message.objects.filter(recipient_user=case_manager, related_id=str(r.pk)).exists()


def test_sender_withdraws_with_reason(case, case_manager, fp_minas):
    r = send(case, by=case_manager)
    with pytest.raises(ApplicationError):
        referral_transition(referral=r, action="withdraw", by=fp_minas, note="x")
    r = referral_transition(referral=r, action="withdraw", by=case_manager, note="Returnee moved to Douala")
    assert r.status == ReferralStatus.WITHDRAWN and r.withdrawn_at


def test_not_delivered_needs_reason(case, case_manager, fp_minas):
    r = send(case, by=case_manager)
    r = referral_transition(referral=r, action="accept", by=fp_minas)
    with pytest.raises(ApplicationError):
        referral_transition(referral=r, action="not_deliver", by=fp_minas)
    r = referral_transition(referral=r, action="not_deliver", by=fp_minas, note="Did not come")
    assert r.status == ReferralStatus.NOT_DELIVERED


def test_minimum_data_only_the_chosen_parts(case, case_manager):
    r = send(case, by=case_manager, parts=("identity", "vulnerabilities"))
    assert set(r.shared_data) == {"identity", "vulnerabilities"}
    assert r.shared_data["identity"]["family_name"] == "Mbarga"
    assert r.shared_data["vulnerabilities"] == ["single_head"]  # the medical one stays home
    assert "contact" not in r.shared_data and r.health_details == ""


def test_health_details_never_travel_to_a_non_health_service(case, case_manager):
    with pytest.raises(ApplicationError) as error:
        send(case, by=case_manager, parts=("identity", "health"))
    assert error.value.field == "shared_parts"
    with pytest.raises(ApplicationError):
        send(case, by=case_manager, parts=("identity",), health_details="Diabetic, insulin needed")
    r = send(case, by=case_manager, to="MINSANTE", service_code="medical_care", parts=("identity", "health"),
             health_details="Diabetic, insulin needed")
    assert r.shared_data["health"] == {"vulnerabilities": ["medical"], "details": "Diabetic, insulin needed"}


def test_consent_gate_and_override(case_manager, admin):
    c = make_case(by=case_manager, family_name="Ateba")
    with pytest.raises(ApplicationError) as error:
        send(c, by=case_manager)
    assert "consent" in error.value.message
    with pytest.raises(ApplicationError) as error:  # a reason, but no right
        send(c, by=case_manager, consent_override_reason="Child at risk")
    assert "override right" in error.value.message
    case_manager.user_permissions.add(Permission.objects.get(codename="override_consent"))
    from mboa.accounts.models import User

    boss = User.objects.get(pk=case_manager.pk)
    with pytest.raises(ApplicationError):  # the right, but no reason
        send(c, by=boss)
    r = send(c, by=boss, consent_override_reason="Child at risk, mother unreachable")
    assert not r.consent_checked and r.consent_override_by == boss
    assert Activity.objects.filter(verb="referral.consent_override", target_id=str(r.pk)).exists()


def test_consent_for_another_structure_does_not_count(case_manager):
    c = make_case(by=case_manager, family_name="Noah")
    give_consent(c, "MINSANTE", by=case_manager)
    with pytest.raises(ApplicationError):
        send(c, by=case_manager, to="MINAS")


def test_service_must_be_offered_by_the_structure(case, case_manager):
    from ..models import ServicePoint

    with pytest.raises(ApplicationError) as error:
        send(case, by=case_manager, to="MINAS", service_code="medical_care")
    assert error.value.field == "structure"
    with pytest.raises(ApplicationError) as error:
        send(case, by=case_manager, service_point=ServicePoint.objects.get(code="minsante-hgy"))
    assert error.value.field == "service_point"


def test_only_caseworkers_of_the_case_send(case, fp_minas, make_user):
    with pytest.raises(PermissionDenied):
        send(case, by=fp_minas)
    other_manager = make_user("MINAS", ("psychosocial_counsellor",))
    with pytest.raises(PermissionDenied):
        send(case, by=other_manager)


def test_referral_without_agreement_in_force_is_marked(case, case_manager, secretariat):
    r = send(case, by=case_manager)
    assert r.agreement is None and not r.covered
    a = agreements.agreement_create(by=secretariat, structure=structure("MINAS"), subject="Care",
                                    services=[service("psychosocial_support")])
    for action in ("start_drafting", "finalise", "sign", "enter_into_force"):
        a = agreements.agreement_transition(agreement=a, action=action, by=secretariat)
    assert send(case, by=case_manager).agreement == a


def test_receivers_notified_urgent_also_by_sms(case, case_manager, fp_minas, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        normal = send(case, by=case_manager)
        urgent = send(case, by=case_manager, urgency="urgent", from_reception=True)
    assert set(Message.objects.filter(related_id=str(normal.pk)).values_list("channel", flat=True)) == {"email"}
    assert set(Message.objects.filter(related_id=str(urgent.pk)).values_list("channel", flat=True)) == {"email", "sms"}
    assert Message.objects.filter(related_id=str(urgent.pk), recipient_user=fp_minas).exists()
    # No personal data in the message.
    assert all("Mbarga" not in m.body for m in Message.objects.all())


def test_back_to_back_numbers_are_unique(case, case_manager):
    numbers = {send(case, by=case_manager).number for _ in range(3)}
    assert len(numbers) == 3
