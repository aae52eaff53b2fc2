"""The arrival report: numbers by sex, age group, vulnerability, steps completed and
pocket money paid — as a dict (page), an XLSX workbook and a PDF. No names: it is for
the GTA, the donor and the statistics, and identifies nobody."""

from __future__ import annotations

import io
from collections import Counter
from typing import Any

from django.db.models import Count, Sum
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from mboa.core.spreadsheets import keep_text, safe_cell
from mboa.core.vocabulary import AGE_GROUPS, VULNERABILITIES, vulnerability_code

from .models import Arrival, Passenger, PocketMoneyPayment, ReceptionStep, Sex, StepCode, TaskStatus


def age_group(age: int | None) -> str:
    if age is None:
        return _("unknown")
    for low, high, label in AGE_GROUPS:
        if low <= age <= high:
            return label
    return _("unknown")


def arrival_report(arrival: Arrival) -> dict[str, Any]:
    """Every figure of the report, in a constant number of queries."""
    day = timezone.localtime(arrival.expected_at).date()
    rows = list(Passenger.objects.filter(arrival=arrival).values_list(
        "sex", "birth_year", "birth_month", "birth_day", "vulnerabilities", "urgent", "handed_over_at"))
    by_sex = Counter(r[0] for r in rows)
    by_age: Counter = Counter()
    by_vulnerability: Counter = Counter()
    for _sex, year, month, day_of_birth, flags, _urgent, _handed in rows:
        p = Passenger(birth_year=year, birth_month=month, birth_day=day_of_birth)
        by_age[age_group(p.age_on(day))] += 1
        for flag in flags or []:
            by_vulnerability[vulnerability_code(flag)] += 1
    steps = dict(ReceptionStep.objects.filter(passenger__arrival=arrival).values_list("step")
                 .annotate(n=Count("id")).values_list("step", "n"))
    money = PocketMoneyPayment.objects.filter(arrival=arrival).aggregate(n=Count("id"), total=Sum("amount"))
    police = dict(ReceptionStep.objects.filter(passenger__arrival=arrival, step=StepCode.POLICE)
                  .values_list("nationality_check").annotate(n=Count("id")).values_list("nationality_check", "n"))
    follow_up = ReceptionStep.objects.filter(passenger__arrival=arrival, step=StepCode.MEDICAL,
                                             needs_follow_up=True).count()
    tasks = dict(arrival.tasks.values_list("status").annotate(n=Count("id")).values_list("status", "n"))
    age_order = [label for _l, _h, label in AGE_GROUPS] + [_("unknown")]
    return {
        "arrival": arrival,
        "total": len(rows),
        "by_sex": [(str(label), by_sex.get(code, 0)) for code, label in Sex.choices],
        "by_age": [(label, by_age.get(label, 0)) for label in age_order],
        "by_vulnerability": [(str(info.label), by_vulnerability.get(code, 0)) for code, info in VULNERABILITIES.items()],
        "urgent": sum(1 for r in rows if r[5]),
        "steps": [(str(label), steps.get(code, 0)) for code, label in StepCode.choices],
        "steps_by_code": [(code, steps.get(code, 0)) for code in StepCode.values],
        "nationality": [(str(label), police.get(code, 0)) for code, label in
                        ReceptionStep._meta.get_field("nationality_check").choices],
        "medical_follow_up": follow_up,
        "pocket_money_count": money["n"] or 0,
        "pocket_money_total": money["total"] or 0,
        "handed_over": sum(1 for r in rows if r[6]),
        "tasks_done": tasks.get(TaskStatus.DONE, 0),
        "tasks_open": tasks.get(TaskStatus.OPEN, 0),
        "generated_at": timezone.now(),
    }


def report_sections(data: dict[str, Any]) -> list[tuple[str, list[tuple[str, Any]]]]:
    arrival = data["arrival"]
    return [
        (_("Arrival"), [
            (_("Reference"), arrival.reference), (_("Kind"), str(arrival.get_kind_display())),
            (_("Country of departure"), arrival.departure_country), (_("Entry point"), str(arrival.entry_point_label)),
            (_("Flight number"), arrival.flight_number),
            (_("Date"), timezone.localtime(arrival.expected_at).strftime("%d/%m/%Y %H:%M")),
            (_("Expected"), arrival.expected_people), (_("On the list"), data["total"]),
            (_("Notes"), arrival.notes),
        ]),
        (_("By sex"), data["by_sex"]),
        (_("By age group"), data["by_age"]),
        (_("Vulnerability at arrival"), [*data["by_vulnerability"], (_("Urgent"), data["urgent"])]),
        (_("Steps completed"), data["steps"]),
        (_("Nationality verification"), data["nationality"]),
        (_("Health"), [(_("Need medical follow-up"), data["medical_follow_up"])]),
        (_("Pocket money"), [(_("Returnees paid"), data["pocket_money_count"]),
                             (_("Total paid (XAF)"), data["pocket_money_total"])]),
        (_("Hand-over and GTA"), [(_("Handed over to case management"), data["handed_over"]),
                                  (_("GTA tasks done"), data["tasks_done"]), (_("GTA tasks open"), data["tasks_open"])]),
    ]


def report_xlsx(data: dict[str, Any]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Arrival report")[:31]
    sheet.append([safe_cell(_("Arrival report")), safe_cell(data["arrival"].reference)])
    sheet["A1"].font = Font(bold=True)
    for title, rows in report_sections(data):
        sheet.append([])
        sheet.append([safe_cell(title)])
        sheet.cell(row=sheet.max_row, column=1).font = Font(bold=True)
        for label, value in rows:
            sheet.append([safe_cell(str(label)), safe_cell(value if isinstance(value, int) else str(value or ""))])
    keep_text(sheet)
    sheet.column_dimensions["A"].width = 42
    sheet.column_dimensions["B"].width = 30
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def report_pdf(data: dict[str, Any]) -> bytes:
    from weasyprint import HTML

    html = render_to_string("reception/report_pdf.html", {"data": data, "sections": report_sections(data)})
    return HTML(string=html).write_pdf()
