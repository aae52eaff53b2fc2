"""The survey definition as a workbook: reading it (all problems at once, as
"sheet, row N, column C: what"), writing it (the template), and the shipped **example**.

The workbook (XLSX) has five sheets; the first row of each holds the column names
(documented in ``docs/surveys.md``):

- ``settings``: ``title``, ``weights_label`` (one row);
- ``scales``: ``scale``, ``option``, ``score`` (0 to 1), ``label_fr``, ``label_en`` —
  one row per answer, in the order they are offered;
- ``indicators``: ``indicator``, ``dimension`` (economic / social / psychosocial),
  ``label_fr``, ``label_en``;
- ``questions``: ``question``, ``indicator``, ``scale``, ``text_fr``, ``text_en`` — in the
  order they are asked (this is the new survey version);
- ``weights``: ``level`` (question / indicator / dimension), ``code``, ``weight`` (≥ 0).

Nothing here touches the database: :func:`mboa.monitoring.surveys.services.catalog_load`
checks the definition against what is stored (a question keeps its code for ever) and
writes it.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _

from mboa.core import spreadsheets
from mboa.core.spreadsheets import Problem, SpreadsheetRefused, cell_text, looks_like_formula, normalise_header

CODE = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
OPTION_CODE = re.compile(r"^[A-Za-z0-9_]{1,40}$")
DIMENSIONS = ("economic", "social", "psychosocial")
LEVELS = ("question", "indicator", "dimension")
# Names the XLSForm uses for itself: no question may take them.
RESERVED = {"case_number", "round", "collected_on", "mboa_version", "start", "end", "today", "deviceid",
            "instanceid", "meta", "mboa_round"}
MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 2000

SHEETS: dict[str, tuple[str, ...]] = {
    "settings": ("title", "weights_label"),
    "scales": ("scale", "option", "score", "label_fr", "label_en"),
    "indicators": ("indicator", "dimension", "label_fr", "label_en"),
    "questions": ("question", "indicator", "scale", "text_fr", "text_en"),
    "weights": ("level", "code", "weight"),
}


@dataclass
class Option:
    code: str
    label_fr: str
    label_en: str
    score: Decimal


@dataclass
class Catalog:
    title: str = ""
    weights_label: str = ""
    scales: dict[str, list[Option]] = field(default_factory=dict)
    indicators: dict[str, tuple[str, str, str]] = field(default_factory=dict)  # code -> (dimension, fr, en)
    questions: list[tuple[str, str, str, str, str]] = field(default_factory=list)  # code, indicator, scale, fr, en
    weights: list[tuple[str, str, Decimal]] = field(default_factory=list)  # level, code, weight


@dataclass
class SheetProblem:
    sheet: str
    problem: Problem

    def __str__(self) -> str:
        return f"{self.sheet}, {self.problem}" if self.sheet else str(self.problem)

    def as_dict(self) -> dict[str, Any]:
        return {"sheet": self.sheet, **self.problem.as_dict(), "text": str(self)}


def problem_text(item: dict[str, Any]) -> str:
    """A stored problem (``as_dict``) as a line, in the reader's language."""
    problem = Problem(item.get("row"), item.get("column", ""), item.get("message", ""))
    return str(SheetProblem(item.get("sheet", ""), problem))


def _rows(content: bytes, file_name: str, sheet: str, problems: list[SheetProblem]) -> list[tuple[int, dict[str, str]]]:
    """The rows of one sheet as {column: text}, or [] with the problems found."""
    try:
        table = spreadsheets.read_table(content, file_name, max_bytes=MAX_BYTES, max_rows=MAX_ROWS, sheet=sheet)
    except SpreadsheetRefused as refused:
        problems.append(SheetProblem(sheet, Problem(None, "", refused.message)))
        return []
    headers = [normalise_header(h).replace(" ", "_") for h in table.headers]
    missing = [name for name in SHEETS[sheet] if name not in headers]
    for name in missing:
        problems.append(SheetProblem(sheet, Problem(1, name, _("missing column"))))
    if missing:
        return []
    rows = []
    for number, cells in table.rows:
        row: dict[str, str] = {}
        for index, name in enumerate(headers):
            if name not in SHEETS[sheet]:
                continue
            value = cells[index] if index < len(cells) else ""
            text = cell_text(value)
            if isinstance(value, str) and looks_like_formula(value):
                problems.append(SheetProblem(sheet, Problem(number, name, _("looks like a formula: formulas are refused"))))
                text = ""
            row[name] = text
        rows.append((number, row))
    return rows


def _code(value: str, pattern: re.Pattern) -> bool:
    return bool(pattern.match(value))


def parse_workbook(content: bytes, file_name: str) -> tuple[Catalog, list[SheetProblem]]:
    """Read and check a definition workbook. Every problem is reported; the catalog is only
    to be loaded when there is none."""
    catalog = Catalog()
    problems: list[SheetProblem] = []

    def bad(sheet: str, row: int | None, column: str, message: str) -> None:
        problems.append(SheetProblem(sheet, Problem(row, column, message)))

    if not content.startswith(spreadsheets.XLSX_MAGIC):
        bad("", None, "", _("%(name)s: send the definition as an XLSX workbook (Excel 2007 or later).") % {
            "name": file_name})
        return catalog, problems
    settings_rows = _rows(content, file_name, "settings", problems)
    if settings_rows:
        number, row = settings_rows[0]
        catalog.title, catalog.weights_label = row["title"][:200], row["weights_label"][:200]
        if not catalog.title:
            bad("settings", number, "title", _("the survey needs a title"))
        if not catalog.weights_label:
            bad("settings", number, "weights_label", _("the weight set needs a label"))

    for number, row in _rows(content, file_name, "scales", problems):
        scale, option = row["scale"], row["option"]
        if not _code(scale, CODE):
            bad("scales", number, "scale", _("“%(value)s” is not a code (lower-case letters, digits and _, "
                                             "starting with a letter)") % {"value": scale})
            continue
        if not _code(option, OPTION_CODE):
            bad("scales", number, "option", _("“%(value)s” is not an answer code (letters, digits and _)") % {
                "value": option})
            continue
        try:
            score = Decimal(row["score"].replace(",", "."))
        except InvalidOperation:
            score = Decimal(-1)
        if not (Decimal(0) <= score <= Decimal(1)) or score.as_tuple().exponent < -4:
            bad("scales", number, "score", _("“%(value)s”: a score is a number from 0 to 1 (at most 4 decimals)") % {
                "value": row["score"]})
            continue
        if not row["label_fr"] and not row["label_en"]:
            bad("scales", number, "label_fr", _("the answer needs a label"))
            continue
        options = catalog.scales.setdefault(scale, [])
        if any(o.code == option for o in options):
            bad("scales", number, "option", _("answer “%(option)s” is already in scale “%(scale)s”") % {
                "option": option, "scale": scale})
            continue
        options.append(Option(option, row["label_fr"][:200], row["label_en"][:200], score))

    for number, row in _rows(content, file_name, "indicators", problems):
        code, dimension = row["indicator"], row["dimension"].lower()
        if not _code(code, CODE):
            bad("indicators", number, "indicator", _("“%(value)s” is not a code (lower-case letters, digits and _, "
                                                     "starting with a letter)") % {"value": code})
        elif dimension not in DIMENSIONS:
            bad("indicators", number, "dimension", _("“%(value)s” is not a dimension (economic, social, "
                                                     "psychosocial)") % {"value": row["dimension"]})
        elif code in catalog.indicators:
            bad("indicators", number, "indicator", _("indicator “%(code)s” is given twice") % {"code": code})
        elif not row["label_fr"] or not row["label_en"]:
            bad("indicators", number, "label_fr" if not row["label_fr"] else "label_en", _("the label is empty"))
        else:
            catalog.indicators[code] = (dimension, row["label_fr"][:200], row["label_en"][:200])

    seen_questions: set[str] = set()
    for number, row in _rows(content, file_name, "questions", problems):
        code = row["question"]
        if not _code(code, CODE) or code in RESERVED:
            bad("questions", number, "question", _("“%(value)s” is not a question code (lower-case letters, digits "
                                                   "and _, starting with a letter; not a reserved name)") % {"value": code})
        elif code in seen_questions:
            bad("questions", number, "question", _("question “%(code)s” is given twice") % {"code": code})
        elif row["indicator"] not in catalog.indicators:
            bad("questions", number, "indicator", _("no indicator “%(code)s” in the indicators sheet") % {
                "code": row["indicator"]})
        elif row["scale"] not in catalog.scales:
            bad("questions", number, "scale", _("no scale “%(code)s” in the scales sheet") % {"code": row["scale"]})
        elif not row["text_fr"] or not row["text_en"]:
            bad("questions", number, "text_fr" if not row["text_fr"] else "text_en", _("the question's text is empty"))
        elif max(len(row["text_fr"]), len(row["text_en"])) > 400:
            bad("questions", number, "text_fr", _("the text is longer than 400 characters"))
        else:
            seen_questions.add(code)
            catalog.questions.append((code, row["indicator"], row["scale"], row["text_fr"], row["text_en"]))

    known = {"question": seen_questions, "indicator": set(catalog.indicators), "dimension": set(DIMENSIONS)}
    seen_weights: set[tuple[str, str]] = set()
    for number, row in _rows(content, file_name, "weights", problems):
        level, code = row["level"].lower(), row["code"]
        try:
            weight = Decimal(row["weight"].replace(",", "."))
        except InvalidOperation:
            weight = Decimal(-1)
        if level not in LEVELS:
            bad("weights", number, "level", _("“%(value)s” is not a level (question, indicator, dimension)") % {
                "value": row["level"]})
        elif code not in known[level]:
            bad("weights", number, "code", _("no %(level)s “%(code)s” in this workbook") % {"level": level, "code": code})
        elif (level, code) in seen_weights:
            bad("weights", number, "code", _("this weight is given twice"))
        elif weight < 0 or weight > Decimal("9999") or weight.as_tuple().exponent < -4:
            bad("weights", number, "weight", _("“%(value)s”: a weight is a number, 0 or more (at most 4 decimals)") % {
                "value": row["weight"]})
        else:
            seen_weights.add((level, code))
            catalog.weights.append((level, code, weight))
    if not problems:
        unweighed = [d for d in DIMENSIONS if ("dimension", d) not in seen_weights]
        if unweighed:
            bad("weights", None, "code", _("every dimension needs a weight; missing: %(codes)s") % {
                "codes": ", ".join(unweighed)})
        elif not sum((w for level, _c, w in catalog.weights if level == "dimension"), Decimal(0)):
            bad("weights", None, "weight", _("the dimension weights add up to 0"))
        if not catalog.questions:
            bad("questions", None, "", _("the survey has no question"))
    return catalog, problems


def to_workbook(catalog: Catalog) -> bytes:
    """The catalog as a definition workbook (the format :func:`parse_workbook` reads)."""
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    rows: dict[str, list[tuple[Any, ...]]] = {
        "settings": [(catalog.title, catalog.weights_label)],
        "scales": [(scale, o.code, float(o.score), o.label_fr, o.label_en)
                   for scale, options in catalog.scales.items() for o in options],
        "indicators": [(code, *values) for code, values in catalog.indicators.items()],
        "questions": list(catalog.questions),
        "weights": [(level, code, float(weight)) for level, code, weight in catalog.weights],
    }
    for name, columns in SHEETS.items():
        sheet = book.create_sheet(name)
        sheet.append(columns)
        for row in rows[name]:
            sheet.append(list(row))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# --- The shipped example ------------------------------------------------------------------

_FREQUENCY = [("jamais", "Jamais", "Never", "0"), ("parfois", "Parfois", "Sometimes", "0.3333"),
              ("souvent", "Souvent", "Often", "0.6667"), ("toujours", "Toujours", "Always", "1")]
_AGREEMENT = [("pas_du_tout", "Pas du tout d'accord", "Strongly disagree", "0"),
              ("plutot_non", "Plutôt pas d'accord", "Disagree", "0.3333"),
              ("plutot_oui", "Plutôt d'accord", "Agree", "0.6667"),
              ("tout_a_fait", "Tout à fait d'accord", "Strongly agree", "1")]
_YES_NO = [("non", "Non", "No", "0"), ("oui", "Oui", "Yes", "1")]


def example_catalog() -> Catalog:
    """The EXAMPLE definition shipped with Mboa (not an official instrument): four or five
    questions per dimension, loosely modelled on the usual reintegration-sustainability
    dimensions. Labelled as an example wherever it shows."""
    catalog = Catalog(title="EXEMPLE — Enquête de durabilité de la réintégration",
                      weights_label="EXEMPLE — pondération égale des dimensions")
    for code, options in (("frequence", _FREQUENCY), ("accord", _AGREEMENT), ("oui_non", _YES_NO)):
        catalog.scales[code] = [Option(c, fr, en, Decimal(s)) for c, fr, en, s in options]
    catalog.indicators = {
        "revenu": ("economic", "Revenu et emploi", "Income and employment"),
        "dettes": ("economic", "Dettes et épargne", "Debt and savings"),
        "reseau": ("social", "Réseau et participation", "Network and participation"),
        "services": ("social", "Accès aux services", "Access to services"),
        "bien_etre": ("psychosocial", "Bien-être", "Well-being"),
        "projet_de_vie": ("psychosocial", "Projet de vie", "Life plans"),
    }
    catalog.questions = [
        ("eco_revenu_regulier", "revenu", "frequence", "Avez-vous un revenu régulier ?", "Do you have a regular income?"),
        ("eco_besoins_couverts", "revenu", "frequence", "Votre revenu couvre-t-il les besoins de votre ménage ?",
         "Does your income cover your household's needs?"),
        ("eco_activite", "revenu", "oui_non", "Exercez-vous une activité (emploi ou entreprise) ?",
         "Do you have an activity (a job or a business)?"),
        ("eco_dette", "dettes", "oui_non", "Avez-vous remboursé vos dettes liées à la migration ?",
         "Have you paid back the debts of your migration?"),
        ("eco_epargne", "dettes", "frequence", "Pouvez-vous mettre de l'argent de côté ?", "Can you save money?"),
        ("soc_soutien", "reseau", "accord", "Je peux compter sur des personnes de ma communauté.",
         "I can rely on people in my community."),
        ("soc_participation", "reseau", "frequence", "Participez-vous à des activités de votre communauté ?",
         "Do you take part in community activities?"),
        ("soc_sante", "services", "oui_non", "Avez-vous accès aux soins de santé quand vous en avez besoin ?",
         "Can you get health care when you need it?"),
        ("soc_documents", "services", "oui_non", "Avez-vous vos documents d'identité ?",
         "Do you have your identity documents?"),
        ("psy_sommeil", "bien_etre", "frequence", "Dormez-vous bien ?", "Do you sleep well?"),
        ("psy_securite", "bien_etre", "accord", "Je me sens en sécurité là où je vis.", "I feel safe where I live."),
        ("psy_discrimination", "bien_etre", "accord", "Je ne me sens pas mis à l'écart parce que je suis rentré.",
         "I do not feel left out because I came back."),
        ("psy_rester", "projet_de_vie", "accord", "J'envisage mon avenir au Cameroun.", "I see my future in Cameroon."),
    ]
    catalog.weights = [("dimension", d, Decimal(1)) for d in DIMENSIONS] + [
        ("question", "eco_activite", Decimal(2)), ("indicator", "revenu", Decimal(2))]
    return catalog
