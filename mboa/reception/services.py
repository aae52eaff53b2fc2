"""Writes of the reception app: arrivals, GTA tasks, manifests, steps, pocket money, hand-over.

Every function is keyword-only, runs in a transaction, checks the rule it needs itself
(``require`` → 403; the lifecycles of arrivals and GTA tasks are checked by the workflow
runner, roles and guard) and records the action on the activity bus. Domain refusals are
:class:`ApplicationError` (a message on the page, 400 on the API). Messages go out after
commit (the outbox).
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mboa.actors.models import Department, FocalPoint, Structure
from mboa.core import activity
from mboa.core.conf import setting
from mboa.core.errors import ApplicationError
from mboa.core.numbering import next_in_sequence
from mboa.core.permissions import check, require
from mboa.core.spreadsheets import SpreadsheetRefused
from mboa.core.validators import NOTE_MAX_LENGTH, plausible_date, validate_field
from mboa.core.vocabulary import Vulnerability, split_health, vulnerability_code
from mboa.core.workflows import transition

from . import imports
from .models import (
    AnalysisState,
    Arrival,
    ArrivalKind,
    ArrivalStatus,
    GtaTask,
    Manifest,
    ManifestStatus,
    MatchStatus,
    MedicalDetail,
    NationalityCheck,
    Passenger,
    PocketMoneyPayment,
    ReceiptKind,
    ReceptionStep,
    StepCode,
    TaskStatus,
    TaskTemplate,
)
from .selectors import active_template
from .workflows import ARRIVAL, GTA_TASK

logger = logging.getLogger(__name__)

ARRIVAL_FIELDS = ("reference", "kind", "departure_country", "entry_point", "entry_point_detail", "flight_number",
                  "expected_at", "expected_people", "pocket_money_eligible", "pocket_money_amount", "notes")


# --- Arrivals and GTA mobilisation -----------------------------------------------------------

def mobilises_gta(*, kind: str, expected_people: int) -> bool:
    """The seed's rule: a charter, or more than GTA_THRESHOLD people, mobilises the GTA."""
    return kind == ArrivalKind.CHARTER or expected_people > setting("RECEPTION", "GTA_THRESHOLD")


def _clean_arrival(data: Mapping[str, Any]) -> dict[str, Any]:
    cleaned = {name: data[name] for name in ARRIVAL_FIELDS if name in data}
    if "expected_people" in cleaned:
        try:
            cleaned["expected_people"] = int(cleaned["expected_people"])
        except (TypeError, ValueError):
            cleaned["expected_people"] = 0
        if cleaned["expected_people"] < 1:
            raise ApplicationError(_("An arrival expects at least one person."), field="expected_people")
    if cleaned.get("expected_at") is not None:
        validate_field(plausible_date, cleaned["expected_at"], field="expected_at")
    if len(cleaned.get("notes") or "") > NOTE_MAX_LENGTH:
        raise ApplicationError(_("The notes are too long (at most %(limit)s characters).") % {
            "limit": NOTE_MAX_LENGTH}, field="notes")
    if "departure_country" in cleaned:
        cleaned["departure_country"] = (cleaned["departure_country"] or "").strip().upper()
        if len(cleaned["departure_country"]) != 2 or not cleaned["departure_country"].isalpha():
            raise ApplicationError(_("Give the country of departure as a two-letter ISO code (LY, NE…)."),
                                   field="departure_country")
    if cleaned.get("entry_point") == "other" and not (cleaned.get("entry_point_detail") or "").strip():
        raise ApplicationError(_("Name the entry point."), field="entry_point_detail")
    if cleaned.get("pocket_money_eligible") and not cleaned.get("pocket_money_amount"):
        cleaned["pocket_money_amount"] = setting("RECEPTION", "POCKET_MONEY_XAF")
    return cleaned


@transaction.atomic
def arrival_create(*, by: Any, data: Mapping[str, Any]) -> Arrival:
    """Create an arrival; when it mobilises the GTA, create its tasks from the active template."""
    require(by, "reception.manage_arrivals")
    cleaned = _clean_arrival(data)
    if Arrival.objects.filter(reference=cleaned.get("reference")).exists():
        raise ApplicationError(_("An arrival with this reference exists already."), field="reference")
    arrival = Arrival(**cleaned, created_by=by if getattr(by, "pk", None) else None)
    arrival.mobilises_gta = mobilises_gta(kind=arrival.kind, expected_people=arrival.expected_people)
    arrival.save()
    activity.record(verb="arrival.created", actor=by, target=arrival, summary=arrival.reference,
                    data={"kind": arrival.kind, "expected_people": arrival.expected_people,
                          "mobilises_gta": arrival.mobilises_gta})
    if arrival.mobilises_gta:
        gta_tasks_create(arrival=arrival, by=by)
    return arrival


@transaction.atomic
def arrival_update(*, arrival: Arrival, by: Any, data: Mapping[str, Any]) -> Arrival:
    """Change an open arrival. A new time moves the due dates of open tasks; an arrival
    that now mobilises the GTA gets its tasks (tasks are never deleted)."""
    require(by, "reception.manage_arrivals", arrival)
    arrival = Arrival.objects.select_for_update().get(pk=arrival.pk)
    if not arrival.is_open:
        raise ApplicationError(_("A completed or cancelled arrival cannot be changed."))
    cleaned = _clean_arrival({**{n: getattr(arrival, n) for n in ARRIVAL_FIELDS}, **data})
    if Arrival.objects.filter(reference=cleaned["reference"]).exclude(pk=arrival.pk).exists():
        raise ApplicationError(_("An arrival with this reference exists already."), field="reference")
    old_time = arrival.expected_at
    changed = [n for n, v in cleaned.items() if getattr(arrival, n) != v]
    for name in changed:
        setattr(arrival, name, cleaned[name])
    arrival.mobilises_gta = mobilises_gta(kind=arrival.kind, expected_people=arrival.expected_people)
    arrival.save()
    if arrival.expected_at != old_time:
        shift = arrival.expected_at - old_time
        for task in GtaTask.objects.filter(arrival=arrival, status=TaskStatus.OPEN):
            task.due_at = task.due_at + shift
            task.save(update_fields=["due_at", "updated_at"])
    if changed:
        activity.record(verb="arrival.updated", actor=by, target=arrival, summary=arrival.reference,
                        data={"fields": changed})
    if arrival.mobilises_gta and not arrival.tasks.exists():
        gta_tasks_create(arrival=arrival, by=by)
    return arrival


def arrival_transition(*, arrival: Arrival, action: str, by: Any, note: str = "") -> Arrival:
    """confirm / start / complete / cancel (see workflows.ARRIVAL)."""
    return transition(arrival, ARRIVAL, action, by=by, note=note)


@transaction.atomic
def gta_tasks_create(*, arrival: Arrival, by: Any, template: TaskTemplate | None = None) -> list[GtaTask]:
    """One task per template item and responsible structure, due relative to the arrival
    time. Idempotent: tasks that exist already are kept as they are."""
    require(by, "reception.manage_arrivals", arrival)
    template = template or active_template()
    if template is None:
        logger.warning("No active GTA task template: arrival %s has no tasks", arrival.reference)
        return []
    existing = set(GtaTask.objects.filter(arrival=arrival).values_list("code", "structure_id"))
    tasks = []
    for item in template.items.prefetch_related("responsible"):
        if item.charter_only and arrival.kind != ArrivalKind.CHARTER:
            continue
        for structure in item.responsible.all():
            if (item.code, structure.pk) in existing:
                continue
            tasks.append(GtaTask(
                arrival=arrival, template_item=item, code=item.code, order=item.order, title_fr=item.title_fr,
                title_en=item.title_en, structure=structure,
                due_at=arrival.expected_at + dt.timedelta(hours=item.due_offset_hours),
            ))
    GtaTask.objects.bulk_create(tasks)
    if tasks:
        activity.record(verb="arrival.gta_mobilised", actor=by, target=arrival, summary=arrival.reference,
                        data={"tasks": len(tasks), "template": template.name})
    return tasks


def gta_task_complete(*, task: GtaTask, by: Any, comment: str = "") -> GtaTask:
    """Mark the structure's task done, with an optional comment. Only its own structure."""
    return transition(task, GTA_TASK, "complete", by=by, note=comment, subject=task.arrival,
                      changes={"done_by": by, "comment": comment[:500]})


def gta_task_reopen(*, task: GtaTask, by: Any, note: str = "") -> GtaTask:
    return transition(task, GTA_TASK, "reopen", by=by, note=note, subject=task.arrival,
                      changes={"done_by": None, "done_at": None})


# --- Manifest import -------------------------------------------------------------------------

@dataclass
class ImportReport:
    """What a manifest check or import found: ``problems`` empty means it was (or can be) imported."""

    file_name: str
    file_type: str = ""
    encoding: str = ""
    separator: str = ""
    headers: list[str] = field(default_factory=list)
    mapping: dict[str, str] = field(default_factory=dict)
    rows: int = 0
    problems: list[imports.Problem] = field(default_factory=list)
    imported: int = 0
    possible_matches: int = 0
    probable_matches: int = 0
    dry_run: bool = False
    already_imported: bool = False
    manifest_id: int | None = None
    # Seconds spent reading and validating, in the registry's matcher, and writing.
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def needs_mapping(self) -> bool:
        return any(p.row == 1 for p in self.problems)

    def as_dict(self) -> dict[str, Any]:
        return {
            "file_name": self.file_name, "file_type": self.file_type, "encoding": self.encoding,
            "separator": self.separator, "headers": self.headers, "mapping": self.mapping, "rows": self.rows,
            "ok": self.ok, "problems": [p.as_dict() for p in self.problems],
            "messages": [str(p) for p in self.problems], "imported": self.imported,
            "possible_matches": self.possible_matches, "probable_matches": self.probable_matches,
            "dry_run": self.dry_run, "already_imported": self.already_imported, "manifest": self.manifest_id,
        }


def _existing_keys(arrival: Arrival) -> dict[tuple, int]:
    rows = Passenger.objects.filter(arrival=arrival).values_list(
        "family_name", "given_names", "birth_year", "birth_month", "birth_day", "number")
    return {imports.identity_key(*row[:5]): row[5] for row in rows}


def manifest_size_problem(*, file_name: str, size: int) -> str:
    """Why a file of ``size`` bytes is refused before it is read ("" when it is not)."""
    limit = setting("RECEPTION", "MANIFEST_MAX_BYTES")
    if size <= limit:
        return ""
    return _("%(name)s: the file is %(size)s MB; the limit is %(limit)s MB.") % {
        "name": file_name, "size": round(size / 1024 / 1024, 1), "limit": round(limit / 1024 / 1024, 1)}


def _stored_table(table: imports.Table) -> dict[str, Any]:
    """A table as stored on a draft (JSON): dates become ``YYYY-MM-DD`` (which the date
    parser reads), other cells stay numbers or text."""
    def cell(value: Any) -> Any:
        if isinstance(value, dt.datetime):
            return value.date().isoformat()
        if isinstance(value, dt.date | dt.time):
            return value.isoformat()
        if value is None or isinstance(value, bool):
            return "" if value is None else str(value)
        return value if isinstance(value, int | float | str) else str(value)

    return {"file_type": table.file_type, "encoding": table.encoding, "separator": table.separator,
            "headers": table.headers, "rows": [[number, [cell(c) for c in cells]] for number, cells in table.rows],
            "refused": ""}


def _table_of(stored: Mapping[str, Any]) -> imports.Table:
    return imports.Table(headers=list(stored.get("headers", [])),
                         rows=[(int(number), list(cells)) for number, cells in stored.get("rows", [])],
                         file_type=stored.get("file_type", ""), encoding=stored.get("encoding", ""),
                         separator=stored.get("separator", ""))


def _read(content: bytes, file_name: str) -> dict[str, Any]:
    """Read a manifest's bytes once (the limits of core.spreadsheets): the table to store."""
    try:
        return _stored_table(imports.read_table(content, file_name,
                                                max_bytes=setting("RECEPTION", "MANIFEST_MAX_BYTES"),
                                                max_rows=setting("RECEPTION", "MANIFEST_MAX_ROWS")))
    except SpreadsheetRefused as refused:
        return {"refused": refused.message}


def manifest_check_table(*, arrival: Arrival, stored: Mapping[str, Any], file_name: str,
                         mapping: Mapping[str, str] | None = None) -> tuple[ImportReport, list[dict[str, Any]]]:
    """Validate a table read before (``_read``) without writing anything: (report, clean rows).
    Cheap: no file is read, only the cells (at most MANIFEST_MAX_ROWS rows)."""
    report = ImportReport(file_name=file_name)
    if stored.get("refused") or "headers" not in stored:
        report.problems.append(imports.Problem(None, "", stored.get("refused") or _("The file was not read.")))
        return report, []
    table = _table_of(stored)
    report.file_type, report.encoding, report.separator = table.file_type, table.encoding, table.separator
    report.headers, report.rows = table.headers, len(table.rows)
    proposed = imports.propose_mapping(table.headers)
    if mapping:
        proposed.update({str(k): v for k, v in mapping.items() if str(k) in proposed})
    report.mapping = proposed
    validated = imports.validate(table, proposed, existing_keys=_existing_keys(arrival))
    report.problems = validated.problems
    return report, validated.rows


def manifest_check(*, arrival: Arrival, content: bytes, file_name: str,
                   mapping: Mapping[str, str] | None = None) -> tuple[ImportReport, list[dict[str, Any]]]:
    """Read and validate a manifest without writing anything: (report, clean rows). Reads
    the file: for commands and tasks, never for a request (drafts are read by a task)."""
    return manifest_check_table(arrival=arrival, stored=_read(content, file_name), file_name=file_name,
                                mapping=mapping)


def _match_candidates(rows: Sequence[dict[str, Any]]) -> list[list[Any]]:
    """The registry's matcher over the whole list at once (a constant number of queries)."""
    from mboa.registry.matching import match_batch

    candidates = []
    for row in rows:
        candidate = {k: row.get(k) for k in ("family_name", "given_names", "sex", "birth_year", "birth_month",
                                              "birth_day", "nationality", "document_number", "phone")}
        candidate["place_of_birth"] = row.get("place_of_birth", "")
        candidates.append({k: v for k, v in candidate.items() if v not in (None, "")})
    return match_batch(candidates, limit=3)


def manifest_import(*, arrival: Arrival, by: Any, content: bytes, file_name: str,
                    mapping: Mapping[str, str] | None = None, dry_run: bool = False) -> ImportReport:
    """Read, validate and import a manifest file in one go (the command line and the demo;
    a request uploads a draft, read by a task, and imports it with :func:`manifest_import_draft`).
    See :func:`_import` for the rules."""
    require(by, "reception.manage_arrivals", arrival)
    if not arrival.is_open:
        raise ApplicationError(_("This arrival is closed: its list can no longer change."))
    return _import(arrival=arrival, by=by, stored=_read(content, file_name), file_name=file_name, mapping=mapping,
                   dry_run=dry_run, content=content)


def manifest_import_draft(*, manifest: Manifest, by: Any, mapping: Mapping[str, str] | None = None,
                          dry_run: bool = False) -> ImportReport:
    """Import a draft from the table its analysis stored (the file is not read again).
    Submitting a draft that was imported already (twice, or two tabs) answers
    ``already_imported`` and writes nothing."""
    require(by, "reception.manage_arrivals", manifest.arrival)
    if Manifest.objects.filter(pk=manifest.pk, status=ManifestStatus.IMPORTED).exists():  # not the copy in hand
        return _already_imported(Manifest.objects.defer("content").get(pk=manifest.pk))
    if not manifest.arrival.is_open:
        raise ApplicationError(_("This arrival is closed: its list can no longer change."))
    if manifest.analysis_state != AnalysisState.DONE:
        raise ApplicationError(_("The list is still being analysed: try again in a moment."))
    return _import(arrival=manifest.arrival, by=by, stored=manifest.table, file_name=manifest.file_name,
                   mapping=mapping if mapping is not None else manifest.mapping, dry_run=dry_run, manifest=manifest)


def _already_imported(manifest: Manifest) -> ImportReport:
    report = ImportReport(file_name=manifest.file_name, already_imported=True, manifest_id=manifest.pk,
                          imported=0, rows=manifest.rows_imported)
    report.mapping = dict(manifest.mapping)
    return report


def _import(*, arrival: Arrival, by: Any, stored: Mapping[str, Any], file_name: str,
            mapping: Mapping[str, str] | None, dry_run: bool, manifest: Manifest | None = None,
            content: bytes = b"") -> ImportReport:
    """Validate the whole list, then import it all or nothing.

    Every row is checked first; any problem refuses the whole list and nothing is
    written (the report lists each as row / column / what). A clean list becomes one
    :class:`Passenger` per row, numbered after those already on the arrival, each checked
    against the registry (``match_batch``) and flagged for review when an earlier record
    may exist. ``dry_run`` validates and matches but writes nothing.

    One import per arrival at a time: the write locks the arrival's row (and the draft's),
    then checks again, under the lock, that the draft was not imported meanwhile and that
    nobody on the list was listed meanwhile (two drafts of one file); the unique identity
    key per arrival (``passenger_identity_once_per_arrival``) is the last guard.
    """
    started = time.perf_counter()
    report, rows = manifest_check_table(arrival=arrival, stored=stored, file_name=file_name, mapping=mapping)
    report.dry_run = dry_run
    report.timings["read_validate_s"] = time.perf_counter() - started
    if not report.ok:
        return report
    started = time.perf_counter()
    matches = _match_candidates(rows)
    report.timings["match_s"] = time.perf_counter() - started
    report.possible_matches = sum(1 for m in matches if m)
    report.probable_matches = sum(1 for m in matches if m and m[0].is_probable)
    if dry_run:
        return report
    started = time.perf_counter()
    try:
        with transaction.atomic():
            arrival = Arrival.objects.select_for_update().get(pk=arrival.pk)
            if manifest is not None:
                manifest = Manifest.objects.select_for_update().get(pk=manifest.pk)
                if manifest.status == ManifestStatus.IMPORTED:
                    return _already_imported(manifest)
            listed = _existing_keys(arrival)
            again = [row for row in rows if imports.identity_key(
                row.get("family_name", ""), row.get("given_names", ""), row.get("birth_year"),
                row.get("birth_month"), row.get("birth_day")) in listed]
            if again:
                report.problems = [imports.Problem(row["source_row"], "", _(
                    "already on this arrival's list (imported meanwhile)")) for row in again]
                return report
            start = next_in_sequence(Passenger.objects.filter(arrival=arrival)) - 1  # numbered after those listed
            if manifest is None:
                manifest = Manifest(arrival=arrival, file_name=file_name[:200], content=content,
                                    uploaded_by=by if getattr(by, "pk", None) else None,
                                    analysis_state=AnalysisState.DONE, table=dict(stored),
                                    analysed_at=timezone.now())
            manifest.mapping = report.mapping
            manifest.status = ManifestStatus.IMPORTED
            manifest.rows_imported = len(rows)
            manifest.possible_matches = report.possible_matches
            manifest.imported_at = timezone.now()
            manifest.problems = []
            manifest.save()
            passengers = []
            for offset, (row, found) in enumerate(zip(rows, matches, strict=True), start=1):
                status = MatchStatus.NONE
                if found:
                    status = MatchStatus.PROBABLE if found[0].is_probable else MatchStatus.POSSIBLE
                passengers.append(Passenger(
                    arrival=arrival, manifest=manifest, number=start + offset,
                    **{k: v for k, v in row.items() if k != "source_row"}, source_row=row["source_row"],
                    search_text=search_text_for(row, start + offset),
                    identity_key=imports.identity_text(imports.identity_key(
                        row.get("family_name", ""), row.get("given_names", ""), row.get("birth_year"),
                        row.get("birth_month"), row.get("birth_day"))),
                    match_status=status,
                    match_candidates=[{"person_id": m.person_id, "score": round(m.score, 3),
                                       "probable": m.is_probable} for m in found],
                ))
            Passenger.objects.bulk_create(passengers, batch_size=500)
            activity.record(verb="arrival.manifest_imported", actor=by, target=manifest, subject=arrival,
                            summary=f"{arrival.reference}: {len(rows)}",
                            data={"rows": len(rows), "possible_matches": report.possible_matches,
                                  "file": file_name[:200]})
    except IntegrityError:
        # Another import wrote the same people between our check and our write (a database
        # without row locks): nothing of this one was written.
        raise ApplicationError(_("Another import of this list ran at the same time: nothing was imported "
                                 "twice. Open the arrival's list to see who is on it.")) from None
    report.imported = len(rows)
    report.manifest_id = manifest.pk
    report.timings["write_s"] = time.perf_counter() - started
    return report


@transaction.atomic
def manifest_upload(*, arrival: Arrival, by: Any, content: bytes, file_name: str) -> Manifest:
    """Keep an uploaded file as a draft; its analysis (reading the file) is queued after
    commit, as a Celery task: the request that uploads never parses it."""
    require(by, "reception.manage_arrivals", arrival)
    too_large = manifest_size_problem(file_name=file_name, size=len(content))
    if too_large:
        raise ApplicationError(too_large, field="file")
    manifest = Manifest.objects.create(arrival=arrival, file_name=file_name[:200], content=content,
                                       uploaded_by=by if getattr(by, "pk", None) else None)
    transaction.on_commit(lambda: manifest_analysis_queue(manifest=manifest))
    return manifest


def manifest_analysis_queue(*, manifest: Manifest) -> None:
    """Queue the analysis of a draft that waits for it (idempotent: the task claims the
    draft, a second one finds it taken). Eager in development and tests."""
    if manifest.analysis_state != AnalysisState.PENDING:
        return
    from .tasks import manifest_analyse

    manifest_analyse.delay(manifest.pk)
    manifest.refresh_from_db(fields=["analysis_state", "table", "problems", "mapping", "analysed_at"])


def manifest_analyse(*, manifest_id: int) -> str:
    """Read a draft's file once and store what was found: the table (or why the file is
    refused) and the check with its mapping. A system job (the task), no user: the upload
    checked the rule. Claims the draft (pending → running) under a lock first, so that two
    tasks never read one file; returns the state it leaves the draft in."""
    with transaction.atomic():
        manifest = Manifest.objects.select_for_update().filter(pk=manifest_id).first()
        if manifest is None or manifest.analysis_state != AnalysisState.PENDING:
            return manifest.analysis_state if manifest is not None else ""
        manifest.analysis_state = AnalysisState.RUNNING
        manifest.save(update_fields=["analysis_state", "updated_at"])
    try:
        stored = _read(bytes(manifest.content), manifest.file_name)
        report, _rows = manifest_check_table(arrival=manifest.arrival, stored=stored, file_name=manifest.file_name,
                                             mapping=manifest.mapping)
    except Exception:
        logger.exception("Manifest %s: analysis failed", manifest_id)
        Manifest.objects.filter(pk=manifest_id).update(analysis_state=AnalysisState.FAILED, analysed_at=timezone.now())
        return AnalysisState.FAILED
    Manifest.objects.filter(pk=manifest_id).update(
        table=stored, mapping=report.mapping, problems=[p.as_dict() for p in report.problems],
        analysis_state=AnalysisState.DONE, analysed_at=timezone.now(), updated_at=timezone.now())
    return AnalysisState.DONE


def manifest_report(*, manifest: Manifest) -> ImportReport:
    """The stored result of a draft's analysis, as a report (nothing is read or checked)."""
    report = ImportReport(file_name=manifest.file_name, manifest_id=manifest.pk, mapping=dict(manifest.mapping))
    table = manifest.table or {}
    report.file_type, report.encoding = table.get("file_type", ""), table.get("encoding", "")
    report.separator, report.headers = table.get("separator", ""), list(table.get("headers", []))
    report.rows = len(table.get("rows", []))
    report.problems = [imports.Problem(p.get("row"), p.get("column", ""), p.get("message", ""))
                       for p in manifest.problems]
    return report


@transaction.atomic
def manifest_mapping_save(*, manifest: Manifest, by: Any, mapping: Mapping[str, str]) -> ImportReport:
    """Check an analysed draft again with the column mapping chosen on the review page
    (from its stored table: the file is not read again), and keep that mapping and the
    problems found for the import. Returns the check's report."""
    require(by, "reception.manage_arrivals", manifest.arrival)
    if manifest.analysis_state != AnalysisState.DONE:
        raise ApplicationError(_("The list is still being analysed: try again in a moment."))
    report, _rows = manifest_check_table(arrival=manifest.arrival, stored=manifest.table,
                                         file_name=manifest.file_name, mapping=mapping)
    manifest.mapping = report.mapping
    manifest.problems = [p.as_dict() for p in report.problems]
    manifest.save(update_fields=["mapping", "problems", "updated_at"])
    report.manifest_id = manifest.pk
    return report


def search_text_for(row: Mapping[str, Any], number: int) -> str:
    parts = [str(number), row.get("family_name", ""), row.get("given_names", ""), row.get("document_number", "")]
    return imports.normalise_header(" ".join(p for p in parts if p))[:400]


# --- Identity review -------------------------------------------------------------------------

@transaction.atomic
def passenger_link_person(*, passenger: Passenger, by: Any, person_id: int | None) -> Passenger:
    """Link a returnee to an earlier registry record (``person_id``), or confirm that
    none of the candidates is them (``None``: a new person is registered at hand-over)."""
    require(by, "reception.manage_arrivals", passenger.arrival)
    from mboa.registry.services import person_survivor

    passenger = Passenger.objects.select_for_update().get(pk=passenger.pk)
    if passenger.handed_over_at:
        raise ApplicationError(_("This returnee was handed over already."))
    if person_id is None:
        passenger.person = None
        passenger.match_status = MatchStatus.NEW
    else:
        person = person_survivor(person_id)
        if person is None:
            raise ApplicationError(_("No such registry record."), field="person")
        passenger.person = person
        passenger.match_status = MatchStatus.LINKED
    passenger.save(update_fields=["person", "match_status", "updated_at"])
    activity.record(verb="arrival.identity_decided", actor=by, target=passenger, subject=passenger.arrival,
                    summary=passenger.full_name, data={"person": person_id}, sensitive=True)
    return passenger


# --- Reception steps -------------------------------------------------------------------------

def _lock_open_passenger(passenger: Passenger) -> Passenger:
    locked = Passenger.objects.select_for_update().select_related("arrival").get(pk=passenger.pk)
    if locked.arrival.status in (ArrivalStatus.CANCELLED,):
        raise ApplicationError(_("This arrival was cancelled."))
    return locked


@transaction.atomic
def step_record(*, passenger: Passenger, step: str, by: Any, data: Mapping[str, Any] | None = None) -> ReceptionStep:
    """Tick a returnee through a step (idempotent: ticking again updates the same record).

    ``data`` per step: police ``nationality_check`` (verified / doubtful / refused);
    medical ``needs_follow_up`` (bool) and, for health staff, ``findings``,
    ``vaccinations``, ``hospital_referral``; accommodation ``hotel``, ``nights``; onward
    travel ``destination_town``, ``destination_department`` (code); any step ``note``.
    Pocket money goes through :func:`pocket_money_pay`.
    """
    data = dict(data or {})
    if step not in StepCode.values:
        raise ApplicationError(_("Unknown step “%(step)s”.") % {"step": step}, field="step")
    if step == StepCode.POCKET_MONEY:
        raise ApplicationError(_("Pocket money is recorded with its receipt."), field="step")
    require(by, "reception.record_step", step)
    passenger = _lock_open_passenger(passenger)
    values: dict[str, Any] = {"note": str(data.get("note", ""))[:300]}
    if step == StepCode.POLICE:
        check_value = data.get("nationality_check") or ""
        if check_value not in NationalityCheck.values:
            raise ApplicationError(_("Choose verified, doubtful or refused."), field="nationality_check")
        values["nationality_check"] = check_value
    elif step == StepCode.MEDICAL:
        follow_up = data.get("needs_follow_up")
        if follow_up in (None, ""):
            raise ApplicationError(_("Say whether the person needs medical follow-up."), field="needs_follow_up")
        values["needs_follow_up"] = follow_up in (True, "1", "true", "yes", "on")
    elif step == StepCode.ACCOMMODATION:
        values["hotel"] = str(data.get("hotel", "")).strip()[:120]
        try:
            values["nights"] = int(data.get("nights") or 1)
        except (TypeError, ValueError):
            raise ApplicationError(_("Nights must be a number."), field="nights") from None
        if not values["hotel"]:
            raise ApplicationError(_("Name the hotel."), field="hotel")
        if not 0 < values["nights"] <= 60:
            raise ApplicationError(_("Nights must be between 1 and 60."), field="nights")
    elif step == StepCode.ONWARD_TRAVEL:
        values["destination_town"] = str(data.get("destination_town", "")).strip()[:120]
        code = str(data.get("destination_department") or "").strip().upper()
        values["destination_department"] = Department.objects.filter(pk=code).first() if code else None
        if code and values["destination_department"] is None:
            raise ApplicationError(_("Unknown department “%(code)s”.") % {"code": code}, field="destination_department")
        if not values["destination_town"]:
            raise ApplicationError(_("Give the destination town."), field="destination_town")
    record, created = ReceptionStep.objects.update_or_create(
        passenger=passenger, step=step,
        defaults={**values, "done_by": by, "done_by_structure": getattr(by, "structure", None),
                  "done_at": timezone.now()},
    )
    if step == StepCode.MEDICAL and any(data.get(k) for k in ("findings", "vaccinations", "hospital_referral")):
        if not check(by, "reception.view_medical"):
            raise ApplicationError(_("Only health staff record medical details."), field="findings")
        MedicalDetail.objects.update_or_create(passenger=passenger, defaults={
            "findings": str(data.get("findings", "")), "vaccinations": str(data.get("vaccinations", ""))[:300],
            "hospital_referral": data.get("hospital_referral") in (True, "1", "true", "yes", "on"),
            "recorded_by": by})
    activity.record(verb=f"reception.step.{step}", actor=by, target=record, subject=passenger.arrival,
                    summary=f"{passenger.number}", data={"created": created, "passenger": passenger.pk},
                    sensitive=step in (StepCode.MEDICAL, StepCode.POLICE))
    return record


@transaction.atomic
def step_undo(*, passenger: Passenger, step: str, by: Any) -> None:
    """Untick a step done by mistake (pocket money cannot be unticked: it was paid)."""
    require(by, "reception.record_step", step)
    if step == StepCode.POCKET_MONEY:
        raise ApplicationError(_("A payment cannot be undone here; record a correction with IOM finance."))
    passenger = _lock_open_passenger(passenger)
    deleted, _detail = ReceptionStep.objects.filter(passenger=passenger, step=step).delete()
    if deleted:
        activity.record(verb=f"reception.step_undone.{step}", actor=by, target=passenger, subject=passenger.arrival,
                        summary=f"{passenger.number}")


@transaction.atomic
def pocket_money_pay(*, passenger: Passenger, by: Any, receipt: str, amount: int | None = None) -> PocketMoneyPayment:
    """Pay the arrival's pocket money to an eligible returnee, once.

    Locks the returnee's row, refuses a second payment for the same arrival (also when
    the same person is listed twice), and relies on the database constraints as the last
    guard against two desks paying at the same moment.
    """
    require(by, "reception.record_step", StepCode.POCKET_MONEY)
    passenger = _lock_open_passenger(passenger)
    arrival = passenger.arrival
    if not arrival.pocket_money_eligible:
        raise ApplicationError(_("This arrival does not give pocket money."))
    if receipt not in ReceiptKind.values:
        raise ApplicationError(_("The receipt must be signed or thumbprinted."), field="receipt")
    already = PocketMoneyPayment.objects.filter(passenger=passenger).first()
    if already is None and passenger.person_id:
        already = PocketMoneyPayment.objects.filter(arrival=arrival, person_id=passenger.person_id).first()
    if already is not None:
        raise ApplicationError(
            _("Already paid on %(date)s (%(amount)s XAF): a returnee is paid once per arrival.") % {
                "date": timezone.localtime(already.paid_at).strftime("%d/%m/%Y %H:%M"), "amount": already.amount},
            field="receipt")
    amount = int(amount or arrival.pocket_money_amount)
    if amount <= 0:
        raise ApplicationError(_("The amount must be positive."), field="amount")
    try:
        with transaction.atomic():
            payment = PocketMoneyPayment.objects.create(passenger=passenger, arrival=arrival, person=passenger.person,
                                                        amount=amount, receipt=receipt, paid_by=by)
    except IntegrityError:
        raise ApplicationError(_("Already paid: a returnee is paid once per arrival.")) from None
    ReceptionStep.objects.update_or_create(passenger=passenger, step=StepCode.POCKET_MONEY, defaults={
        "done_by": by, "done_by_structure": getattr(by, "structure", None), "done_at": payment.paid_at,
        "note": receipt})
    activity.record(verb="reception.pocket_money_paid", actor=by, target=payment, subject=arrival,
                    summary=f"{passenger.number}: {amount} XAF", data={"amount": amount, "receipt": receipt})
    return payment


def step_tick(*, passenger: Passenger, step: str, by: Any, data: Mapping[str, Any] | None = None,
              undo: bool = False) -> ReceptionStep | None:
    """A tick at a station (page or API): record the step (pocket money: pay it, with the
    ``receipt`` of ``data``), or untick it with ``undo``. Returns the step's record (None
    when unticked)."""
    data = data or {}
    if undo:
        step_undo(passenger=passenger, step=step, by=by)
        return None
    if step == StepCode.POCKET_MONEY:
        pocket_money_pay(passenger=passenger, by=by, receipt=str(data.get("receipt") or ""))
        return ReceptionStep.objects.get(passenger=passenger, step=step)
    return step_record(passenger=passenger, step=step, by=by, data=data)


# --- Vulnerability ---------------------------------------------------------------------------

@transaction.atomic
def passenger_set_vulnerabilities(*, passenger: Passenger, by: Any, flags: Sequence[str], urgent: bool = False,
                                  note: str = "") -> Passenger:
    """Record the vulnerability flags seen at arrival (codes of the shared vocabulary; a
    former code is read as today's). Raising the urgency flag tells the health structures'
    focal points at once (outbox, after commit) and asks for the urgent referral.

    Health codes are read by health staff only (policy ``reception_health``): anyone who
    flags may add one (a desk sees that someone needs care), but only health staff, who
    see them, remove one; the health codes a user does not see are kept as they are."""
    require(by, "reception.flag_vulnerability", passenger)
    codes = {vulnerability_code(code) for code in flags}  # a code of before the shared vocabulary is read as today's
    unknown = sorted(codes - set(Vulnerability.values))
    if unknown:
        raise ApplicationError(_("Unknown vulnerability: %(codes)s.") % {"codes": ", ".join(unknown)}, field="flags")
    passenger = _lock_open_passenger(passenger)
    if not check(by, "reception.view_medical"):
        codes |= set(split_health(passenger.vulnerabilities)[1])
    was_urgent = passenger.urgent
    passenger.vulnerabilities = [code for code in Vulnerability.values if code in codes]
    passenger.urgent = bool(urgent)
    if passenger.urgent and not was_urgent:
        passenger.urgent_at = timezone.now()
    passenger.save(update_fields=["vulnerabilities", "urgent", "urgent_at", "updated_at"])
    activity.record(verb="reception.vulnerability", actor=by, target=passenger, subject=passenger.arrival,
                    summary=f"{passenger.number}", data={"flags": passenger.vulnerabilities, "urgent": passenger.urgent},
                    sensitive=True)
    if passenger.urgent and not was_urgent:
        _urgent_alert(passenger=passenger, by=by, note=note)
    return passenger


def _urgent_alert(*, passenger: Passenger, by: Any, note: str) -> None:
    arrival = passenger.arrival
    activity.record(verb="reception.urgent", actor=by, target=passenger, subject=arrival,
                    summary=_("Urgent case at arrival %(reference)s, no. %(number)s") % {
                        "reference": arrival.reference, "number": passenger.number},
                    data={"flags": passenger.vulnerabilities, "passenger": passenger.pk})
    recipients = list(FocalPoint.objects.active().filter(
        structure__code__in=setting("RECEPTION", "URGENT_NOTIFY_STRUCTURES")).select_related("user"))
    from mboa.notifications.services import notify

    if recipients:
        # No name in the message: it goes out by SMS/e-mail; the details are in Mboa.
        notify(recipients=recipients,
               subject=_("Urgent: returnee needs medical attention at %(place)s") % {"place": arrival.entry_point_label},
               body=_("Arrival %(reference)s, returnee no. %(number)s is flagged urgent (%(flags)s). %(note)s "
                      "Open Mboa for the details.") % {
                   "reference": arrival.reference, "number": passenger.number,
                   "flags": ", ".join(passenger.vulnerability_labels), "note": note[:200]},
               idempotency_key=f"reception-urgent-{passenger.pk}-{int(passenger.urgent_at.timestamp())}",
               related=passenger)
    _urgent_referral(passenger=passenger, by=by)


def _urgent_referral(*, passenger: Passenger, by: Any) -> Any:
    """The urgent medical referral of a returnee flagged urgent (whatever the flags: the
    urgency is the desk's call), through ``mboa.referrals.services.referral_create_urgent``.

    The referral needs the returnee's case, so before hand-over it does nothing (the
    urgent activity and the health focal points' notification stand in) and hand-over
    calls it again once the case is open. Called by writes that checked their rule.
    """
    from mboa.referrals.services import referral_create_urgent

    return referral_create_urgent(person=passenger.person, by=by, flags=", ".join(passenger.vulnerability_labels),
                  source=passenger, case=passenger.case)


# --- Hand-over -------------------------------------------------------------------------------

def _person_data(passenger: Passenger) -> dict[str, Any]:
    return {
        "family_name": passenger.family_name, "given_names": passenger.given_names, "sex": passenger.sex,
        "birth_year": passenger.birth_year, "birth_month": passenger.birth_month, "birth_day": passenger.birth_day,
        "place_of_birth_text": passenger.place_of_birth, "nationality": passenger.nationality or "CM",
    }


def _declared_not_them(passenger: Passenger) -> list[int]:
    """The earlier records the matcher proposed and reception declared not to be this
    returnee ("none of them: a new person")."""
    if passenger.match_status != MatchStatus.NEW:
        return []
    return [candidate["person_id"] for candidate in passenger.match_candidates]


def _case_open(passenger: Passenger, by: Any) -> Any:
    """Open the returnee's case for orientation (``mboa.cases.services.case_open``)."""
    from mboa.cases.services import case_open

    travel = passenger.steps.filter(step=StepCode.ONWARD_TRAVEL).first()
    city = travel.destination_town if travel else passenger.arrival.city
    # The vulnerability remarks stay at reception: they are health data (policy
    # reception_health) and a case note is read by its counsellors.
    return case_open(person=passenger.person, by=by, city=city, arrival_reference=passenger.arrival.reference)


@dataclass
class HandOverResult:
    handed_over: int = 0
    skipped_review: list[int] = field(default_factory=list)
    skipped_unregistered: list[int] = field(default_factory=list)
    cases_opened: int = 0


def passenger_hand_over(*, passenger: Passenger, by: Any) -> Passenger:
    """Give a returnee a registry record (the linked one, or a new one) and an open case
    for orientation. Refused while an earlier record may be theirs and nobody decided.

    A new record carries reception's identity decision to the registry: the earlier
    records declared not to be the returnee are recorded as "different people" there, so
    that registration and the registry scan do not ask the question again."""
    require(by, "reception.manage_arrivals", passenger.arrival)
    from mboa.registry import services as registry

    with transaction.atomic():
        passenger = _lock_open_passenger(passenger)
        if passenger.handed_over_at:
            return passenger
        if passenger.match_status in (MatchStatus.PROBABLE, MatchStatus.POSSIBLE):
            raise ApplicationError(_("No. %(number)s may be registered already: decide on the earlier record first.")
                                   % {"number": passenger.number})
        if passenger.person_id is None:
            passenger.person = registry.person_create(
                by=by, data=_person_data(passenger), source="import", confirmed_new=True,
                documents=[{"kind": "other", "number": passenger.document_number, "issuing_country": ""}]
                if passenger.document_number else (),
                phones=[passenger.phone] if passenger.phone else (),
                different_from=_declared_not_them(passenger),
                different_note=_("Reception, arrival %(reference)s no. %(number)s: none of the earlier records is "
                                 "this returnee.") % {"reference": passenger.arrival.reference,
                                                      "number": passenger.number},
            )
        case = _case_open(passenger, by)
        passenger.case = case
        passenger.handed_over_at = timezone.now()
        passenger.save(update_fields=["person", "case", "handed_over_at", "updated_at"])
        if passenger.urgent:
            # The urgent referral waited for the case: send it now.
            _urgent_referral(passenger=passenger, by=by)
        PocketMoneyPayment.objects.filter(passenger=passenger, person__isnull=True).update(person=passenger.person)
        activity.record(verb="reception.handed_over", actor=by, target=passenger, subject=passenger.arrival,
                        summary=f"{passenger.number}", data={"person": passenger.person_id, "case": passenger.case_id},
                        sensitive=True)
    return passenger


def arrival_hand_over(*, arrival: Arrival, by: Any) -> HandOverResult:
    """Hand over every registered returnee of the arrival; returns who was left and why.
    Each returnee is handed over in its own transaction, so one refusal stops no one else."""
    require(by, "reception.manage_arrivals", arrival)
    result = HandOverResult()
    registered = set(ReceptionStep.objects.filter(passenger__arrival=arrival, step=StepCode.REGISTRATION)
                     .values_list("passenger_id", flat=True))
    for passenger in arrival.passengers.filter(handed_over_at__isnull=True).select_related("arrival"):
        if passenger.pk not in registered:
            result.skipped_unregistered.append(passenger.number)
            continue
        if passenger.match_status in (MatchStatus.PROBABLE, MatchStatus.POSSIBLE):
            result.skipped_review.append(passenger.number)
            continue
        done = passenger_hand_over(passenger=passenger, by=by)
        result.handed_over += 1
        result.cases_opened += 1 if done.case_id else 0
    return result


# --- Task templates (administrators) --------------------------------------------------------

@transaction.atomic
def template_item_save(*, by: Any, template: TaskTemplate, data: Mapping[str, Any],
                       responsible: Sequence[Structure], item: Any = None) -> Any:
    require(by, "reception.manage_templates")
    from .models import TaskTemplateItem

    if not responsible:
        raise ApplicationError(_("Choose at least one responsible structure."), field="responsible")
    item = item or TaskTemplateItem(template=template)
    for name in ("order", "code", "title_fr", "title_en", "due_offset_hours", "charter_only"):
        if name in data:
            setattr(item, name, data[name])
    item.save()
    item.responsible.set(responsible)
    activity.record(verb="reception.template_changed", actor=by, target=template, summary=item.code)
    return item
