"""GTA task board: each structure sees and ticks its own tasks; the board shows who did what."""

import datetime as dt

import pytest
from django.utils import timezone

from mboa.core.errors import ApplicationError
from mboa.reception import selectors, services
from mboa.reception.models import GtaTask

pytestmark = pytest.mark.django_db


@pytest.fixture
def charter(case_manager):
    return services.arrival_create(by=case_manager, data={
        "reference": "ch-nsi", "kind": "charter", "departure_country": "LY", "entry_point": "NSI",
        "expected_at": timezone.now() + dt.timedelta(hours=12), "expected_people": 162})


@pytest.fixture
def fp_minrex(make_user):
    return make_user("MINREX", ("focal_point",))


def test_focal_point_sees_only_own_structure_tasks(charter, fp_minsante, fp_minas):
    mine = selectors.task_list_for_user(user=fp_minsante)
    assert mine.exists() and set(mine.values_list("structure__code", flat=True)) == {"MINSANTE"}
    assert set(selectors.task_list_for_user(user=fp_minas).values_list("structure__code", flat=True)) == {"MINAS"}


def test_board_structures_see_everything(charter, fp_minrex, case_manager):
    codes = set(selectors.task_list_for_user(user=fp_minrex).values_list("structure__code", flat=True))
    assert {"MINSANTE", "MINAS", "DGSN", "MINREX"} <= codes
    assert selectors.task_list_for_user(user=case_manager).count() == charter.tasks.count()


def test_mark_done_with_comment_records_who(charter, fp_minsante):
    task = charter.tasks.get(structure__code="MINSANTE")
    task = services.gta_task_complete(task=task, by=fp_minsante, comment="Équipe de 4 sur place")
    assert task.status == "done" and task.done_by == fp_minsante and task.done_at
    assert task.comment == "Équipe de 4 sur place"
    task = services.gta_task_reopen(task=task, by=fp_minsante)
    assert task.status == "open" and task.done_by is None


def test_other_structure_gets_404_on_a_task(charter, fp_minsante, client_for):
    task = charter.tasks.get(code="first_interview", structure__code="MINAS")
    response = client_for(fp_minsante).post(f"/reception/tasks/{task.pk}/done/", {"comment": "x"})
    assert response.status_code == 404
    task.refresh_from_db()
    assert task.status == "open"


def test_board_structure_cannot_tick_others_task(charter, fp_minrex):
    task = charter.tasks.get(code="medical_screening")
    with pytest.raises(ApplicationError):
        services.gta_task_complete(task=task, by=fp_minrex)


def test_home_page_lists_my_tasks_and_late_ones(charter, fp_minsante, client_for):
    GtaTask.objects.filter(structure__code="MINSANTE").update(due_at=timezone.now() - dt.timedelta(hours=1))
    page = client_for(fp_minsante).get("/").content.decode()
    assert 'data-testid="home-gta-tasks"' in page
    assert "ch-nsi" in page


def test_board_shows_done_and_late(charter, fp_minsante, case_manager, client_for, django_assert_max_num_queries):
    services.gta_task_complete(task=charter.tasks.get(structure__code="MINSANTE"), by=fp_minsante, comment="ok")
    GtaTask.objects.filter(code="landing_permit").update(due_at=timezone.now() - dt.timedelta(days=1))
    client = client_for(case_manager)
    with django_assert_max_num_queries(12):
        page = client.get("/reception/ch-nsi/board/")
    html = page.content.decode()
    assert 'data-testid="late-count"' in html
    assert "ok" in html and 'data-testid="task-medical_screening-MINSANTE"' in html


def test_focal_point_board_is_filtered(charter, fp_minas, client_for):
    html = client_for(fp_minas).get("/reception/ch-nsi/board/").content.decode()
    assert 'task-first_interview-MINAS' in html
    assert 'task-medical_screening-MINSANTE' not in html
