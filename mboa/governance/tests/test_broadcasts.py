"""A body's broadcast reaches the current focal points of its current members, and no one else."""

import datetime as dt

import pytest
from django.urls import reverse

from mboa.actors.models import Structure
from mboa.actors.tests.factories import FocalPointFactory
from mboa.governance import broadcasts as services
from mboa.governance.models import Body, Broadcast
from mboa.notifications.models import Message

pytestmark = pytest.mark.django_db


def s(code):
    return Structure.objects.get(code=code)


@pytest.fixture
def cast():
    gta = Body.objects.get(code="GTA")
    people = {
        "minas": FocalPointFactory(structure=s("MINAS"), email="minas@x.cm"),
        "minsante": FocalPointFactory(structure=s("MINSANTE"), email="minsante@x.cm"),
        "minrex": FocalPointFactory(structure=s("MINREX"), email="minrex@x.cm"),
        "former": FocalPointFactory(structure=s("MINAS"), email="former@x.cm", former=True),
        "minefop": FocalPointFactory(structure=s("MINEFOP"), email="minefop@x.cm"),  # not a GTA member
        "dgsn": FocalPointFactory(structure=s("DGSN"), email="dgsn@x.cm"),
    }
    # DGSN left the GTA: its focal point no longer receives the group's messages.
    gta.memberships.filter(structure__code="DGSN").update(end_date=dt.date(2024, 1, 1))
    return gta, people


def test_broadcast_reaches_the_right_people_only(cast, secretariat, django_capture_on_commit_callbacks):
    gta, _people = cast
    with django_capture_on_commit_callbacks(execute=True):
        broadcast = services.broadcast_send(body=gta, by=secretariat, subject="Charter vendredi",
                                            text="162 personnes, arrivée 6h à Nsimalen.")
    addresses = set(broadcast.messages.values_list("address", flat=True))
    assert addresses == {"minas@x.cm", "minsante@x.cm", "minrex@x.cm"}
    assert set(broadcast.messages.values_list("status", flat=True)) == {"sent"}


def test_delivery_status_per_person_page(cast, secretariat, client_for, django_capture_on_commit_callbacks):
    gta, people = cast
    FocalPointFactory(structure=s("MINAT"), email="", phone="")
    with django_capture_on_commit_callbacks(execute=True):
        broadcast = services.broadcast_send(body=gta, by=secretariat, subject="Charter", text="Mobilisation")
    page = client_for(secretariat).get(reverse("governance:broadcast_detail", args=[broadcast.pk])).content.decode()
    assert people["minas"].full_name in page and "minas@x.cm" in page
    assert 'data-status="sent" data-structure="MINAS"' in page
    assert 'data-status="skipped" data-structure="MINAT"' in page


def test_only_secretariat_and_co_chairs_broadcast(cast, client_for, fp_minas, make_user):
    response = client_for(fp_minas).post(reverse("governance:broadcast_create", args=["GTA"]),
                                         {"channel": "email", "subject": "x", "text": "y"})
    assert response.status_code == 403
    assert not Broadcast.objects.exists()
    minrex = make_user("MINREX", ("focal_point",))  # MINREX co-chairs the COPIL
    FocalPointFactory(structure=s("MINAS"), email="m@x.cm")
    response = client_for(minrex).post(reverse("governance:broadcast_create", args=["COPIL"]),
                                       {"channel": "email", "subject": "COPIL", "text": "Convocation"})
    assert response.status_code == 302
    assert Broadcast.objects.get().body.code == "COPIL"


def test_broadcast_api_and_scope(cast, client_for, secretariat, fp_minsante):
    response = client_for(secretariat).post("/api/v1/broadcasts/", {
        "body": "GTA", "channel": "email", "subject": "API", "text": "Bonjour"}, content_type="application/json")
    assert response.status_code == 201, response.content
    assert len(response.json()["deliveries"]) == 3
    broadcast_id = response.json()["id"]
    client_for(fp_minsante)
    assert client_for(fp_minsante).get(f"/api/v1/broadcasts/{broadcast_id}/").status_code == 404
    assert Message.objects.count() == 3


def test_donor_of_a_co_chair_structure_does_not_broadcast(cast, client_for, donor):
    """The DUE co-chairs the COPIL, but a donor account reads only."""
    response = client_for(donor).post(reverse("governance:broadcast_create", args=["COPIL"]),
                                      {"channel": "email", "subject": "COPIL", "text": "Convocation"})
    assert response.status_code == 403
    assert not Broadcast.objects.exists()


def test_former_addresses_lead_to_the_governance_pages(cast, client_for, secretariat):
    client = client_for(secretariat)
    response = client.get("/notifications/bodies/GTA/broadcast/")
    assert (response.status_code, response["Location"]) == (301, reverse("governance:broadcast_create", args=["GTA"]))
    broadcast = services.broadcast_send(body=cast[0], by=secretariat, subject="S", text="T")
    response = client.get(f"/notifications/broadcasts/{broadcast.pk}/")
    assert response["Location"] == reverse("governance:broadcast_detail", args=[broadcast.pk])


def test_earlier_broadcasts_page_counts_deliveries_in_constant_queries(cast, client_for, secretariat,
                                                                       django_assert_max_num_queries):
    for n in range(3):
        services.broadcast_send(body=cast[0], by=secretariat, subject=f"S{n}", text="T")
    client = client_for(secretariat)
    url = reverse("governance:broadcast_create", args=["GTA"])
    client.get(url)
    with django_assert_max_num_queries(16):
        page = client.get(url).content.decode()
    assert page.count("/3 ") == 3 or page.count("/3") >= 3  # sent/recipients of each earlier message


def test_outbox_api_still_names_the_broadcast_of_a_message(cast, client_for, secretariat, admin):
    broadcast = services.broadcast_send(body=cast[0], by=secretariat, subject="S", text="T")
    rows = client_for(admin).get("/api/v1/messages/").json()["results"]
    assert {row["broadcast"] for row in rows} == {broadcast.pk}
