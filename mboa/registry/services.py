"""Writes on the registry: registration, updates, the review queue, merges and their undo.

Every function runs in one transaction, records its activity, and keeps the matcher's
keys (``Person.match_profile`` + :class:`MatchKey` rows) in step with the record. The
registry's own services are the only code that writes keys (a test holds every other app
to it).

Authorization: every write checks its rule itself (``require`` → 403). The system jobs
(the nightly scan, key rebuilds, the matcher queueing pairs, demo and benchmark data) take
``by=None``: nobody signed in started them, so no rule applies; given a user, they check the
rule a user needs for the same write.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mboa.actors.models import Department
from mboa.core import activity
from mboa.core.errors import ApplicationError
from mboa.core.permissions import require
from mboa.core.phones import normalize_phone
from mboa.core.validators import past_date, plausible_date, validate_field

from . import identity, matching
from .models import (
    DocumentKind,
    DuplicateCandidate,
    IdentityDocument,
    MatchKey,
    Merge,
    NameKind,
    Person,
    PersonName,
    PersonPhone,
    PersonStatus,
    ReviewStatus,
    Sex,
    Source,
)

PERSON_FIELDS = (
    "family_name", "given_names", "sex", "birth_year", "birth_month", "birth_day", "birth_date_approximate",
    "place_of_birth", "place_of_birth_text", "nationality", "address",
)
# Fields a merge may fill on the survivor when the survivor has no value.
FILLABLE_FIELDS = ("sex", "birth_year", "birth_month", "birth_day", "place_of_birth", "place_of_birth_text",
                   "address", "photo")


class PossibleDuplicate(ApplicationError):
    """Registration refused: the person is probably already registered (``matches``)."""

    def __init__(self, matches: list[matching.Match]) -> None:
        super().__init__(
            _("This person is probably registered already. Open the existing record, or confirm that it "
              "is someone else."),
            extra={"matches": [m.as_dict() for m in matches]},
        )
        self.matches = matches


def _require_unless_system(by: Any, rule: str, obj: Any = None) -> None:
    """``by=None`` is the system (scheduled task, command, migration, demo data); a user must hold ``rule``."""
    if by is not None:
        require(by, rule, obj)


# The longest reason or note a decision keeps (DuplicateCandidate.note, Merge.reason).
REASON_MAX_LENGTH = 300


def _check_length(value: Any, *, limit: int, field: str) -> None:
    """Text longer than its column: refused with the field named (PostgreSQL would fail, SQLite keep it)."""
    if value and len(str(value)) > limit:
        raise ApplicationError(_("At most %(limit)s characters (%(length)s given).")
                               % {"limit": limit, "length": len(str(value))}, field=field)


def _check_reason(reason: str) -> str:
    _check_length(reason, limit=REASON_MAX_LENGTH, field="reason")
    return (reason or "").strip()


def _check_date(value: Any, *, field: str, past: bool = False) -> None:
    validate_field(past_date if past else plausible_date, value, field=field)


# --- Keys --------------------------------------------------------------------------------

def person_survivor(person: Person | int | None) -> Person | None:
    """The record that stands for ``person`` now: itself, or the record it was merged into
    (followed through successive merges). Callers may hold an id from before a merge.
    None for an unknown id."""
    if person is None:
        return None
    if not isinstance(person, Person):
        person = Person.objects.filter(pk=person).first()
    seen: set[int] = set()
    while person is not None and person.status == PersonStatus.MERGED and person.merged_into_id and person.pk not in seen:
        seen.add(person.pk)
        person = Person.objects.filter(pk=person.merged_into_id).first()
    return person


def person_refresh_keys(*, person: Person, by: Any = None) -> None:
    """Rebuild the person's match profile and blocking keys (inactive records get none).

    The registry's writes call it after they checked their own rule (``by=None``), as do
    demo and test data; a user calling it must be allowed to change the person."""
    _require_unless_system(by, "registry.change_person", person)
    MatchKey.objects.filter(person=person).delete()
    if person.status != PersonStatus.ACTIVE:
        return
    profile = matching.person_profile(person)
    Person.objects.filter(pk=person.pk).update(match_profile=profile)
    person.match_profile = profile
    MatchKey.objects.bulk_create(
        MatchKey(person=person, key=key, kind=kind) for key, kind in identity.blocking_keys(profile).items()
    )


def keys_rebuild_all(*, by: Any = None, person_model: Any = Person, key_model: Any = MatchKey,
                     batch_size: int = 5000) -> int:
    """Rebuild every active person's blocking keys from the stored profiles, after the
    key scheme changed (a migration and the ``rebuild_match_keys`` command call it, with
    ``by=None``; the migration with its historical models). Returns the number of keys
    written."""
    _require_unless_system(by, "registry.review_duplicates")
    key_model.objects.all().delete()
    written = last_id = 0
    while True:
        batch = list(person_model.objects.filter(pk__gt=last_id, status=PersonStatus.ACTIVE).order_by("pk")
                     .values_list("pk", "match_profile")[:batch_size])
        if not batch:
            return written
        last_id = batch[-1][0]
        rows = [key_model(person_id=pk, key=key, kind=kind)
                for pk, profile in batch for key, kind in identity.blocking_keys(profile or {}).items()]
        key_model.objects.bulk_create(rows)
        written += len(rows)


PERSON_BULK_FIELDS = ("family_name", "given_names", "sex", "birth_year", "birth_month", "birth_day", "nationality")


def people_register_bulk(*, people: Sequence[Mapping[str, Any]], by: Any = None,
                         batch_size: int = 1000) -> list[Person]:
    """Register many people at once (demo data, benchmarks): a few INSERTs for thousands,
    each with its match profile and blocking keys, and one activity each.

    ``people``: dicts of ``family_name``, ``given_names``, ``sex``, ``birth_year``,
    ``birth_month``, ``birth_day``, ``nationality`` (no other names, documents or phones).
    No duplicate check: the nightly scan queues the pairs. ``by=None``: the system; a user
    must be allowed to register people (and is recorded as the registering user)."""
    _require_unless_system(by, "registry.add_person")
    unknown = {key for row in people for key in row} - set(PERSON_BULK_FIELDS)
    if unknown:
        raise ValueError(f"people_register_bulk: unknown fields {sorted(unknown)}")
    records = [Person(**row, registered_by=by if getattr(by, "pk", None) else None,
                      registered_by_structure_id=getattr(by, "structure_id", None)) for row in people]
    for person in records:
        person.match_profile = matching.person_profile(person)
    with transaction.atomic():
        records = Person.objects.bulk_create(records, batch_size=batch_size)
        MatchKey.objects.bulk_create(
            (MatchKey(person=p, key=key, kind=kind) for p in records
             for key, kind in identity.blocking_keys(p.match_profile).items()), batch_size=5 * batch_size)
        activity.record_many(verb="person.registered", actor=by, targets=records, data={"source": "bulk"},
                             sensitive=True)
    return records


# --- Validation ----------------------------------------------------------------------------

def _clean_person_data(data: Mapping[str, Any]) -> dict[str, Any]:
    cleaned = {name: data[name] for name in PERSON_FIELDS if name in data}
    if "date_of_birth" in data and "birth_year" not in data:
        try:
            cleaned["birth_year"], cleaned["birth_month"], cleaned["birth_day"] = identity.parse_date_parts(
                data["date_of_birth"]
            )
        except ValueError:
            raise ApplicationError(
                _("Date of birth “%(value)s”: use YYYY-MM-DD, YYYYMMDD or DD/MM/YYYY (or just the year).")
                % {"value": data["date_of_birth"]}, field="date_of_birth",
            ) from None
    for name in ("family_name", "given_names", "place_of_birth_text", "address", "nationality"):
        if name in cleaned:
            cleaned[name] = (cleaned[name] or "").strip()
    if "nationality" in cleaned:
        cleaned["nationality"] = cleaned["nationality"].upper()
    for name in ("family_name", "given_names", "place_of_birth_text", "address", "nationality"):
        if name in cleaned:
            _check_length(cleaned[name], limit=Person._meta.get_field(name).max_length, field=name)
    if "sex" in cleaned:
        cleaned["sex"] = (cleaned["sex"] or Sex.UNKNOWN).upper()
        if cleaned["sex"] not in Sex.values:
            raise ApplicationError(_("Sex must be F, M or U."), field="sex")
    if "family_name" in cleaned and not cleaned["family_name"]:
        raise ApplicationError(_("The family name is required."), field="family_name")
    place = cleaned.get("place_of_birth")
    if isinstance(place, str):
        try:
            cleaned["place_of_birth"] = Department.objects.get(pk=place.upper())
        except Department.DoesNotExist:
            raise ApplicationError(_("Unknown department code “%(code)s”.") % {"code": place},
                                   field="place_of_birth") from None
    return cleaned


def _check_birth_date(person: Person) -> None:
    year, month, day = person.birth_year, person.birth_month, person.birth_day
    this_year = timezone.localdate().year
    if year is not None and not (1900 <= year <= this_year):
        raise ApplicationError(_("Year of birth %(year)s is not plausible.") % {"year": year}, field="birth_year")
    if month is not None and not 1 <= month <= 12:
        raise ApplicationError(_("Month of birth must be between 1 and 12."), field="birth_month")
    if day is not None:
        if month is None:
            raise ApplicationError(_("A day of birth needs a month."), field="birth_day")
        if not 1 <= day <= calendar.monthrange(year or 2000, month)[1]:
            raise ApplicationError(_("Day of birth %(day)s does not exist in that month.") % {"day": day},
                                   field="birth_day")
    if (month or day) and year is None:
        raise ApplicationError(_("A month or day of birth needs a year."), field="birth_year")
    if year is not None:
        # The earliest day the parts allow must not be after today (not born next month).
        _check_date(dt.date(year, month or 1, day or 1), field="date_of_birth", past=True)


def _add_names(person: Person, aliases: Iterable[Any]) -> None:
    for alias in aliases:
        if isinstance(alias, Mapping):
            family, given, kind = alias.get("family_name", ""), alias.get("given_names", ""), alias.get("kind")
        elif isinstance(alias, tuple | list):
            family, given, kind = alias[0], alias[1] if len(alias) > 1 else "", None
        else:
            family, given, kind = "", str(alias), None
        family, given = (family or "").strip(), (given or "").strip()
        _check_length(family, limit=PersonName._meta.get_field("family_name").max_length, field="aliases")
        _check_length(given, limit=PersonName._meta.get_field("given_names").max_length, field="aliases")
        if family or given:
            PersonName.objects.create(person=person, family_name=family, given_names=given,
                                      kind=kind or NameKind.ALIAS)


def _add_documents(person: Person, documents: Iterable[Mapping[str, Any]]) -> None:
    for index, doc in enumerate(documents, start=1):
        number = (doc.get("number") or "").strip()
        if not number:
            raise ApplicationError(_("Document %(n)d: the number is missing.") % {"n": index}, field="documents")
        kind = doc.get("kind") or DocumentKind.OTHER
        if kind not in DocumentKind.values:
            raise ApplicationError(_("Document %(n)d: unknown kind “%(kind)s”.") % {"n": index, "kind": kind},
                                   field="documents")
        _check_length(number, limit=IdentityDocument._meta.get_field("number").max_length, field="documents")
        _check_length(doc.get("issuing_country"), limit=3, field="documents")
        _check_date(doc.get("expires_on"), field="documents")
        IdentityDocument.objects.create(
            person=person, kind=kind, number=number, number_normalized=identity.normalize_document(number),
            issuing_country=(doc.get("issuing_country") or "CM").upper(), expires_on=doc.get("expires_on"),
        )


def _add_phones(person: Person, phones: Iterable[Any]) -> None:
    existing = set(person.phones.values_list("number", flat=True))
    for index, phone in enumerate(phones, start=1):
        raw = phone.get("number") if isinstance(phone, Mapping) else phone
        try:
            number = normalize_phone(raw)
        except ValidationError as error:
            raise ApplicationError(_("Phone %(n)d: %(error)s") % {"n": index, "error": " ".join(error.messages)},
                                   field="phones") from None
        note = (phone.get("note") or "") if isinstance(phone, Mapping) else ""
        _check_length(note, limit=PersonPhone._meta.get_field("note").max_length, field="phones")
        if number and number not in existing:
            PersonPhone.objects.create(person=person, number=number, note=note)
            existing.add(number)


# --- Registration --------------------------------------------------------------------------

@transaction.atomic
def person_create(
    *,
    by: Any,
    data: Mapping[str, Any],
    aliases: Sequence[Any] = (),
    documents: Sequence[Mapping[str, Any]] = (),
    phones: Sequence[Any] = (),
    source: str = Source.REGISTRATION,
    confirmed_new: bool = False,
    different_from: Iterable[int] = (),
    different_note: str = "",
) -> Person:
    """Register a person, never silently duplicating one.

    The matcher runs first. If someone scores at or above MATCH_THRESHOLD and
    ``confirmed_new`` is False, raises :class:`PossibleDuplicate` (with the matches)
    and writes nothing. Otherwise the person is created and every match at or above
    REVIEW_THRESHOLD goes to the review queue (``source``: registration / import),
    except the records of ``different_from``: someone already decided that the person is
    none of them (reception's identity decision), so those pairs are recorded as decided
    "different people" (:func:`pair_declare_different`, with ``different_note``) and never
    queued, by this registration or by a later scan.

    ``data``: the Person fields (``place_of_birth`` may be a department code) or
    ``date_of_birth`` as text; ``aliases``: ``(family, given)`` tuples or dicts;
    ``documents``: ``{"kind", "number", "issuing_country"}``; ``phones``: strings.
    """
    require(by, "registry.add_person")
    cleaned = _clean_person_data(data)
    person = Person(**cleaned, registered_by=by if getattr(by, "pk", None) else None,
                    registered_by_structure=getattr(by, "structure", None))
    _check_birth_date(person)
    person.save()
    _add_names(person, aliases)
    _add_documents(person, documents)
    _add_phones(person, phones)
    person_refresh_keys(person=person)
    pair_declare_different(person=person, others=different_from, by=by, source=source, note=different_note)
    matches = matching.find_candidates(person)
    if not confirmed_new and any(m.is_probable for m in matches):
        raise PossibleDuplicate(matches)
    for match in matches:
        duplicate_propose(a_id=person.pk, b_id=match.person_id, match=match, source=source)
    activity.record(verb="person.registered", actor=by, target=person, summary=person.full_name,
                    data={"source": source, "possible_duplicates": len(matches)}, sensitive=True)
    return person


@transaction.atomic
def person_update(
    *,
    person: Person,
    by: Any,
    data: Mapping[str, Any],
    add_aliases: Sequence[Any] = (),
    add_documents: Sequence[Mapping[str, Any]] = (),
    add_phones: Sequence[Any] = (),
) -> Person:
    """Change a person's identity fields and add names, documents, phones. Locks the row."""
    require(by, "registry.change_person", person)
    person = Person.objects.select_for_update().get(pk=person.pk)
    if person.status != PersonStatus.ACTIVE:
        raise ApplicationError(_("This record was merged into another one: change that one."))
    cleaned = _clean_person_data(data)
    changed = [name for name, value in cleaned.items() if getattr(person, name) != value]
    for name in changed:
        setattr(person, name, cleaned[name])
    _check_birth_date(person)
    if changed:
        person.save()
    _add_names(person, add_aliases)
    _add_documents(person, add_documents)
    _add_phones(person, add_phones)
    person_refresh_keys(person=person)
    activity.record(verb="person.updated", actor=by, target=person, summary=person.full_name,
                    data={"fields": changed, "names": len(add_aliases), "documents": len(add_documents),
                          "phones": len(add_phones)}, sensitive=True)
    return person


# --- Review queue ----------------------------------------------------------------------------

def duplicate_propose(*, a_id: int, b_id: int, match: matching.Match, source: str,
                      by: Any = None) -> DuplicateCandidate | None:
    """Put a pair in the review queue, unless it was already decided. Returns the open entry.

    The matcher calls it (registration, the scan) with ``by=None``; a user must be allowed
    to review duplicates."""
    _require_unless_system(by, "registry.review_duplicates")
    if a_id == b_id:
        return None
    low, high = sorted((a_id, b_id))
    existing = DuplicateCandidate.objects.filter(person_a_id=low, person_b_id=high).first()
    if existing is not None:
        if existing.status == ReviewStatus.OPEN and match.score > existing.score:
            existing.score, existing.reasons = match.score, match.reasons
            existing.save(update_fields=["score", "reasons", "updated_at"])
        return existing if existing.status == ReviewStatus.OPEN else None
    return DuplicateCandidate.objects.create(person_a_id=low, person_b_id=high, score=match.score,
                                             reasons=match.reasons, source=source)


def duplicates_scan(*, by: Any = None, min_score: float | None = None) -> dict[str, int]:
    """The periodic whole-registry scan: queue every pair scoring >= REVIEW_THRESHOLD,
    except the pairs decided already (merged, or declared different people: in the queue
    or at reception).

    Returns ``{"pairs": pairs found, "new": pairs added to the queue}``.

    Runs in batches of one transaction per 1,000 proposals (a scan of a million people
    must not hold one transaction for minutes); re-running it adds only new pairs.
    ``by=None``: the nightly task and the ``scan_registry`` command; a user who starts a
    scan must be allowed to review duplicates.
    """
    _require_unless_system(by, "registry.review_duplicates")
    found = proposed = 0
    batch: list[tuple[int, int, matching.Match]] = []

    def flush() -> None:
        nonlocal proposed
        with transaction.atomic():
            before = DuplicateCandidate.objects.count()
            for a_id, b_id, match in batch:
                duplicate_propose(a_id=a_id, b_id=b_id, match=match, source=Source.SCAN)
            proposed += DuplicateCandidate.objects.count() - before
        batch.clear()

    for a_id, b_id, match in matching.scan_pairs(min_score=min_score):
        found += 1
        batch.append((a_id, b_id, match))
        if len(batch) >= 1000:
            flush()
    flush()
    activity.record(verb="registry.scanned", actor=by, summary=_("Registry scan"),
                    data={"pairs": found, "new": proposed})
    return {"pairs": found, "new": proposed}


def _decide_different(duplicate: DuplicateCandidate, *, by: Any, note: str) -> DuplicateCandidate:
    duplicate.status = ReviewStatus.DIFFERENT
    duplicate.decided_by = by if getattr(by, "pk", None) else None
    duplicate.decided_at = timezone.now()
    duplicate.note = note[:300]
    duplicate.save()
    activity.record(verb="person.declared_different", actor=by, target=duplicate, subject=duplicate.person_a,
                    data={"person_a": duplicate.person_a_id, "person_b": duplicate.person_b_id, "note": note,
                          "source": duplicate.source}, sensitive=True)
    return duplicate


@transaction.atomic
def duplicate_mark_different(*, duplicate: DuplicateCandidate, by: Any, note: str = "") -> DuplicateCandidate:
    """Decide that the two records are different people: the pair is never proposed again."""
    require(by, "registry.review_duplicates", duplicate)
    note = _check_reason(note)
    duplicate = DuplicateCandidate.objects.select_for_update().get(pk=duplicate.pk)
    if duplicate.status != ReviewStatus.OPEN:
        raise ApplicationError(_("This pair was already decided."))
    return _decide_different(duplicate, by=by, note=note)


@transaction.atomic
def pair_declare_different(*, person: Person, others: Iterable[int], by: Any, source: str,
                           note: str = "") -> list[DuplicateCandidate]:
    """Record the review queue's "different people" decision for ``person`` and each record
    of ``others`` (ids), taken elsewhere than in the queue: reception decides at arrival
    that none of the earlier records the matcher found is the returnee (``source``: who
    found the pairs). A merged record counts with the record it was merged into. The pairs
    are never proposed again. An open pair is decided; a pair decided already is left as
    it is. Returns the pairs decided now."""
    ids = set()
    for other_id in others:
        survivor = person_survivor(other_id)
        ids.update({other_id, survivor.pk} if survivor is not None else set())
    ids.discard(person.pk)
    if not ids:
        return []
    require(by, "registry.review_duplicates", person)
    note = _check_reason(note)
    people = Person.objects.in_bulk([*ids, person.pk])
    decided = []
    for other_id in sorted(ids):
        low, high = sorted((person.pk, other_id))
        pair = DuplicateCandidate.objects.select_for_update().filter(person_a_id=low, person_b_id=high).first()
        if pair is None:
            score, reasons = identity.compare(matching.profile_of(people[low]), matching.profile_of(people[high]))
            pair = DuplicateCandidate(person_a_id=low, person_b_id=high, score=score, reasons=reasons, source=source)
        elif pair.status != ReviewStatus.OPEN:
            continue
        decided.append(_decide_different(pair, by=by, note=note))
    return decided


# --- Merge and undo --------------------------------------------------------------------------

def _is_historical(model: type[models.Model]) -> bool:
    return any(f.name == "history_id" for f in model._meta.concrete_fields)


def person_relations() -> list[tuple[type[models.Model], str]]:
    """Every ``(model, field name)`` pointing at a Person that a merge must move: the
    registry's own names, documents and phones, and any other app's foreign keys
    (arrivals, cases, ...). Not moved: the matcher's keys, the review queue, merges,
    history rows, and ``Person.merged_into``."""
    skip = {MatchKey, DuplicateCandidate, Merge, Person}
    relations = []
    for rel in Person._meta.related_objects:
        if not (rel.one_to_many or rel.one_to_one) or rel.related_model in skip:
            continue
        if _is_historical(rel.related_model):
            continue
        relations.append((rel.related_model, rel.field.name))
    return relations


def _lock_pair(first_id: int, second_id: int) -> tuple[Person, Person]:
    locked = {p.pk: p for p in Person.objects.select_for_update().filter(pk__in=[first_id, second_id]).order_by("pk")}
    return locked[first_id], locked[second_id]


@transaction.atomic
def person_merge(
    *, survivor: Person, merged: Person, by: Any, duplicate: DuplicateCandidate | None = None, reason: str = ""
) -> Merge:
    """Same person: fold ``merged`` into ``survivor``. Locks both records.

    Everything that points at ``merged`` (other names, documents, phones, arrivals,
    cases, ...) moves to ``survivor``; the survivor's empty fields are filled from the
    merged record; the merged name becomes an other name of the survivor; the merged
    record stays, marked merged (so links and history still resolve). The move is
    recorded in a :class:`Merge`, which :func:`merge_undo` reverses.
    """
    require(by, "registry.review_duplicates", duplicate)
    reason = _check_reason(reason)
    if survivor.pk == merged.pk:
        raise ApplicationError(_("A record cannot be merged into itself."))
    survivor, merged = _lock_pair(survivor.pk, merged.pk)
    for person in (survivor, merged):
        if person.status != PersonStatus.ACTIVE:
            raise ApplicationError(_("%(name)s was already merged into another record.") % {"name": person})
    if duplicate is not None:
        duplicate = DuplicateCandidate.objects.select_for_update().get(pk=duplicate.pk)
        if {duplicate.person_a_id, duplicate.person_b_id} != {survivor.pk, merged.pk}:
            raise ApplicationError(_("This pair does not concern these two records."))
        if duplicate.status != ReviewStatus.OPEN:
            raise ApplicationError(_("This pair was already decided."))

    moved: dict[str, list] = {}
    for model, field_name in person_relations():
        manager = model._base_manager
        ids = list(manager.filter(**{field_name: merged}).values_list("pk", flat=True))
        if not ids:
            continue
        try:
            with transaction.atomic():
                manager.filter(pk__in=ids).update(**{field_name: survivor})
        except IntegrityError:
            raise ApplicationError(
                _("Cannot merge: both records have a %(thing)s that can exist only once per person.")
                % {"thing": model._meta.verbose_name}
            ) from None
        moved[f"{model._meta.label}.{field_name}"] = [str(pk) for pk in ids]

    before: dict[str, Any] = {}
    for name in FILLABLE_FIELDS:
        mine, theirs = getattr(survivor, name), getattr(merged, name)
        if name == "place_of_birth":
            mine, theirs = survivor.place_of_birth_id, merged.place_of_birth_id
        empty = mine in (None, "") or (name == "sex" and mine == Sex.UNKNOWN)
        if empty and theirs not in (None, "", Sex.UNKNOWN):
            before[name] = mine if name != "photo" else (mine.name if mine else "")
            setattr(survivor, name if name != "place_of_birth" else "place_of_birth_id", theirs)
    if before:
        survivor.save()

    added_alias_ids = []
    merged_tokens = identity.name_tokens(merged.family_name, merged.given_names)
    known = [identity.name_tokens(survivor.family_name, survivor.given_names)] + [
        identity.name_tokens(a.family_name, a.given_names) for a in survivor.aliases.all()
    ]
    if merged_tokens not in known:
        alias = PersonName.objects.create(person=survivor, family_name=merged.family_name,
                                          given_names=merged.given_names, kind=NameKind.ALIAS)
        added_alias_ids.append(alias.pk)

    merged.status = PersonStatus.MERGED
    merged.merged_into = survivor
    merged.save()
    person_refresh_keys(person=merged)
    person_refresh_keys(person=survivor)

    merge = Merge.objects.create(survivor=survivor, merged=merged, duplicate=duplicate, by=by, reason=reason[:300],
                                 moved=moved, survivor_before=before, added_alias_ids=added_alias_ids)
    if duplicate is not None:
        duplicate.status = ReviewStatus.MERGED
        duplicate.decided_by = by
        duplicate.decided_at = timezone.now()
        duplicate.note = reason[:300]
        duplicate.save()
    activity.record(verb="person.merged", actor=by, target=merge, subject=survivor,
                    summary=f"{merged.pk} → {survivor.pk}",
                    data={"survivor": survivor.pk, "merged": merged.pk, "moved": {k: len(v) for k, v in moved.items()}},
                    sensitive=True)
    return merge


@transaction.atomic
def merge_undo(*, merge: Merge, by: Any, reason: str = "") -> Merge:
    """Undo a merge: everything moved goes back, the survivor's filled fields are
    restored, the merged record is active again and the pair is back in the queue."""
    require(by, "registry.review_duplicates", merge)
    reason = _check_reason(reason)
    merge = Merge.objects.select_for_update().get(pk=merge.pk)
    if merge.undone_at is not None:
        raise ApplicationError(_("This merge was already undone."))
    survivor, merged = _lock_pair(merge.survivor_id, merge.merged_id)
    if survivor.status != PersonStatus.ACTIVE:
        raise ApplicationError(_("The surviving record was itself merged since: undo that merge first."))
    if merged.status != PersonStatus.MERGED or merged.merged_into_id != survivor.pk:
        raise ApplicationError(_("The merged record changed since: this merge cannot be undone."))

    relations = {f"{model._meta.label}.{field}": (model, field) for model, field in person_relations()}
    for label, ids in merge.moved.items():
        model, field_name = relations[label]
        model._base_manager.filter(pk__in=ids, **{field_name: survivor}).update(**{field_name: merged})
    PersonName.objects.filter(pk__in=merge.added_alias_ids, person=survivor).delete()
    for name, value in merge.survivor_before.items():
        setattr(survivor, name if name != "place_of_birth" else "place_of_birth_id", value)
    if merge.survivor_before:
        survivor.save()
    merged.status = PersonStatus.ACTIVE
    merged.merged_into = None
    merged.save()
    person_refresh_keys(person=survivor)
    person_refresh_keys(person=merged)

    merge.undone_at = timezone.now()
    merge.undone_by = by
    merge.save()
    if merge.duplicate_id:
        DuplicateCandidate.objects.filter(pk=merge.duplicate_id).update(
            status=ReviewStatus.OPEN, decided_by=None, decided_at=None, note="", updated_at=timezone.now()
        )
    activity.record(verb="person.merge_undone", actor=by, target=merge, subject=survivor,
                    summary=f"{merged.pk} ↩ {survivor.pk}", data={"reason": reason}, sensitive=True)
    return merge


def duplicate_merge(*, duplicate: DuplicateCandidate, survivor_id: int, by: Any, reason: str = "") -> Merge:
    """The review queue's "same person" decision: keep the record ``survivor_id`` (one of
    the pair) and merge the other into it (:func:`person_merge`)."""
    require(by, "registry.review_duplicates", duplicate)
    pair = {duplicate.person_a_id: duplicate.person_a, duplicate.person_b_id: duplicate.person_b}
    if survivor_id not in pair:
        raise ApplicationError(_("Choose the record to keep."), field="survivor")
    merged_id = duplicate.person_b_id if survivor_id == duplicate.person_a_id else duplicate.person_a_id
    return person_merge(survivor=pair[survivor_id], merged=pair[merged_id], by=by, duplicate=duplicate,
                        reason=reason)


def duplicate_merge_undo(*, duplicate: DuplicateCandidate, by: Any, reason: str = "") -> Merge:
    """Undo the merge decided on this pair (:func:`merge_undo`); the pair is open again."""
    require(by, "registry.review_duplicates", duplicate)
    merge = Merge.objects.filter(duplicate=duplicate, undone_at__isnull=True).first()
    if merge is None:
        raise ApplicationError(_("No merge to undo on this pair."))
    return merge_undo(merge=merge, by=by, reason=reason)
