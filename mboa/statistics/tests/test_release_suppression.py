"""Suppression, tested by solving for it: for each published table, an intruder writes the
equations of the published cells and margins and tries to recover each suppressed cell,
exactly (linear algebra over the rationals) and by bounds (interval propagation with
counts ≥ 0). No suppressed cell may be pinned down."""

from __future__ import annotations

import csv
import datetime as dt
import io
import itertools
import random
from fractions import Fraction

import pytest
from django.core.management import call_command
from django.utils import timezone

from mboa.reception.tests.factories import ArrivalFactory, PassengerFactory
from mboa.statistics.release.suppression import TOTAL, Table, protect


def parse(text: str) -> tuple[list[str], dict[tuple, int | None]]:
    """A published CSV as the intruder reads it: dimension columns, cell -> n (None: hidden)."""
    reader = csv.DictReader(io.StringIO(text))
    dims = [c for c in reader.fieldnames if c not in ("n", "flag")]
    cells = {}
    for row in reader:
        key = tuple(row[d] for d in dims)
        if row["flag"] == "c":
            assert row["n"] == "", f"a suppressed cell shows its count: {row}"
            cells[key] = None
        else:
            cells[key] = int(row["n"])
    return dims, cells


def equations(dims: list[str], cells: dict[tuple, int | None]) -> list[tuple[list[tuple], tuple]]:
    """Every line of the table (levels along one dimension, with its Total), read from the file."""
    levels = [sorted({k[i] for k in cells if k[i] != TOTAL}) for i in range(len(dims))]
    result = []
    for i in range(len(dims)):
        others = [[*levels[j], TOTAL] for j in range(len(dims)) if j != i]
        for fixed in itertools.product(*others):
            line = [(*fixed[:i], v, *fixed[i:]) for v in levels[i]]
            result.append((line, (*fixed[:i], TOTAL, *fixed[i:])))
    return result


def exactly_determined(dims, cells) -> set[tuple]:
    """Suppressed cells whose value the equations fix, by Gauss-Jordan over fractions."""
    unknowns = sorted(k for k, n in cells.items() if n is None)
    index = {k: i for i, k in enumerate(unknowns)}
    rows = []
    for line, total in equations(dims, cells):
        row = [Fraction(0)] * len(unknowns)
        for key, coef in [*((k, 1) for k in line), (total, -1)]:
            if key in index:
                row[index[key]] += coef
        if any(row):
            rows.append(row)
    pivots, r = [], 0
    for c in range(len(unknowns)):
        p = next((i for i in range(r, len(rows)) if rows[i][c] != 0), None)
        if p is None:
            continue
        rows[r], rows[p] = rows[p], rows[r]
        rows[r] = [v / rows[r][c] for v in rows[r]]
        for i in range(len(rows)):
            if i != r and rows[i][c] != 0:
                f = rows[i][c]
                rows[i] = [a - f * b for a, b in zip(rows[i], rows[r], strict=True)]
        pivots.append((c, r))
        r += 1
    return {unknowns[c] for c, row in pivots if sum(1 for v in rows[row] if v != 0) == 1}


def bounds(dims, cells) -> dict[tuple, tuple[int, int]]:
    """Interval propagation: each unknown lies in [0, grand total] (unbounded above when
    the grand total is hidden); a line narrows each
    unknown to (its total − the others' upper bounds, its total − the others' lower bounds)."""
    grand = cells[tuple(TOTAL for _ in dims)]
    top = grand if grand is not None else 10**9
    low = {k: 0 for k, n in cells.items() if n is None}
    high = dict.fromkeys(low, top)
    eqs = equations(dims, cells)
    changed = True
    while changed:
        changed = False
        for line, total in eqs:
            # sum(line) - total = 0, with known parts moved to the right-hand side.
            terms = [(k, 1) for k in line] + [(total, -1)]
            for key, coef in terms:
                if key not in low:
                    continue
                rest_low = rest_high = 0
                for other, c in terms:
                    if other == key:
                        continue
                    lo, hi = (low[other], high[other]) if other in low else (cells[other], cells[other])
                    rest_low += c * (lo if c > 0 else hi)
                    rest_high += c * (hi if c > 0 else lo)
                # coef * x = -(rest)  =>  x in [-rest_high / coef, -rest_low / coef]
                lo, hi = sorted((-rest_high * coef, -rest_low * coef))
                if lo > low[key]:
                    low[key], changed = lo, True
                if hi < high[key]:
                    high[key], changed = hi, True
    return {k: (low[k], high[k]) for k in low}


def assert_protected(text: str, threshold: int) -> int:
    dims, cells = parse(text)
    hidden = [k for k, n in cells.items() if n is None]
    for key, n in cells.items():
        assert n is None or n == 0 or n >= threshold, f"{key}: {n} is under the threshold and published"
    assert not exactly_determined(dims, cells), "suppressed cells recoverable from the published totals"
    for key, (lo, hi) in bounds(dims, cells).items():
        assert lo < hi, f"{key} is pinned to {lo} by the published cells"
    return len(hidden)


def _csv(table: Table) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([*table.dims, "n", "flag"])
    for key, n, flag in table.rows():
        writer.writerow([*key, "" if n is None else n, flag])
    return out.getvalue()


def test_a_single_small_cell_in_a_row_takes_a_complement():
    table = protect(Table("t", ["a", "b"], {"a": ["x", "y"], "b": ["p", "q"]},
                          {("x", "p"): 2, ("x", "q"): 40, ("y", "p"): 30, ("y", "q"): 50}), 5)
    # Row x alone would give (x, p) = 42 - 40: its row, its column and the rest close around it.
    assert ("x", "p") in table.suppressed and len(table.suppressed) == 4
    assert assert_protected(_csv(table), 5) == 4


@pytest.mark.parametrize("seed", range(12))
def test_random_tables_in_two_and_three_dimensions_hide_every_suppressed_cell(seed):
    rng = random.Random(seed)
    dims = ["month", "sex", "age"][: 2 + seed % 2]
    levels = {"month": [f"2024-{m:02d}" for m in range(1, 2 + rng.randrange(6))], "sex": ["F", "M", "U"],
              "age": ["0-17", "18-24", "25-34", "35+"]}
    counts = {key: rng.choice([0, 0, 1, 2, 3, 4, 6, 9, 15, 40])
              for key in itertools.product(*[levels[d] for d in dims])}
    table = protect(Table("t", dims, {d: levels[d] for d in dims}, counts), 5)
    text = _csv(table)
    assert assert_protected(text, 5) >= sum(1 for n in counts.values() if 0 < n < 5)
    # The published margins are the true ones: nothing was perturbed.
    _dims, cells = parse(text)
    for key, n in cells.items():
        if n is not None and TOTAL in key:
            assert n == table.cells[key]


def test_a_cell_recoverable_only_by_combining_lines_is_hidden_too():
    """Hidden in a 2×2 block of a 3×3 table, every row and column has two unknowns, yet if
    the block's sum is fixed by margins... the exact solver finds any such case; the release
    adds complements until it finds none."""
    counts = {("x", "p"): 1, ("x", "q"): 1, ("y", "p"): 1, ("y", "q"): 1,
              ("x", "r"): 20, ("y", "r"): 20, ("z", "p"): 20, ("z", "q"): 20, ("z", "r"): 20}
    table = protect(Table("t", ["a", "b"], {"a": ["x", "y", "z"], "b": ["p", "q", "r"]}, counts), 5)
    assert assert_protected(_csv(table), 5) >= 4


@pytest.mark.django_db
def test_the_command_writes_protected_tables_a_readme_and_an_extract_without_names(tmp_path):
    from mboa.actors.models import Department

    department = Department.objects.order_by("code").first()
    from mboa.registry.tests.factories import PersonFactory

    when = timezone.make_aware(dt.datetime(2024, 3, 10, 9))
    big = ArrivalFactory(reference="big", status="completed", expected_at=when, expected_people=30)
    small = ArrivalFactory(reference="small", status="completed", expected_at=when + dt.timedelta(days=40),
                           expected_people=3)
    cancelled = ArrivalFactory(reference="off", status="cancelled", expected_at=when, expected_people=5)
    person = PersonFactory(family_name="Zanguimarq", place_of_birth=department)
    for i in range(24):
        PassengerFactory(arrival=big, family_name=f"Marqname{i}", sex="F" if i % 3 else "M", birth_year=1995,
                         vulnerabilities=["medical"] if i < 2 else [], person=person if i == 0 else None)
    for _i in range(2):
        PassengerFactory(arrival=small, family_name="Marqname", sex="F", birth_year=2010)
    for _i in range(5):
        PassengerFactory(arrival=cancelled, family_name="Marqname", sex="M", birth_year=1980)

    call_command("statistical_release", "--from", "2024-01-01", "--to", "2024-06-30", "--out", str(tmp_path),
                 stdout=io.StringIO())

    names = {p.name for p in tmp_path.iterdir()}
    assert {"README", "records_returnees.csv", "arrivals_month_sex_age.csv", "arrivals_month_region.csv",
            "arrivals_month_vulnerability.csv", "cases_status_region.csv", "referrals_structure_status.csv",
            "projects_sector_region_status.csv"} <= names
    readme = (tmp_path / "README").read_text()
    for name in names - {"README"}:
        assert name in readme, f"the README does not describe {name}"
        text = (tmp_path / name).read_text()
        assert "marq" not in text.lower(), f"{name} names a returnee"
    for name in names - {"README", "records_returnees.csv", "arrivals_month_vulnerability.csv"}:
        assert_protected((tmp_path / name).read_text(), 5)

    _dims, cells = parse((tmp_path / "arrivals_month_sex_age.csv").read_text())
    assert cells[("Total", "Total", "Total")] == 26  # the cancelled arrival did not take place
    assert cells[("Total", "M", "Total")] == 8 and cells[("Total", "M", "25-34")] == 8
    assert cells[("2024-04", "F", "0-17")] is None  # two children on the small arrival: suppressed
    # The vulnerability table: a sub-table per vulnerability, each protected on its own.
    vulnerability = list(csv.DictReader(io.StringIO((tmp_path / "arrivals_month_vulnerability.csv").read_text())))
    medical = [r for r in vulnerability if r["vulnerability"] == "medical"]
    assert {(r["month"], r["present"]): r["flag"] for r in medical}[("2024-03", "yes")] == "c"
    for code in {r["vulnerability"] for r in vulnerability}:
        rows = [r for r in vulnerability if r["vulnerability"] == code]
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(["month", "present", "n", "flag"])
        writer.writerows([[r["month"], r["present"], r["n"], r["flag"]] for r in rows])
        assert_protected(out.getvalue(), 5)

    records = list(csv.DictReader(io.StringIO((tmp_path / "records_returnees.csv").read_text())))
    assert set(records[0]) == {"month", "sex", "age_group", "region_of_origin", "vulnerable", "case_status"}
    combos: dict[tuple, int] = {}
    for r in records:
        assert len(r["month"]) == 7  # a month, never a day
        combos[(r["month"], r["sex"], r["age_group"], r["region_of_origin"])] = combos.get(
            (r["month"], r["sex"], r["age_group"], r["region_of_origin"]), 0) + 1
    assert min(combos.values()) >= 5, "a record-level combination is shared by fewer than 5 rows"
    # The one woman born in a known region was recoded (region *) rather than singled out.
    assert all(r["region_of_origin"] in ("unknown", "*") for r in records)
    assert "left out" in readme
