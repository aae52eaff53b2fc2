"""Agreement documents: accepted by their content (a page or an SVG picture is refused on the
page and in the API, whatever its name, with the field named), downloaded only by those who
see the agreement, as a download the browser does not sniff; nothing is served at /media/."""

import importlib

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import clear_url_caches, reverse

from .. import agreements
from ..models import AgreementDocument
from .factories import api, structure

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
SVG = b"<svg xmlns='http://www.w3.org/2000/svg' onload='alert(document.cookie)'/>"
HTML = b"<html><script>alert(document.cookie)</script></html>"
REFUSED = "File: This file is not an accepted document"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def agreement(secretariat):
    return agreements.agreement_create(by=secretariat, structure=structure("MINAS"), subject="Psychosocial care")


def _downloaded(response) -> bytes:
    content = b"".join(response.streaming_content)
    return content


@pytest.mark.parametrize(("name", "content"), [("convention.svg", SVG), ("convention.html", HTML),
                                               ("convention.pdf", HTML)])
def test_a_page_or_a_picture_with_script_is_refused_on_the_page(name, content, agreement, fp_minas, client_for):
    client = client_for(fp_minas)
    response = client.post(reverse("referrals:agreement_document", args=[agreement.pk]), {
        "title": "Comments", "file": SimpleUploadedFile(name, content)}, follow=True)
    assert REFUSED in response.content.decode()
    assert not AgreementDocument.objects.exists()


@pytest.mark.parametrize(("name", "content"), [("convention.svg", SVG), ("convention.pdf", HTML)])
def test_and_in_the_api(name, content, agreement, fp_minas):
    response = api(fp_minas).post(f"/api/v1/agreements/{agreement.pk}/documents/", {
        "title": "Comments", "file": SimpleUploadedFile(name, content)}, format="multipart")
    assert response.status_code == 400
    assert REFUSED in response.json()["file"][0]
    assert not AgreementDocument.objects.exists()


def test_the_service_refuses_it_too(agreement, fp_minas):
    from mboa.core.errors import ApplicationError

    with pytest.raises(ApplicationError) as refused:
        agreements.agreement_document_add(agreement=agreement, by=fp_minas, title="x",
                                          file=SimpleUploadedFile("x.svg", SVG))
    assert refused.value.field == "file"


def test_a_pdf_is_downloaded_by_those_who_see_the_agreement_and_404_for_the_others(
        agreement, fp_minas, secretariat, fp_minsante, client_for):
    response = api(fp_minas).post(f"/api/v1/agreements/{agreement.pk}/documents/", {
        "title": "Comments", "file": SimpleUploadedFile("comments.pdf", PDF)}, format="multipart")
    assert response.status_code == 201, response.content
    document = AgreementDocument.objects.get()
    url = reverse("referrals:agreement_document_download", args=[agreement.pk, document.pk])
    assert response.json()["download_url"] == url and "/media/" not in response.content.decode()
    page = client_for(secretariat).get(reverse("referrals:agreement_detail", args=[agreement.pk])).content.decode()
    assert f'href="{url}"' in page and "/media/" not in page

    for reader in (fp_minas, secretariat):
        response = client_for(reader).get(url)
        assert response.status_code == 200
        assert response["Content-Disposition"].startswith("attachment")
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Content-Type"] == "application/pdf"
        assert _downloaded(response) == PDF
    # Another structure's focal point: the agreement is not theirs, nor its documents.
    assert client_for(fp_minsante).get(url).status_code == 404
    other = agreements.agreement_create(by=secretariat, structure=structure("MINSANTE"), subject="Care")
    wrong = reverse("referrals:agreement_document_download", args=[other.pk, document.pk])
    assert client_for(fp_minsante).get(wrong).status_code == 404


@pytest.mark.filterwarnings("ignore:Converter 'id' is already registered")
def test_nothing_is_served_at_media_even_in_development(agreement, fp_minas, client_for, settings):
    """With DEBUG on (as in development), the stored files are still not reachable at /media/."""
    name = default_storage.save("referrals/agreements/page.html", ContentFile(HTML))
    settings.DEBUG = True
    import config.urls

    try:
        importlib.reload(config.urls)
        clear_url_caches()
        assert client_for(fp_minas).get(f"/media/{name}").status_code == 404
    finally:
        settings.DEBUG = False
        importlib.reload(config.urls)
        clear_url_caches()
