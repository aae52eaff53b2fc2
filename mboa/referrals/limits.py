"""The limits every write of referrals and agreements holds to (``mboa.core.validators``):
free text within a length a page can show, dates within a plausible range. A value out of
them is an ApplicationError naming its field: shown next to it on the page, 400 in the API."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator

from mboa.core.errors import ApplicationError
from mboa.core.validators import NOTE_MAX_LENGTH, plausible_date


def text_within(value: str | None, *, field: str, limit: int = NOTE_MAX_LENGTH) -> str:
    """``value`` (``""`` for None), or ApplicationError when it is longer than ``limit``."""
    value = value or ""
    try:
        MaxLengthValidator(limit)(value)
    except ValidationError as error:
        raise ApplicationError(" ".join(error.messages), field=field) from None
    return value


def date_plausible(value: dt.date | dt.datetime | None, *, field: str, allow_future: bool = True) -> None:
    """ApplicationError for a date before 1900 or too far ahead (see core.validators)."""
    try:
        plausible_date(value, allow_future=allow_future)
    except ValidationError as error:
        raise ApplicationError(" ".join(error.messages), field=field) from None
