"""The registry of the programme's indicators: each with a stable code, a label and a
function of the filters (period, region) that computes it by database aggregation.

The API (``/api/v1/indicators/``), the DHIS2 payload and the donor's report read every
registered indicator; an area adds its own with :func:`register` in its ``setup.ready()``.
Apps below statistics cannot import it (import layers): statistics registers their
indicators for them, from functions they offer (survival in monitoring, for instance).

A code never changes once published (DHIS2 mappings and INS series refer to it); an
indicator that is withdrawn keeps its code unused.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Filters:
    date_from: dt.date
    date_to: dt.date
    region: str = ""  # a region code (actors.Region); empty: the whole country


@dataclass(frozen=True)
class Value:
    """An indicator's value; a rate also carries its numerator and denominator."""

    value: int | float | None
    numerator: int | None = None
    denominator: int | None = None


def rate(numerator: int, denominator: int) -> Value:
    return Value(round(numerator / denominator, 4) if denominator else None, numerator, denominator)


@dataclass(frozen=True)
class Indicator:
    code: str
    label: Any
    compute: Callable[[Filters], Value | int | float | None]
    unit: str = "count"  # count, rate (0..1), days, mean (a mean score: shown with 2 decimals)
    group: Any = ""
    # What "region" means for it (region of origin, of the project...); "" when it is national only.
    region_basis: Any = ""
    order: int = 100


_registry: dict[str, Indicator] = {}


def register(*indicators: Indicator) -> None:
    for indicator in indicators:
        _registry[indicator.code] = indicator


def registered() -> list[Indicator]:
    return sorted(_registry.values(), key=lambda i: (i.order, i.code))


def get(code: str) -> Indicator | None:
    return _registry.get(code)


def evaluate(indicator: Indicator, filters: Filters) -> Value:
    """The indicator's value for the filters; national-only indicators have no regional value."""
    if filters.region and not indicator.region_basis:
        return Value(None)
    result = indicator.compute(filters)
    if isinstance(result, Value):
        return result
    return Value(result)


# Several indicators read the same grouped counts (returnees by sex and age, referrals by
# status...): within one reading of many indicators each count is computed once.
_reading: ContextVar[dict | None] = ContextVar("indicator_reading", default=None)


@contextmanager
def one_reading() -> Iterator[None]:
    """Evaluate several indicators (and filters) reading each shared count once."""
    token = _reading.set({})
    try:
        yield
    finally:
        _reading.reset(token)


def shared(counts: Callable[[Filters], Any], filters: Filters) -> Any:
    """``counts(filters)``, computed once per reading (every time outside one)."""
    memo = _reading.get()
    if memo is None:
        return counts(filters)
    key = (counts, filters)
    if key not in memo:
        memo[key] = counts(filters)
    return memo[key]


def evaluate_all(filters: Filters) -> list[tuple[Indicator, Value]]:
    """Every registered indicator with its value, in one reading."""
    with one_reading():
        return [(indicator, evaluate(indicator, filters)) for indicator in registered()]
