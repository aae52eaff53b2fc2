"""The limits every write of referrals and agreements holds to (``mboa.core.validators``):
free text within a length a page can show, dates within a plausible range. A value out of
them is an ApplicationError naming its field: shown next to it on the page, 400 in the API."""

from __future__ import annotations

import datetime as dt

from django.core.validators import MaxLengthValidator

from mboa.core.validators import NOTE_MAX_LENGTH, plausible_date, validate_field


def text_within(value: str | None, *, field: str, limit: int = NOTE_MAX_LENGTH) -> str:
    """``value`` (``""`` for None), or ApplicationError when it is longer than ``limit``."""
    value = value or ""
    validate_field(MaxLengthValidator(limit), value, field=field)
    return value


def date_plausible(value: dt.date | dt.datetime | None, *, field: str, allow_future: bool = True) -> None:
    """ApplicationError for a date before 1900 or too far ahead (see core.validators)."""
    validate_field(lambda v: plausible_date(v, allow_future=allow_future), value, field=field)
