"""Project survival at N months after installation, from the follow-up visits, by
dimension (sector, filière, region, kind, lead promoter's sex). Counts only: nobody is named.

Definitions (also in docs/followup.md):

- **Installed long enough**: an installed project whose installation date is at least
  ``months`` calendar months before today.
- A visit **counts at** ``months_after`` months: the later of its milestone (the 6-month
  visit) and the months actually elapsed since installation (rounded to the nearest).
- **Surviving at M months**: a visit counting at M months or later found it *running* or
  *struggling*, and no visit counting at M months or earlier found it *stopped* or *sold*.
- **Sold by M months**: a visit up to M months found it sold (the promoters sold the
  business). It is counted apart, not as surviving: the returnee no longer runs it.
- **Stopped by M months**: a visit up to M months found it stopped (and not sold).
- **Unknown**: no visit at M months or later and none that found it stopped or sold
  (visits missed or not made yet). Unknown projects are not counted as surviving.
- **Rate** = surviving / installed long enough (None when nothing was installed long
  enough). ``known`` lets a reader compute the rate among projects followed up.

Every figure is computed by the database (one aggregate query per call, with EXISTS
sub-queries on the visits' ``(dossier, state, months_after)`` index): no row is read into
Python, whatever the number of projects.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.db.models import Count, Exists, F, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mboa.core.spreadsheets import keep_text, safe_cell

from .followup import add_months
from .models import (
    ENDED_STATUSES,
    SURVIVING_STATUSES,
    Dossier,
    DossierKind,
    DossierStatus,
    FollowUpVisit,
    OperatingStatus,
    VisitState,
)

# Dimension -> the dossier column grouped on (the dossier keeps what its approved version says).
DIMENSIONS: dict[str, str] = {
    "sector": "sector_id",
    "filiere": "filiere_id",
    "region": "region_id",
    "kind": "kind",
    "sex": "lead_sex",
}
DIMENSION_LABELS = {
    "sector": _("Sector"),
    "filiere": _("Value chain (filière)"),
    "region": _("Region"),
    "kind": _("Kind of project"),
    "sex": _("Lead promoter's sex"),
    "total": _("All projects"),
}
SEX_LABELS = {"F": _("Female"), "M": _("Male"), "U": _("Unknown"), "": _("Unknown")}
# filters key -> dossier lookup
FILTERS = {"sector": "sector_id", "filiere": "filiere_id", "region": "region_id", "kind": "kind",
           "sex": "lead_sex", "structure": "structure_id", "installed_from": "installed_on__gte",
           "installed_to": "installed_on__lte"}


def _filtered(filters: Mapping[str, Any]):
    qs = Dossier.objects.filter(status=DossierStatus.INSTALLED, installed_on__isnull=False)
    for key, lookup in FILTERS.items():
        value = filters.get(key)
        if value not in (None, ""):
            qs = qs.filter(**{lookup: value})
    unknown = set(filters) - set(FILTERS)
    if unknown:
        raise ValueError(f"unknown survival filters: {sorted(unknown)}")
    return qs


def _labels(by: str, keys: list[Any]) -> dict[Any, str]:
    if by == "sector":
        from mboa.cases.models import Sector

        return {s.pk: s.name for s in Sector.objects.filter(pk__in=keys)}
    if by == "filiere":
        from mboa.cases.models import Filiere

        return {f.pk: f.name for f in Filiere.objects.filter(pk__in=keys)}
    if by == "region":
        from mboa.actors.models import Region

        return dict(Region.objects.filter(pk__in=keys).values_list("code", "name"))
    if by == "kind":
        return {k: str(label) for k, label in DossierKind.choices}
    if by == "sex":
        return {k: str(label) for k, label in SEX_LABELS.items()}
    return {}


def survival_rows(*, months: int, by: str, filters: Mapping[str, Any] | None = None,
                  today: dt.date | None = None) -> list[dict]:
    """Survival at ``months`` months per value of the dimension ``by`` (``sector``,
    ``filiere``, ``region``, ``kind``, ``sex``, or ``total`` for one row), among installed
    projects matching ``filters`` (``sector``, ``filiere``, ``region``, ``kind``, ``sex``,
    ``structure``, ``installed_from``, ``installed_to``).

    Each row: ``{"by", "value", "label", "installed", "surviving", "sold", "stopped",
    "unknown", "known", "rate"}`` — ``installed`` is the number installed long enough,
    ``rate`` = surviving / installed (None when 0). Sorted by label. No user check here:
    callers (the survival page, the statistics dashboards) check their own rule; the
    figures name nobody. Raises ValueError for an unknown dimension or filter."""
    if by != "total" and by not in DIMENSIONS:
        raise ValueError(f"unknown survival dimension: {by}")
    months = int(months)
    today = today or timezone.localdate()
    done = FollowUpVisit.objects.filter(dossier=OuterRef("pk"), state=VisitState.DONE)
    qs = (_filtered(filters or {}).filter(installed_on__lte=add_months(today, -months))
          .alias(found_alive=Exists(done.filter(months_after__gte=months, status__in=SURVIVING_STATUSES)),
                 found_ended=Exists(done.filter(months_after__lte=months, status__in=ENDED_STATUSES)),
                 found_sold=Exists(done.filter(months_after__lte=months, status=OperatingStatus.SOLD)),
                 visited_after=Exists(done.filter(months_after__gte=months))))
    figures = {
        "installed": Count("id"),
        "surviving": Count("id", filter=Q(found_alive=True, found_ended=False)),
        "sold": Count("id", filter=Q(found_sold=True)),
        "stopped": Count("id", filter=Q(found_ended=True, found_sold=False)),
        "known": Count("id", filter=Q(visited_after=True) | Q(found_ended=True)),
    }
    if by == "total":
        grouped = [{"key": "", **qs.aggregate(**figures)}]
    else:
        grouped = list(qs.values(key=F(DIMENSIONS[by])).annotate(**figures).order_by("key"))
    labels = _labels(by, [row["key"] for row in grouped])
    rows = []
    for row in grouped:
        if not row["installed"] and by != "total":
            continue
        key = row.pop("key")
        rows.append({
            "by": by, "value": key if key is not None else "",
            "label": str(DIMENSION_LABELS["total"]) if by == "total" else labels.get(key, key or str(_("Not set"))),
            **row, "unknown": row["installed"] - row["known"],
            "rate": row["surviving"] / row["installed"] if row["installed"] else None,
        })
    return sorted(rows, key=lambda r: str(r["label"])) if by != "total" else rows


def survival_tables(*, months: list[int], filters: Mapping[str, Any] | None = None,
                    today: dt.date | None = None) -> list[dict]:
    """For the page and the download: one table per dimension (and the total), each
    with its rows at every milestone of ``months``: ``[{"by", "label", "rows": [{"label",
    "value", "at": {months: row}, "cells": [row or None, in the order of months]}]}]``."""
    tables = []
    for by in ("total", *DIMENSIONS):
        merged: dict[Any, dict] = {}
        for m in months:
            for row in survival_rows(months=m, by=by, filters=filters, today=today):
                entry = merged.setdefault(row["value"], {"label": row["label"], "value": row["value"], "at": {}})
                entry["at"][m] = row
        for entry in merged.values():  # one cell per milestone, in order (None: nothing installed long enough)
            entry["cells"] = [entry["at"].get(m) for m in months]
        tables.append({"by": by, "label": DIMENSION_LABELS[by],
                       "rows": sorted(merged.values(), key=lambda e: str(e["label"]))})
    return tables


def survival_xlsx(tables: list[dict], months: list[int]) -> bytes:
    """The survival tables as one sheet: a block per dimension, a row per value, and for
    each milestone the counts and the rate. Text cells are never formulas."""
    import io

    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = str(_("Project survival"))[:31]
    header = [str(_("Value"))]
    for m in months:
        header += [str(_("Installed %(m)s+ months ago") % {"m": m}), str(_("Surviving at %(m)s months") % {"m": m}),
                   str(_("Sold")), str(_("Stopped")), str(_("Unknown")), str(_("Rate at %(m)s months") % {"m": m})]
    for table in tables:
        sheet.append([safe_cell(str(table["label"]))])
        sheet.cell(row=sheet.max_row, column=1).font = Font(bold=True)
        sheet.append([safe_cell(h) for h in header])
        for entry in table["rows"]:
            line: list[Any] = [safe_cell(str(entry["label"]))]
            for m in months:
                row = entry["at"].get(m)
                if row is None:
                    line += [0, 0, 0, 0, 0, None]
                else:
                    line += [row["installed"], row["surviving"], row["sold"], row["stopped"], row["unknown"],
                             round(row["rate"], 4) if row["rate"] is not None else None]
            sheet.append(line)
        sheet.append([])
    keep_text(sheet)
    sheet.column_dimensions["A"].width = 36
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
