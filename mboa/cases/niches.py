"""The regional map of promising niches (FNE and MINJEC): edits, XLSX import and the
ranking that orientation shows for a returnee.

Ranking of the niches of the case's destination region (department niches first when
the case's city is a department's chief town) — each niche gets points for:

- a filière among the returnee's declared interests (skills assessment ``interests``): 3
- a filière among their trades (``trades``): 2
- a sector shared with an interest or a trade: 1
- a filière keyword found in their experience abroad (``experience_abroad``): 1
- past projects in the same region and filière, once projects exist: up to 2, i.e.
  ``2 × approval_rate × survival_rate`` when at least ``MIN_PROJECTS`` are known.

Past outcomes come from :func:`past_outcomes`, which asks the providers registered by
higher apps (projects registers one in its ``apps.ready()``: cases does not import it);
each returns ``{code: {"approval_rate": float, "survival_rate": float, "projects": int}}``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from mboa.actors.models import Department, Region
from mboa.core import activity
from mboa.core.conf import setting
from mboa.core.errors import ApplicationError
from mboa.core.permissions import require
from mboa.core.spreadsheets import Problem, SpreadsheetRefused, cell_text, normalise_header, read_table
from mboa.core.validators import note_length, past_date, validate_field

from .assessments import latest_answers
from .models import AssessmentKind, Case, Filiere, Niche

MIN_PROJECTS = 5
NICHE_FIELDS = ("region", "department", "sector", "filiere", "rationale", "investment_min_xaf",
                "investment_max_xaf", "source", "source_date", "is_example")
IMPORT_COLUMNS = ["region", "department", "filiere", "rationale", "investment_min_xaf", "investment_max_xaf",
                  "source", "source_date"]


@dataclass
class Suggestion:
    niche: Niche
    score: float
    reasons: list[str]


OutcomeProvider = Callable[..., dict[str, dict[str, float]]]
_outcome_providers: list[OutcomeProvider] = []


def register_outcome_provider(provider: OutcomeProvider) -> None:
    """A higher app (projects) gives the past outcomes per filière of a region:
    ``provider(region=..., filiere_codes=[...]) -> {code: {"approval_rate", "survival_rate", "projects"}}``.
    Registered in its ``apps.ready()``: cases does not import projects."""
    if provider not in _outcome_providers:
        _outcome_providers.append(provider)


def past_outcomes(*, region: Region, filiere_codes: list[str]) -> dict[str, dict[str, float]]:
    """What the registered providers know of past projects ({} when none is installed)."""
    outcomes: dict[str, dict[str, float]] = {}
    for provider in _outcome_providers:
        outcomes.update(provider(region=region, filiere_codes=filiere_codes))
    return outcomes


def niche_suggestions(
    *, case: Case, limit: int = 5, outcomes: Mapping[str, Mapping[str, float]] | None = None
) -> list[Suggestion]:
    """The niches of the case's destination region, best first (see the module docstring).
    ``outcomes`` overrides :func:`past_outcomes` (tests, simulations)."""
    if case.destination_region_id is None:
        return []
    niches = list(Niche.objects.filter(region_id=case.destination_region_id)
                  .select_related("sector", "filiere", "department", "region"))
    if not niches:
        return []
    skills = latest_answers(case=case, kind=AssessmentKind.SKILLS)
    interests = set(skills.get("interests", []))
    trades = set(skills.get("trades", []))
    experience = str(skills.get("experience_abroad", "")).lower()
    known = {f.code: f.sector_id for f in Filiere.objects.filter(code__in=interests | trades)}
    sectors = set(known.values())
    if outcomes is None:
        outcomes = past_outcomes(region=case.destination_region, filiere_codes=[n.filiere_id for n in niches])
    city = (case.city or "").lower()
    suggestions = []
    for niche in niches:
        score, reasons = 0.0, []
        if niche.filiere_id in interests:
            score += 3
            reasons.append(_("among their interests"))
        if niche.filiere_id in trades:
            score += 2
            reasons.append(_("matches a trade they know"))
        if niche.sector_id in sectors and niche.filiere_id not in interests | trades:
            score += 1
            reasons.append(_("same sector as their skills"))
        keywords = [k.strip().lower() for k in niche.filiere.keywords.split(",") if k.strip()]
        if experience and any(k in experience for k in keywords):
            score += 1
            reasons.append(_("related to their experience abroad"))
        outcome = outcomes.get(niche.filiere_id)
        if outcome and outcome.get("projects", 0) >= MIN_PROJECTS:
            bonus = 2 * float(outcome.get("approval_rate", 0)) * float(outcome.get("survival_rate", 0))
            score += bonus
            reasons.append(_("past projects: %(a)d%% approved, %(s)d%% still running") % {
                "a": round(100 * float(outcome["approval_rate"])), "s": round(100 * float(outcome["survival_rate"]))})
        if niche.department_id and niche.department.capital.lower() == city:
            score += 0.5
            reasons.append(_("in their department"))
        suggestions.append(Suggestion(niche, round(score, 3), reasons))
    suggestions.sort(key=lambda s: (-s.score, s.niche.investment_min_xaf, s.niche.filiere_id))
    return suggestions[:limit]


def _clean(data: Mapping[str, Any], niche: Niche | None = None) -> dict[str, Any]:
    """The fields to write, checked against what the niche will be once written (a partial
    update is checked with the niche's other values)."""
    cleaned = {k: data[k] for k in NICHE_FIELDS if k in data}
    filiere = cleaned.get("filiere")
    if filiere is not None:
        cleaned["sector"] = filiere.sector

    def final(name: str) -> Any:
        return cleaned[name] if name in cleaned else getattr(niche, name, None) if niche is not None else None

    department, region = final("department"), final("region")
    if department is not None and region is not None and department.region_id != region.pk:
        raise ApplicationError(_("The department is not in this region."), field="department")
    low, high = final("investment_min_xaf"), final("investment_max_xaf")
    if low is not None and high is not None and high < low:
        raise ApplicationError(_("The investment range ends below its start."), field="investment_max_xaf")
    if "source_date" in cleaned:
        validate_field(past_date, cleaned["source_date"], field="source_date")
    if "rationale" in cleaned:
        validate_field(note_length, cleaned["rationale"] or "", field="rationale")
    return cleaned


def _check_place_is_free(*, region: Any, department: Any, filiere: Any, niche: Niche | None) -> None:
    """One niche per filière and place (region, or department): the database says so too
    (``niche_unique_*``); checked first so that a clash is a clear refusal, not an error."""
    clash = Niche.objects.filter(region=region, department=department, filiere=filiere)
    if niche is not None:
        clash = clash.exclude(pk=niche.pk)
    if clash.exists():
        raise ApplicationError(_("This filière is already on the map for this place."), field="filiere")


def niche_save(*, by: Any, data: Mapping[str, Any], niche: Niche | None = None) -> Niche:
    """Create or update a niche (FNE/MINJEC editors: ``cases.change_niches``).

    ``data`` may be partial for an update. Refuses (ApplicationError naming the field) a
    filière already on the map for the place, a department outside the region, an
    investment range that ends below its start, an implausible source date."""
    require(by, "cases.change_niches")
    cleaned = _clean(data, niche)
    with transaction.atomic():
        if niche is None:
            _check_place_is_free(region=cleaned["region"], department=cleaned.get("department"),
                                 filiere=cleaned["filiere"], niche=None)
            try:
                with transaction.atomic():  # a concurrent save of the same place: refused alike
                    niche = Niche.objects.create(**cleaned, updated_by=by)
            except IntegrityError:
                raise ApplicationError(_("This filière is already on the map for this place."),
                                       field="filiere") from None
            verb = "niche.create"
        else:
            niche = Niche.objects.select_for_update().get(pk=niche.pk)
            for name, value in cleaned.items():
                setattr(niche, name, value)
            _check_place_is_free(region=niche.region, department=niche.department, filiere=niche.filiere,
                                 niche=niche)
            niche.updated_by = by
            try:
                with transaction.atomic():
                    niche.save()
            except IntegrityError:
                raise ApplicationError(_("This filière is already on the map for this place."),
                                       field="filiere") from None
            verb = "niche.update"
        activity.record(verb=verb, actor=by, target=niche,
                        summary=f"{niche.region.name} · {niche.filiere.name}")
    return niche


def niche_import_xlsx(*, file: Any, by: Any) -> dict[str, int]:
    """Import a niche map from an XLSX (or CSV) sheet (first sheet, a header row with the
    columns ``region, department, filiere, rationale, investment_min_xaf,
    investment_max_xaf, source, source_date``; region/department by code or name, filière
    by code or name). Read with the core spreadsheet toolkit and its limits.

    All or nothing: every row is checked first; any error raises an ApplicationError
    listing each fault as "row N, column X: message" and nothing is written. A row whose
    place and filière are already on the map updates that niche.
    """
    require(by, "cases.change_niches")
    content = file.read() if hasattr(file, "read") else bytes(file)
    try:
        table = read_table(content, getattr(file, "name", "") or "niches.xlsx",
                           max_bytes=setting("CASES", "NICHE_IMPORT_MAX_BYTES"),
                           max_rows=setting("CASES", "NICHE_IMPORT_MAX_ROWS"), what=_("niche"))
    except SpreadsheetRefused as refused:
        raise ApplicationError(refused.message, field="file") from None
    header = [normalise_header(h).replace(" ", "_") for h in table.headers]
    missing = [c for c in IMPORT_COLUMNS if c not in header and c != "department"]
    if missing:
        raise ApplicationError(_("Missing columns: %(cols)s.") % {"cols": ", ".join(missing)}, field="file")
    index = {name: header.index(name) for name in IMPORT_COLUMNS if name in header}
    regions = {**{r.code.lower(): r for r in Region.objects.all()}, **{r.name.lower(): r for r in Region.objects.all()}}
    departments = {}
    for d in Department.objects.all():
        departments[d.code.lower()] = d
        departments[(d.region_id, d.name.lower())] = d
    filieres = {}
    for f in Filiere.objects.select_related("sector"):
        for key in (f.code, f.name_fr, f.name_en):
            filieres[key.lower()] = f
    errors: list[str] = []
    parsed: list[dict[str, Any]] = []
    seen: set[tuple] = set()
    for number, row in table.rows:
        values = {name: cell_text(row[i]) if i < len(row) else "" for name, i in index.items()}
        raw_dates = {name: row[i] for name, i in index.items() if i < len(row)}
        if not any(values.values()):
            continue

        def fault(column: str, message: str, number: int = number) -> None:
            errors.append(str(Problem(number, column, message)))

        record: dict[str, Any] = {}
        region = regions.get(values["region"].lower())
        if region is None:
            fault("region", _("unknown region “%(v)s”") % {"v": values["region"]})
        record["region"] = region
        dep_text = values.get("department", "")
        record["department"] = None
        if dep_text and region is not None:
            department = departments.get(dep_text.lower()) or departments.get((region.pk, dep_text.lower()))
            if department is None or department.region_id != region.pk:
                fault("department", _("unknown department “%(v)s” in this region") % {"v": dep_text})
            record["department"] = department
        filiere = filieres.get(values["filiere"].lower())
        if filiere is None:
            fault("filiere", _("unknown filière “%(v)s”") % {"v": values["filiere"]})
        record["filiere"] = filiere
        if not values["rationale"]:
            fault("rationale", _("empty"))
        record["rationale"] = values["rationale"]
        for column in ("investment_min_xaf", "investment_max_xaf"):
            try:
                amount = int(float(values[column].replace(" ", "").replace("\u202f", "")))
                if amount < 0:
                    raise ValueError
                record[column] = amount
            except ValueError:
                fault(column, _("not an amount in XAF: “%(v)s”") % {"v": values[column]})
        if "investment_min_xaf" in record and "investment_max_xaf" in record and (
                record["investment_max_xaf"] < record["investment_min_xaf"]):
            fault("investment_max_xaf", _("below the minimum"))
        if not values["source"]:
            fault("source", _("empty"))
        record["source"] = values["source"]
        raw_date = raw_dates.get("source_date")
        if isinstance(raw_date, dt.datetime):
            record["source_date"] = raw_date.date()
        elif isinstance(raw_date, dt.date):
            record["source_date"] = raw_date
        else:
            try:
                record["source_date"] = dt.date.fromisoformat(values["source_date"])
            except ValueError:
                fault("source_date", _("not a date (YYYY-MM-DD): “%(v)s”") % {"v": values["source_date"]})
        key = (getattr(region, "pk", None), getattr(record["department"], "pk", None), getattr(filiere, "pk", None))
        if None not in (key[0], key[2]):
            if key in seen:
                fault("filiere", _("this place and filière appear twice in the file"))
            seen.add(key)
        parsed.append(record)
    if errors:
        raise ApplicationError(_("Nothing was imported. Fix these rows: %(errors)s") % {"errors": "; ".join(errors)},
                               field="file", extra={"errors": errors})
    if not parsed:
        raise ApplicationError(_("The sheet has no rows to import."), field="file")
    created = updated = 0
    with transaction.atomic():
        for record in parsed:
            record["sector"] = record["filiere"].sector
            _niche, was_created = Niche.objects.update_or_create(
                region=record["region"], department=record["department"], filiere=record["filiere"],
                defaults={**{k: v for k, v in record.items() if k not in ("region", "department", "filiere")},
                          "updated_by": by, "is_example": False},
            )
            created += was_created
            updated += not was_created
        activity.record(verb="niche.import", actor=by, summary=_("Niche map imported: %(c)d new, %(u)d updated") % {
            "c": created, "u": updated}, data={"created": created, "updated": updated})
    return {"created": created, "updated": updated}
