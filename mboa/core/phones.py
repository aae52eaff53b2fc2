"""Phone numbers: validated with ``phonenumbers`` and stored in E.164."""

from __future__ import annotations

import phonenumbers
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

DEFAULT_REGION = "CM"


def normalize_phone(raw: str, *, region: str = DEFAULT_REGION) -> str:
    """Return the number in E.164 (``+2376...``) or raise ValidationError saying why.

    Local Cameroonian numbers (``6 99 12 34 56``) are read in the default region; numbers
    from abroad need their ``+`` prefix.
    """
    raw = (raw or "").strip()
    if not raw:
        return ""
    try:
        number = phonenumbers.parse(raw, region)
    except phonenumbers.NumberParseException:
        raise ValidationError(_("“%(value)s” is not a phone number."), params={"value": raw}) from None
    if not phonenumbers.is_valid_number(number):
        raise ValidationError(
            _("“%(value)s” is not a valid phone number (give the country code for numbers abroad)."),
            params={"value": raw},
        )
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def format_phone(e164: str) -> str:
    if not e164:
        return ""
    try:
        return phonenumbers.format_number(phonenumbers.parse(e164), phonenumbers.PhoneNumberFormat.INTERNATIONAL)
    except phonenumbers.NumberParseException:
        return e164
