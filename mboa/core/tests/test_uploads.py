"""Uploads are accepted by content from an allow-list and served only as downloads."""

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import SimpleUploadedFile

from mboa.core.uploads import check_upload, serve_upload

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _docx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


@pytest.mark.parametrize(("name", "content", "kind"), [
    ("minutes.pdf", PDF, "pdf"), ("convention.docx", _docx(), "docx"), ("scan.PNG", b"\x89PNG\r\n\x1a\n" + b"0" * 20, "png"),
    ("named-wrongly.txt", PDF, "pdf"),
])
def test_documents_are_recognised_by_their_content(name, content, kind):
    assert check_upload(SimpleUploadedFile(name, content)) == kind


@pytest.mark.parametrize(("name", "content"), [
    ("page.html", b"<html><script>alert(1)</script></html>"),
    ("logo.svg", b"<svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'/>"),
    ("fake.pdf", b"<html>not a pdf</html>"),
    ("archive.zip", b"PK\x03\x04garbage"),
])
def test_anything_else_is_refused_whatever_its_name(name, content):
    with pytest.raises(ValidationError, match="not an accepted document"):
        check_upload(SimpleUploadedFile(name, content))


def test_a_file_over_the_limit_is_refused(settings):
    settings.MBOA = {**settings.MBOA, "UPLOAD_MAX_BYTES": 10}
    with pytest.raises(ValidationError, match="limit"):
        check_upload(SimpleUploadedFile("minutes.pdf", PDF))


def test_served_files_are_downloads_that_the_browser_does_not_sniff(tmp_path):
    storage = FileSystemStorage(location=tmp_path)
    name = storage.save("agreements/scan.html", ContentFile(b"<html><script>alert(1)</script></html>"))
    field_file = storage.open(name)
    field_file.name = name
    response = serve_upload(field_file)
    assert response["Content-Disposition"].startswith("attachment")
    assert response["Content-Type"] == "application/octet-stream"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"]
    response.file_to_stream.close()  # response.close() would signal the end of a request
