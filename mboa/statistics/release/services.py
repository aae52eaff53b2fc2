"""Writes of the release area: the files of an anonymised statistical release (the
command writes them to a directory, the statistician's page gets them as a zip built by a
Celery task), and the request of a release from the page."""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from pathlib import Path
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mboa.core import activity
from mboa.core.conf import setting
from mboa.core.errors import ApplicationError
from mboa.core.permissions import require
from mboa.core.vocabulary import VULNERABILITIES

from . import selectors
from .models import ReleaseStatus, StatisticalRelease
from .suppression import Table, protect

MAX_DAYS = 366 * 10


def threshold() -> int:
    return int(setting("STATISTICS", "SUPPRESSION_THRESHOLD"))


def _check_period(date_from: dt.date, date_to: dt.date) -> None:
    if date_from > date_to:
        raise ApplicationError(_("The period ends before it begins."), field="date_to")
    if (date_to - date_from).days > MAX_DAYS:
        raise ApplicationError(_("A release covers at most ten years."), field="date_from")


def _table_csv(table: Table) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([*table.dims, "n", "flag"])
    for key, n, flag in table.rows():
        writer.writerow([*key, "" if n is None else n, flag])
    return out.getvalue()


def _readme(*, date_from: dt.date, date_to: dt.date, k: int, tables: list[Table], left_out: int) -> str:
    """The README of a release, in English (INS's working language with partners is
    French and English; codes and column names are the same in both)."""
    lines = [
        "Mboa anonymised statistical release",
        "===================================",
        "",
        f"Period: {date_from:%Y-%m-%d} to {date_to:%Y-%m-%d} (inclusive). Generated {timezone.now():%Y-%m-%d %H:%M %Z}.",
        f"Suppression threshold: {k}.",
        "",
        "Aggregated tables (CSV, UTF-8, comma-separated)",
        "-----------------------------------------------",
        "Each table has its dimension columns, then `n` (the count) and `flag`. A value `Total` in a",
        "dimension column marks a margin: the sum over that dimension. Every combination is listed,",
        "zeros included.",
        f"- A cell counting 1 to {k - 1} is suppressed: `n` is empty and `flag` is `c` (confidential).",
        "- Secondary suppression: further cells (margins included) are suppressed so that no suppressed",
        "  cell can be recomputed from the published cells and totals of its rows, columns and layers,",
        "  nor by combining them (checked by solving the table's equations).",
        "- Zeros are published (they identify nobody).",
        "",
        "Units and dates: a returnee is a person on the list of an arrival that took place (in progress",
        "or completed), dated by the arrival; the same person returning twice counts twice. Age is the",
        "age reached in the year of arrival. The region of origin is the region of the place of birth",
        "recorded in the registry (`unknown` when abroad, not recorded, or not yet matched). Cases are",
        "dated by their opening, referrals by their sending, project dossiers by their submission;",
        "statuses are those on the day of the release.",
        "",
    ]
    for table in tables:
        if table.name.startswith("arrivals_month_vulnerability_"):
            continue
        lines += [f"{table.name}.csv", f"  {table.title}. Dimensions: {', '.join(table.dims)}."]
    lines += [
        "arrivals_month_vulnerability.csv",
        "  Returnees by month of arrival, for each vulnerability recorded at arrival: with it (`yes`) or",
        "  not (`no`). Dimensions: vulnerability, month, present. A returnee may have several",
        "  vulnerabilities: the `vulnerability` column has no Total, each vulnerability is a table of its",
        "  own (its `present` Total is every returnee of the month).",
        "",
        "records_returnees.csv",
        "  The record-level extract: one row per returnee, with no name, number, date of birth, town or",
        "  any other direct identifier. Quasi-identifiers are generalised: month of arrival (not the",
        "  day), sex, age group (not the age), region of origin (not the town). Each combination of",
        f"  month, sex, age group and region is shared by at least {k} rows: a rarer combination first",
        "  loses its region (`*`), then its age group (`*`); rows still rarer are left out",
        f"  ({left_out} row(s) left out for this period). Rows are sorted by their values, not by arrival.",
        f"  Columns: {', '.join(selectors.RECORD_COLUMNS)}. `vulnerable`: yes when any vulnerability was",
        "  recorded at arrival. `case_status`: the status of the returnee's case today (`none`: no case).",
        "",
        "Codes",
        "-----",
        "sex: F female, M male, U unknown. age_group: " + ", ".join(selectors.AGE_LABELS) + ".",
        "vulnerability: " + "; ".join(f"{code} ({info.label})" for code, info in VULNERABILITIES.items()) + ".",
        "Regions: " + "; ".join(f"{code} ({name})" for code, name in selectors.regions()) + "; unknown.",
        "",
    ]
    return "\n".join(lines)


def release_files(*, date_from: dt.date, date_to: dt.date, k: int | None = None) -> dict[str, bytes]:
    """Every file of a release by name (tables, record extract, README): bytes in memory
    for the tables (a few hundred rows each); the extract is built as it streams."""
    _check_period(date_from, date_to)
    k = k or threshold()
    tables = [protect(table, k) for table in selectors.release_tables(date_from=date_from, date_to=date_to)]
    files: dict[str, bytes] = {}
    vulnerability = io.StringIO()
    writer = csv.writer(vulnerability, lineterminator="\n")
    writer.writerow(["vulnerability", "month", "present", "n", "flag"])
    for table in tables:
        prefix = "arrivals_month_vulnerability_"
        if table.name.startswith(prefix):
            for key, n, flag in table.rows():
                writer.writerow([table.name[len(prefix):], *key, "" if n is None else n, flag])
        else:
            files[f"{table.name}.csv"] = _table_csv(table).encode()
    files["arrivals_month_vulnerability.csv"] = vulnerability.getvalue().encode()
    rows, left_out = selectors.record_extract(date_from=date_from, date_to=date_to, k=k)
    extract = io.StringIO()
    writer = csv.writer(extract, lineterminator="\n")
    writer.writerow(selectors.RECORD_COLUMNS)
    writer.writerows(rows)
    files["records_returnees.csv"] = extract.getvalue().encode()
    files["README"] = _readme(date_from=date_from, date_to=date_to, k=k, tables=tables, left_out=left_out).encode()
    return files


def release_write(*, date_from: dt.date, date_to: dt.date, out: Path, k: int | None = None) -> list[Path]:
    """Write a release into the directory ``out`` (created if needed). A system job: the
    command runs it for whoever may run commands on the server."""
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name, content in release_files(date_from=date_from, date_to=date_to, k=k).items():
        path = out / name
        path.write_bytes(content)
        written.append(path)
    return written


def release_request(*, by: Any, date_from: dt.date, date_to: dt.date) -> StatisticalRelease:
    """Queue a release for the period (built by ``tasks.build_release`` after commit)."""
    require(by, "statistics.request_release")
    _check_period(date_from, date_to)
    with transaction.atomic():
        release = StatisticalRelease.objects.create(date_from=date_from, date_to=date_to, requested_by=by,
                                                    threshold=threshold())
        activity.record(verb="statistics.release_requested", actor=by, target=release,
                        summary=_("Statistical release requested for %(period)s") % {"period": str(release)})
    from .tasks import build_release

    transaction.on_commit(lambda: build_release.delay(release.pk))
    return release


def release_build(*, release_id: int) -> StatisticalRelease | None:
    """Build the zip of a queued release (idempotent: a release already built is left as is).
    A system job (the Celery task), on behalf of whoever asked for it."""
    release = StatisticalRelease.objects.filter(pk=release_id).first()
    if release is None or release.status == ReleaseStatus.DONE:
        return release
    StatisticalRelease.objects.filter(pk=release_id).update(status=ReleaseStatus.RUNNING)
    try:
        files = release_files(date_from=release.date_from, date_to=release.date_to, k=release.threshold)
    except Exception:
        StatisticalRelease.objects.filter(pk=release_id).update(status=ReleaseStatus.FAILED)
        raise
    buffer = io.BytesIO()
    folder = f"mboa-release-{release.date_from:%Y%m%d}-{release.date_to:%Y%m%d}"
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in files.items():
            archive.writestr(f"{folder}/{name}", content)
    release.archive.save(f"{folder}.zip", ContentFile(buffer.getvalue()), save=False)
    release.status, release.finished_at = ReleaseStatus.DONE, timezone.now()
    release.save(update_fields=["archive", "status", "finished_at", "updated_at"])
    return release

