"""Assessments as versioned forms stored in the database.

A :class:`~mboa.cases.models.FormSchema` is a list of questions; an administrator adds a
question without a deployment (:func:`form_add_question` makes a new version). An
:class:`~mboa.cases.models.Assessment` keeps its answers with the version they were given
under, so old answers stay readable when the form changes.

Question types: ``text``, ``number``, ``bool``, ``date`` (ISO), ``choice`` (one of
``choices``), ``multi`` (several of ``choices``), ``filieres`` (several value chains of the
niche map). The vulnerability form's ``categories`` answer feeds the case's
vulnerabilities (filter of the case list); its choices are the one vocabulary of
:mod:`mboa.core.vocabulary` (whatever the stored version lists). The skills form's
``trades`` and ``interests`` feed the niche ranking.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mboa.core import activity
from mboa.core.errors import ApplicationError
from mboa.core.permissions import require
from mboa.core.vocabulary import vulnerability_choices, vulnerability_code

from .models import Assessment, AssessmentKind, Case, CaseVulnerability, Filiere, FormSchema

QUESTION_TYPES = ("text", "number", "bool", "date", "choice", "multi", "filieres")
_KEY = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
# The vulnerability form's question whose answer becomes the case's vulnerabilities.
VULNERABILITY_QUESTION = "categories"


def _is_vulnerability_question(form: FormSchema, question: Mapping[str, Any]) -> bool:
    return form.kind == AssessmentKind.VULNERABILITY and question["key"] == VULNERABILITY_QUESTION


def question_choices(form: FormSchema, question: Mapping[str, Any]) -> list[tuple[str, Any]]:
    """The (value, label) choices of a choice or multi question: the shared vulnerability
    vocabulary for the vulnerability categories, the stored choices otherwise."""
    if _is_vulnerability_question(form, question):
        return vulnerability_choices()
    return [(value, text) for value, text in question.get("choices", [])]


def form_current(*, kind: str) -> FormSchema:
    form = FormSchema.objects.filter(kind=kind, is_current=True).first()
    if form is None:
        raise ApplicationError(_("No form is defined for this assessment."), field="kind")
    return form


def _clean_question(question: Mapping[str, Any], existing_keys: set[str]) -> dict[str, Any]:
    key = str(question.get("key", "")).strip()
    if not _KEY.match(key):
        raise ApplicationError(_("The key must be lower-case letters, digits and _ (e.g. family_size)."), field="key")
    if key in existing_keys:
        raise ApplicationError(_("The form already has a question “%(key)s”.") % {"key": key}, field="key")
    label = str(question.get("label", "")).strip()
    if not label:
        raise ApplicationError(_("Give the question's text."), field="label")
    qtype = question.get("type")
    if qtype not in QUESTION_TYPES:
        raise ApplicationError(_("Unknown question type."), field="type")
    cleaned: dict[str, Any] = {"key": key, "label": label, "type": qtype, "required": bool(question.get("required"))}
    if qtype in ("choice", "multi"):
        choices = question.get("choices") or []
        if isinstance(choices, str):
            choices = [c.strip() for c in choices.split("\n") if c.strip()]
        pairs = []
        for choice in choices:
            if isinstance(choice, list | tuple):
                value, text = str(choice[0]), str(choice[1])
            else:
                value, text = re.sub(r"[^a-z0-9]+", "_", str(choice).lower()).strip("_"), str(choice)
            if value and value not in {p[0] for p in pairs}:
                pairs.append([value, text])
        if len(pairs) < 2:
            raise ApplicationError(_("A choice question needs at least two choices (one per line)."), field="choices")
        cleaned["choices"] = pairs
    return cleaned


def form_add_question(*, kind: str, question: Mapping[str, Any], by: Any) -> FormSchema:
    """Add a question: a new version of the form becomes current; the old one stays for
    the answers given under it. Administrators only (``cases.manage_forms``)."""
    require(by, "cases.manage_forms")
    with transaction.atomic():
        current = FormSchema.objects.select_for_update().get(kind=kind, is_current=True)
        cleaned = _clean_question(question, {q["key"] for q in current.questions})
        current.is_current = False
        current.save(update_fields=["is_current", "updated_at"])
        new = FormSchema.objects.create(kind=kind, version=current.version + 1, title=current.title,
                                        questions=[*current.questions, cleaned], created_by=by)
        activity.record(verb="form.add_question", actor=by, target=new,
                        summary=_("Question added to %(form)s: %(label)s") % {"form": new.title,
                                                                              "label": cleaned["label"]})
    return new


def _as_bool(value: Any) -> bool | None:
    if isinstance(value, bool):
        return value
    if value in (None, ""):
        return None
    text = str(value).strip().lower()
    if text in {"1", "true", "on", "yes", "oui"}:
        return True
    if text in {"0", "false", "off", "no", "non"}:
        return False
    raise ValueError


def validate_answers(form: FormSchema, answers: Mapping[str, Any]) -> dict[str, Any]:
    """Answers cleaned against the form version; ApplicationError naming the question at fault."""
    cleaned: dict[str, Any] = {}
    filiere_codes: set[str] | None = None
    for question in form.questions:
        key, qtype, label = question["key"], question["type"], question["label"]
        raw = answers.get(key)
        empty = raw in (None, "", []) or (isinstance(raw, list | tuple) and not any(raw))
        if empty:
            if question.get("required") and qtype != "bool":
                raise ApplicationError(_("“%(label)s” is required.") % {"label": label}, field=key)
            if qtype == "bool":
                cleaned[key] = False
            continue
        try:
            if qtype == "text":
                cleaned[key] = str(raw).strip()[:4000]
            elif qtype == "number":
                number = float(str(raw).replace(",", "."))
                cleaned[key] = int(number) if number.is_integer() else number
            elif qtype == "bool":
                cleaned[key] = bool(_as_bool(raw))
            elif qtype == "date":
                cleaned[key] = (raw if isinstance(raw, dt.date) else dt.date.fromisoformat(str(raw))).isoformat()
            elif qtype == "choice":
                if str(raw) not in {c[0] for c in question_choices(form, question)}:
                    raise ValueError
                cleaned[key] = str(raw)
            elif qtype in ("multi", "filieres"):
                values = [str(v) for v in (raw if isinstance(raw, list | tuple) else [raw]) if v]
                if _is_vulnerability_question(form, question):
                    values = [vulnerability_code(v) for v in values]  # a former code is read as today's
                if qtype == "multi":
                    allowed = {c[0] for c in question_choices(form, question)}
                else:
                    if filiere_codes is None:
                        filiere_codes = set(Filiere.objects.values_list("code", flat=True))
                    allowed = filiere_codes
                if set(values) - allowed:
                    raise ValueError
                cleaned[key] = sorted(set(values))
        except (ValueError, TypeError):
            raise ApplicationError(_("“%(label)s”: this answer is not valid.") % {"label": label}, field=key) from None
    return cleaned


def assessment_record(
    *, case: Case, kind: str, answers: Mapping[str, Any], by: Any, assessed_on: dt.date | None = None
) -> Assessment:
    """Record an assessment under the current version of its form. A vulnerability
    assessment replaces the case's vulnerability categories with its answer."""
    require(by, "cases.work_on_case", case)
    if kind not in AssessmentKind.values:
        raise ApplicationError(_("Unknown assessment."), field="kind")
    form = form_current(kind=kind)
    cleaned = validate_answers(form, answers)
    day = assessed_on or timezone.localdate()
    if day > timezone.localdate():
        raise ApplicationError(_("An assessment cannot be dated in the future."), field="assessed_on")
    with transaction.atomic():
        assessment = Assessment.objects.create(case=case, form=form, kind=kind, answers=cleaned, assessed_on=day,
                                               assessed_by=by)
        if kind == AssessmentKind.VULNERABILITY:
            categories = set(cleaned.get(VULNERABILITY_QUESTION, []))
            CaseVulnerability.objects.filter(case=case).exclude(category__in=categories).delete()
            existing = set(CaseVulnerability.objects.filter(case=case).values_list("category", flat=True))
            CaseVulnerability.objects.bulk_create(
                CaseVulnerability(case=case, category=c) for c in sorted(categories - existing)
            )
        activity.record(verb="assessment.record", actor=by, target=assessment, subject=case,
                        summary=_("%(kind)s (form v%(version)s)") % {"kind": assessment.get_kind_display(),
                                                                     "version": form.version},
                        data={"kind": kind, "form_version": form.version})
    return assessment


def latest_answers(*, case: Case, kind: str) -> dict[str, Any]:
    latest = case.assessments.filter(kind=kind).order_by("-assessed_on", "-id").first()
    return dict(latest.answers) if latest else {}


def display_answers(assessment: Assessment) -> list[tuple[str, str]]:
    """(question label, readable answer) in the order of the form version it was given under."""
    filieres = None
    rows = []
    for question in assessment.form.questions:
        value = assessment.answers.get(question["key"])
        if value in (None, "", []):
            continue
        if question["type"] == "choice":
            value = dict(question_choices(assessment.form, question)).get(value, value)
        elif question["type"] == "multi":
            labels = dict(question_choices(assessment.form, question))
            value = ", ".join(str(labels.get(v, v)) for v in value)
        elif question["type"] == "filieres":
            if filieres is None:
                filieres = {f.code: f.name for f in Filiere.objects.all()}
            value = ", ".join(filieres.get(v, v) for v in value)
        elif question["type"] == "bool":
            value = _("yes") if value else _("no")
        rows.append((question["label"], str(value)))
    return rows
