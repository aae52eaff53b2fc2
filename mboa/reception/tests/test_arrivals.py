import datetime as dt

import pytest
from django.utils import timezone

from mboa.core.errors import ApplicationError
from mboa.core.models import Activity
from mboa.reception import services
from mboa.reception.models import Arrival, GtaTask, TaskTemplateItem

pytestmark = pytest.mark.django_db


def _data(**kw):
    data = {"reference": "ly-2017-12-11", "kind": "scheduled_flight", "departure_country": "ly", "entry_point": "NSI",
            "expected_at": timezone.now() + dt.timedelta(days=3), "expected_people": 3}
    data.update(kw)
    return data


def test_a_charter_mobilises_the_gta_whatever_its_size(case_manager):
    arrival = services.arrival_create(by=case_manager, data=_data(kind="charter", expected_people=2))
    assert arrival.mobilises_gta
    assert arrival.departure_country == "LY"


@pytest.mark.parametrize(("people", "mobilised"), [(10, False), (11, True)])
def test_more_than_threshold_people_mobilise_the_gta(case_manager, people, mobilised):
    arrival = services.arrival_create(by=case_manager, data=_data(expected_people=people))
    assert arrival.mobilises_gta is mobilised
    assert arrival.tasks.exists() is mobilised


def test_threshold_is_a_setting(case_manager, settings):
    settings.MBOA_RECEPTION = {**settings.MBOA_RECEPTION, "GTA_THRESHOLD": 2}
    arrival = services.arrival_create(by=case_manager, data=_data(expected_people=3))
    assert arrival.mobilises_gta


def test_tasks_come_from_the_template_one_per_responsible_structure(case_manager):
    arrival = services.arrival_create(by=case_manager, data=_data(kind="charter", expected_people=162))
    tasks = {(t.code, t.structure.code): t for t in arrival.tasks.select_related("structure")}
    assert ("landing_permit", "MINREX") in tasks
    assert {("airport_access", "MINREX"), ("airport_access", "DGSN")} <= set(tasks)
    assert ("medical_screening", "MINSANTE") in tasks
    item = TaskTemplateItem.objects.get(code="landing_permit")
    assert tasks[("landing_permit", "MINREX")].due_at == arrival.expected_at + dt.timedelta(hours=item.due_offset_hours)
    expected = sum(i.responsible.count() for i in TaskTemplateItem.objects.filter(template__is_active=True))
    assert len(tasks) == expected


def test_template_edited_by_admin_drives_new_arrivals(case_manager, admin):
    template = services.active_template()
    from mboa.actors.models import Structure

    services.template_item_save(by=admin, template=template, responsible=[Structure.objects.get(code="MINPROFF")],
                                data={"order": 200, "code": "child_protection", "title_fr": "Protection de l'enfant",
                                      "title_en": "Child protection", "due_offset_hours": 4})
    arrival = services.arrival_create(by=case_manager, data=_data(kind="charter"))
    assert arrival.tasks.filter(code="child_protection", structure__code="MINPROFF").exists()
    with pytest.raises(Exception):  # noqa: B017 - PermissionDenied
        services.template_item_save(by=case_manager, template=template, responsible=[], data={})


def test_scheduled_flight_gets_no_charter_only_tasks(case_manager):
    arrival = services.arrival_create(by=case_manager, data=_data(expected_people=30))
    assert not arrival.tasks.filter(code__in=["landing_permit", "pocket_money"]).exists()
    assert arrival.tasks.filter(code="registration").exists()


def test_new_time_moves_open_task_due_dates(case_manager):
    arrival = services.arrival_create(by=case_manager, data=_data(kind="charter"))
    task = arrival.tasks.get(code="landing_permit")
    later = arrival.expected_at + dt.timedelta(hours=5)
    services.arrival_update(arrival=arrival, by=case_manager, data={"expected_at": later})
    task.refresh_from_db()
    assert task.due_at == later - dt.timedelta(hours=72)


def test_arrival_lifecycle_and_cancel_needs_reason(case_manager, fp_minas):
    arrival = services.arrival_create(by=case_manager, data=_data())
    arrival = services.arrival_transition(arrival=arrival, action="confirm", by=case_manager)
    assert arrival.status == "confirmed" and arrival.confirmed_at
    with pytest.raises(ApplicationError):
        services.arrival_transition(arrival=arrival, action="cancel", by=case_manager)
    with pytest.raises(ApplicationError):
        services.arrival_transition(arrival=arrival, action="start", by=fp_minas)
    arrival = services.arrival_transition(arrival=arrival, action="start", by=case_manager)
    assert Activity.objects.filter(verb="arrival.start").exists()


def test_duplicate_reference_refused(case_manager):
    services.arrival_create(by=case_manager, data=_data())
    with pytest.raises(ApplicationError) as error:
        services.arrival_create(by=case_manager, data=_data())
    assert error.value.field == "reference"
    assert Arrival.objects.count() == 1


def test_focal_point_cannot_create_arrival(client_for, fp_minas):
    response = client_for(fp_minas).get("/reception/new/")
    assert response.status_code == 403


def test_create_page_shows_mobilisation(client_for, case_manager):
    client = client_for(case_manager)
    response = client.post("/reception/new/", {
        "reference": "ch-1", "kind": "charter", "departure_country": "NE", "entry_point": "DLA",
        "expected_at": "2030-01-10T10:00", "expected_people": "80", "pocket_money_amount": "0"})
    assert response.status_code == 302
    assert GtaTask.objects.filter(arrival__reference="ch-1").count() > 10


def test_arrival_list_queries_constant(client_for, case_manager, django_assert_max_num_queries):
    for i in range(5):
        services.arrival_create(by=case_manager, data=_data(reference=f"a-{i}", kind="charter"))
    client = client_for(case_manager)
    with django_assert_max_num_queries(12):
        response = client.get("/reception/")
    assert response.status_code == 200
    assert b"a-4" in response.content


def test_statistician_does_not_see_arrivals(client_for, statistician, case_manager):
    services.arrival_create(by=case_manager, data=_data())
    client = client_for(statistician)
    assert client.get("/reception/").status_code == 404
    assert client.get("/reception/ly-2017-12-11/").status_code == 404


def test_admin_edits_the_template_in_the_administration(client_for, admin):
    from mboa.reception.models import TaskTemplate

    admin.is_staff = True
    admin.is_superuser = True
    admin.save()
    template = TaskTemplate.objects.get(name="GTA")
    client = client_for(admin)
    assert client.get(f"/admin/reception/tasktemplate/{template.pk}/change/").status_code == 200
    page = client.get("/reception/template/").content.decode()
    assert "MINREX" in page and f"/admin/reception/tasktemplate/{template.pk}/change/" in page
