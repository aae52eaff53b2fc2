"""Reading and checking a manifest (the passenger list), before anything is written.

``read_table`` turns the bytes of a CSV or XLSX file into a header and rows of cells
(the core spreadsheet toolkit, :mod:`mboa.core.spreadsheets`, with its limits);
``propose_mapping`` maps headers to fields by their usual names (French and English);
``validate`` checks every cell and returns clean rows plus every problem found, as
``row N, column C: what`` (N is the row number in the file, the header being row 1).
Nothing here touches the database: :func:`mboa.reception.services.manifest_import`
writes only when the whole file is clean.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mboa.core import spreadsheets
from mboa.core.phones import normalize_phone
from mboa.core.spreadsheets import Problem, Table, cell_text, looks_like_formula, normalise_header
from mboa.core.validators import past_date

# The fields of a manifest, in the order shown in the mapping step.
FIELDS: dict[str, Any] = {
    "family_name": gettext_lazy("Family name"),
    "given_names": gettext_lazy("Given names"),
    "sex": gettext_lazy("Sex"),
    "date_of_birth": gettext_lazy("Date of birth"),
    "place_of_birth": gettext_lazy("Place of birth"),
    "nationality": gettext_lazy("Nationality"),
    "document_number": gettext_lazy("Document number"),
    "phone": gettext_lazy("Phone"),
    "vulnerability_remarks": gettext_lazy("Vulnerability remarks"),
}
IGNORE = "ignore"
REQUIRED = ("family_name",)

# Usual headers, normalised (lower case, no accents, words separated by one space).
HEADER_ALIASES: dict[str, tuple[str, ...]] = {
    "family_name": ("family name", "nom", "nom de famille", "surname", "last name", "noms", "nom famille"),
    "given_names": ("given names", "given name", "prenom", "prenoms", "first name", "first names", "forenames"),
    "sex": ("sex", "sexe", "genre", "gender", "m f", "h f"),
    "date_of_birth": ("date of birth", "date de naissance", "dob", "date naissance", "ne le", "ne e le", "birth date",
                      "naissance", "ddn"),
    "place_of_birth": ("place of birth", "lieu de naissance", "lieu naissance", "birthplace", "ne a"),
    "nationality": ("nationality", "nationalite", "citizenship", "pays"),
    "document_number": ("document number", "document", "numero de document", "no document", "n document",
                        "passport", "passport number", "passeport", "numero de passeport", "no passeport",
                        "n passeport", "laissez passer", "numero du document", "id number", "doc no"),
    "phone": ("phone", "telephone", "tel", "phone number", "numero de telephone", "contact", "mobile"),
    "vulnerability_remarks": ("vulnerability remarks", "vulnerability", "vulnerabilite", "vulnerabilites",
                              "remarques", "remarks", "observations", "observation", "remarques vulnerabilite"),
}

SEX_VALUES = {
    "m": "M", "h": "M", "male": "M", "homme": "M", "masculin": "M", "garcon": "M", "man": "M",
    "f": "F", "female": "F", "femme": "F", "feminin": "F", "fille": "F", "woman": "F",
    "u": "U", "": "U", "?": "U", "inconnu": "U", "unknown": "U", "x": "U",
}

NATIONALITIES = {
    "cm": "CM", "cmr": "CM", "cameroun": "CM", "cameroon": "CM", "camerounais": "CM", "camerounaise": "CM",
    "cameroonian": "CM", "ng": "NG", "nga": "NG", "nigeria": "NG", "nigerian": "NG", "nigeriane": "NG",
    "nigerien": "NE", "nigerienne": "NE", "niger": "NE", "ne": "NE", "td": "TD", "tchad": "TD", "chad": "TD",
    "tchadien": "TD", "tchadienne": "TD", "chadian": "TD", "cf": "CF", "rca": "CF", "centrafrique": "CF",
    "centrafricain": "CF", "centrafricaine": "CF", "ga": "GA", "gabon": "GA", "gabonais": "GA", "gabonaise": "GA",
    "cg": "CG", "congo": "CG", "congolais": "CG", "congolaise": "CG", "gq": "GQ", "guinee equatoriale": "GQ",
    "ly": "LY", "libye": "LY", "libya": "LY", "libyen": "LY", "ml": "ML", "mali": "ML", "malien": "ML",
}

def read_table(content: bytes, file_name: str, *, max_bytes: int, max_rows: int) -> Table:
    """Read a CSV or XLSX manifest (see :func:`mboa.core.spreadsheets.read_table`)."""
    return spreadsheets.read_table(content, file_name, max_bytes=max_bytes, max_rows=max_rows, what=_("passenger"))


@dataclass
class Validated:
    rows: list[dict[str, Any]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


# --- Mapping ------------------------------------------------------------------------------

def propose_mapping(headers: list[str]) -> dict[str, str]:
    """{column index (as text): field or ""} from the usual header names; "" for unknown."""
    lookup = {alias: name for name, aliases in HEADER_ALIASES.items() for alias in aliases}
    lookup.update({name.replace("_", " "): name for name in FIELDS})
    mapping: dict[str, str] = {}
    used: set[str] = set()
    for index, header in enumerate(headers):
        name = lookup.get(normalise_header(header), "")
        if name in used:
            name = ""
        if name:
            used.add(name)
        mapping[str(index)] = name if header.strip() else IGNORE
    return mapping


def mapping_problems(headers: list[str], mapping: dict[str, str]) -> list[Problem]:
    problems = []
    seen: dict[str, str] = {}
    for index, header in enumerate(headers):
        name = mapping.get(str(index), "")
        if not name:
            problems.append(Problem(1, header, _("unknown column: choose the field it holds, or ignore it")))
        elif name != IGNORE:
            if name not in FIELDS:
                problems.append(Problem(1, header, _("unknown field “%(field)s”") % {"field": name}))
            elif name in seen:
                problems.append(Problem(1, header, _("“%(field)s” is already read from column %(other)s") % {
                    "field": FIELDS[name], "other": seen[name]}))
            else:
                seen[name] = header
    for name in REQUIRED:
        if name not in seen:
            problems.append(Problem(None, "", _("No column holds the %(field)s.") % {"field": str(FIELDS[name]).lower()}))
    return problems


# --- Cells --------------------------------------------------------------------------------

def parse_sex(value: Any) -> str:
    key = normalise_header(str(value))
    if key in SEX_VALUES:
        return SEX_VALUES[key]
    raise ValueError(_("“%(value)s” is not a sex (M, F, H, Homme, Femme…)") % {"value": value})


DATE_PATTERNS = [
    (re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$"), ("y", "m", "d")),
    (re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})$"), ("d", "m", "y")),
    (re.compile(r"^(\d{4})(\d{2})(\d{2})$"), ("y", "m", "d")),
    (re.compile(r"^(\d{1,2})[/.\-](\d{4})$"), ("m", "y")),
    (re.compile(r"^(\d{4})-(\d{1,2})$"), ("y", "m")),
    (re.compile(r"^(\d{4})$"), ("y",)),
]


def parse_birth_date(value: Any, *, today: dt.date | None = None) -> tuple[int | None, int | None, int | None]:
    """(year, month, day), any trailing part unknown (None). Accepts dates, ``YYYY-MM-DD``,
    ``DD/MM/YYYY`` (also with ``-`` or ``.``), ``YYYYMMDD``, ``MM/YYYY``, ``YYYY-MM``,
    ``YYYY``, and ``00`` for an unknown day or month (``00/05/1990``, ``00/00/1990``).
    Raises ValueError with a message for impossible or implausible dates."""
    today = today or timezone.localdate()
    if value in (None, ""):
        return None, None, None
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        year, month, day = value.year, value.month, value.day
    else:
        text = str(value).strip()
        if re.fullmatch(r"\d{4}\.0", text):  # a year typed in a number cell
            text = text[:4]
        for pattern, parts in DATE_PATTERNS:
            match = pattern.match(text)
            if match:
                found = dict(zip(parts, (int(g) for g in match.groups()), strict=True))
                year, month, day = found["y"], found.get("m") or None, found.get("d") or None
                break
        else:
            raise ValueError(_("“%(value)s” is not a date (use DD/MM/YYYY, YYYY-MM-DD or the year alone)") % {
                "value": value})
        if day and not month:
            raise ValueError(_("“%(value)s”: a day without a month") % {"value": value})
    if not 1900 <= year <= today.year:
        raise ValueError(_("“%(value)s”: year %(year)s is not plausible") % {"value": value, "year": year})
    if month is not None and not 1 <= month <= 12:
        raise ValueError(_("“%(value)s”: there is no month %(month)s") % {"value": value, "month": month})
    if day is not None and not 1 <= day <= calendar.monthrange(year, month)[1]:
        raise ValueError(_("“%(value)s”: this day does not exist") % {"value": value})
    if day is not None and dt.date(year, month, day) > today:
        raise ValueError(_("“%(value)s” is in the future") % {"value": value})
    try:  # the limits every date of birth in Mboa shares
        past_date(dt.date(year, month or 1, day or 1))
    except ValidationError as error:
        raise ValueError(" ".join(error.messages)) from None
    return year, month, day


def parse_nationality(value: Any) -> str:
    text = normalise_header(str(value))
    if not text:
        return ""
    if text in NATIONALITIES:
        return NATIONALITIES[text]
    if re.fullmatch(r"[a-z]{2}", text):
        return text.upper()
    raise ValueError(_("“%(value)s” is not a known nationality (write the country's ISO code, e.g. CM)") % {
        "value": value})


def validate(table: Table, mapping: dict[str, str], *, today: dt.date | None = None,
             existing_keys: dict[tuple, int] | None = None) -> Validated:
    """Check every row. ``existing_keys``: identity keys already on the arrival's list
    (from an earlier manifest) -> their number, so re-sent people are reported too."""
    result = Validated()
    result.problems.extend(mapping_problems(table.headers, mapping))
    if result.problems:
        return result
    columns = {name: int(index) for index, name in mapping.items() if name and name != IGNORE}
    header_of = {name: table.headers[index] for name, index in columns.items()}
    seen_identity: dict[tuple, int] = {}
    seen_document: dict[str, int] = {}
    for number, cells in table.rows:
        if len(cells) > len(table.headers) and any(cell_text(c) for c in cells[len(table.headers):]):
            result.problems.append(Problem(number, "-", _("more values than columns (a separator inside a value?)")))
            continue
        row: dict[str, Any] = {"source_row": number}
        for name, index in columns.items():
            raw = cells[index] if index < len(cells) else ""
            column = header_of[name]
            if isinstance(raw, str) and looks_like_formula(raw):
                result.problems.append(Problem(number, column, _("looks like a formula (“%(value)s”): formulas are refused") % {
                    "value": raw[:40]}))
                continue
            try:
                row.update(_clean_cell(name, raw, today=today))
            except ValueError as error:
                result.problems.append(Problem(number, column, str(error)))
        if "family_name" in row and not row["family_name"]:
            result.problems.append(Problem(number, header_of["family_name"], _("the family name is empty")))
            continue
        identity = (normalise_header(row.get("family_name", "")), normalise_header(row.get("given_names", "")),
                    row.get("birth_year"), row.get("birth_month"), row.get("birth_day"))
        if identity in seen_identity:
            result.problems.append(Problem(number, header_of["family_name"], _("duplicate of row %(row)s") % {
                "row": seen_identity[identity]}))
            continue
        if existing_keys and identity in existing_keys:
            result.problems.append(Problem(number, header_of["family_name"], _(
                "already on this arrival's list (no. %(number)s)") % {"number": existing_keys[identity]}))
            continue
        seen_identity[identity] = number
        document = row.get("document_number", "")
        if document:
            key = re.sub(r"[^A-Z0-9]", "", document.upper())
            if key in seen_document:
                result.problems.append(Problem(number, header_of["document_number"], _(
                    "document number already given on row %(row)s") % {"row": seen_document[key]}))
                continue
            seen_document[key] = number
        result.rows.append(row)
    return result


def identity_key(family_name: str, given_names: str, year: int | None, month: int | None, day: int | None) -> tuple:
    return (normalise_header(family_name), normalise_header(given_names), year, month, day)


def identity_text(key: tuple) -> str:
    """An identity key as stored on a passenger (``Passenger.identity_key``, unique per arrival)."""
    return "|".join("" if part is None else str(part) for part in key)[:380]


def _clean_cell(name: str, raw: Any, *, today: dt.date | None) -> dict[str, Any]:
    if name == "date_of_birth":
        year, month, day = parse_birth_date(raw if isinstance(raw, dt.date) else cell_text(raw), today=today)
        return {"birth_year": year, "birth_month": month, "birth_day": day}
    text = cell_text(raw)
    if name == "sex":
        return {"sex": parse_sex(text)}
    if name == "nationality":
        return {"nationality": parse_nationality(text)}
    if name == "phone":
        if not text:
            return {"phone": ""}
        try:
            return {"phone": normalize_phone(text)}
        except ValidationError as error:
            raise ValueError(" ".join(error.messages)) from None
    limits = {"family_name": 120, "given_names": 200, "place_of_birth": 120, "document_number": 40,
              "vulnerability_remarks": 500}
    if len(text) > limits[name]:
        raise ValueError(_("too long (%(length)s characters, at most %(limit)s)") % {"length": len(text),
                                                                                      "limit": limits[name]})
    return {name: text}
