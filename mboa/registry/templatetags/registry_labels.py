"""Readable labels for the matcher's reasons (``{"name": "high", ...}``) in pages."""

from django import template
from django.utils.translation import gettext_lazy as _

register = template.Library()

FIELD_LABELS = {
    "name": _("Name"), "date_of_birth": _("Date of birth"), "sex": _("Sex"), "document": _("Document"),
    "phone": _("Phone"), "place_of_birth": _("Place of birth"), "nationality": _("Nationality"),
    "address": _("Address"),
}
LEVEL_LABELS = {
    "exact": _("identical"), "high": _("very close"), "medium": _("partly alike"), "low": _("different"),
    "swapped": _("day and month swapped"), "partial_agree": _("agrees as far as known"),
    "day_differs": _("day or month differs"), "year_only": _("same year only"), "near_year": _("one year apart"),
    "differ": _("differs"), "agree": _("agrees"), "missing": _("unknown on one side"),
}


@register.filter
def reason_field(code: str) -> str:
    return FIELD_LABELS.get(code, code)


@register.filter
def reason_level(code: str) -> str:
    return LEVEL_LABELS.get(code, code)
