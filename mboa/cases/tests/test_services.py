"""Opening, lifecycle, approvals, transfers and caseload suggestion."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from mboa.cases import selectors, services
from mboa.cases.models import Approval, Case, CaseStatus
from mboa.core.errors import ApplicationError
from mboa.core.models import Activity
from mboa.registry.tests.factories import PersonFactory

from .factories import CounsellorFactory, make_case, make_supervisor

pytestmark = pytest.mark.django_db


def test_case_open_is_idempotent_per_return_and_links_a_new_return(case_manager):
    person = PersonFactory()
    first = services.case_open(person=person, by=case_manager, city="Yaoundé", arrival_reference="CH-2026-01")
    again = services.case_open(person=person, by=case_manager, city="Yaoundé", arrival_reference="CH-2026-01")
    assert again.pk == first.pk
    assert first.number.startswith(f"CM-{timezone.now():%Y}-")
    assert first.owner == case_manager and first.structure.code == "OIM"
    assert first.destination_region_id == "CE"  # Yaoundé is the chief town of the Centre
    # While the first return's case is open, a new arrival opens a new case linked to it.
    second = services.case_open(person=person, by=case_manager, city="Douala", arrival_reference="CH-2027-02")
    assert second.pk != first.pk and second.previous_case == first
    assert second.destination_region_id == "LT"
    assert Activity.objects.filter(verb="case.open").count() == 2


def test_case_open_after_closure_opens_a_linked_case(case_manager):
    closed = make_case(by=case_manager, status="closed")
    new = services.case_open(person=closed.person, by=case_manager)
    assert new.previous_case == closed and new.status == CaseStatus.OPEN


def test_case_open_by_reception_user_belongs_to_iom_without_owner(insertion_counsellor):
    case = services.case_open(person=PersonFactory(), by=insertion_counsellor, city="Douala")
    assert case.structure.code == "OIM" and case.owner is None


def test_status_transitions_allowed_and_refused(case_manager, fp_minas):
    case = make_case(by=case_manager)
    with pytest.raises(ApplicationError):  # not from "open"
        services.case_transition(case=case, action="draft_plan", by=case_manager)
    with pytest.raises(ApplicationError):  # a focal point does not work on cases
        services.case_transition(case=case, action="orient", by=fp_minas)
    case = services.case_transition(case=case, action="orient", by=case_manager)
    assert case.status == "orientation" and case.orientation_at is not None
    case = services.case_transition(case=case, action="draft_plan", by=case_manager)
    assert case.status == "plan"
    with pytest.raises(ApplicationError, match="approval"):  # assistance needs an approved plan
        services.case_transition(case=case, action="start_assistance", by=case_manager)
    with pytest.raises(ApplicationError):  # a reason is required to go back
        services.case_transition(case=case, action="revise_orientation", by=case_manager)
    assert Case.objects.get(pk=case.pk).status == "plan"


def test_plan_approval_sent_back_then_approved(case_manager, make_user):
    supervisor = make_supervisor(make_user("OIM", ("case_manager",), city="Yaoundé"))
    case = make_case(by=case_manager, status="plan")
    approval = services.approval_request(case=case, kind="plan", by=case_manager, note="Poultry, 700 000 XAF")
    with pytest.raises(ApplicationError):  # one pending request at a time
        services.approval_request(case=case, kind="plan", by=case_manager)
    with pytest.raises(ApplicationError):  # the requester does not decide
        services.approval_decide(approval=approval, by=case_manager, approve=True)
    with pytest.raises(ApplicationError):  # sending back needs a comment
        services.approval_decide(approval=approval, by=supervisor, approve=False)
    sent_back = services.approval_decide(approval=approval, by=supervisor, approve=False, comment="Budget missing")
    assert sent_back.status == "sent_back" and sent_back.comment == "Budget missing"
    assert Case.objects.get(pk=case.pk).status == "plan"
    approval = services.approval_request(case=case, kind="plan", by=case_manager)
    approved = services.approval_decide(approval=approval, by=supervisor, approve=True)
    case.refresh_from_db()
    assert approved.status == "approved" and approved.applied_at is not None
    assert case.status == "assistance" and case.assistance_at is not None
    verbs = list(Activity.objects.filter(subject_id=str(case.pk)).values_list("verb", flat=True))
    assert {"approval.request", "approval.send_back", "approval.approve", "case.start_assistance"} <= set(verbs)


def test_closure_needs_approval_and_reopening_is_recorded(case_manager, make_user):
    supervisor = make_supervisor(make_user("OIM", ("case_manager",)))
    case = make_case(by=case_manager, status="follow_up")
    with pytest.raises(ApplicationError):
        services.approval_request(case=case, kind="closure", by=case_manager)  # no reason
    approval = services.approval_request(case=case, kind="closure", by=case_manager, closure_reason="reintegrated")
    services.approval_decide(approval=approval, by=supervisor, approve=True, comment="Business running")
    case.refresh_from_db()
    assert case.status == "closed" and case.closure_reason == "reintegrated" and case.closed_at
    # The used approval cannot close the case again after a reopening.
    with pytest.raises(ApplicationError):
        services.case_transition(case=case, action="reopen", by=case_manager)  # reason required
    case = services.case_transition(case=case, action="reopen", by=case_manager, note="Business failed")
    assert case.status == "open" and case.reopen_count == 1 and case.closure_reason == ""
    assert Activity.objects.filter(verb="case.reopen", data__note="Business failed").exists()
    with pytest.raises(ApplicationError):
        services.case_transition(case=case, action="close", by=supervisor)
    assert Approval.objects.filter(case=case, status="approved").count() == 1


def test_transfer_yaounde_to_douala_is_accepted_by_the_receiver(case_manager, make_user):
    douala = make_user("OIM", ("case_manager",), city="Douala")
    other = make_user("OIM", ("case_manager",), city="Douala")
    counsellor = CounsellorFactory(city="Yaoundé")
    case = make_case(by=case_manager)
    case = services.case_assign(case=case, counsellor=counsellor, by=case_manager)
    transfer = services.transfer_request(case=case, to_owner=douala, to_city="Douala", reason="Moved to family",
                                         by=case_manager)
    with pytest.raises(ApplicationError):
        services.transfer_decide(transfer=transfer, by=other, action="accept")  # not the receiver
    services.transfer_decide(transfer=transfer, by=douala, action="accept")
    case.refresh_from_db()
    assert (case.owner, case.city, case.destination_region_id) == (douala, "Douala", "LT")
    assert case.insertion_counsellor is None  # Yaoundé counsellors are released; Douala assigns
    assert Activity.objects.filter(verb="transfer.accept", subject_id=str(case.pk)).exists()


def test_transfer_decline_needs_a_reason(case_manager, make_user):
    douala = make_user("OIM", ("case_manager",), city="Douala")
    case = make_case(by=case_manager)
    transfer = services.transfer_request(case=case, to_owner=douala, to_city="Douala", reason="x", by=case_manager)
    with pytest.raises(ApplicationError):
        services.transfer_decide(transfer=transfer, by=douala, action="decline")
    declined = services.transfer_decide(transfer=transfer, by=douala, action="decline", note="No capacity")
    assert declined.status == "declined"
    assert Case.objects.get(pk=case.pk).owner == case_manager


def test_suggestion_picks_lightest_caseload_of_kind_in_city(case_manager, make_user):
    busy = CounsellorFactory(city="Yaoundé")
    light = CounsellorFactory(city="Yaoundé")
    CounsellorFactory(city="Douala")  # wrong city
    CounsellorFactory(kind="psychosocial", city="Yaoundé")  # wrong kind
    for _ in range(2):
        services.case_assign(case=make_case(by=case_manager), counsellor=busy, by=case_manager)
    closed = make_case(by=case_manager)
    services.case_assign(case=closed, counsellor=light, by=case_manager)
    Case.objects.filter(pk=closed.pk).update(status="closed", closed_at=timezone.now())  # closed: not counted
    services.case_assign(case=make_case(by=case_manager), counsellor=light, by=case_manager)
    case = make_case(by=case_manager)
    assert selectors.counsellor_suggest(case=case, kind="insertion") == light
    services.case_assign(case=make_case(by=case_manager), counsellor=light, by=case_manager)
    services.case_assign(case=make_case(by=case_manager), counsellor=light, by=case_manager)
    assert selectors.counsellor_suggest(case=case, kind="insertion") == busy
    assert selectors.counsellor_suggest(case=make_case(by=case_manager, city="Bamenda"), kind="insertion") is None


def test_only_supervisors_reassign(case_manager, make_user):
    first, second = CounsellorFactory(), CounsellorFactory()
    case = make_case(by=case_manager)
    services.case_assign(case=case, counsellor=first, by=case_manager)
    with pytest.raises(PermissionDenied, match="supervisor"):
        services.case_assign(case=case, counsellor=second, by=case_manager)
    supervisor = make_supervisor(make_user("OIM", ("case_manager",)))
    services.case_assign(case=case, counsellor=second, by=supervisor, reason="Workload")
    case.refresh_from_db()
    assert case.insertion_counsellor == second
    assert case.assignments.filter(ended_at__isnull=True).count() == 1


def test_session_sets_next_due_and_reminder_is_queued_once(case_manager, make_user):
    from mboa.notifications.models import Message

    counsellor = CounsellorFactory()
    case = make_case(by=case_manager)
    case = services.case_assign(case=case, counsellor=counsellor, by=case_manager)
    soon = timezone.now() + dt.timedelta(hours=5)
    services.session_record(case=case, by=counsellor.user, kind="orientation", held_on=timezone.localdate(),
                            notes="Wants poultry", next_appointment_at=soon)
    assert Case.objects.get(pk=case.pk).next_due_on == timezone.localdate(soon)
    assert services.appointment_reminders_send() == 1
    assert services.appointment_reminders_send() == 0
    assert Message.objects.filter(recipient_user=counsellor.user).count() >= 1


def test_psychosocial_session_only_by_psychosocial_counsellor(case_manager):
    insertion = CounsellorFactory()
    case = make_case(by=case_manager)
    case = services.case_assign(case=case, counsellor=insertion, by=case_manager)
    with pytest.raises(ApplicationError):
        services.session_record(case=case, by=insertion.user, kind="psychosocial", held_on=timezone.localdate())
