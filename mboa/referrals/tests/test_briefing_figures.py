"""The briefing pack of a steering-committee meeting shows the figures of every module and
the agreements waiting on a structure (governance's pack, fed by reception, cases,
referrals and projects)."""

import datetime as dt

import pytest
from django.utils import timezone

from mboa.governance import briefing, meetings
from mboa.governance.tests.factories import body
from mboa.referrals.agreements import agreement_create, agreement_transition

from .factories import give_consent, make_case, send, structure

pytestmark = pytest.mark.django_db


def test_briefing_pack_counts_cases_referrals_and_lists_agreements_waiting(secretariat, case_manager, admin):
    meeting = meetings.meeting_create(by=secretariat, body=body("COPIL"), kind="formal", place="MINREX",
                                      starts_at=timezone.now() + dt.timedelta(days=1), agenda=[])
    case = make_case(by=case_manager)
    give_consent(case, "MINAS", by=case_manager)
    send(case, by=case_manager)
    agreement = agreement_create(by=admin, structure=structure("MINSANTE"), subject="Prise en charge médicale")
    agreement_transition(agreement=agreement, action="start_drafting", by=admin)
    agreement_transition(agreement=agreement, action="send", by=admin)

    context = briefing.briefing_pack_context(meeting=meeting)
    figures = {f["key"]: f["value"] for f in context["figures"]}
    assert figures["cases.opened"] == 1
    assert figures["referrals.sent"] == 1
    assert figures["reception.arrivals"] == 0
    assert figures["projects.approved"] == 0
    waiting = {s["label"]: s["rows"] for s in context["waiting_sections"]}
    rows = next(rows for label, rows in waiting.items() if "Agreements" in str(label))
    assert [(r["holder"], r["what"].endswith("Prise en charge médicale")) for r in rows] == [("MINSANTE", True)]


def test_case_page_links_to_its_referrals_and_the_send_form(client_for, case_manager):
    from django.urls import reverse

    case = make_case(by=case_manager)
    page = client_for(case_manager).get(reverse("cases:case_detail", args=[case.pk])).content.decode()
    assert reverse("referrals:case_tab", args=[case.pk]) in page
    assert reverse("referrals:send", args=[case.pk]) in page
