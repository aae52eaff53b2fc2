import datetime as dt

import pytest
from django.urls import reverse

from mboa.actors import services
from mboa.actors.models import FocalPoint, Structure
from mboa.actors.tests.factories import FocalPointFactory
from mboa.core.errors import ApplicationError
from mboa.core.models import Activity

pytestmark = pytest.mark.django_db


def test_phone_numbers_are_stored_in_e164(admin):
    focal_point = services.focal_point_create(
        structure=Structure.objects.get(code="MINJEC"), by=admin,
        data={"given_names": "Landry", "family_name": "Tamo", "phone": "+237699000001", "start_date": dt.date(2024, 1, 1)},
    )
    assert focal_point.phone == "+237699000001"
    assert focal_point.phone_display == "+237 6 99 00 00 01"


def test_handover_keeps_the_former_focal_point(client_for, fp_minas):
    old = FocalPointFactory(structure=Structure.objects.get(code="MINAS"), family_name="Ancien")
    services.focal_point_end(focal_point=old, by=fp_minas, end_date=dt.date(2024, 6, 30))
    page = client_for(fp_minas).get(reverse("actors:structure_detail", args=["MINAS"]))
    assert page.context["former_focal_points"] == [old]
    assert old not in page.context["current_focal_points"]
    assert FocalPoint.objects.filter(pk=old.pk).exists()
    assert Activity.objects.filter(verb="focal_point.ended", target_id=str(old.pk)).exists()


def test_end_before_start_is_refused(admin):
    focal_point = FocalPointFactory(start_date=dt.date(2024, 1, 1))
    with pytest.raises(ApplicationError):
        services.focal_point_end(focal_point=focal_point, by=admin, end_date=dt.date(2023, 1, 1))


def test_changes_are_audited_and_shown_to_those_allowed(client_for, fp_minas, donor):
    focal_point = FocalPointFactory(structure=Structure.objects.get(code="MINAS"), function="Avant")
    services.focal_point_update(focal_point=focal_point, by=fp_minas, data={"function": "Après"})
    record = focal_point.history.latest()
    assert record.history_user is None or record.history_user == fp_minas
    assert record.function == "Après"
    page = client_for(fp_minas).get(reverse("actors:focal_point_edit", args=[focal_point.pk]))
    assert any((old, new) == ("Avant", "Après") for row in page.context["history"] for _, old, new in row.changes)
    structure_page = client_for(donor).get(reverse("actors:structure_detail", args=["MINAS"]))
    assert structure_page.context["history"] is None


def test_history_records_who_changed_through_a_page(client_for, fp_minas):
    focal_point = FocalPointFactory(structure=Structure.objects.get(code="MINAS"), function="Avant")
    client_for(fp_minas).post(reverse("actors:focal_point_edit", args=[focal_point.pk]), {
        "given_names": focal_point.given_names, "family_name": focal_point.family_name, "function": "Après",
        "phone": focal_point.phone, "start_date": "2020-01-01",
    })
    assert focal_point.history.latest().history_user == fp_minas


def test_structure_search_filters_by_code_or_name(client_for, donor):
    response = client_for(donor).get(reverse("actors:structure_list"), {"q": "santé"})
    codes = [s.code for s in response.context["structures"]]
    assert codes == ["MINSANTE"]


def test_structure_search_htmx_returns_only_rows(client_for, donor):
    response = client_for(donor).get(
        reverse("actors:structure_list"), {"q": "MINA"},
        HTTP_HX_REQUEST="true", HTTP_HX_TARGET="structure-results",
    )
    body = response.content.decode()
    assert "<html" not in body
    assert "MINAS" in body and "MINAT" in body and "MINSANTE" not in body


def test_structure_list_query_count_does_not_grow(client_for, donor, django_assert_max_num_queries):
    client = client_for(donor)
    client.get(reverse("actors:structure_list"))
    with django_assert_max_num_queries(8):
        client.get(reverse("actors:structure_list"))


def test_a_focal_point_is_not_moved_to_another_structure(client_for, fp_minas):
    focal_point = FocalPointFactory(structure=Structure.objects.get(code="MINAS"))
    response = client_for(fp_minas).patch(f"/api/v1/focal-points/{focal_point.pk}/", {"structure": "MINSANTE"},
                                          content_type="application/json")
    assert response.status_code == 400 and response.json()["field"] == "structure"
    assert FocalPoint.objects.get(pk=focal_point.pk).structure.code == "MINAS"
