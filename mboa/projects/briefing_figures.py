"""Project figures for the governance briefing pack: validated and installed."""

from django.utils.translation import gettext_lazy as _

from mboa.governance.briefing import KeyFigure, register_key_figure

from .models import Determination, Dossier, DossierStatus, Outcome

register_key_figure(KeyFigure(
    "projects.approved", _("Projects approved by the GTR"),
    lambda since, until: Determination.objects.filter(
        outcome=Outcome.APPROVED, undone_at__isnull=True, decided_at__gte=since, decided_at__lt=until).count(),
    order=400,
))
register_key_figure(KeyFigure(
    "projects.installed", _("Projects installed (all time)"),
    lambda since, until: Dossier.objects.filter(status=DossierStatus.INSTALLED).count(),
    order=410,
))
