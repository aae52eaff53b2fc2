"""Follow-up visits: planned by rule at installation and at a case's closure (dates computed
by hand), recorded or missed with a reason through the page and the API alike, overdue on
the counsellor's home page and in a weekly reminder."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from mboa.core.testing import DONE, FORBIDDEN, HIDDEN, REFUSED, Request, Write, answer_of, assert_same_answers, parity_answers
from mboa.notifications.models import Message
from mboa.projects import followup, services
from mboa.projects.models import Dossier, FollowUpVisit

from .factories import make_dossier, make_session

pytestmark = pytest.mark.django_db


def _installed(*, secretariat, counsellor, case_manager, on: dt.date) -> Dossier:
    """A dossier approved by the GTR, bought for and received on ``on``: all through the services."""
    session = make_session(by=secretariat)
    dossier = make_dossier(by=counsellor)
    services.agenda_add(session=session, by=secretariat, dossiers=[dossier])
    services.determinations_record(session=session, by=secretariat, items=list(session.items.all()),
                                   outcome="approved")
    purchase = services.purchase_create(dossier=dossier, by=case_manager, description="Kit", amount_xaf=300_000)
    for action in ("submit", "approve", "deliver"):
        services.purchase_transition(purchase=purchase, by=case_manager, action=action)
    services.purchase_transition(purchase=purchase, by=case_manager, action="receive", on=on,
                                 received_by="Le promoteur", proof=SimpleUploadedFile("bon.pdf", b"%PDF-1.4"))
    return Dossier.objects.get(pk=dossier.pk)


@pytest.fixture
def installed(secretariat, insertion_counsellor, case_manager):
    """Installed on 31 August 2025: visits due 30 Nov 2025, 28 Feb 2026, 31 Aug 2026."""
    return _installed(secretariat=secretariat, counsellor=insertion_counsellor, case_manager=case_manager,
                      on=dt.date(2025, 8, 31))


def test_months_are_calendar_months_and_the_31st_becomes_the_last_day():
    assert followup.add_months(dt.date(2024, 1, 31), 1) == dt.date(2024, 2, 29)
    assert followup.add_months(dt.date(2023, 11, 15), 3) == dt.date(2024, 2, 15)
    assert followup.add_months(dt.date(2025, 8, 31), 12) == dt.date(2026, 8, 31)
    assert followup.add_months(dt.date(2026, 3, 31), -1) == dt.date(2026, 2, 28)


def test_installation_plans_the_visits_at_3_6_and_12_months_to_the_counsellor(installed, insertion_counsellor):
    assert installed.installed_on == dt.date(2025, 8, 31)
    planned = list(installed.visits.order_by("due_on").values_list("milestone_months", "due_on", "state",
                                                                    "assignee_id", "version_id"))
    assert planned == [
        (3, dt.date(2025, 11, 30), "planned", insertion_counsellor.pk, installed.current_version_id),
        (6, dt.date(2026, 2, 28), "planned", insertion_counsellor.pk, installed.current_version_id),
        (12, dt.date(2026, 8, 31), "planned", insertion_counsellor.pk, installed.current_version_id),
    ]
    assert followup.dossier_followups_plan(dossier=installed) == 0  # idempotent


def test_a_closed_case_gets_its_visits_at_3_and_6_months(case_manager, supervisor,
                                                         django_capture_on_commit_callbacks):
    from mboa.cases import services as case_services
    from mboa.cases.tests.factories import make_case

    case = make_case(by=case_manager)
    approval = case_services.approval_request(case=case, kind="closure", by=case_manager,
                                              closure_reason="reintegrated")
    with django_capture_on_commit_callbacks(execute=True):
        case_services.approval_decide(approval=approval, by=supervisor, approve=True)
    case.refresh_from_db()
    closed_on = timezone.localdate(case.closed_at)
    assert list(case.followup_visits.order_by("due_on").values_list("milestone_months", "due_on", "assignee_id")) == [
        (3, followup.add_months(closed_on, 3), case.owner_id), (6, followup.add_months(closed_on, 6), case.owner_id)]


def test_planning_existing_data_is_idempotent_and_skips_visits_long_past(insertion_counsellor):
    today = timezone.localdate()
    old, recent = (make_dossier(by=insertion_counsellor, title=t) for t in ("Ancien", "Récent"))
    Dossier.objects.filter(pk=old.pk).update(status="installed", installed_on=followup.add_months(today, -13))
    Dossier.objects.filter(pk=recent.pk).update(status="installed", installed_on=followup.add_months(today, -4))
    call_command("plan_followup_visits")
    # 13 months ago: the 3- and 6-month visits fell due more than 180 days ago; only the 12-month one.
    assert list(FollowUpVisit.objects.filter(dossier=old).values_list("milestone_months", flat=True)) == [12]
    assert sorted(FollowUpVisit.objects.filter(dossier=recent).values_list("milestone_months", flat=True)) == [3, 6, 12]
    assert followup.followups_plan_missing() == {"projects": 0, "cases": 0}


# --- Recording, page and API alike --------------------------------------------------------------


def _first(dossier):
    return dossier.visits.order_by("due_on").first()


def _state(visit):
    return lambda: FollowUpVisit.objects.get(pk=visit.pk).state


def test_recording_a_planned_visit_gives_the_same_answer_on_the_page_and_in_the_api(client, personas, installed):
    visit = _first(installed)
    data = {"visited_on": "2025-12-02", "mode": "phone", "status": "struggling"}
    write = Write("record", page=lambda: Request("post", reverse("projects:visit_complete", args=[visit.pk]),
                                                  {**data, "notes": "Ventes faibles"}),
                  api=lambda: Request("post", reverse("api:project-visit-record", args=[visit.pk]),
                                      {**data, "findings": "Ventes faibles"}),
                  effect=_state(visit))
    answers = parity_answers(client, personas, write)
    assert_same_answers(write.name, answers)
    pages = {name: pair[0] for name, pair in answers.items()}
    assert pages["insertion_counsellor"] == DONE and pages["case_manager"] == DONE
    assert pages["secretariat"] == FORBIDDEN  # sees the dossier, does not follow it up
    assert pages["donor"] == HIDDEN and pages["psy_counsellor"] == HIDDEN


def test_missing_a_visit_needs_a_reason_on_the_page_and_in_the_api(client, personas, installed,
                                                                    insertion_counsellor):
    visit = _first(installed)
    write = Write("missed", page=lambda: Request("post", reverse("projects:visit_miss", args=[visit.pk]),
                                                  {"reason": "unreachable"}),
                  api=lambda: Request("post", reverse("api:project-visit-missed", args=[visit.pk]),
                                      {"reason": "unreachable"}),
                  effect=_state(visit))
    assert_same_answers(write.name, parity_answers(client, personas, write))
    client.force_login(insertion_counsellor)
    for reason in ("", "other"):  # no reason; "other" without details
        page = Request("post", reverse("projects:visit_miss", args=[visit.pk]), {"reason": reason})
        api = Request("post", reverse("api:project-visit-missed", args=[visit.pk]), {"reason": reason})
        assert (answer_of(client, page, _state(visit), api=False),
                answer_of(client, api, _state(visit), api=True)) == (REFUSED, REFUSED)


def test_a_project_visit_needs_its_status_and_a_past_date_page_and_api(client, installed, insertion_counsellor):
    visit = _first(installed)
    client.force_login(insertion_counsellor)
    tomorrow = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    for data in ({"visited_on": "2025-12-02", "mode": "on_site"}, {"visited_on": tomorrow, "mode": "on_site",
                                                                    "status": "running"}):
        page = Request("post", reverse("projects:visit_complete", args=[visit.pk]), data)
        api = Request("post", reverse("api:project-visit-record", args=[visit.pk]), data)
        assert (answer_of(client, page, _state(visit), api=False),
                answer_of(client, api, _state(visit), api=True)) == (REFUSED, REFUSED)
    response = client.post(reverse("api:project-visit-record", args=[visit.pk]), {"visited_on": "2025-12-02",
                           "mode": "on_site"}, content_type="application/json")
    assert response.status_code == 400 and "running, struggling, stopped or sold" in str(response.json())


def test_an_unplanned_visit_fulfils_the_visit_due_page_and_api(client, personas, installed):
    visit = _first(installed)  # due 30 November 2025
    data = {"visited_on": "2025-11-25", "mode": "on_site", "status": "running"}
    write = Write("unplanned", page=lambda: Request("post", reverse("projects:visit_create",
                                                                    args=[installed.reference]), data),
                  api=lambda: Request("post", reverse("api:project-visit-list"),
                                      {**data, "dossier": installed.reference}),
                  effect=_state(visit))
    assert_same_answers(write.name, parity_answers(client, personas, write))


def test_a_recorded_visit_shows_on_the_dossier_and_sets_its_status(client_for, installed, insertion_counsellor):
    visit = _first(installed)
    followup.visit_complete(visit=visit, by=insertion_counsellor, visited_on=dt.date(2025, 12, 2), mode="phone",
                            status="sold", notes="Boutique cédée à un cousin")
    installed.refresh_from_db()
    assert installed.operating_status == "sold"
    assert FollowUpVisit.objects.get(pk=visit.pk).months_after == 3
    page = client_for(insertion_counsellor).get(reverse("projects:visit_detail", args=[visit.pk]))
    assert page.status_code == 200 and "Boutique cédée à un cousin" in page.content.decode()


# --- Overdue: home page, list, reminders --------------------------------------------------------


def test_overdue_visits_show_on_the_counsellors_home_until_recorded(client_for, secretariat, insertion_counsellor,
                                                                    case_manager, make_user):
    today = timezone.localdate()
    installed = _installed(secretariat=secretariat, counsellor=insertion_counsellor, case_manager=case_manager,
                           on=followup.add_months(today, -7))  # the 3- and 6-month visits are overdue
    assert installed.visits.filter(due_on__lt=today).count() == 2
    client = client_for(insertion_counsellor)
    home = client.get(reverse("core:home")).content.decode()
    assert 'data-testid="home-visits-overdue"' in home and installed.reference in home
    listing = client.get(reverse("projects:visit_list")).content.decode()
    assert installed.reference in listing
    other = make_user("PARIJEDI", ("insertion_counsellor",))
    assert 'data-testid="home-visits-overdue"' not in client_for(other).get(reverse("core:home")).content.decode()
    assert client_for(other).get(reverse("projects:visit_detail", args=[_first(installed).pk])).status_code == 404
    for visit in installed.visits.filter(due_on__lt=today):
        followup.visit_miss(visit=visit, by=insertion_counsellor, reason="access")
    home = client_for(insertion_counsellor).get(reverse("core:home")).content.decode()
    assert 'data-testid="home-visits-overdue"' not in home


def test_the_weekly_reminder_goes_once_to_whoever_has_overdue_visits(installed, insertion_counsellor):
    today = dt.date(2026, 3, 10)  # the 3- and 6-month visits are overdue, the 12-month one is not
    assert followup.visits_send_reminders(today=today) == 1
    message = Message.objects.get(recipient_user=insertion_counsellor)
    assert "2" in message.subject
    followup.visits_send_reminders(today=today + dt.timedelta(days=1))  # same week: nothing new
    assert Message.objects.filter(recipient_user=insertion_counsellor).count() == 1


def test_donors_see_no_visit(client_for, installed, donor):
    client = client_for(donor)
    assert client.get(reverse("projects:visit_list")).status_code == 403
    assert client.get(reverse("projects:visit_detail", args=[_first(installed).pk])).status_code == 404
    assert client.get(reverse("api:project-visit-list")).status_code == 403
