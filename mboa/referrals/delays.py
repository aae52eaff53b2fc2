"""Referral delays: service-level targets per service (settings), what is overdue, and the
response times per structure, service and month.

Response times are measured from the ``<status>_at`` columns:
sent → acknowledged, sent → accepted, accepted → delivered. A step skipped (accepted
without an acknowledgement) counts its acknowledgement at the acceptance, since the
structure answered then.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections.abc import Iterable, Sequence
from typing import Any

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from mboa.core.conf import settings_group

from .models import ReferralStatus as R
from .models import Urgency

STAGES = ("acknowledge", "accept", "deliver")
GROUPS = ("structure", "service", "month")


def targets(service_code: str) -> dict[str, float]:
    """Days allowed for each stage of a referral to ``service_code``."""
    sla = settings_group("REFERRALS")["SLA"]
    return {**sla["default"], **sla.get(service_code, {})}


def _stage_q(t: dict[str, float], now: dt.datetime) -> Q:
    return (
        Q(status=R.SENT, sent_at__lt=now - dt.timedelta(days=t["acknowledge_days"]))
        | Q(status__in=(R.SENT, R.ACKNOWLEDGED), sent_at__lt=now - dt.timedelta(days=t["accept_days"]))
        | Q(status__in=(R.ACCEPTED, R.IN_PROGRESS), accepted_at__lt=now - dt.timedelta(days=t["deliver_days"]))
    )


def overdue_q(*, now: dt.datetime | None = None) -> Q:
    """A filter for the referrals past their target at ``now`` (one SQL condition)."""
    now = now or timezone.now()
    listed = [code for code in settings_group("REFERRALS")["SLA"] if code != "default"]
    condition = ~Q(service_id__in=listed) & _stage_q(targets("default"), now)
    for code in listed:
        condition |= Q(service_id=code) & _stage_q(targets(code), now)
    urgent_hours = settings_group("REFERRALS")["URGENT_ACKNOWLEDGE_HOURS"]
    condition |= Q(urgency=Urgency.URGENT, status=R.SENT, sent_at__lt=now - dt.timedelta(hours=urgent_hours))
    return condition


def current_due(referral: Any) -> tuple[str, dt.datetime | None]:
    """(stage awaited, when it is due) for an open referral; ("", None) otherwise."""
    t = targets(referral.service_id)
    if referral.status == R.SENT:
        due = referral.sent_at + dt.timedelta(days=t["acknowledge_days"])
        if referral.urgency == Urgency.URGENT:
            due = min(due, referral.sent_at + dt.timedelta(hours=settings_group("REFERRALS")["URGENT_ACKNOWLEDGE_HOURS"]))
        return str(_("acknowledgement")), due
    if referral.status == R.ACKNOWLEDGED:
        return str(_("acceptance")), referral.sent_at + dt.timedelta(days=t["accept_days"])
    if referral.status in (R.ACCEPTED, R.IN_PROGRESS) and referral.accepted_at:
        return str(_("delivery")), referral.accepted_at + dt.timedelta(days=t["deliver_days"])
    return "", None


def is_overdue(referral: Any, now: dt.datetime | None = None) -> bool:
    now = now or timezone.now()
    _stage, due = current_due(referral)
    return due is not None and due < now


def _hours(start: dt.datetime | None, end: dt.datetime | None) -> float | None:
    if start is None or end is None:
        return None
    return max(0.0, (end - start).total_seconds() / 3600)


REPORT_FIELDS = ("structure__code", "service_id", "sent_at", "acknowledged_at", "accepted_at", "declined_at",
                 "delivered_at", "status", "urgency")


def _measures(row: dict[str, Any]) -> dict[str, float | None]:
    answered = row["acknowledged_at"] or row["accepted_at"] or row["declined_at"]
    return {
        "acknowledge": _hours(row["sent_at"], answered),
        "accept": _hours(row["sent_at"], row["accepted_at"]),
        "deliver": _hours(row["accepted_at"], row["delivered_at"]),
    }


def _summary(values: Sequence[float]) -> dict[str, float | None]:
    if not values:
        return {"n": 0, "median": None, "mean": None}
    return {"n": len(values), "median": round(statistics.median(values), 1),
            "mean": round(statistics.fmean(values), 1)}


def delay_report(*, rows: Iterable[dict[str, Any]], group_by: Sequence[str] = GROUPS,
                 now: dt.datetime | None = None) -> list[dict[str, Any]]:
    """Response times in hours (median, mean, count) and the share within target, per group.

    ``rows`` are ``Referral`` values with ``REPORT_FIELDS``; ``group_by`` any of
    ``structure``, ``service``, ``month`` (month of sending, local time).
    """
    now = now or timezone.now()
    groups: dict[tuple, dict[str, Any]] = {}
    for row in rows:
        local = timezone.localtime(row["sent_at"])
        key_parts = {"structure": row["structure__code"], "service": row["service_id"], "month": f"{local:%Y-%m}"}
        key = tuple(key_parts[g] for g in group_by)
        group = groups.setdefault(key, {"key": dict(zip(group_by, key, strict=True)), "referrals": 0, "overdue": 0,
                                        **{s: [] for s in STAGES}, **{f"{s}_within": 0 for s in STAGES}})
        group["referrals"] += 1
        t = targets(row["service_id"])
        for stage, hours in _measures(row).items():
            if hours is None:
                continue
            group[stage].append(hours)
            group[f"{stage}_within"] += hours <= t[f"{stage}_days"] * 24
        if _row_overdue(row, t, now):
            group["overdue"] += 1
    result = []
    for key in sorted(groups):
        group = groups[key]
        out = {**group["key"], "referrals": group["referrals"], "overdue": group["overdue"]}
        for stage in STAGES:
            values = group[stage]
            out[stage] = _summary(values)
            out[f"{stage}_within_target"] = round(group[f"{stage}_within"] / len(values), 3) if values else None
        result.append(out)
    return result


def _row_overdue(row: dict[str, Any], t: dict[str, float], now: dt.datetime) -> bool:
    status, sent = row["status"], row["sent_at"]
    if status == R.SENT:
        limit = dt.timedelta(days=t["acknowledge_days"])
        if row["urgency"] == Urgency.URGENT:
            limit = min(limit, dt.timedelta(hours=settings_group("REFERRALS")["URGENT_ACKNOWLEDGE_HOURS"]))
        return sent + limit < now
    if status == R.ACKNOWLEDGED:
        return sent + dt.timedelta(days=t["accept_days"]) < now
    if status in (R.ACCEPTED, R.IN_PROGRESS) and row["accepted_at"]:
        return row["accepted_at"] + dt.timedelta(days=t["deliver_days"]) < now
    return False
