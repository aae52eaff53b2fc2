"""Files that users upload (minutes, agreement documents, attachments): accepted from an
allow-list of types recognised by their *content*, never by their name or the browser's
word; and served back only through a view that checked the reader's right, as a download.

- :func:`check_upload` (and the model/form validator :func:`validate_document`) refuses
  anything that is not a PDF, an office document (Word, Excel, OpenDocument) or a picture
  (PNG, JPEG), whatever its name says, and anything over the size limit;
- :func:`serve_upload` answers with ``Content-Disposition: attachment``, the type of what
  the content is, ``X-Content-Type-Options: nosniff`` and ``Cache-Control: no-store``:
  a file can never be shown by the browser as a page of Mboa (no HTML, no SVG, no script).

There is no public ``/media/`` URL: each app serves its files from a view that fetches the
record through its selector for the user (404 otherwise) and calls :func:`serve_upload`.

Every place a file comes in goes through :func:`check_upload`: forms with
:class:`DocumentField`, API serializers with :class:`DocumentSerializerField`, and the
services that store a file with :func:`accept_upload` (so that no caller skips it). The
refusal names the field.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from pathlib import PurePath
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.http import FileResponse
from django.utils.translation import gettext as _
from rest_framework import serializers

from .conf import setting
from .errors import ApplicationError


@dataclass(frozen=True)
class Kind:
    code: str
    content_type: str
    extensions: tuple[str, ...]


KINDS: dict[str, Kind] = {k.code: k for k in (
    Kind("pdf", "application/pdf", (".pdf",)),
    Kind("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", (".docx",)),
    Kind("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", (".xlsx",)),
    Kind("odt", "application/vnd.oasis.opendocument.text", (".odt",)),
    Kind("ods", "application/vnd.oasis.opendocument.spreadsheet", (".ods",)),
    Kind("png", "image/png", (".png",)),
    Kind("jpeg", "image/jpeg", (".jpg", ".jpeg")),
)}
DOCUMENT_KINDS = ("pdf", "docx", "xlsx", "odt", "ods", "png", "jpeg")

_OOXML_MARKERS = {"docx": "word/document.xml", "xlsx": "xl/workbook.xml"}
_ODF_TYPES = {"application/vnd.oasis.opendocument.text": "odt",
              "application/vnd.oasis.opendocument.spreadsheet": "ods"}


def sniff(head: bytes, whole: Any = None) -> str | None:
    """The kind of a file from its first bytes (and, for zip-based formats, its table of
    contents read from ``whole``, a seekable file); None when it is none of the allowed kinds."""
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith(b"PK\x03\x04") and whole is not None:
        try:
            whole.seek(0)
            archive = zipfile.ZipFile(whole)
            names = set(archive.namelist())
            if "mimetype" in names:
                return _ODF_TYPES.get(archive.read("mimetype").decode("ascii", "ignore").strip())
            for code, marker in _OOXML_MARKERS.items():
                if marker in names and "[Content_Types].xml" in names:
                    return code
        except (zipfile.BadZipFile, OSError, ValueError, KeyError):
            return None
        finally:
            whole.seek(0)
    return None


def check_upload(file: Any, *, kinds: tuple[str, ...] = DOCUMENT_KINDS, max_bytes: int | None = None) -> str:
    """The kind of ``file`` (an uploaded file or a file object), or ValidationError saying
    what is wrong, in words: unknown type, type not accepted here, too large."""
    limit = max_bytes or setting("", "UPLOAD_MAX_BYTES")
    size = getattr(file, "size", None)
    if size is None:
        file.seek(0, io.SEEK_END)
        size = file.tell()
    if size > limit:
        raise ValidationError(_("The file is %(size)s MB; the limit is %(limit)s MB.") % {
            "size": round(size / 1024 / 1024, 1), "limit": round(limit / 1024 / 1024, 1)}, code="too_large")
    file.seek(0)
    head = file.read(16)
    file.seek(0)
    kind = sniff(head, file)
    accepted = ", ".join(sorted({ext.lstrip(".").upper() for k in kinds for ext in KINDS[k].extensions}))
    if kind is None or kind not in kinds:
        raise ValidationError(_("This file is not an accepted document (%(accepted)s): its content says otherwise.") % {
            "accepted": accepted}, code="file_type")
    return kind


def validate_document(file: Any) -> None:
    """Validator for FileFields holding documents (see :data:`DOCUMENT_KINDS`)."""
    check_upload(file)


def _named(label: Any, error: ValidationError) -> str:
    return _("%(field)s: %(problem)s") % {"field": label, "problem": " ".join(error.messages)}


def accept_upload(file: Any, *, field: str, label: Any) -> str:
    """:func:`check_upload` for a service about to store ``file``: the kind, or
    ApplicationError naming the field (``label``, what the user sees; ``field``, its name)."""
    try:
        return check_upload(file)
    except ValidationError as error:
        raise ApplicationError(_named(label, error), field=field) from None


class DocumentField(forms.FileField):
    """A form's file field for documents (:data:`DOCUMENT_KINDS`, by content, size limit);
    the refusal names the field."""

    def clean(self, data: Any, initial: Any = None) -> Any:
        file = super().clean(data, initial)
        if file and file is not initial:
            try:
                check_upload(file)
            except ValidationError as error:
                raise ValidationError(_named(self.label, error), code=error.code) from None
        return file


class DocumentSerializerField(serializers.FileField):
    """An API serializer's file field for documents, as :class:`DocumentField`; write-only
    (files are read through each record's download view, never at a storage URL)."""

    def __init__(self, *, label: Any = None, **kwargs: Any) -> None:
        kwargs.setdefault("write_only", True)
        super().__init__(label=label, **kwargs)

    def to_internal_value(self, data: Any) -> Any:
        file = super().to_internal_value(data)
        try:
            check_upload(file)
        except ValidationError as error:
            raise serializers.ValidationError(_named(self.label or self.field_name, error)) from None
        return file


def serve_upload(field_file: Any, *, download_name: str = "") -> FileResponse:
    """A download of a stored file: never displayed inline, never sniffed, never cached.
    The type sent is the one its content has (a stored file of an unknown kind goes as
    ``application/octet-stream``)."""
    field_file.open("rb")
    head = field_file.read(16)
    field_file.seek(0)
    kind = sniff(head, field_file.file if hasattr(field_file, "file") else field_file)
    name = download_name or PurePath(field_file.name).name
    content_type = KINDS[kind].content_type if kind else "application/octet-stream"
    if kind and not name.lower().endswith(KINDS[kind].extensions):
        name = f"{PurePath(name).stem}{KINDS[kind].extensions[0]}"
    response = FileResponse(field_file, as_attachment=True, filename=name, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store, private"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
