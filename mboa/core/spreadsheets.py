"""Reading a CSV or XLSX table sent by a user, safely: the one toolkit for every import
(arrival manifests, the niche map, and the imports to come).

``read_table`` turns bytes into a header and rows of cells, or raises
:class:`SpreadsheetRefused` saying why it cannot, in words a user understands. It never
trusts the file:

- the size is checked before reading; an XLSX's *uncompressed* size too (a 700 KB file
  can hold millions of rows), and XML with a DTD or entity declaration is refused;
- rows are streamed (openpyxl read-only, declared dimensions ignored) and reading stops
  at the row limit, so a huge sheet costs no more than the limit;
- columns beyond ``max_columns`` are not read;
- text encodings are detected (UTF-8, UTF-8 with BOM, UTF-16, Windows-1252) and a NUL
  character anywhere in a CSV is refused.

``Problem`` is one fault found in a file: "row N, column C: what". Nothing here touches
the database.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

XLSX_MAGIC = b"PK\x03\x04"
# What an XLSX may unpack to, at most, per byte of the limit on the file itself.
UNCOMPRESSED_FACTOR = 20
DEFAULT_MAX_COLUMNS = 60
FORMULA_START = re.compile(r"^\s*[=@]|^[\t\r]")
SIGNED_NUMBER = re.compile(r"^[+\-][\d\s./()]*$")  # +237 699…, -1: harmless
_DTD = re.compile(rb"<!(DOCTYPE|ENTITY)", re.IGNORECASE)


class SpreadsheetRefused(Exception):
    """The file cannot be read at all (type, size, encoding, emptiness, limits)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass
class Problem:
    row: int | None
    column: str
    message: str

    def __str__(self) -> str:
        if self.row is None:
            return f"{self.column}: {self.message}" if self.column else self.message
        return _("row %(row)s, column %(column)s: %(message)s") % {
            "row": self.row, "column": self.column or "-", "message": self.message}

    def as_dict(self) -> dict[str, Any]:
        return {"row": self.row, "column": self.column, "message": self.message}


@dataclass
class Table:
    headers: list[str]
    rows: list[tuple[int, list[Any]]]  # (row number in the file, the header being row 1; cells)
    file_type: str
    encoding: str = ""
    separator: str = ""


def normalise_header(text: Any) -> str:
    """Lower case, no accents, words separated by one space: ``"Date de naissance"`` → ``"date de naissance"``."""
    text = unicodedata.normalize("NFKD", str(text or "")).encode("ascii", "ignore").decode().lower()
    return " ".join(re.sub(r"[^a-z0-9]+", " ", text).split())


def looks_like_formula(value: str) -> bool:
    """What a spreadsheet could run: =…, @…, or +/- followed by anything but a number."""
    text = value.lstrip()
    if FORMULA_START.match(value):
        return True
    return text[:1] in ("+", "-") and not SIGNED_NUMBER.match(text)


def cell_text(value: Any) -> str:
    """A cell as one line of text (a whole number typed in a number cell loses its ``.0``)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return " ".join(str(value).split())


def read_table(content: bytes, file_name: str, *, max_bytes: int, max_rows: int,
               max_columns: int = DEFAULT_MAX_COLUMNS, what: str = "", sheet: str | None = None) -> Table:
    """Read a CSV or XLSX file's first sheet (or, in an XLSX, the sheet named ``sheet``:
    a workbook of several tables). Raises :class:`SpreadsheetRefused` saying why
    it cannot. ``what`` names a row in messages (e.g. _("passenger")); rows beyond ``max_rows``
    are not read: the file is refused as soon as one more row is found."""
    if len(content) > max_bytes:
        raise SpreadsheetRefused(_("%(name)s: the file is %(size)s MB; the limit is %(limit)s MB.") % {
            "name": file_name, "size": round(len(content) / 1024 / 1024, 1), "limit": round(max_bytes / 1024 / 1024, 1)})
    if not content.strip():
        raise SpreadsheetRefused(_("%(name)s: the file is empty.") % {"name": file_name})
    lower = file_name.lower()
    if content.startswith(XLSX_MAGIC):
        if not lower.endswith((".xlsx", ".xlsm")):
            raise SpreadsheetRefused(_("%(name)s: this is not a CSV or XLSX file.") % {"name": file_name})
        table = _read_xlsx(content, file_name, max_bytes=max_bytes, max_rows=max_rows, max_columns=max_columns,
                           sheet=sheet)
    elif sheet is not None:
        raise SpreadsheetRefused(_("%(name)s: send an XLSX workbook (Excel 2007 or later).") % {"name": file_name})
    elif lower.endswith((".csv", ".txt")):
        table = _read_csv(content, file_name, max_rows=max_rows, max_columns=max_columns)
    else:
        raise SpreadsheetRefused(
            _("%(name)s: unsupported file type; send the list as CSV or XLSX (Excel 2007 or later).") % {"name": file_name})
    if not any(h.strip() for h in table.headers):
        raise SpreadsheetRefused(_("%(name)s: the first row must hold the column names.") % {"name": file_name})
    if not table.rows:
        raise SpreadsheetRefused(_("%(name)s: there is no %(what)s under the header row.") % {
            "name": file_name, "what": what or _("row")})
    return table


def _too_many_rows(file_name: str, max_rows: int) -> SpreadsheetRefused:
    return SpreadsheetRefused(_("%(name)s: more than %(limit)s rows; split the file.") % {
        "name": file_name, "limit": max_rows})


def _decode(content: bytes, file_name: str) -> tuple[str, str]:
    if content.startswith(b"\xef\xbb\xbf"):
        try:
            return content[3:].decode("utf-8", errors="strict"), "utf-8-sig"
        except UnicodeDecodeError:
            raise SpreadsheetRefused(_("%(name)s: unknown text encoding; save it as UTF-8 CSV.") % {
                "name": file_name}) from None
    if content.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            text = content.decode("utf-16")
        except UnicodeDecodeError:
            raise SpreadsheetRefused(_("%(name)s: unknown text encoding; save it as UTF-8 CSV.") % {
                "name": file_name}) from None
        if "\x00" in text:
            raise SpreadsheetRefused(_("%(name)s: this is not a text (CSV) file.") % {"name": file_name})
        return text, "utf-16"
    if b"\x00" in content:
        raise SpreadsheetRefused(_("%(name)s: this is not a text (CSV) file.") % {"name": file_name})
    try:
        return content.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        # Windows-1252: what Excel on a French Windows writes as "CSV (séparateur: point-virgule)".
        return content.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:
        raise SpreadsheetRefused(_("%(name)s: unknown text encoding; save it as UTF-8 CSV.") % {
            "name": file_name}) from None


def _read_csv(content: bytes, file_name: str, *, max_rows: int, max_columns: int) -> Table:
    text, encoding = _decode(content, file_name)
    first_line = text.lstrip("\r\n").split("\n", 1)[0]
    counts = {sep: first_line.count(sep) for sep in (";", ",", "\t")}
    separator = max(counts, key=lambda s: counts[s]) if any(counts.values()) else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=separator)
    headers: list[str] | None = None
    rows: list[tuple[int, list[Any]]] = []
    try:
        for number, cells in enumerate(reader, start=1):
            if not any(c.strip() for c in cells):
                continue
            cells = cells[:max_columns + 1]  # one more than allowed: "more values than columns" stays visible
            if headers is None:
                headers = [h.strip() for h in cells[:max_columns]]
                header_number = number
                continue
            if len(rows) >= max_rows:
                raise _too_many_rows(file_name, max_rows)
            rows.append((number - header_number + 1, cells))
    except csv.Error as error:
        raise SpreadsheetRefused(_("%(name)s: unreadable CSV (%(error)s).") % {"name": file_name, "error": error}) from None
    if headers is None:
        raise SpreadsheetRefused(_("%(name)s: the file is empty.") % {"name": file_name})
    return Table(headers=headers, rows=rows, file_type="csv", encoding=encoding, separator=separator)


def _check_archive(content: bytes, file_name: str, *, max_bytes: int) -> None:
    """Refuse an XLSX that unpacks to far more than its size allows, or whose XML declares
    a DTD or entities (nothing Excel writes; the way to 'billion laughs' and external entities)."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
        members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise SpreadsheetRefused(_("%(name)s: unreadable XLSX file (%(error)s).") % {"name": file_name, "error": error}) from None
    if sum(m.file_size for m in members) > max_bytes * UNCOMPRESSED_FACTOR:
        raise SpreadsheetRefused(_("%(name)s: the workbook unpacks to more than %(limit)s MB; send a smaller file.") % {
            "name": file_name, "limit": round(max_bytes * UNCOMPRESSED_FACTOR / 1024 / 1024)})
    for member in members:
        if member.filename.endswith((".xml", ".rels")):
            with archive.open(member) as handle:
                if _DTD.search(handle.read(4096)):
                    raise SpreadsheetRefused(_("%(name)s: the workbook declares XML entities, which are refused.") % {
                        "name": file_name})


def _read_xlsx(content: bytes, file_name: str, *, max_bytes: int, max_rows: int, max_columns: int,
               sheet: str | None = None) -> Table:
    from openpyxl import load_workbook

    _check_archive(content, file_name, max_bytes=max_bytes)
    try:
        # Formulas are read as written (data_only=False) so that they can be refused.
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=False)
    except Exception as error:  # noqa: BLE001 - openpyxl raises many kinds for a broken file
        raise SpreadsheetRefused(_("%(name)s: unreadable XLSX file (%(error)s).") % {"name": file_name, "error": error}) from None
    try:
        if sheet is not None and sheet not in workbook.sheetnames:
            raise SpreadsheetRefused(_("%(name)s: the workbook has no sheet “%(sheet)s”.") % {
                "name": file_name, "sheet": sheet})
        worksheet = workbook[sheet] if sheet is not None else workbook.worksheets[0]
        worksheet.reset_dimensions()  # the declared size may be a lie (A1:XFD1048576): never pad rows to it
        headers: list[str] | None = None
        rows: list[tuple[int, list[Any]]] = []
        for number, values in enumerate(worksheet.iter_rows(values_only=True, max_col=max_columns + 1), start=1):
            cells = ["" if v is None else v for v in values]
            if not any(str(c).strip() for c in cells):
                continue
            if headers is None:
                headers = [str(h).strip() for h in cells[:max_columns]]
                while headers and not headers[-1]:
                    headers.pop()
                continue
            if len(rows) >= max_rows:
                raise _too_many_rows(file_name, max_rows)
            rows.append((number, cells))
    except SpreadsheetRefused:
        raise
    except Exception as error:  # noqa: BLE001 - a sheet broken past its first rows
        raise SpreadsheetRefused(_("%(name)s: unreadable XLSX file (%(error)s).") % {"name": file_name, "error": error}) from None
    finally:
        workbook.close()
    if headers is None:
        raise SpreadsheetRefused(_("%(name)s: the file is empty.") % {"name": file_name})
    return Table(headers=headers, rows=rows, file_type="xlsx")


# --- Writing: exports that a spreadsheet opens without running anything ---------------------

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """A value to write in a cell: text a spreadsheet would read as a formula (= + - @, tab,
    return) gets an apostrophe; numbers, dates and None are written as they are."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def keep_text(sheet: Any) -> None:
    """Store every text cell of an openpyxl sheet as text, never as a formula, whatever it says."""
    for row in sheet.iter_rows():
        for cell in row:
            if isinstance(cell.value, str):
                cell.data_type = "s"
