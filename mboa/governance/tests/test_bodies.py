import pytest
from django.urls import reverse

from mboa.governance.models import Body

pytestmark = pytest.mark.django_db


def _form(code="GTSAP2", members=(("MINSANTE", "member"), ("MINAS", "member"), ("OIM", "secretariat"))):
    from mboa.actors.models import Structure

    data = {
        "code": code, "name_fr": "Groupe santé", "name_en": "Health group", "kind": "working_group",
        "mandate": "Santé et psychosocial", "start_date": "", "end_date": "",
        "members-TOTAL_FORMS": str(len(members)), "members-INITIAL_FORMS": "0",
        "members-MIN_NUM_FORMS": "0", "members-MAX_NUM_FORMS": "1000",
    }
    for i, (structure, role) in enumerate(members):
        data[f"members-{i}-structure"] = Structure.objects.get(code=structure).pk
        data[f"members-{i}-role"] = role
    return data


def test_secretariat_creates_a_body_with_members_in_the_ui(client_for, secretariat):
    response = client_for(secretariat).post(reverse("governance:body_create"), _form())
    assert response.status_code == 302
    body = Body.objects.get(code="GTSAP2")
    assert {(m.structure.code, m.role) for m in body.memberships.all()} == {
        ("MINSANTE", "member"), ("MINAS", "member"), ("OIM", "secretariat"),
    }


def test_a_structure_listed_twice_is_refused(client_for, secretariat):
    response = client_for(secretariat).post(
        reverse("governance:body_create"), _form(members=(("MINAS", "member"), ("MINAS", "co_chair")))
    )
    assert response.status_code == 400
    assert not Body.objects.filter(code="GTSAP2").exists()
    assert "listed twice" in response.content.decode() or "deux fois" in response.content.decode()


def test_removing_a_member_keeps_its_history(client_for, secretariat):
    client = client_for(secretariat)
    client.post(reverse("governance:body_create"), _form())
    data = _form(members=(("MINSANTE", "member"), ("OIM", "secretariat")))
    response = client.post(reverse("governance:body_edit", args=["GTSAP2"]), data)
    assert response.status_code == 302
    body = Body.objects.get(code="GTSAP2")
    current = {m.structure.code for m in body.memberships.filter(end_date__isnull=True)}
    assert current == {"MINSANTE", "OIM"}
    assert body.memberships.filter(structure__code="MINAS", end_date__isnull=False).exists()


def test_focal_point_cannot_create_a_body(client_for, fp_minas):
    assert client_for(fp_minas).post(reverse("governance:body_create"), _form()).status_code == 403
    assert not Body.objects.filter(code="GTSAP2").exists()


def test_body_page_lists_members_with_roles(client_for, donor):
    page = client_for(donor).get(reverse("governance:body_detail", args=["COPIL"])).content.decode()
    assert "MINREX" in page and "DUE" in page


def test_api_creates_a_body_for_the_secretariat_only(client_for, secretariat, fp_minas):
    payload = {"code": "GTX", "name_fr": "G", "name_en": "G", "kind": "working_group",
               "members": [{"structure": "MINAS", "role": "member"}]}
    assert client_for(fp_minas).post("/api/v1/bodies/", payload, content_type="application/json").status_code == 403
    response = client_for(secretariat).post("/api/v1/bodies/", payload, content_type="application/json")
    assert response.status_code == 201, response.content
    assert response.json()["members"][0]["structure"] == "MINAS"
