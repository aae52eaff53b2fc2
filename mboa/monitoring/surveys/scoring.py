"""The arithmetic of the sustainability scores, with nothing else in it (no database).

For one survey and one weight set:

- an **indicator**'s score is the weighted mean of the scores of its answered questions
  (each answer's score is the chosen option's, in [0, 1]; weight: the question's);
- a **dimension**'s score is the weighted mean of the scores of its indicators that have
  one (weight: the indicator's);
- the **composite** is the weighted mean of the dimensions that have a score (weight: the
  dimension's).

A question or an indicator that the weight set does not weigh counts 1; a dimension it
does not weigh counts 0 (so a weight set says explicitly what the composite is made of).
Unanswered questions are left out and the weights of the others renormalised; a
dimension with no answer at all has no score (None), and the composite is computed over
the dimensions that have one. Every score is rounded to 4 decimals, half up. Weighted
means of numbers in [0, 1] with non-negative weights stay in [0, 1].
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

DIMENSIONS = ("economic", "social", "psychosocial")
PLACES = Decimal("0.0001")


@dataclass(frozen=True)
class Scored:
    """One answered question: its code, indicator, dimension and the answer's score."""

    question: str
    indicator: str
    dimension: str
    score: Decimal


def _mean(pairs: Iterable[tuple[Decimal, Decimal]]) -> Decimal | None:
    """Weighted mean of (weight, value) pairs; None when the weights sum to 0."""
    pairs = list(pairs)
    total = sum((w for w, _v in pairs), Decimal(0))
    if not total:
        return None
    return sum((w * v for w, v in pairs), Decimal(0)) / total


def compute(answers: Iterable[Scored], weights: Mapping[tuple[str, str], Decimal]) -> dict[str, Decimal | None]:
    """``{"economic", "social", "psychosocial", "composite"}`` -> score in [0, 1] or None.
    ``weights``: ``{(level, code): weight}`` with level ``question`` / ``indicator`` / ``dimension``."""
    by_indicator: dict[str, list[Scored]] = {}
    dimension_of: dict[str, str] = {}
    for answer in answers:
        by_indicator.setdefault(answer.indicator, []).append(answer)
        dimension_of[answer.indicator] = answer.dimension
    indicator_scores: dict[str, Decimal] = {}
    for indicator, items in by_indicator.items():
        value = _mean((weights.get(("question", a.question), Decimal(1)), a.score) for a in items)
        if value is not None:
            indicator_scores[indicator] = value
    result: dict[str, Decimal | None] = {}
    for dimension in DIMENSIONS:
        result[dimension] = _mean((weights.get(("indicator", code), Decimal(1)), value)
                                  for code, value in indicator_scores.items() if dimension_of[code] == dimension)
    result["composite"] = _mean((weights.get(("dimension", d), Decimal(0)), result[d])
                                for d in DIMENSIONS if result[d] is not None)
    return {name: None if value is None else value.quantize(PLACES, rounding=ROUND_HALF_UP)
            for name, value in result.items()}
