"""Key figures of reception for the governance briefing pack (mboa.governance.briefing)."""

from django.utils.translation import gettext_lazy as _

from mboa.governance.briefing import KeyFigure, register_key_figure

from .models import Arrival, ArrivalStatus, Passenger

register_key_figure(KeyFigure(
    "reception.arrivals", _("Arrivals received"),
    lambda since, until: Arrival.objects.filter(status=ArrivalStatus.COMPLETED, expected_at__gte=since,
                                                expected_at__lt=until).count(),
    order=100,
))
register_key_figure(KeyFigure(
    "reception.returnees", _("Returnees on the arrivals received"),
    lambda since, until: Passenger.objects.filter(arrival__status=ArrivalStatus.COMPLETED, arrival__expected_at__gte=since,
                                                  arrival__expected_at__lt=until).count(),
    order=110,
))
