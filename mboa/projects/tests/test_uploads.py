"""Uploads of the installation (proofs of receipt) and the generated minutes: accepted by
their content (a page or an SVG picture is refused, with the field named), and downloaded
only by those who see the dossier or the session, as downloads the browser does not sniff."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from mboa.projects import services
from mboa.projects.models import Purchase

from .factories import make_dossier, make_session

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
SVG = b"<svg xmlns='http://www.w3.org/2000/svg' onload='alert(document.cookie)'/>"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def delivered(secretariat, insertion_counsellor, case_manager):
    """A purchase of an approved project, delivered, waiting for its proof of receipt."""
    session = make_session(by=secretariat)
    services.agenda_add(session=session, by=secretariat, dossiers=[make_dossier(by=insertion_counsellor)])
    items = list(session.items.select_related("dossier"))
    services.determinations_record(session=session, by=secretariat, items=items, outcome="approved")
    purchase = services.purchase_create(dossier=items[0].dossier, by=case_manager, description="Kit",
                                        amount_xaf=300_000)
    for action in ("submit", "approve", "deliver"):
        purchase = services.purchase_transition(purchase=purchase, by=case_manager, action=action)
    return purchase


def _receive(client, purchase, name, content):
    return client.post(reverse("projects:purchase_action", args=[purchase.dossier.reference, purchase.pk, "receive"]),
                       {"received_by": "Le promoteur", "proof": SimpleUploadedFile(name, content)}, follow=True)


def test_a_picture_with_script_is_refused_as_proof_naming_the_field(delivered, case_manager, client_for):
    response = _receive(client_for(case_manager), delivered, "bon.svg", SVG)
    assert "proof of receipt: This file is not an accepted document" in response.content.decode()
    delivered.refresh_from_db()
    assert delivered.status == "delivered" and not delivered.proof


def test_a_proof_is_downloaded_by_those_who_see_the_dossier_and_404_for_the_others(delivered, case_manager,
                                                                                   make_user, client_for):
    _receive(client_for(case_manager), delivered, "bon.pdf", PDF)
    purchase = Purchase.objects.get(pk=delivered.pk)
    assert purchase.status == "closed" and purchase.proof
    url = reverse("projects:purchase_proof", args=[purchase.dossier.reference, purchase.pk])
    page = client_for(case_manager).get(reverse("projects:dossier_detail", args=[purchase.dossier.reference]))
    assert f'href="{url}"' in page.content.decode()
    response = client_for(case_manager).get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff" and response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == PDF
    outsider = make_user("PARIJEDI", ("insertion_counsellor",))
    assert client_for(outsider).get(url).status_code == 404
