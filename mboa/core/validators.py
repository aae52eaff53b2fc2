"""Limits every input of people's data shares, so that nonsense never reaches the database:
dates within a plausible range (not the year 272), free text within a length a page can
show (not two million characters)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.utils import timezone
from django.utils.translation import gettext as _

# The earliest date any record of the programme can carry (births of the elderly included).
EARLIEST = dt.date(1900, 1, 1)
# How far ahead a planned date (a meeting, an arrival, a training) may be.
FUTURE_YEARS = 10
# Free text fields: notes, minutes, reasons, remarks.
NOTE_MAX_LENGTH = 10_000
SHORT_TEXT_MAX_LENGTH = 2_000


def plausible_date(value: dt.date | dt.datetime | None, *, allow_future: bool = True) -> None:
    """ValidationError for a date before 1900, more than ten years ahead, or (with
    ``allow_future=False``) after today."""
    if value is None:
        return
    day = value.date() if isinstance(value, dt.datetime) else value
    today = timezone.localdate()
    if day < EARLIEST:
        raise ValidationError(_("%(date)s is not a plausible date (before 1900).") % {"date": day.strftime("%d/%m/%Y")},
                              code="date_too_early")
    latest = today if not allow_future else today.replace(year=today.year + FUTURE_YEARS)
    if day > latest:
        raise ValidationError(
            _("%(date)s is in the future.") % {"date": day.strftime("%d/%m/%Y")} if not allow_future else
            _("%(date)s is too far ahead (more than %(years)s years).") % {
                "date": day.strftime("%d/%m/%Y"), "years": FUTURE_YEARS},
            code="date_too_late")


def past_date(value: dt.date | dt.datetime | None) -> None:
    plausible_date(value, allow_future=False)


note_length = MaxLengthValidator(NOTE_MAX_LENGTH)
short_text_length = MaxLengthValidator(SHORT_TEXT_MAX_LENGTH)


def validate_field(validator: Callable[[Any], None], value: Any, *, field: str) -> None:
    """Run one of these validators in a service: its refusal becomes an ApplicationError
    naming ``field`` (shown next to it on the page, 400 in the API)."""
    from .errors import ApplicationError

    try:
        validator(value)
    except ValidationError as error:
        raise ApplicationError(" ".join(error.messages), field=field) from None
