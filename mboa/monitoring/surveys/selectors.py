"""Reads of the sustainability survey, for a user.

- a case's **trajectory** (scores by round) and a survey's **answers**: the case's staff
  (404 otherwise); psychosocial answers only to those who may read psychosocial notes;
  every read is logged (:func:`mboa.core.sensitive.log_read`);
- **cohorts** and :func:`score_trend`: database aggregates, nobody named; a cell of fewer
  than :data:`MIN_CELL` surveys shows its count, not its means.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Avg, Count, F, QuerySet
from django.db.models.functions import Coalesce, ExtractMonth, ExtractQuarter, ExtractYear, TruncDate
from django.http import Http404

from mboa.core.permissions import check, require
from mboa.core.sensitive import log_read

from .models import Answer, Dimension, Round, Survey, SurveyScore, SurveyUpload, SurveyVersion, UploadKind, WeightSet

MIN_CELL = 5
SCORES = ("economic", "social", "psychosocial", "composite")
ROUND_ORDER = {code: i for i, code in enumerate(Round.values)}


def current_weight_set() -> WeightSet | None:
    return WeightSet.objects.filter(is_current=True).first()


# --- Definition ---------------------------------------------------------------------------

def catalog_for_user(*, user: Any) -> dict[str, Any]:
    """The survey versions and weight sets (no one's data)."""
    require(user, "surveys.view_catalog")
    versions = list(SurveyVersion.objects.defer("xlsform").annotate(n_questions=Count("items")).order_by("-number"))
    latest = versions[0] if versions else None
    questions = []
    if latest is not None:
        questions = [item.question for item in latest.items.select_related("question__indicator", "question__scale")
                     .order_by("position")]
    weight_sets = list(WeightSet.objects.select_related("adopted_by").prefetch_related("weights").order_by("-number"))
    return {"versions": versions, "latest": latest, "questions": questions, "weight_sets": weight_sets,
            "current": next((w for w in weight_sets if w.is_current), None),
            "may_manage": bool(check(user, "surveys.manage_catalog")),
            "may_import": bool(check(user, "surveys.import_submissions")),
            "may_see_cohorts": bool(check(user, "surveys.view_cohorts"))}


def survey_version_get_for_user(*, user: Any, pk: int) -> SurveyVersion:
    require(user, "surveys.view_catalog")
    try:
        return SurveyVersion.objects.get(pk=pk)
    except (SurveyVersion.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404 from None


def weight_set_get_for_user(*, user: Any, pk: int) -> WeightSet:
    require(user, "surveys.manage_catalog")
    try:
        return WeightSet.objects.get(pk=pk)
    except (WeightSet.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404 from None


def example_workbook_for_user(*, user: Any) -> bytes:
    """The example definition as a workbook: the template of the format."""
    from .catalog import example_catalog, to_workbook

    require(user, "surveys.view_catalog")
    return to_workbook(example_catalog())


def uploads_for_user(*, user: Any, kind: str) -> QuerySet:
    """The user's own uploads of a kind (administrators: every definition upload). The
    page's rule: definitions for administrators, submissions for those who import (403)."""
    require(user, "surveys.manage_catalog" if kind == UploadKind.CATALOG else "surveys.import_submissions")
    uploads = SurveyUpload.objects.filter(kind=kind).defer("content").select_related("version")
    if not (kind == UploadKind.CATALOG and check(user, "surveys.manage_catalog")):
        uploads = uploads.filter(uploaded_by=user)
    return uploads.order_by("-created_at")[:20]


# --- A case -------------------------------------------------------------------------------

@dataclass
class Trajectory:
    case: Any
    weight_set: WeightSet | None
    weight_sets: list[WeightSet]
    rows: list[dict[str, Any]] = field(default_factory=list)


def _case_for_user(user: Any, case_id: int) -> Any:
    from mboa.cases.selectors import case_get_for_user

    if not check(user, "surveys.view_case_surveys"):
        raise Http404
    return case_get_for_user(user=user, case_id=case_id)


def case_trajectory_for_user(*, user: Any, case_id: int, weight_set_id: Any = None,
                             channel: str = "page") -> Trajectory:
    """The case's surveys by round with their scores under the adopted weight set (or an
    earlier one that was computed). The case's staff only (404); the read is logged."""
    case = _case_for_user(user, case_id)
    sets = list(WeightSet.objects.filter(scores__survey__case=case).distinct().order_by("-number"))
    chosen = next((w for w in sets if str(w.pk) == str(weight_set_id)), None) if weight_set_id else None
    chosen = chosen or next((w for w in sets if w.is_current), None) or (sets[0] if sets else current_weight_set())
    scores = {s.survey_id: s for s in SurveyScore.objects.filter(survey__case=case, weight_set=chosen)}
    surveys = sorted(Survey.objects.filter(case=case).select_related("version"),
                     key=lambda s: (ROUND_ORDER.get(s.round, 99), s.collected_on))
    trajectory = Trajectory(case=case, weight_set=chosen, weight_sets=sets)
    for survey in surveys:
        score = scores.get(survey.pk)
        trajectory.rows.append({"survey": survey, **{name: getattr(score, name, None) for name in SCORES},
                                **{f"{name}_width": _width(getattr(score, name, None)) for name in SCORES}})
    log_read(user=user, obj=case, fields=["person", "survey_scores"], channel=channel, purpose="survey trajectory")
    return trajectory


def _width(value: Any) -> int:
    return 0 if value is None else max(0, min(100, round(float(value) * 100)))


@dataclass
class SurveyAnswers:
    survey: Survey
    by_dimension: list[tuple[str, list[Answer]]]
    psychosocial_hidden: bool


def survey_answers_for_user(*, user: Any, survey_id: int, channel: str = "page") -> SurveyAnswers:
    """A survey's answers, grouped by dimension. The case's staff (404 otherwise); the
    psychosocial dimension only for those who may read psychosocial notes of the case
    (the others are told it is withheld). The read is logged, naming what was shown."""
    try:
        survey = Survey.objects.select_related("case", "version").get(pk=survey_id)
    except (Survey.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404 from None
    case = _case_for_user(user, survey.case_id)
    survey.case = case
    psychosocial = bool(check(user, "surveys.read_psychosocial_answers", case))
    answers = (Answer.objects.filter(survey=survey).select_related("question__indicator", "option")
               .order_by("question__indicator__dimension", "question__code"))
    if not psychosocial:
        answers = answers.exclude(question__indicator__dimension=Dimension.PSYCHOSOCIAL)
    groups: dict[str, list[Answer]] = {}
    for answer in answers:
        groups.setdefault(answer.question.indicator.dimension, []).append(answer)
    by_dimension = [(label, groups[code]) for code, label in Dimension.choices if code in groups]
    fields = ["person", "answers"] + (["psychosocial_answers"] if psychosocial else [])
    log_read(user=user, obj=survey, fields=fields, channel=channel, purpose="survey answers")
    return SurveyAnswers(survey=survey, by_dimension=by_dimension, psychosocial_hidden=not psychosocial)


# --- Aggregates ---------------------------------------------------------------------------

def _reference_date():
    return Coalesce(F("survey__case__arrival_date"), TruncDate("survey__case__opened_at"))


def _scored(filters: dict[str, Any]) -> QuerySet:
    """Score rows under the weight set of ``filters`` (default: the adopted one), filtered."""
    weight_set = filters.get("weight_set") or current_weight_set()
    if weight_set is None:
        return SurveyScore.objects.none()
    rows = SurveyScore.objects.filter(weight_set=weight_set)
    if filters.get("date_from"):
        rows = rows.filter(survey__collected_on__gte=filters["date_from"])
    if filters.get("date_to"):
        rows = rows.filter(survey__collected_on__lte=filters["date_to"])
    if filters.get("round"):
        rows = rows.filter(survey__round=filters["round"])
    if filters.get("region"):
        rows = rows.filter(survey__case__destination_region__code=filters["region"])
    if filters.get("sex"):
        rows = rows.filter(survey__case__person__sex=filters["sex"])
    if filters.get("structure"):
        rows = rows.filter(survey__case__structure__code=filters["structure"])
    if filters.get("arrival_year"):
        rows = rows.annotate(_ref=_reference_date()).filter(_ref__year=filters["arrival_year"])
    return rows


def _means(rows: QuerySet, keys: list[str]) -> list[dict[str, Any]]:
    aggregated = rows.values(*keys).annotate(n=Count("pk"), **{name: Avg(name) for name in SCORES}).order_by(*keys)
    result = []
    for row in aggregated:
        hidden = row["n"] < MIN_CELL
        result.append({**row, "suppressed": hidden,
                       **{name: (None if hidden or row[name] is None else round(float(row[name]), 4))
                          for name in SCORES}})
    return result


def score_trend(*, filters: dict) -> list[dict]:
    """Mean scores (and n) per period or round, for dashboards: one database aggregation.

    ``filters``: ``group`` — ``round`` (default), ``year``, ``quarter`` or ``month`` of the
    survey date, or ``arrival_year`` (the cohort); ``date_from`` / ``date_to`` (survey
    dates), ``round``, ``region`` (destination region code), ``sex`` (F/M/U),
    ``structure`` (the case's structure code), ``arrival_year``, ``weight_set`` (default:
    the adopted one). Each row: ``period`` (a round code, ``2019``, ``2019-Q3``,
    ``2019-07``), ``n``, the four mean scores (None when ``n`` < :data:`MIN_CELL`:
    ``suppressed``). Nobody is named; no row is read into Python but the aggregates."""
    group = filters.get("group") or "round"
    rows = _scored(filters)
    if group == "round":
        result = _means(rows.annotate(period=F("survey__round")), ["period"])
        result.sort(key=lambda r: ROUND_ORDER.get(r["period"], 99))
        return result
    if group == "arrival_year":
        rows = rows.annotate(period_year=ExtractYear(_reference_date()))
        return [{**r, "period": str(r.pop("period_year"))} for r in _means(rows, ["period_year"])]
    rows = rows.annotate(period_year=ExtractYear("survey__collected_on"))
    if group == "quarter":
        rows = rows.annotate(period_part=ExtractQuarter("survey__collected_on"))
        return [{**r, "period": f"{r.pop('period_year')}-Q{r.pop('period_part')}"}
                for r in _means(rows, ["period_year", "period_part"])]
    if group == "month":
        rows = rows.annotate(period_part=ExtractMonth("survey__collected_on"))
        return [{**r, "period": f"{r.pop('period_year')}-{r.pop('period_part'):02d}"}
                for r in _means(rows, ["period_year", "period_part"])]
    return [{**r, "period": str(r.pop("period_year"))} for r in _means(rows, ["period_year"])]


@dataclass
class CohortTable:
    by: str
    cohorts: list[str]
    rounds: list[tuple[str, Any]]
    cells: dict[tuple[str, str], dict[str, Any]]
    weight_set: WeightSet | None
    years: list[int]

    def rows(self) -> list[dict[str, Any]]:
        return [{"cohort": cohort, "cells": [self.cells.get((cohort, code)) for code, _label in self.rounds]}
                for cohort in self.cohorts]


def cohorts_for_user(*, user: Any, by: str = "year", score: str = "composite",
                     filters: dict[str, Any] | None = None) -> CohortTable:
    """Mean scores by arrival cohort (year or quarter) and round, with n: aggregates only,
    for the programme, the secretariat, the donor and the statistician (403 otherwise)."""
    if not check(user, "surveys.view_cohorts"):
        raise PermissionDenied
    rows = _scored(filters or {}).annotate(ref=_reference_date())
    rows = rows.annotate(c_year=ExtractYear("ref"), c_round=F("survey__round"))
    keys = ["c_year", "c_round"]
    if by == "quarter":
        rows = rows.annotate(c_part=ExtractQuarter("ref"))
        keys.insert(1, "c_part")
    cells: dict[tuple[str, str], dict[str, Any]] = {}
    cohorts: set[tuple[int, int]] = set()
    for row in _means(rows, keys):
        label = f"{row['c_year']}-Q{row['c_part']}" if by == "quarter" else str(row["c_year"])
        cohorts.add((row["c_year"], row.get("c_part", 0)))
        cells[(label, row["c_round"])] = {**row, "value": row[score] if score in SCORES else row["composite"]}
    ordered = [f"{y}-Q{q}" if by == "quarter" else str(y) for y, q in sorted(cohorts)]
    present = {r for _c, r in cells}
    years = sorted({y for y, _q in cohorts})
    return CohortTable(by=by, cohorts=ordered, rounds=[(c, lbl) for c, lbl in Round.choices if c in present],
                       cells=cells, weight_set=current_weight_set(), years=years)



# --- What is due --------------------------------------------------------------------------

def surveys_due_for_user(*, user: Any, today: Any = None, limit: int = 5) -> dict[str, Any]:
    """Open cases the user follows whose current round (by months since arrival, or since
    the case opened) has no survey yet: a count and the first few, in one or two queries."""
    import datetime as dt

    from django.db.models import Exists, OuterRef, Q
    from django.utils import timezone

    from mboa.cases.selectors import case_list_for_user

    from .models import ROUND_MONTHS

    today = today or timezone.localdate()
    cases = case_list_for_user(user=user, active_only=True).annotate(
        ref=Coalesce(F("arrival_date"), TruncDate("opened_at")))
    months = list(ROUND_MONTHS.items())
    condition = Q(pk__in=[])
    for index, (code, offset) in enumerate(months):
        cases = cases.annotate(**{f"has_{code}": Exists(Survey.objects.filter(case=OuterRef("pk"), round=code))})
        upper = today - dt.timedelta(days=round(offset * 30.44))
        window = Q(ref__lte=upper, **{f"has_{code}": False})
        if index + 1 < len(months):
            window &= Q(ref__gt=today - dt.timedelta(days=round(months[index + 1][1] * 30.44)))
        condition |= window
    due = cases.filter(condition)
    rows = []
    for case in due.order_by("ref")[:limit]:
        current = [code for code, offset in months if case.ref <= today - dt.timedelta(days=round(offset * 30.44))]
        rows.append({"case_id": case.pk, "number": case.number, "round": Round(current[-1]).label if current else ""})
    return {"count": due.count(), "rows": rows}
