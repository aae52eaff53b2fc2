"""Numbers and references given to records (case CM-2017-000042, referral REF-2026-00007,
dossier PRJ-000012, meeting COPIL-2018-02, agreement CONV-MINAS-2026-01).

Two ways, one helper each:

- from the primary key, once the row exists (:func:`provisional_number` at creation, then
  :func:`number_from_pk`): unique without a lock;
- the next counter within a parent (:func:`next_in_sequence`, :func:`next_free_reference`):
  the caller locks the parent row (``select_for_update``) so that two writers do not take
  the same counter; the unique constraint on the column is the last guard.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.db import models


def provisional_number(length: int = 20) -> str:
    """A unique placeholder, replaced by :func:`number_from_pk` in the same transaction."""
    return ("new-" + uuid.uuid4().hex)[:length]


def number_from_pk(obj: models.Model, *, field: str, template: str, **values: Any) -> str:
    """Write ``template.format(pk=obj.pk, **values)`` into ``field`` of a freshly created row."""
    number = template.format(pk=obj.pk, **values)
    setattr(obj, field, number)
    type(obj)._default_manager.filter(pk=obj.pk).update(**{field: number})
    return number


def next_in_sequence(queryset: models.QuerySet, field: str = "number") -> int:
    """1 + the largest ``field`` in ``queryset`` (1 when it is empty)."""
    return (queryset.aggregate(m=models.Max(field))["m"] or 0) + 1


def next_free_reference(model: type[models.Model], prefix: str, *, width: int = 2, field: str = "reference") -> str:
    """``prefix`` followed by the first counter (from the count of references with that
    prefix, zero-padded to ``width``) that no row holds yet."""
    taken = model._default_manager.filter(**{f"{field}__startswith": prefix})
    n = taken.count() + 1
    while taken.filter(**{field: f"{prefix}{n:0{width}d}"}).exists():
        n += 1
    return f"{prefix}{n:0{width}d}"
