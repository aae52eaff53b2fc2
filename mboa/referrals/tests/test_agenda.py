"""Overdue referrals and long-waiting agreements go on the next meeting's agenda."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from mboa.core.errors import ApplicationError
from mboa.governance.models import Body
from mboa.governance.tests.factories import MeetingFactory

from .. import agreements
from ..models import Referral
from ..services import escalation_to_agenda, overdue_to_agenda
from .factories import give_consent, make_case, send, structure

pytestmark = pytest.mark.django_db


def test_overdue_referrals_listed_for_the_working_group(case_manager, secretariat, client_for):
    case = make_case(by=case_manager, family_name="Owona")
    give_consent(case, "MINAS", by=case_manager)
    late = send(case, by=case_manager)
    Referral.objects.filter(pk=late.pk).update(sent_at=timezone.now() - dt.timedelta(days=10))
    send(case, by=case_manager)  # on time: not listed
    with pytest.raises(ApplicationError):  # no meeting planned yet
        overdue_to_agenda(by=secretariat)
    meeting = MeetingFactory(body=Body.objects.get(code="GTR"))
    client_for(secretariat).post(reverse("referrals:overdue_to_agenda"))
    item = meeting.agenda_items.get()
    assert "MINAS 1" in item.title and late.number in item.notes
    assert "Owona" not in item.title + item.notes


def test_escalation_to_the_steering_committee(secretariat):
    a = agreements.agreement_create(by=secretariat, structure=structure("MINAS"), subject="Care",
                                    at=timezone.now() - dt.timedelta(days=100))
    agreements.agreement_transition(agreement=a, action="start_drafting", by=secretariat,
                                    at=timezone.now() - dt.timedelta(days=90))
    agreements.agreement_transition(agreement=a, action="send", by=secretariat,
                                    at=timezone.now() - dt.timedelta(days=45))
    meeting = MeetingFactory(body=Body.objects.get(code="COPIL"))
    item = escalation_to_agenda(by=secretariat)
    assert item.meeting == meeting and "MINAS (45 d)" in item.title


def test_only_those_who_run_the_meetings_list_items(donor, fp_minas, secretariat, client_for):
    from django.core.exceptions import PermissionDenied

    MeetingFactory(body=Body.objects.get(code="GTR"))
    with pytest.raises(PermissionDenied):
        overdue_to_agenda(by=donor)
    with pytest.raises(PermissionDenied):
        escalation_to_agenda(by=fp_minas)
    assert client_for(donor).post(reverse("referrals:overdue_to_agenda")).status_code == 403
    assert client_for(fp_minas).post(reverse("referrals:escalation_to_agenda")).status_code == 403
