"""Who may see and change the directory (pages and API)."""

import pytest
from django.urls import reverse

from mboa.actors.models import FocalPoint, Structure
from mboa.actors.tests.factories import FocalPointFactory
from mboa.core.permissions import check

pytestmark = pytest.mark.django_db


def test_anonymous_user_is_sent_to_login(client):
    response = client.get(reverse("actors:structure_list"))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_every_signed_in_role_reads_the_directory(client_for, donor, statistician, fp_minsante):
    for user in (donor, statistician, fp_minsante):
        response = client_for(user).get(reverse("actors:structure_detail", args=["MINAS"]))
        assert response.status_code == 200
        assert "Ministère des Affaires Sociales" in response.content.decode()


def test_minsante_focal_point_cannot_edit_minas_focal_points(client_for, fp_minsante):
    focal_point = FocalPointFactory(structure=Structure.objects.get(code="MINAS"), family_name="Ngo Bassa")
    client = client_for(fp_minsante)
    assert client.get(reverse("actors:focal_point_edit", args=[focal_point.pk])).status_code == 403
    response = client.post(reverse("actors:focal_point_edit", args=[focal_point.pk]), {
        "given_names": "X", "family_name": "Hacked", "start_date": "2020-01-01",
    })
    assert response.status_code == 403
    focal_point.refresh_from_db()
    assert focal_point.family_name == "Ngo Bassa"
    assert client.get(reverse("actors:focal_point_create", args=["MINAS"])).status_code == 403
    # and the edit link is not offered either
    page = client.get(reverse("actors:structure_detail", args=["MINAS"])).content.decode()
    assert reverse("actors:focal_point_edit", args=[focal_point.pk]) not in page


def test_minas_focal_point_updates_own_focal_points(client_for, fp_minas):
    focal_point = FocalPointFactory(structure=Structure.objects.get(code="MINAS"), family_name="Ngo Bassa")
    response = client_for(fp_minas).post(reverse("actors:focal_point_edit", args=[focal_point.pk]), {
        "given_names": focal_point.given_names, "family_name": "Ngo Bassa", "function": "Chef de service",
        "phone": "699 12 34 57", "start_date": "2020-01-01", "end_date": "",
    })
    assert response.status_code == 302
    focal_point.refresh_from_db()
    assert focal_point.function == "Chef de service"
    assert focal_point.phone == "+237699123457"


def test_donor_cannot_edit_anything(client_for, donor):
    client = client_for(donor)
    due = Structure.objects.get(code="DUE")
    assert not check(donor, "actors.change_structure", due)
    assert client.get(reverse("actors:structure_edit", args=["DUE"])).status_code == 403
    assert client.get(reverse("actors:structure_create")).status_code == 403
    assert client.get(reverse("governance:body_create")).status_code == 403
    assert client.get(reverse("governance:body_edit", args=["COPIL"])).status_code == 403
    api = client.patch("/api/v1/structures/DUE/", {"mandate": "x"}, content_type="application/json")
    assert api.status_code == 403
    due.refresh_from_db()
    assert due.mandate != "x"


def test_only_admins_add_structures(client_for, admin, secretariat):
    data = {"code": "cvuc", "name_fr": "Communes et villes unies du Cameroun",
            "name_en": "United Councils and Cities of Cameroon", "kind": "local_authority", "mandate": "",
            "is_active": "on"}
    assert client_for(secretariat).post(reverse("actors:structure_create"), data).status_code == 403
    response = client_for(admin).post(reverse("actors:structure_create"), data)
    assert response.status_code == 302
    assert Structure.objects.get(code="CVUC").kind == "local_authority"


def test_focal_point_of_a_structure_cannot_change_its_code(client_for, fp_minas):
    minas = Structure.objects.get(code="MINAS")
    client = client_for(fp_minas)
    page = client.get(reverse("actors:structure_edit", args=["MINAS"])).content.decode()
    # Shown greyed out; the browser sends the current values (hidden inputs).
    assert 'id="id_code" disabled' in page and '<input type="hidden" name="code" value="MINAS">' in page
    as_sent = {"code": "MINAS", "kind": "ministry", "parent": "", "is_active": "True", "name_fr": minas.name_fr,
               "name_en": minas.name_en, "mandate": "Soutien psychosocial."}
    assert client.post(reverse("actors:structure_edit", args=["MINAS"]), as_sent).status_code == 302
    # A hand-made request that changes the identity gets what the API answers: 403.
    response = client.post(reverse("actors:structure_edit", args=["MINAS"]), {**as_sent, "code": "HACK",
                                                                             "kind": "donor"})
    assert response.status_code == 403
    minas.refresh_from_db()
    assert (minas.code, minas.kind, minas.mandate, minas.is_active) == ("MINAS", "ministry",
                                                                        "Soutien psychosocial.", True)


def test_invalid_phone_is_refused_next_to_the_field(client_for, fp_minas):
    response = client_for(fp_minas).post(reverse("actors:focal_point_create", args=["MINAS"]), {
        "given_names": "Pélagie", "family_name": "Nkou", "phone": "12", "start_date": "2024-01-01",
    })
    assert response.status_code == 400
    assert "phone" in response.context["form"].errors
    assert not FocalPoint.objects.filter(family_name="Nkou").exists()


def test_api_focal_point_of_another_structure_cannot_be_created(client_for, fp_minsante):
    response = client_for(fp_minsante).post("/api/v1/focal-points/", {
        "structure": "MINAS", "given_names": "A", "family_name": "B", "start_date": "2024-01-01",
    }, content_type="application/json")
    assert response.status_code == 403
    assert not FocalPoint.objects.filter(family_name="B").exists()


def test_forbidden_page_explains_in_french(client_for, donor, settings):
    settings.LANGUAGE_CODE = "fr"
    response = client_for(donor).get(reverse("actors:structure_edit", args=["DUE"]))
    assert response.status_code == 403
    assert "administrateur" in response.content.decode()


def test_unknown_structure_is_a_friendly_404(client_for, donor, settings):
    settings.LANGUAGE_CODE = "fr"
    response = client_for(donor).get(reverse("actors:structure_detail", args=["NOPE"]))
    assert response.status_code == 404
    assert "Page introuvable" in response.content.decode()
