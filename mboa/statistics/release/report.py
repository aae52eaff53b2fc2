"""The donor's periodic report: the programme's indicators for a period, as a page, an
XLSX workbook (formula-safe) and a PDF (WeasyPrint). Figures only, nobody named."""

from __future__ import annotations

import io
from dataclasses import dataclass

from django.template.loader import render_to_string
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from mboa.core.spreadsheets import keep_text, safe_cell

from .indicators import Filters, Indicator, Value


@dataclass
class Line:
    code: str
    label: str
    value: str
    numerator: int | None
    denominator: int | None


def display(indicator: Indicator, value: Value) -> str:
    if value.value is None:
        return "—"
    if indicator.unit == "rate":
        return f"{formats.number_format(value.value * 100, 1)} %"
    if indicator.unit == "mean":
        return formats.number_format(value.value, 2)
    if indicator.unit == "days":
        return _("%(n)s days") % {"n": formats.number_format(value.value, 1)}
    return formats.number_format(value.value, 0, force_grouping=True)


def sections(values: list[tuple[Indicator, Value]]) -> list[tuple[str, list[Line]]]:
    """The indicators by group, in the registry's order."""
    result: list[tuple[str, list[Line]]] = []
    for indicator, value in values:
        group = str(indicator.group or _("Other"))
        if not result or result[-1][0] != group:
            result.append((group, []))
        result[-1][1].append(Line(indicator.code, str(indicator.label), display(indicator, value),
                                  value.numerator, value.denominator))
    return result


def report_xlsx(*, filters: Filters, values: list[tuple[Indicator, Value]], region_name: str = "") -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Periodic report")[:31]
    sheet.append([safe_cell(_("Periodic report")), safe_cell(f"{filters.date_from:%d/%m/%Y} – {filters.date_to:%d/%m/%Y}")])
    sheet["A1"].font = Font(bold=True)
    sheet.append([safe_cell(_("Region")), safe_cell(region_name or _("Whole country"))])
    sheet.append([safe_cell(_("Indicator")), safe_cell(_("Code")), safe_cell(_("Value")), safe_cell(_("Numerator")),
                  safe_cell(_("Denominator"))])
    for title, lines in sections(values):
        sheet.append([])
        sheet.append([safe_cell(title)])
        sheet.cell(row=sheet.max_row, column=1).font = Font(bold=True)
        for line in lines:
            raw = next(v for i, v in values if i.code == line.code).value
            sheet.append([safe_cell(line.label), safe_cell(line.code), raw if raw is not None else "",
                          line.numerator if line.numerator is not None else "",
                          line.denominator if line.denominator is not None else ""])
    keep_text(sheet)
    sheet.column_dimensions["A"].width = 55
    sheet.column_dimensions["B"].width = 24
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def report_pdf(*, filters: Filters, values: list[tuple[Indicator, Value]], region_name: str = "") -> bytes:
    from weasyprint import HTML

    html = render_to_string("statistics/release/donor_report_pdf.html", {
        "filters": filters, "sections": sections(values), "region_name": region_name,
        "generated_at": timezone.now()})
    return HTML(string=html).write_pdf()
