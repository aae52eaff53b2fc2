"""Figures as an XLSX workbook: one sheet per figure (its table), formula-safe: every text
cell is written as text, and text a spreadsheet would read as a formula gets an apostrophe."""

from __future__ import annotations

import io
import re
from collections.abc import Iterable
from typing import Any

from django.utils.translation import gettext as _

from mboa.core.spreadsheets import keep_text
from mboa.core.spreadsheets import safe_cell as core_safe_cell

from .figures import Figure, Filters


def safe_cell(value: Any) -> Any:
    """A figure's value for a cell: numbers as they are, anything else as formula-safe text."""
    if value is None:
        return ""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return value
    return core_safe_cell(str(value))


def _sheet_title(title: str, used: set[str]) -> str:
    base = re.sub(r"[\[\]\*\?/\\:]", " ", title)[:28].strip() or "Sheet"
    name, n = base, 2
    while name in used:
        name, n = f"{base[:26]} {n}", n + 1
    used.add(name)
    return name


def figures_xlsx(figures: Iterable[Figure], *, filters: Filters, title: str) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    workbook.remove(workbook.active)
    used: set[str] = set()
    for figure in figures:
        sheet = workbook.create_sheet(_sheet_title(str(figure.title), used))
        sheet.append([safe_cell(str(figure.title))])
        sheet["A1"].font = Font(bold=True)
        sheet.append([safe_cell(f"{title} · " + (", ".join(f"{k}={v}" for k, v in filters.as_query().items())
                                                  or _("no filter")))])
        sheet.append([safe_cell(str(c)) for c in figure.columns])
        for cell in sheet[3]:
            cell.font = Font(bold=True)
        for row in figure.rows:
            sheet.append([safe_cell(v) for v in row])
        if figure.note:
            sheet.append([])
            sheet.append([safe_cell(str(figure.note))])
        keep_text(sheet)
        sheet.column_dimensions["A"].width = 40
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
