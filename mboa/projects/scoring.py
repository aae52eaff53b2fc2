"""Scores: the combined score of one review, and the summary of a dossier's reviews."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from django.utils.translation import gettext as _

from mboa.core.conf import setting
from mboa.core.errors import ApplicationError

from .models import CRITERIA, CRITERIA_LABELS


def validate_scores(scores: Mapping[str, object], config: Mapping | None = None) -> dict[str, int]:
    """Return the four scores as ints, or raise naming the criterion at fault."""
    config = config or setting("PROJECTS", "SCORING")
    low, high = int(config["SCALE_MIN"]), int(config["SCALE_MAX"])
    clean: dict[str, int] = {}
    for criterion in CRITERIA:
        raw = scores.get(criterion)
        try:
            value = int(str(raw).strip())
        except (TypeError, ValueError):
            raise ApplicationError(_("%(criterion)s: give a whole number from %(low)s to %(high)s.") % {
                "criterion": CRITERIA_LABELS[criterion], "low": low, "high": high}, field=criterion) from None
        if not low <= value <= high:
            raise ApplicationError(_("%(criterion)s: %(value)s is outside the scale %(low)s–%(high)s.") % {
                "criterion": CRITERIA_LABELS[criterion], "value": value, "low": low, "high": high}, field=criterion)
        clean[criterion] = value
    return clean


def combine(scores: Mapping[str, int], weights: Mapping[str, float]) -> float:
    """Weighted mean of the four criteria (weights need not sum to 1)."""
    total_weight = sum(float(weights[c]) for c in CRITERIA)
    return round(sum(scores[c] * float(weights[c]) for c in CRITERIA) / total_weight, 3)


def summarise(reviews: Iterable) -> dict:
    """Mean combined score, spread (max - min between reviewers), and mean per criterion."""
    reviews = list(reviews)
    if not reviews:
        return {"count": 0, "mean": None, "spread": None, "criteria": {}}
    combined = [r.combined for r in reviews]
    return {
        "count": len(reviews),
        "mean": round(sum(combined) / len(combined), 3),
        "spread": round(max(combined) - min(combined), 3),
        "criteria": {c: round(sum(getattr(r, c) for r in reviews) / len(reviews), 2) for c in CRITERIA},
    }
