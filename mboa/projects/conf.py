"""The projects app's rules that are settings (``settings.MBOA_PROJECTS``), with defaults.

Scales, weights, quorum and eligibility are programme decisions, not code: they live in
settings. The scoring block is *versioned*: each review stores the version and weights it
was scored with, so changing the weights never rewrites past scores.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings

DEFAULTS: dict[str, Any] = {
    "ELIGIBILITY": {
        # A returnee may ask for funding one month after return (DOMAIN.md).
        "MIN_DAYS_AFTER_RETURN": 30,
        # In-kind support per returnee promoter (community members do not raise the ceiling).
        "BUDGET_CEILING_PER_RETURNEE_XAF": 800_000,
        # Collective and community projects need at least this many returnees.
        "MIN_RETURNEES_COLLECTIVE": 2,
        # A project whose expected monthly margin is not positive is not eligible.
        "REQUIRE_POSITIVE_MARGIN": True,
    },
    "SCORING": {
        "VERSION": "2017.1",
        "SCALE_MIN": 0,
        "SCALE_MAX": 5,
        "WEIGHTS": {"profitability": 0.3, "viability": 0.3, "relevance": 0.2, "feasibility": 0.2},
    },
    # Quorum: share of the body's current member structures present, and a minimum count.
    "QUORUM": {"MIN_SHARE": 0.5, "MIN_STRUCTURES": 5},
    # Seconds during which a batch determination can be undone.
    "UNDO_SECONDS": 600,
    # Reviewer spread (max - min combined score) at or above which a dossier is flagged.
    "SPREAD_ALERT": 1.5,
}


def conf(name: str) -> Any:
    value = getattr(settings, "MBOA_PROJECTS", {}).get(name)
    default = DEFAULTS[name]
    if isinstance(default, dict):
        return {**default, **(value or {})}
    return default if value is None else value


def scoring() -> dict[str, Any]:
    return conf("SCORING")
