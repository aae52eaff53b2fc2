"""Tables with margins and cell suppression for the anonymised statistical release.

A table is a hypercube: each dimension has its levels plus ``Total`` (the margin), and every
combination is a cell. Along each dimension, each *line* (all other coordinates fixed,
``Total`` included) is an equation: the cells of its levels sum to its ``Total`` cell.

- **Primary suppression**: a cell counting 1 to threshold-1 people is not published
  (``n`` empty, ``flag`` = ``c``). Zeros are published: "nobody" identifies no one.
- **Secondary suppression**: a line with exactly one suppressed cell would give it away
  (total minus the others), so another cell of that line is suppressed too: the smallest
  positive level, a margin last (zeros are published and never hidden). This is repeated to a fixed point, margins
  included. Then, since a cell can also be recovered by combining several lines, the
  whole system is solved: any suppressed cell the published cells and margins determine
  (it is a pivot of the reduced system with no free unknown in its row) gets one more
  complement, and the search starts again. The test solves the published tables again,
  with exact fractions and with interval bounds, as an intruder would.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass, field

TOTAL = "Total"
Key = tuple[str, ...]

# Arithmetic modulo a large prime: exact for these small integer systems (coefficients
# 0, 1, -1), and much faster than fractions on hundreds of unknowns.
_P = (1 << 61) - 1


@dataclass
class Table:
    """One published table: its dimension columns, the levels of each (without Total) and
    the count of each interior cell (absent: 0)."""

    name: str
    dims: Sequence[str]
    levels: dict[str, list[str]]
    counts: dict[Key, int]
    title: str = ""
    description: str = ""
    # Filled by :func:`protect`: every cell with margins, and the suppressed ones.
    cells: dict[Key, int] = field(default_factory=dict)
    suppressed: set[Key] = field(default_factory=set)

    def rows(self) -> list[tuple[Key, int | None, str]]:
        """(dimension values, n or None when suppressed, flag) for every cell, margins last."""
        order = {d: {v: i for i, v in enumerate([*self.levels[d], TOTAL])} for d in self.dims}
        keys = sorted(self.cells, key=lambda k: tuple(order[d][v] for d, v in zip(self.dims, k, strict=True)))
        return [(k, None, "c") if k in self.suppressed else (k, self.cells[k], "") for k in keys]


def with_margins(dims: Sequence[str], levels: dict[str, list[str]], counts: dict[Key, int]) -> dict[Key, int]:
    """Every cell of the hypercube (levels and Total on each dimension) with its count."""
    grid = dict.fromkeys(itertools.product(*[[*levels[d], TOTAL] for d in dims]), 0)
    for key, n in counts.items():
        if not n:
            continue
        for mask in itertools.product((False, True), repeat=len(dims)):
            margin = tuple(TOTAL if m else v for v, m in zip(key, mask, strict=True))
            grid[margin] += n
    return grid


def lines(dims: Sequence[str], levels: dict[str, list[str]]) -> list[tuple[list[Key], Key]]:
    """Each equation of the table: (the cells of a line's levels, its Total cell)."""
    result = []
    for i, dim in enumerate(dims):
        others = [[*levels[d], TOTAL] for j, d in enumerate(dims) if j != i]
        for fixed in itertools.product(*others):
            def cell(value: str, fixed: tuple = fixed, i: int = i) -> Key:
                return (*fixed[:i], value, *fixed[i:])
            result.append(([cell(v) for v in levels[dim]], cell(TOTAL)))
    return result


def _complement(members: list[Key], total: Key, suppressed: set[Key], cells: dict[Key, int],
                open_lines: dict[Key, int] | None = None) -> Key | None:
    """The cell of a line to suppress with another: never a zero (zeros are published, and
    with every hidden cell positive, a cell the equations leave open is also open to
    bounds: it can move both ways), one of the line's levels before its total (margins
    are what users read most), an inner cell before a margin of another line; among
    those, one that also closes other lines left with a single hidden cell
    (``open_lines``), then the smallest. A line with one hidden cell always has one:
    its total is at least that cell's count."""
    open_lines = open_lines or {}

    def cost(key: Key) -> tuple:
        n = cells[key]
        return (key == total, key.count(TOTAL), -open_lines.get(key, 0), n, key)
    candidates = [k for k in [*members, total] if k not in suppressed and cells[k] > 0]
    return min(candidates, key=cost) if candidates else None


def determined(cells: dict[Key, int], suppressed: set[Key],
               equations: list[tuple[list[Key], Key]]) -> set[Key]:
    """The suppressed cells that the published cells and margins pin down exactly.

    Each equation restricted to the unknowns (levels +1, total -1) is reduced to row
    echelon form; an unknown is determined when it is a pivot whose row holds no free
    unknown (then its value is the row's constant)."""
    index = {key: i for i, key in enumerate(sorted(suppressed))}
    rows: list[dict[int, int]] = []
    for members, total in equations:
        row: dict[int, int] = {}
        for key, coef in [*((m, 1) for m in members), (total, -1)]:
            if key in index:
                row[index[key]] = (row.get(index[key], 0) + coef) % _P
        row = {c: v for c, v in row.items() if v}
        if row:
            rows.append(row)
    pivots: dict[int, dict[int, int]] = {}  # pivot column -> its (normalised) row
    for row in rows:
        for col, prow in pivots.items():  # reduce by existing pivots
            if col in row:
                factor = row[col]
                for c, v in prow.items():
                    row[c] = (row.get(c, 0) - factor * v) % _P
                row = {c: v for c, v in row.items() if v}
        if not row:
            continue
        col = min(row)
        inverse = pow(row[col], _P - 2, _P)
        row = {c: v * inverse % _P for c, v in row.items()}
        for other in pivots.values():  # keep every pivot row reduced (RREF)
            if col in other:
                factor = other[col]
                for c, v in row.items():
                    other[c] = (other.get(c, 0) - factor * v) % _P
                for c in [c for c, v in other.items() if not v]:
                    del other[c]
        pivots[col] = row
    keys = {i: key for key, i in index.items()}
    return {keys[col] for col, row in pivots.items() if set(row) == {col}}


def protect(table: Table, threshold: int) -> Table:
    """Fill ``table.cells`` and ``table.suppressed`` (primary, then secondary to a fixed point)."""
    cells = with_margins(table.dims, table.levels, table.counts)
    suppressed = {key for key, n in cells.items() if 0 < n < threshold}
    equations = lines(table.dims, table.levels)
    while True:
        changed = True
        while changed:
            changed = False
            open_lines: dict[Key, int] = {}  # cell -> lines through it with one hidden cell
            for members, total in equations:
                line = [*members, total]
                if sum(k in suppressed for k in line) == 1:
                    for k in line:
                        open_lines[k] = open_lines.get(k, 0) + 1
            for members, total in equations:
                line = [*members, total]
                hidden = [k for k in line if k in suppressed]
                if len(hidden) == 1:
                    pick = _complement(members, total, suppressed, cells, open_lines)
                    if pick is not None:
                        suppressed.add(pick)
                        changed = True
        exposed = determined(cells, suppressed, equations)
        if not exposed:
            break
        # A cell recoverable by combining lines: hide one more cell of one of its lines.
        for key in sorted(exposed):
            for members, total in equations:
                line = [*members, total]
                if key in line:
                    pick = _complement(members, total, suppressed, cells)
                    if pick is not None:
                        suppressed.add(pick)
                        break
            else:
                continue
            break
        else:  # nothing left to hide: everything of the table goes unpublished
            suppressed |= set(cells)
            break
    table.cells, table.suppressed = cells, suppressed
    return table
