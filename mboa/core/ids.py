"""Record ids that come from users (URLs, query strings, form lists).

An id is a positive whole number that the database can hold (64 bits). Anything else —
``abc``, ``-1``, a 30-digit number — is no record: callers treat it as "not found" or
"no filter", never as a server error (SQLite and PostgreSQL both fail on numbers past 64 bits).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

MAX_ID = 2**63 - 1
ID_PATTERN = "[0-9]{1,18}"  # every id up to 10**18 - 1, none past MAX_ID


def parse_id(value: Any) -> int | None:
    """``int(value)`` for a usable id, else None."""
    if isinstance(value, int) and not isinstance(value, bool):
        number = value
    else:
        text = str(value or "").strip()
        if not text.isdigit() or not text.isascii():
            return None
        number = int(text)
    return number if 0 < number <= MAX_ID else None


def parse_ids(values: Iterable[Any]) -> list[int]:
    """The usable ids among ``values``, in order, without repeats."""
    return list(dict.fromkeys(n for n in (parse_id(v) for v in values) if n is not None))


class IdConverter:
    """URL converter ``<id:pk>``: like ``<int:pk>`` but only ids the database can hold, so
    ``/cases/99999999999999999999999/`` is a 404, not a 500."""

    regex = ID_PATTERN

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value: Any) -> str:
        return str(value)
