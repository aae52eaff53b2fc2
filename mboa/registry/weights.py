"""Re-estimating the matcher's weights from the review queue's decisions (Fellegi-Sunter).

Each decided pair of the review queue is labelled: merged ("same person") or declared
"different people"; its ``reasons`` say which level of agreement each field reached. For
every field and level, ``m`` = share of the same-person pairs at that level, ``u`` =
share of the different-people pairs at that level, and the Fellegi-Sunter weight is
``log2(m / u)``. The result is a *suggestion* printed next to the weights in force
(``identity.WEIGHTS``): matching stays deterministic, and a person decides whether to
change the constants.

The sample is biased: only pairs that scored at least the review threshold reach the
queue, so ``u`` describes the look-alikes a case manager sees, not random pairs. That is
the population the threshold has to separate, which is what matters for tuning it.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from .identity import WEIGHTS

SMOOTHING = 0.5  # added to every count: a level never seen on one side gives a finite weight


@dataclass(frozen=True)
class LevelEstimate:
    field: str
    level: str
    same: int
    different: int
    m: float
    u: float
    suggested: float
    current: float


def estimate(decisions: Iterable[tuple[Mapping[str, str], bool]]) -> tuple[list[LevelEstimate], int, int]:
    """``decisions``: ``(reasons, same_person)`` pairs. Returns the estimates per field and
    level (in the order of ``identity.WEIGHTS``), and the numbers of same / different pairs."""
    same: Counter[tuple[str, str]] = Counter()
    different: Counter[tuple[str, str]] = Counter()
    n_same = n_different = 0
    for reasons, is_same in decisions:
        counter = same if is_same else different
        if is_same:
            n_same += 1
        else:
            n_different += 1
        for field_name, level in reasons.items():
            counter[(field_name, level)] += 1
    rows = []
    for field_name, levels in WEIGHTS.items():
        k = len(levels)
        for level, current in levels.items():
            s, d = same[(field_name, level)], different[(field_name, level)]
            m = (s + SMOOTHING) / (n_same + SMOOTHING * k)
            u = (d + SMOOTHING) / (n_different + SMOOTHING * k)
            rows.append(LevelEstimate(field_name, level, s, d, round(m, 4), round(u, 4),
                                      round(math.log2(m / u), 1), current))
    return rows, n_same, n_different
