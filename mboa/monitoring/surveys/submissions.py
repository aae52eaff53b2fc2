"""Reading the submissions exported from ODK Central or KoboToolbox (CSV or XLSX), before
anything is written.

Columns are found by the names of the XLSForm (:mod:`.xlsform`): a group path in front
(``group/eco_activite``, Kobo's "XML names with groups") is dropped; the export's own
columns (``_id``, ``start``, ``__version__``…) are ignored, except the submission's id
(``meta/instanceID``, ``instanceID``, ``KEY`` or ``_uuid``), kept so that a submission is
imported once even when the next export holds it again. Answers are the answers' codes
(Kobo's "XML values") or their French or English labels.

:func:`validate` checks every row and returns clean rows plus every problem, as
``row N, column C: what``; the service writes only when there is none.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from mboa.core import spreadsheets
from mboa.core.spreadsheets import Problem, Table, cell_text, looks_like_formula, normalise_header

from .models import Round
from .xlsform import ROUND_LABELS

MAX_BYTES = 10 * 1024 * 1024
MAX_ROWS = 20000
REQUIRED = ("case_number", "round", "collected_on")
SUBMISSION_ID_COLUMNS = ("instanceid", "key", "_uuid", "uuid")


def read_table(content: bytes, file_name: str) -> Table:
    return spreadsheets.read_table(content, file_name, max_bytes=MAX_BYTES, max_rows=MAX_ROWS,
                                   max_columns=400, what=_("submission"))


def column_name(header: str) -> str:
    """``"group_x/eco_activite"`` -> ``"eco_activite"``; ``"meta/instanceID"`` -> ``"instanceid"``."""
    return str(header).strip().rsplit("/", 1)[-1].strip().lower()


@dataclass
class QuestionSpec:
    code: str
    options: dict[str, int]  # every accepted spelling (code, labels; lower case) -> option id


@dataclass
class CleanRow:
    number: int
    case_number: str
    round: str
    collected_on: dt.date
    submission_id: str
    answers: dict[str, int] = field(default_factory=dict)  # question code -> option id


@dataclass
class Validated:
    rows: list[CleanRow] = field(default_factory=list)
    skipped: int = 0  # submissions imported before
    problems: list[Problem] = field(default_factory=list)


_ROUNDS: dict[str, str] = {}
for _code in Round.values:
    _ROUNDS[_code] = _code
    for _label in ROUND_LABELS[_code]:
        _ROUNDS[normalise_header(_label)] = _code


def parse_round(value: str) -> str:
    key = value.strip().lower()
    found = _ROUNDS.get(key) or _ROUNDS.get(normalise_header(value))
    if not found:
        raise ValueError(_("“%(value)s” is not a round (%(codes)s)") % {"value": value, "codes": ", ".join(Round.values)})
    return found


def parse_date(value: Any, *, today: dt.date) -> dt.date:
    if isinstance(value, dt.datetime):
        day = value.date()
    elif isinstance(value, dt.date):
        day = value
    else:
        text = cell_text(value)[:10]
        try:
            day = dt.date.fromisoformat(text)
        except ValueError:
            try:
                day = dt.datetime.strptime(text, "%d/%m/%Y").date()
            except ValueError:
                raise ValueError(_("“%(value)s” is not a date (YYYY-MM-DD)") % {"value": cell_text(value)}) from None
    if day > today:
        raise ValueError(_("“%(value)s” is in the future") % {"value": day.isoformat()})
    if day.year < 2000:
        raise ValueError(_("“%(value)s”: year %(year)s is not plausible") % {"value": day.isoformat(), "year": day.year})
    return day


def validate(table: Table, *, questions: list[QuestionSpec], version_number: int,
             case_lookup: Callable[[list[str]], Mapping[str, Any]],
             existing: Callable[[list[Any]], Mapping[tuple[int, str], str]],
             imported_ids: Callable[[list[str]], set[str]], today: dt.date) -> Validated:
    """Check every row. ``case_lookup(numbers)``: the cases the importer may record surveys
    on, by number; ``existing(cases)``: {(case id, round): submission id or ""} of surveys
    already stored; ``imported_ids(ids)``: submission ids already imported."""
    result = Validated()
    names = [column_name(h) for h in table.headers]
    index: dict[str, int] = {}
    for position, name in enumerate(names):
        if name in index and name in {*REQUIRED, *(q.code for q in questions)}:
            result.problems.append(Problem(1, table.headers[position], _("this column is given twice")))
        index.setdefault(name, position)
    for name in REQUIRED:
        if name not in index:
            result.problems.append(Problem(1, name, _("missing column (is this an export of the Mboa survey form?)")))
    asked = [q for q in questions if q.code in index]
    if not asked and not result.problems:
        result.problems.append(Problem(1, "-", _("no column holds an answer of survey version %(number)s") % {
            "number": version_number}))
    if result.problems:
        return result
    id_column = next((index[n] for n in SUBMISSION_ID_COLUMNS if n in index), None)

    def cell(cells: list[Any], name: str) -> Any:
        position = index[name]
        return cells[position] if position < len(cells) else ""

    numbers = sorted({cell_text(cell(cells, "case_number")) for _n, cells in table.rows} - {""})
    cases = case_lookup(numbers)
    stored = existing(list(cases.values()))
    ids = [cell_text(cells[id_column]) for _n, cells in table.rows if id_column is not None and id_column < len(cells)]
    already = imported_ids([i for i in ids if i])
    seen: dict[tuple[str, str], int] = {}
    version_column = index.get("mboa_version")
    for number, cells in table.rows:
        submission_id = cell_text(cells[id_column]) if id_column is not None and id_column < len(cells) else ""
        if submission_id and submission_id in already:
            result.skipped += 1
            continue
        problems: list[Problem] = []
        for name in (*REQUIRED, *(q.code for q in asked)):
            raw = cell(cells, name)
            if isinstance(raw, str) and looks_like_formula(raw):
                problems.append(Problem(number, table.headers[index[name]],
                                        _("looks like a formula: formulas are refused")))
        if problems:
            result.problems.extend(problems)
            continue
        if version_column is not None:
            given = cell_text(cells[version_column] if version_column < len(cells) else "")
            if given and given != str(version_number):
                result.problems.append(Problem(number, "mboa_version", _(
                    "filled with version %(given)s of the form; import it as version %(given)s") % {"given": given}))
                continue
        case_number = cell_text(cell(cells, "case_number")).upper()
        case = cases.get(case_number)
        if not case_number:
            problems.append(Problem(number, "case_number", _("the case number is empty")))
        elif case is None:
            problems.append(Problem(number, "case_number", _("no case you follow has the number “%(value)s”") % {
                "value": case_number}))
        try:
            round_code = parse_round(cell_text(cell(cells, "round")))
        except ValueError as error:
            problems.append(Problem(number, "round", str(error)))
            round_code = ""
        try:
            collected_on = parse_date(cell(cells, "collected_on"), today=today)
        except ValueError as error:
            problems.append(Problem(number, "collected_on", str(error)))
            collected_on = today
        answers: dict[str, int] = {}
        for question in asked:
            text = cell_text(cell(cells, question.code))
            if not text:
                continue
            option = question.options.get(text.lower()) or question.options.get(normalise_header(text))
            if option is None:
                problems.append(Problem(number, question.code, _("“%(value)s” is not one of this question's answers") % {
                    "value": text[:40]}))
            else:
                answers[question.code] = option
        if case is not None and round_code:
            key = (case_number, round_code)
            if key in seen:
                problems.append(Problem(number, "round", _("the same case and round as row %(row)s") % {"row": seen[key]}))
            elif (case.pk, round_code) in stored:
                problems.append(Problem(number, "round", _("case %(case)s already has a survey at this round") % {
                    "case": case_number}))
            else:
                seen[key] = number
            if case.reference_date and collected_on < case.reference_date and round_code != "intake":
                problems.append(Problem(number, "collected_on", _("before the case's arrival")))
        if not answers and not problems:
            problems.append(Problem(number, "-", _("no question is answered")))
        if problems:
            result.problems.extend(problems)
            continue
        result.rows.append(CleanRow(number, case_number, round_code, collected_on, submission_id[:100], answers))
    return result
