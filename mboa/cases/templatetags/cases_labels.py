"""Readable labels for case vocabulary codes in pages."""

from django import template

from mboa.core.vocabulary import vulnerability_label

register = template.Library()


@register.filter
def vulnerability(code: str) -> str:
    """``{{ v.category|vulnerability }}``: "Victim of trafficking", not ``trafficking_victim``
    (the one vocabulary, :mod:`mboa.core.vocabulary`; former codes read as today's)."""
    return vulnerability_label(code)
