"""A survey version as an XLSForm, for ODK Collect and KoboToolbox, built and checked
with pyxform.

The form asks, in French and English: ``case_number`` (the case's number, which the
import matches), ``round`` (intake, 3, 6, 12, 24, 36 months), ``collected_on``, then one
``select_one`` per question, named by the question's code, whose choices are the codes of
its scale's answers. A hidden ``mboa_version`` holds the version number. The import
(:mod:`mboa.monitoring.surveys.submissions`) reads the CSV or XLSX export of these
submissions by the same names.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

from .models import Round

FR, EN = "Français (fr)", "English (en)"
ROUND_LABELS = {"intake": ("Accueil (entrée)", "Intake"), "m3": ("3 mois", "3 months"), "m6": ("6 mois", "6 months"),
                "m12": ("12 mois", "12 months"), "m24": ("24 mois", "24 months"), "m36": ("36 mois", "36 months")}


class XLSFormInvalid(Exception):
    pass


def build(*, number: int, title: str, form_id: str, questions: Sequence[Any]) -> bytes:
    """The XLSForm (XLSX bytes). ``questions``: objects with ``code``, ``text_fr``, ``text_en``
    and ``scale`` (``code`` and ``options``: ``code``, ``label_fr``, ``label_en``)."""
    from openpyxl import Workbook

    book = Workbook()
    survey = book.active
    survey.title = "survey"
    survey.append(["type", "name", f"label::{FR}", f"label::{EN}", "required", "calculation", "appearance"])
    survey.append(["text", "case_number", "Numéro de dossier", "Case number", "yes", "", ""])
    survey.append(["select_one mboa_round", "round", "Étape de l'enquête", "Survey round", "yes", "", ""])
    survey.append(["date", "collected_on", "Date de l'enquête", "Date of the survey", "yes", "", ""])
    survey.append(["calculate", "mboa_version", "", "", "", str(number), ""])
    scales: dict[str, Any] = {}
    for question in questions:
        scales.setdefault(question.scale.code, question.scale)
        survey.append([f"select_one {question.scale.code}", question.code, question.text_fr, question.text_en,
                       "", "", ""])
    choices = book.create_sheet("choices")
    choices.append(["list_name", "name", f"label::{FR}", f"label::{EN}"])
    for code in Round.values:
        choices.append(["mboa_round", code, *ROUND_LABELS[code]])
    for code, scale in scales.items():
        for option in scale.options.all() if hasattr(scale.options, "all") else scale.options:
            choices.append([code, option.code, option.label_fr, option.label_en])
    settings = book.create_sheet("settings")
    settings.append(["form_title", "form_id", "version", "default_language"])
    settings.append([title, form_id, str(number), FR])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def to_xform(content: bytes) -> str:
    """The XForm XML pyxform makes of an XLSForm; :class:`XLSFormInvalid` if it refuses it."""
    from pyxform.errors import PyXFormError
    from pyxform.xls2xform import convert

    try:
        return convert(xlsform=content, file_type=".xlsx").xform
    except PyXFormError as error:
        raise XLSFormInvalid(str(error)) from error
