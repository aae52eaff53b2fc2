"""Readable labels for case vocabulary codes in pages."""

from django import template

from mboa.cases.assessments import vulnerability_label

register = template.Library()


@register.filter
def vulnerability(code: str) -> str:
    """``{{ v.category|vulnerability }}``: "Victim of trafficking", not ``trafficking_victim``."""
    return vulnerability_label(code)
