"""Every write of the projects app records an activity, and states move through the workflows."""

import inspect

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from mboa.core.models import Activity
from mboa.core.permissions import registered_rules
from mboa.projects import followup, services, workflows
from mboa.projects.models import DossierStatus, SessionStatus

from .factories import make_dossier, make_session

pytestmark = pytest.mark.django_db

# Functions of services.py that read only (helpers the pages and the services share).
READS = {"working_version", "dossier_breaches", "quorum", "open_amendment_determination"}
# Functions of followup.py that are dates, reads, or system planning and reminders (no user acts).
FOLLOWUP_SYSTEM = {"add_months", "months_between", "project_months", "closure_months", "schedule", "case_assignee",
                   "dossier_followups_plan", "case_followups_plan", "on_case_closed", "followups_plan_missing",
                   "overdue_visits", "visits_send_reminders"}
SCORES = {"profitability": 3, "viability": 4, "relevance": 3, "feasibility": 4}


def _writes_of_services() -> set[str]:
    return ({name for module in (services, followup) for name, fn in inspect.getmembers(module, inspect.isfunction)
             if fn.__module__ == module.__name__ and not name.startswith("_")} - READS - FOLLOWUP_SYSTEM)


def _planned_visit(dossier):
    from mboa.projects.models import Dossier

    Dossier.objects.filter(pk=dossier.pk).update(status="installed", installed_on=timezone.localdate())
    followup.dossier_followups_plan(dossier=Dossier.objects.get(pk=dossier.pk))
    return dossier.visits.order_by("due_on").first()


def test_each_write_records_an_activity(secretariat, insertion_counsellor, case_manager, fp_minas, admin):
    new = lambda: make_dossier(by=insertion_counsellor)  # noqa: E731
    session = make_session(by=secretariat)

    def agenda(n=1):
        dossiers = [new() for _ in range(n)]
        services.agenda_add(session=session, by=secretariat, dossiers=dossiers)
        return [session.items.get(dossier=d) for d in dossiers]

    def approved():
        item, = agenda()
        services.determinations_record(session=session, by=secretariat, items=[item], outcome="approved")
        return item.dossier

    def amended():
        item, = agenda()
        services.determinations_record(session=session, by=secretariat, items=[item], outcome="amendments",
                                       amendments=[{"what": "Devis", "by_whom": "Promoteur"}])
        services.dossier_edit(dossier=item.dossier, by=insertion_counsellor, data={"monthly_costs_xaf": 140_000})
        return services.dossier_submit(dossier=item.dossier, by=insertion_counsellor)

    def purchase(step):
        dossier = approved()
        p = services.purchase_create(dossier=dossier, by=case_manager, description="Kit", amount_xaf=300_000)
        for action in ("submit", "approve", "deliver")[:step]:
            services.purchase_transition(purchase=p, by=case_manager, action=action)
        return p

    def tick_all():
        dossier = amended()
        for a in services.open_amendment_determination(dossier).amendments.all():
            services.amendment_tick(amendment=a, by=case_manager)
        return dossier

    services.session_reviewers_set(session=session, by=secretariat, reviewers=[fp_minas])
    nothing = lambda: None  # noqa: E731
    first_item = lambda: agenda()[0]  # noqa: E731
    # name: (what the write needs, made first; the write)
    cases = {
        "dossier_create": (nothing, lambda _: services.dossier_create(by=insertion_counsellor, kind="individual",
                                                                      data={"title": "Atelier"})),
        "dossier_edit": (new, lambda d: services.dossier_edit(dossier=d, by=insertion_counsellor,
                                                              data={"risks": "Concurrence accrue"})),
        "dossier_submit": (lambda: make_dossier(by=insertion_counsellor, submit=False),
                           lambda d: services.dossier_submit(dossier=d, by=insertion_counsellor)),
        "session_create": (nothing, lambda _: services.session_create(by=secretariat, date=timezone.localdate(),
                                                                      place="Douala")),
        "session_attendance_set": (
            lambda: dict.fromkeys(session.attendance.values_list("structure_id", flat=True), True),
            lambda present: services.session_attendance_set(session=session, by=secretariat, present=present)),
        "session_reviewers_set": (nothing, lambda _: services.session_reviewers_set(session=session, by=secretariat,
                                                                                    reviewers=[fp_minas])),
        "agenda_add": (new, lambda d: services.agenda_add(session=session, by=secretariat, dossiers=[d])),
        "agenda_remove": (first_item, lambda i: services.agenda_remove(item=i, by=secretariat)),
        "analysis_save": (first_item, lambda i: services.analysis_save(item=i, by=secretariat, summary="Viable")),
        "review_record": (first_item, lambda i: services.review_record(item=i, by=fp_minas, scores=SCORES)),
        "recommendation_add": (first_item, lambda i: services.recommendation_add(item=i, by=fp_minas,
                                                                                 text="Former le promoteur")),
        "determinations_record": (lambda: agenda(2), lambda items: services.determinations_record(
            session=session, by=secretariat, items=items, outcome="deferred")),
        "batch_undo": (lambda: services.determinations_record(session=session, by=secretariat, items=agenda(2),
                                                              outcome="approved"),
                       lambda batch: services.batch_undo(batch=batch, by=secretariat)),
        "amendment_tick": (lambda: services.open_amendment_determination(amended()).amendments.get(),
                           lambda a: services.amendment_tick(amendment=a, by=case_manager)),
        "amended_dossier_approve": (tick_all, lambda d: services.amended_dossier_approve(dossier=d, by=case_manager)),
        "minutes_request": (nothing, lambda _: services.minutes_request(session=session, by=secretariat)),
        "session_close": (lambda: make_session(by=secretariat),
                          lambda s: services.session_close(session=s, by=secretariat)),
        "purchase_create": (approved, lambda d: services.purchase_create(dossier=d, by=case_manager,
                                                                         description="Stock", amount_xaf=100_000)),
        "purchase_transition": (lambda: purchase(3), lambda p: services.purchase_transition(
            purchase=p, by=case_manager, action="receive", received_by="Le promoteur",
            proof=SimpleUploadedFile("bon.pdf", b"%PDF-1.4"))),
        "visit_record": (approved, lambda d: services.visit_record(dossier=d, by=insertion_counsellor,
                                                                   visited_on=timezone.localdate(),
                                                                   status="running")),
        "visit_complete": (lambda: _planned_visit(approved()), lambda v: followup.visit_complete(
            visit=v, by=insertion_counsellor, visited_on=timezone.localdate(), mode="phone", status="running")),
        "visit_miss": (lambda: _planned_visit(approved()), lambda v: followup.visit_miss(
            visit=v, by=insertion_counsellor, reason="unreachable")),
    }
    assert set(cases) == _writes_of_services(), "a write of services.py is not checked here"
    silent = []
    for name, (prepare, write) in cases.items():
        needed = prepare()
        before = Activity.objects.count()
        write(needed)
        if Activity.objects.count() == before:
            silent.append(name)
    assert silent == []


def test_a_review_changed_records_the_old_and_new_scores(secretariat, insertion_counsellor, fp_minas):
    session = make_session(by=secretariat)
    services.agenda_add(session=session, by=secretariat, dossiers=[make_dossier(by=insertion_counsellor)])
    services.session_reviewers_set(session=session, by=secretariat, reviewers=[fp_minas])
    item = session.items.get()
    services.review_record(item=item, by=fp_minas, scores=SCORES)
    services.review_record(item=item, by=fp_minas, scores=dict.fromkeys(SCORES, 5))
    recorded, changed = Activity.objects.filter(verb__startswith="projects.review_").order_by("pk")
    assert (recorded.verb, recorded.data["previous"]) == ("projects.review_recorded", None)
    assert changed.verb == "projects.review_changed"
    assert (changed.data["previous"], changed.data["combined"]) == (recorded.data["combined"], 5.0)
    assert changed.actor == fp_minas


def test_batch_determination_and_undo_move_through_the_workflow_with_one_activity_per_dossier(
        secretariat, insertion_counsellor):
    session = make_session(by=secretariat)

    def decide_and_undo(n):
        services.agenda_add(session=session, by=secretariat, dossiers=[make_dossier(by=insertion_counsellor)
                                                                         for _ in range(n)])
        items = list(session.items.filter(dossier__status=DossierStatus.ON_AGENDA))
        with CaptureQueriesContext(connection) as decided:
            batch = services.determinations_record(session=session, by=secretariat, items=items, outcome="approved")
        with CaptureQueriesContext(connection) as undone:
            services.batch_undo(batch=batch, by=secretariat)
        return len(decided), len(undone)

    few = decide_and_undo(2)
    assert Activity.objects.filter(verb="projects.dossier.approve").count() == 2
    assert Activity.objects.filter(verb="projects.dossier.undo_determination").count() == 2
    assert set(session.items.values_list("dossier__status", flat=True)) == {DossierStatus.ON_AGENDA}
    many = decide_and_undo(6)  # the 2 undone and 6 new ones
    assert Activity.objects.filter(verb="projects.dossier.approve").count() == 2 + 8
    # The first batch also moved the session to "held": one query less the second time round.
    assert many[0] <= few[0] and many[1] == few[1]
    session.refresh_from_db()
    assert session.status == SessionStatus.HELD


def test_every_transition_names_its_roles_and_a_registered_rule():
    registered = set(registered_rules())
    for workflow in (workflows.DOSSIER, workflows.SESSION, workflows.PURCHASE):
        for t in workflow.transitions:
            assert t.roles and t.guard.rule in registered, f"{workflow.name}.{t.action}"
    assert set(workflows.OUTCOME_ACTION.values()) <= {t.action for t in workflows.DOSSIER.transitions}
