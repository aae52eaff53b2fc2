"""Reads of the directory, always for a user."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404

from mboa.core.permissions import check

from .models import FocalPoint, Structure


def structure_list_for_user(*, user: Any, search: str = "", kind: str = "", include_inactive: bool = False) -> QuerySet:
    if not check(user, "actors.view_directory"):
        return Structure.objects.none()
    qs = Structure.objects.select_related("parent").annotate(
        active_focal_points=Count("focal_points", filter=Q(focal_points__end_date__isnull=True), distinct=True)
    )
    if not include_inactive:
        qs = qs.filter(is_active=True)
    if search:
        qs = qs.filter(Q(code__icontains=search) | Q(name_fr__icontains=search) | Q(name_en__icontains=search))
    if kind:
        qs = qs.filter(kind=kind)
    return qs.order_by("code")


def structure_get_for_user(*, user: Any, code: str) -> Structure:
    if not check(user, "actors.view_directory"):
        raise Http404
    try:
        return (
            Structure.objects.select_related("parent")
            .prefetch_related(
                Prefetch("focal_points", queryset=FocalPoint.objects.order_by("end_date", "family_name")),
                "children",
                "memberships__body",
            )
            .get(code__iexact=code)
        )
    except Structure.DoesNotExist:
        raise Http404 from None


def focal_point_list_for_user(*, user: Any, active_only: bool = False) -> QuerySet:
    if not check(user, "actors.view_directory"):
        return FocalPoint.objects.none()
    qs = FocalPoint.objects.select_related("structure")
    if active_only:
        qs = qs.active()
    return qs


def focal_point_get_for_user(*, user: Any, pk: int) -> FocalPoint:
    try:
        return focal_point_list_for_user(user=user).get(pk=pk)
    except (FocalPoint.DoesNotExist, ValueError):
        raise Http404 from None
