"""Reads of the dashboards area, always for a user. Figures only: nothing here reads a
person's identity, so nothing is written to the read log (``core.sensitive``)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from mboa.core.permissions import require

from . import figures, ownership
from .figures import Figure, Filters


def dashboard_for_user(*, user, filters: Filters, now: dt.datetime | None = None) -> list[tuple[Any, list[Figure]]]:
    require(user, "statistics.view_dashboards")
    now = now or timezone.now()
    return figures.dashboard(filters, today=timezone.localdate(now), now=now)


def region_map_for_user(*, user, filters: Filters) -> dict[str, Any]:
    """Cameroon's 10 regions coloured by returns, cases and projects (level 0: none, 1-4:
    quarters of the highest region), and the same figures as a table."""
    from django.utils.translation import gettext_lazy as _

    from mboa.actors.models import Region

    from .map import region_paths

    require(user, "statistics.view_dashboards")
    counts = figures.region_counts(filters)
    names = dict(Region.objects.values_list("code", "name"))
    paths = region_paths()
    maps = []
    for measure, label in (("returns", _("Returnees")), ("cases", _("Cases")), ("projects", _("Projects"))):
        highest = max([c.get(measure, 0) for c in counts.values()] or [0])
        regions = []
        for code, path in paths.items():
            value = counts.get(code, {}).get(measure, 0)
            level = 0 if not value else 1 + min(3, (4 * value - 1) // highest)
            regions.append({"code": code, "name": names.get(code, code), "path": path, "value": value, "level": level})
        maps.append({"measure": measure, "label": label, "regions": regions})
    rows = sorted(([names.get(code, code), *[counts.get(code, {}).get(m, 0) for m in ("returns", "cases", "projects")]]
                   for code in paths), key=lambda r: str(r[0]))
    return {"maps": maps, "rows": rows}


def ownership_for_user(*, user, filters: Filters, now: dt.datetime | None = None) -> dict[str, Any]:
    require(user, "statistics.view_ownership")
    return ownership.ownership_page(filters, now=now or timezone.now())


def key_figures_for_user(*, user, now: dt.datetime | None = None) -> dict[str, Any]:
    """The few figures of the home page of the donor, the statistician and the secretariat:
    this year so far (one aggregate query each)."""
    from mboa.cases.models import ACTIVE_STATUSES
    from mboa.projects.models import DossierStatus

    require(user, "statistics.view_dashboards")
    today = timezone.localdate(now or timezone.now())
    year = Filters(start=today.replace(month=1, day=1), end=today)
    return {
        "year": today.year,
        "returnees": figures.passengers(year).count(),
        "active_cases": figures.cases(Filters()).filter(status__in=ACTIVE_STATUSES).count(),
        "referrals": figures.referrals(year).count(),
        "projects_installed": figures.dossiers(Filters()).filter(status=DossierStatus.INSTALLED).count(),
    }


def reports_for_user(*, user, limit: int = 12) -> dict[str, Any]:
    """The reports the user may open: the dashboards, the ownership page, the latest arrival
    reports, the latest GTR syntheses, the referral delays. Arrivals and sessions are listed
    by reference and date only (no one is named)."""
    from mboa.core.permissions import check
    from mboa.projects.models import SessionStatus, ValidationSession
    from mboa.reception.models import Arrival, ArrivalStatus

    require(user, "statistics.view_dashboards")
    arrivals = []
    if check(user, "reception.view_report"):
        arrivals = list(Arrival.objects.exclude(status=ArrivalStatus.CANCELLED).filter(expected_at__lte=timezone.now())
                        .order_by("-expected_at").only("reference", "expected_at", "kind", "departure_country")[:limit])
    sessions = []
    if check(user, "projects.view_synthesis"):
        sessions = list(ValidationSession.objects.exclude(status=SessionStatus.PLANNED).order_by("-date")
                        .only("reference", "date", "place")[:limit])
    return {"arrivals": arrivals, "sessions": sessions, "may_delays": check(user, "referrals.view_delays")}
