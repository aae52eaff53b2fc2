"""Differences between two versions of a dossier: changed fields and budget lines."""

from __future__ import annotations

from .models import DossierVersion
from .services import VERSION_FIELDS

COMPARED = (*VERSION_FIELDS, "budget_xaf")


def _value(version: DossierVersion, name: str):
    value = getattr(version, name)
    return str(value) if value is not None else ""


def version_diff(old: DossierVersion, new: DossierVersion) -> dict:
    fields = []
    for name in COMPARED:
        before, after = _value(old, name), _value(new, name)
        if before != after:
            fields.append({"field": name, "label": str(DossierVersion._meta.get_field(name).verbose_name),
                           "before": before, "after": after})

    def key(line):
        return (line.item, line.quantity.normalize(), line.unit_cost_xaf, line.supplier)

    old_lines = {key(ln): ln for ln in old.budget_lines.all()}
    new_lines = {key(ln): ln for ln in new.budget_lines.all()}

    def row(line):
        return {"item": line.item, "quantity": line.quantity, "unit_cost_xaf": line.unit_cost_xaf,
                "supplier": line.supplier, "total_xaf": line.total_xaf}

    return {
        "old": old, "new": new, "fields": fields,
        "lines_removed": [row(ln) for k, ln in old_lines.items() if k not in new_lines],
        "lines_added": [row(ln) for k, ln in new_lines.items() if k not in old_lines],
    }
