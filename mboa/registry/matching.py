"""The matcher's public API: who in the registry may be this person?

Stable interface (other apps build on it; see docs/registry.md)::

    from mboa.registry.matching import find_candidates, match_batch, Match

    matches = find_candidates({"family_name": "Mbarga", "given_names": "Jean-Paul",
                               "date_of_birth": "1990-04-12", "sex": "M",
                               "phone": "699123456", "document_number": "CM1234567"})
    for m in matches:          # best first, score >= REVIEW_THRESHOLD
        m.person_id, m.score, m.reasons   # 1234, 0.97, {"name": "exact", "phone": "differ", ...}

Candidates are retrieved from the database by blocking keys (indexed
:class:`~mboa.registry.models.MatchKey` rows), then scored in Python by
:func:`mboa.registry.identity.compare`. Only people whose shared keys weigh at least
MIN_KEY_WEIGHT (default 3: a name pair, a name token with the birth date, a document or
a phone, but not a lone name token with the year) are scored: the others cannot reach
MATCH_THRESHOLD, and they are two thirds of the work. Only active records are returned (a
merged record's keys are removed); pairs decided "different people" are never returned.

The whole-registry scan (:func:`scan_pairs`) asks for every pair at once and takes its
candidate pairs from the whole key table (:mod:`mboa.registry.blocking`).
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from django.db import connection
from django.db.models import Q

from mboa.core.conf import settings_group

from . import blocking, identity
from .models import DuplicateCandidate, MatchKey, Person, PersonStatus, ReviewStatus

# Levels that count as agreement / disagreement in Match.agree / Match.differ.
AGREE_LEVELS = {"exact", "high", "agree", "swapped", "partial_agree"}
DIFFER_LEVELS = {"low", "differ", "year_only", "near_year"}
KEY_QUERY_CHUNK = 2000


def registry_settings() -> dict[str, Any]:
    return settings_group("REGISTRY")


@dataclass(frozen=True)
class Match:
    """One existing person who may be the candidate.

    ``reasons`` maps each field to its level of agreement: ``name``
    (exact/high/medium/low), ``date_of_birth`` (exact/swapped/partial_agree/day_differs/
    year_only/near_year/differ/missing), ``sex``, ``document``, ``phone``,
    ``place_of_birth``, ``nationality``, ``address`` (agree/differ/missing).
    """

    person_id: int
    score: float
    reasons: dict[str, str] = field(default_factory=dict)

    @property
    def agree(self) -> list[str]:
        return [f for f, level in self.reasons.items() if level in AGREE_LEVELS]

    @property
    def differ(self) -> list[str]:
        return [f for f, level in self.reasons.items() if level in DIFFER_LEVELS]

    @property
    def is_probable(self) -> bool:
        """At or above MATCH_THRESHOLD: probably the same person."""
        return self.score >= registry_settings()["MATCH_THRESHOLD"]

    def as_dict(self) -> dict[str, Any]:
        return {"person_id": self.person_id, "score": self.score, "reasons": dict(self.reasons)}


def profile_of(candidate: Mapping[str, Any] | Person) -> identity.Profile:
    if isinstance(candidate, Person):
        return candidate.match_profile or person_profile(candidate)
    return identity.build_profile(candidate)


def person_profile(person: Person) -> identity.Profile:
    """The profile of a person, read from its fields, other names, documents and phones (a
    person not saved yet has none of these: bulk registration builds profiles before INSERT)."""
    saved = person.pk is not None
    return identity.build_profile({
        "family_name": person.family_name,
        "given_names": person.given_names,
        "aliases": [(a.family_name or person.family_name, a.given_names) for a in person.aliases.all()] if saved
        else [],
        "sex": person.sex,
        "birth_year": person.birth_year,
        "birth_month": person.birth_month,
        "birth_day": person.birth_day,
        "place_of_birth_code": person.place_of_birth_id,
        "place_of_birth": person.place_of_birth_text,
        "nationality": person.nationality,
        "documents": [d.number for d in person.documents.all()] if saved else [],
        "phones": [p.number for p in person.phones.all()] if saved else [],
        "address": person.address,
    })


def _any_rows(sql: str, values: list[int]) -> list[tuple]:
    """Run ``sql`` (with one ``= ANY(%s::bigint[])``) on PostgreSQL: one query with an
    array parameter, whatever the number of values (Django's ``__in`` with tens of
    thousands of parameters costs more in Python than the query in the database)."""
    with connection.cursor() as cursor:
        cursor.execute(sql, [values])
        return cursor.fetchall()


# Blocks of more records than this are skipped: a key shared by hundreds of people (a
# very common name token with a year) tells little, and reading it for each of them
# would make the scan quadratic in the registry size.
_SMALL_BLOCKS_SQL = """
    SELECT key, person_id FROM (
        SELECT key, person_id, count(*) OVER (PARTITION BY key) AS size
        FROM registry_matchkey WHERE key = ANY(%s::bigint[])
    ) AS block WHERE size <= %s
"""


def _key_hits(keys: Iterable[int]) -> dict[int, list[int]]:
    """``{key: [person ids]}`` for the given keys, through the key index; keys filed
    under more than MAX_BLOCK_SIZE records are left out."""
    keys = list(keys)
    max_block = registry_settings()["MAX_BLOCK_SIZE"]
    hits: dict[int, list[int]] = {}
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(_SMALL_BLOCKS_SQL, [keys, max_block])
            rows = cursor.fetchall()
    else:
        rows = []
        for start in range(0, len(keys), KEY_QUERY_CHUNK):
            chunk = keys[start:start + KEY_QUERY_CHUNK]
            rows += MatchKey.objects.filter(key__in=chunk).values_list("key", "person_id")
    for key, person_id in rows:
        hits.setdefault(key, []).append(person_id)
    if connection.vendor != "postgresql":
        hits = {key: ids for key, ids in hits.items() if len(ids) <= max_block}
    return hits


def _profiles(person_ids: Iterable[int]) -> dict[int, identity.Profile]:
    ids = list(person_ids)
    if connection.vendor == "postgresql":
        rows = _any_rows("SELECT id, match_profile::text FROM registry_person WHERE id = ANY(%s::bigint[]) "
                         "AND status = 'active'", ids)
        return {pid: json.loads(profile) for pid, profile in rows}
    profiles: dict[int, identity.Profile] = {}
    for start in range(0, len(ids), KEY_QUERY_CHUNK):
        rows = Person.objects.filter(pk__in=ids[start:start + KEY_QUERY_CHUNK], status=PersonStatus.ACTIVE)
        profiles.update(rows.values_list("id", "match_profile"))
    return profiles


def _different_pairs(person_ids: Iterable[int]) -> set[tuple[int, int]]:
    ids = [i for i in person_ids if i]
    if not ids:
        return set()
    rows = DuplicateCandidate.objects.filter(status=ReviewStatus.DIFFERENT).filter(
        Q(person_a_id__in=ids) | Q(person_b_id__in=ids)
    ).values_list("person_a_id", "person_b_id")
    return set(rows)


def match_batch(
    candidates: Sequence[Mapping[str, Any] | Person],
    *,
    limit: int = 10,
    min_score: float | None = None,
) -> list[list[Match]]:
    """Match many candidates at once (a manifest): one list of matches per candidate, in order.

    A candidate is a dict (keys as in :func:`find_candidates`) or a saved
    :class:`Person` (then itself, and the people decided "different" from it, are left out).
    Uses one key query and one profile query per 2,000 keys / people, whatever the batch size.
    """
    conf = registry_settings()
    floor = conf["REVIEW_THRESHOLD"] if min_score is None else min_score
    scored_per_candidate = max(conf["CANDIDATES_SCORED"], limit)
    min_weight = conf["MIN_KEY_WEIGHT"]
    profiles = [profile_of(c) for c in candidates]
    self_ids = [c.pk if isinstance(c, Person) else None for c in candidates]
    key_sets = [identity.blocking_keys(p) for p in profiles]
    hits = _key_hits({k for keys in key_sets for k in keys})

    shortlists: list[list[int]] = []
    name_counts: list[dict[int, int]] = []
    for keys, self_id in zip(key_sets, self_ids, strict=True):
        ranks, counts = identity.rank_shared_keys(keys, hits, exclude=self_id, includes_self=self_id is not None)
        shortlists.append(sorted((pid for pid, rank in ranks.items() if rank >= min_weight),
                                 key=lambda pid: (-ranks[pid], pid))[:scored_per_candidate])
        name_counts.append(counts)
    stored = _profiles({pid for shortlist in shortlists for pid in shortlist})
    different = _different_pairs(self_ids)

    results: list[list[Match]] = []
    for profile, shortlist, counts, self_id in zip(profiles, shortlists, name_counts, self_ids, strict=True):
        matches = []
        for person_id in shortlist:
            other = stored.get(person_id)
            if other is None:
                continue
            if self_id and (min(self_id, person_id), max(self_id, person_id)) in different:
                continue
            result = identity.compare(profile, other, name_count=counts.get(person_id), min_score=floor)
            if result is not None:
                matches.append(Match(person_id, *result))
        matches.sort(key=lambda m: (-m.score, m.person_id))
        results.append(matches[:limit])
    return results


def find_candidates(
    candidate: Mapping[str, Any] | Person, *, limit: int = 10, min_score: float | None = None
) -> list[Match]:
    """Existing people who may be ``candidate``, best first, score >= ``min_score``
    (default: the REVIEW_THRESHOLD setting).

    ``candidate`` keys, all optional: ``family_name``, ``given_names`` (or
    ``given_name``), ``aliases`` (strings, ``(family, given)`` tuples or dicts),
    ``sex`` (M/F), ``date_of_birth`` (date, ``YYYY-MM-DD``, ``YYYYMMDD``, ``DD/MM/YYYY``,
    ``YYYY``) or ``birth_year``/``birth_month``/``birth_day``, ``place_of_birth`` (free
    text) or ``place_of_birth_code`` (department code), ``nationality``,
    ``document_number`` / ``documents``, ``phone`` / ``phones``, ``address``.
    Raises ValueError on an unreadable date.
    """
    return match_batch([candidate], limit=limit, min_score=min_score)[0]


def _scan_arrays() -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Every key row (person id, key, kind) and the birth years by person id, as arrays.

    On PostgreSQL the key table is read with one binary COPY (a million people: about
    9 million rows in a few seconds); elsewhere through the ORM.
    """
    if connection.vendor == "postgresql":
        buffer = io.BytesIO()
        query = "COPY (SELECT person_id, key, kind FROM registry_matchkey) TO STDOUT (FORMAT binary)"
        with connection.cursor() as cursor, cursor.copy(query) as copy:
            for data in copy:
                buffer.write(data)
        raw = buffer.getbuffer()
        # binary COPY: 19-byte header, per row a field count then (length, value) per field, 2-byte trailer
        row = np.dtype([("n", ">i2"), ("l1", ">i4"), ("person", ">i8"), ("l2", ">i4"), ("key", ">i8"),
                        ("l3", ">i4"), ("kind", ">i2")])
        rows = np.frombuffer(raw, dtype=row, offset=19, count=(len(raw) - 21) // row.itemsize)
        person_ids, keys, kinds = (rows["person"].astype(np.int64), rows["key"].astype(np.int64),
                                   rows["kind"].astype(np.int8))
        del rows, raw
        buffer.close()
    else:
        flat = np.array(list(MatchKey.objects.values_list("person_id", "key", "kind").iterator(chunk_size=10000)),
                        dtype=np.int64).reshape(-1, 3)
        person_ids, keys, kinds = flat[:, 0], flat[:, 1], flat[:, 2].astype(np.int8)
    people = Person.objects.filter(status=PersonStatus.ACTIVE)
    max_id = people.order_by("-pk").values_list("pk", flat=True).first() or 0
    years = np.zeros(max_id + 1, dtype=np.int16)
    known = people.filter(birth_year__isnull=False).values_list("pk", "birth_year")
    if max_id:
        pairs = np.array(list(known.iterator(chunk_size=50000)), dtype=np.int64).reshape(-1, 2)
        years[pairs[:, 0]] = pairs[:, 1]
    alive = person_ids <= max_id
    return person_ids[alive], keys[alive], kinds[alive], years


PROFILE_CHUNK = 20000


def scan_pairs(
    *, min_score: float | None = None, start_id: int = 0, end_id: int | None = None
) -> Iterable[tuple[int, int, Match]]:
    """The whole-registry deduplication scan: yields ``(a_id, b_id, match)`` with a < b,
    for every pair of active records scoring >= ``min_score`` (default REVIEW_THRESHOLD).

    Candidate pairs come from the stored keys, all at once (:mod:`mboa.registry.blocking`:
    one sequential read of the key table, vectorised pair generation); then the profiles
    of the people in them are read by chunks of 20,000 and each pair is scored once with
    :func:`identity.compare`. Pairs decided "different people" are skipped.
    ``start_id``/``end_id`` restrict the scan to the pairs whose smaller id is in
    ``(start_id, end_id]``, so that partitions can run in parallel processes.
    """
    conf = registry_settings()
    floor = conf["REVIEW_THRESHOLD"] if min_score is None else min_score
    person_ids, keys, kinds, years = _scan_arrays()
    a_ids, b_ids, name_counts = blocking.candidate_pairs(person_ids, keys, kinds, years,
                                                         max_block=conf["MAX_BLOCK_SIZE"],
                                                         start_id=start_id, end_id=end_id)
    del person_ids, keys, kinds, years
    different = set(DuplicateCandidate.objects.filter(status=ReviewStatus.DIFFERENT)
                    .values_list("person_a_id", "person_b_id"))
    needed = np.unique(np.concatenate([a_ids, b_ids])).tolist()
    profiles: dict[int, identity.Profile] = {}
    for start in range(0, len(needed), PROFILE_CHUNK):
        profiles.update(_profiles(needed[start:start + PROFILE_CHUNK]))
    del needed
    compare = identity.compare
    no_name = blocking.NO_NAME_KEY
    for a_id, b_id, count in zip(a_ids.tolist(), b_ids.tolist(), name_counts.tolist(), strict=True):
        p, q = profiles.get(a_id), profiles.get(b_id)
        if p is None or q is None or (a_id, b_id) in different:
            continue
        result = compare(p, q, name_count=None if count == no_name else count, min_score=floor)
        if result is not None:
            yield a_id, b_id, Match(b_id, *result)
