"""Weights re-estimated from the review queue: agreement the case managers merged on
weighs for a match, disagreement they separated on weighs against it."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from mboa.registry.weights import estimate

from .factories import DuplicateFactory

pytestmark = pytest.mark.django_db

SAME = {"name": "high", "date_of_birth": "exact", "phone": "agree"}
DIFFERENT = {"name": "high", "date_of_birth": "differ", "phone": "missing"}


def _level(rows, field, level):
    return next(r for r in rows if (r.field, r.level) == (field, level))


def test_levels_seen_among_merged_pairs_get_positive_weights():
    rows, n_same, n_different = estimate([(SAME, True)] * 30 + [(DIFFERENT, False)] * 20)
    assert (n_same, n_different) == (30, 20)
    assert _level(rows, "date_of_birth", "exact").suggested > 3
    assert _level(rows, "date_of_birth", "differ").suggested < -3
    assert abs(_level(rows, "name", "high").suggested) < 0.5  # both sides alike: says nothing


def test_command_prints_suggestions_next_to_current_weights():
    for _ in range(3):
        DuplicateFactory(status="merged", reasons=SAME)
        DuplicateFactory(status="different", reasons=DIFFERENT)
    DuplicateFactory(status="open", reasons=DIFFERENT)  # undecided: not counted
    out = StringIO()
    call_command("estimate_match_weights", "--min-decisions", "3", stdout=out)
    text = out.getvalue()
    assert "From 3 merged and 3 different pairs" in text
    line = next(x for x in text.splitlines() if x.startswith("date_of_birth") and " exact " in x)
    assert line.split()[2:4] == ["3", "0"]


def test_command_refuses_to_estimate_from_too_few_decisions():
    DuplicateFactory(status="merged", reasons=SAME)
    with pytest.raises(CommandError, match=r"1 pairs merged .* and 0 declared different; at least 100"):
        call_command("estimate_match_weights", stdout=StringIO())
