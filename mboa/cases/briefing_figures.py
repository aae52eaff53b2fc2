"""Key figures of case management for the governance briefing pack."""

from django.utils.translation import gettext_lazy as _

from mboa.governance.briefing import KeyFigure, register_key_figure

from .models import Case

register_key_figure(KeyFigure(
    "cases.opened", _("Cases opened"),
    lambda since, until: Case.objects.filter(opened_at__gte=since, opened_at__lt=until).count(),
    order=200,
))
register_key_figure(KeyFigure(
    "cases.closed", _("Cases closed"),
    lambda since, until: Case.objects.filter(closed_at__gte=since, closed_at__lt=until).count(),
    order=210,
))
