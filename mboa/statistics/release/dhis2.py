"""Indicators as DHIS2 aggregate data: a ``dataValueSets`` JSON payload
(``{"dataValues": [{"dataElement", "period", "orgUnit", "value"}]}``) that a ministry's
DHIS2 imports with ``POST /api/dataValueSets``.

The mapping is configuration (``MBOA_STATISTICS["DHIS2_DATA_ELEMENTS"]``: indicator code →
data element UID; ``["DHIS2_ORG_UNITS"]``: region code, or ``CM`` for the whole country →
organisation unit UID). Indicators or regions without a mapping are left out; so are values
that cannot be computed (a rate with no denominator). Periods use DHIS2's ISO formats:
``2024`` (year), ``2024Q1`` (quarter), ``202401`` (month).
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from typing import Any

from django.utils.translation import gettext as _

from mboa.core.conf import setting
from mboa.core.errors import ApplicationError

from .indicators import Filters, evaluate, one_reading, registered

NATIONAL = "CM"
PERIOD = re.compile(r"^(?P<year>\d{4})(?:(?P<month>0[1-9]|1[0-2])|Q(?P<quarter>[1-4]))?$")
PERIOD_TYPES = ("monthly", "quarterly", "yearly")


def period_dates(period: str) -> tuple[dt.date, dt.date]:
    """First and last day of a DHIS2 period (``2024``, ``2024Q2``, ``202405``)."""
    match = PERIOD.match(period)
    if match is None:
        raise ApplicationError(_("“%(period)s” is not a period: write 2024, 2024Q1 or 202401.") % {"period": period},
                               field="period")
    year = int(match["year"])
    if match["month"]:
        first_month = last_month = int(match["month"])
    elif match["quarter"]:
        first_month = 3 * int(match["quarter"]) - 2
        last_month = first_month + 2
    else:
        first_month, last_month = 1, 12
    return dt.date(year, first_month, 1), dt.date(year, last_month, calendar.monthrange(year, last_month)[1])


def periods_between(date_from: dt.date, date_to: dt.date, period_type: str = "monthly") -> list[str]:
    """The DHIS2 periods that lie wholly within the dates."""
    if period_type not in PERIOD_TYPES:
        raise ApplicationError(_("The period type is monthly, quarterly or yearly."), field="period_type")
    periods, year = [], date_from.year
    while year <= date_to.year:
        if period_type == "yearly":
            candidates = [f"{year}"]
        elif period_type == "quarterly":
            candidates = [f"{year}Q{q}" for q in range(1, 5)]
        else:
            candidates = [f"{year}{m:02d}" for m in range(1, 13)]
        for period in candidates:
            first, last = period_dates(period)
            if first >= date_from and last <= date_to:
                periods.append(period)
        year += 1
    return periods


def _format(value: float | int) -> str:
    if isinstance(value, float) and not value.is_integer():
        return f"{value:.4f}".rstrip("0").rstrip(".")
    return str(int(value))


def data_value_set(*, periods: list[str]) -> dict[str, Any]:
    """The payload for the periods: one data value per mapped indicator, organisation unit
    and period. A system read of figures only; the API checks the reader's rule first."""
    if not periods:
        raise ApplicationError(_("Give a period (e.g. 202401) or dates spanning at least one whole period."),
                               field="period")
    limit = int(setting("STATISTICS", "DHIS2_MAX_PERIODS"))
    if len(periods) > limit:
        raise ApplicationError(_("At most %(n)s periods at once.") % {"n": limit}, field="period")
    elements: dict[str, str] = setting("STATISTICS", "DHIS2_DATA_ELEMENTS")
    units: dict[str, str] = setting("STATISTICS", "DHIS2_ORG_UNITS")
    values = []
    with one_reading():
        for period in periods:
            first, last = period_dates(period)
            for region, org_unit in sorted(units.items()):
                filters = Filters(first, last, "" if region == NATIONAL else region)
                for indicator in registered():
                    element = elements.get(indicator.code)
                    if not element:
                        continue
                    result = evaluate(indicator, filters)
                    if result.value is None:
                        continue
                    values.append({"dataElement": element, "period": period, "orgUnit": org_unit,
                                   "value": _format(result.value)})
    payload: dict[str, Any] = {"dataValues": values}
    data_set = setting("STATISTICS", "DHIS2_DATA_SET")
    if data_set:
        payload = {"dataSet": data_set, **payload}
    return payload
