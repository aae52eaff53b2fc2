"""Reads of the reception app, always for a user (404 when they may not see it)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from mboa.core.permissions import check

from .imports import normalise_header
from .models import Arrival, ArrivalStatus, GtaTask, Manifest, Passenger, ReceptionStep, TaskStatus


def arrival_list_for_user(*, user: Any, status: str = "", search: str = "") -> QuerySet:
    if not check(user, "reception.view_arrivals") and not check(user, "reception.view_report"):
        return Arrival.objects.none()
    qs = Arrival.objects.annotate(
        passenger_count=Count("passengers", distinct=True),
        open_tasks=Count("tasks", filter=Q(tasks__status=TaskStatus.OPEN), distinct=True),
    )
    if status:
        qs = qs.filter(status=status)
    if search:
        qs = qs.filter(Q(reference__icontains=search) | Q(flight_number__icontains=search)
                       | Q(departure_country__iexact=search))
    return qs.order_by("-expected_at")


def arrival_get_for_user(*, user: Any, reference: str, rule: str = "reception.view_arrivals") -> Arrival:
    if not check(user, rule):
        raise Http404
    try:
        return Arrival.objects.get(reference=reference)
    except Arrival.DoesNotExist:
        raise Http404 from None


def task_list_for_user(*, user: Any, arrival: Arrival | None = None, open_only: bool = False) -> QuerySet:
    """The whole board for IOM/MINREX and admins; a structure's own tasks for the others."""
    qs = GtaTask.objects.select_related("arrival", "structure", "done_by")
    if not check(user, "reception.view_board"):
        if not check(user, "reception.complete_task") or user.structure_id is None:
            return GtaTask.objects.none()
        qs = qs.filter(structure_id=user.structure_id)
    if arrival is not None:
        qs = qs.filter(arrival=arrival)
    if open_only:
        qs = qs.filter(status=TaskStatus.OPEN)
    return qs.order_by("arrival__expected_at", "order", "code", "structure__code")


def task_get_for_user(*, user: Any, task_id: int) -> GtaTask:
    try:
        return task_list_for_user(user=user).get(pk=task_id)
    except (GtaTask.DoesNotExist, ValueError):
        raise Http404 from None


def my_open_tasks(*, user: Any, limit: int = 20) -> list[GtaTask]:
    """The open tasks of the user's structure on live arrivals (home page)."""
    if user.structure_id is None or not check(user, "reception.complete_task"):
        return []
    return list(
        GtaTask.objects.filter(structure_id=user.structure_id, status=TaskStatus.OPEN)
        .exclude(arrival__status__in=[ArrivalStatus.COMPLETED, ArrivalStatus.CANCELLED])
        .select_related("arrival").order_by("due_at")[:limit]
    )


def passenger_list_for_user(*, user: Any, arrival: Arrival, search: str = "") -> QuerySet:
    if not check(user, "reception.view_passengers"):
        return Passenger.objects.none()
    qs = Passenger.objects.filter(arrival=arrival)
    if search:
        text = search.strip()
        if text.isdigit():
            qs = qs.filter(number=int(text))
        else:
            for word in normalise_header(text).split():
                qs = qs.filter(search_text__contains=word)
    return qs.order_by("number")


def passenger_get_for_user(*, user: Any, passenger_id: int) -> Passenger:
    if not check(user, "reception.view_passengers"):
        raise Http404
    try:
        return Passenger.objects.select_related("arrival", "person", "case").get(pk=passenger_id)
    except (Passenger.DoesNotExist, ValueError):
        raise Http404 from None


def steps_by_passenger(passenger_ids: list[int]) -> dict[int, dict[str, ReceptionStep]]:
    result: dict[int, dict[str, ReceptionStep]] = {}
    for step in ReceptionStep.objects.filter(passenger_id__in=passenger_ids).select_related("done_by_structure"):
        result.setdefault(step.passenger_id, {})[step.step] = step
    return result


def manifest_get_for_user(*, user: Any, manifest_id: int) -> Manifest:
    if not check(user, "reception.manage_arrivals"):
        raise Http404
    try:
        return Manifest.objects.select_related("arrival").get(pk=manifest_id)
    except (Manifest.DoesNotExist, ValueError):
        raise Http404 from None


def urgent_passengers_for_user(*, user: Any, limit: int = 20) -> list[Passenger]:
    """Returnees flagged urgent on live arrivals, for the health staff's home page."""
    if not check(user, "reception.view_medical"):
        return []
    since = timezone.now() - dt.timedelta(days=14)
    return list(Passenger.objects.filter(urgent=True, urgent_at__gte=since).select_related("arrival")
                .order_by("-urgent_at")[:limit])


def log_list_read(*, user: Any, passengers: list[Passenger], fields: list[str], channel: str = "page",
                  purpose: str = "") -> None:
    """One read-log row per returnee shown on a list (one insert for the whole list)."""
    if not passengers:
        return
    from django.contrib.contenttypes.models import ContentType

    from mboa.core.models import SensitiveAccess

    content_type = ContentType.objects.get_for_model(Passenger)
    SensitiveAccess.objects.bulk_create(
        SensitiveAccess(user=user if getattr(user, "pk", None) else None, target_type=content_type,
                        target_id=str(p.pk), fields=sorted(fields), channel=channel, purpose=purpose[:200])
        for p in passengers
    )
