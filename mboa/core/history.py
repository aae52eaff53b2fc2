"""Read the audit trail kept by django-simple-history, as rows a person can read."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass
class HistoryRow:
    when: Any
    who: Any
    kind: str
    changes: list[tuple[str, Any, Any]]


def history_rows(obj: Any, *, limit: int = 50) -> list[HistoryRow]:
    """Newest first: who did what, and for updates which fields changed from what to what."""
    records = list(obj.history.select_related("history_user").order_by("-history_date", "-history_id")[: limit + 1])
    rows = []
    for index, record in enumerate(records[:limit]):
        changes: list[tuple[str, Any, Any]] = []
        previous = records[index + 1] if index + 1 < len(records) else None
        if record.history_type == "~" and previous is not None:
            delta = record.diff_against(previous)
            for change in delta.changes:
                try:
                    label = str(getattr(obj._meta.get_field(change.field), "verbose_name", change.field))
                except Exception:  # noqa: BLE001 - a field removed since
                    label = change.field
                changes.append((label, change.old, change.new))
        rows.append(HistoryRow(record.history_date, record.history_user, record.get_history_type_display(), changes))
    return rows
