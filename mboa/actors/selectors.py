"""Reads of the directory, always for a user.

The ``*_form_for_user`` selectors open a form page: they fetch in the user's scope (404)
and refuse (403) a user who may not make the change, with the rule the service applies.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from mboa.core.history import history_rows
from mboa.core.permissions import check, require

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
        return get_object_or_404(focal_point_list_for_user(user=user), pk=int(pk))
    except (TypeError, ValueError, OverflowError):
        raise Http404 from None


def structure_page_for_user(*, user: Any, code: str) -> dict[str, Any]:
    """What the structure page shows: the structure, its current and former focal points,
    and its change history for those allowed to read it."""
    structure = structure_get_for_user(user=user, code=code)
    focal_points = list(structure.focal_points.all())
    return {
        "structure": structure,
        "current_focal_points": [fp for fp in focal_points if fp.is_active],
        "former_focal_points": [fp for fp in focal_points if not fp.is_active],
        "history": history_rows(structure) if check(user, "actors.view_history", structure) else None,
    }


def structure_form_for_user(*, user: Any, code: str | None = None) -> Structure | None:
    """The structure whose form the user opens (None: a new structure)."""
    structure = structure_get_for_user(user=user, code=code) if code is not None else None
    require(user, "actors.add_structure" if structure is None else "actors.change_structure", structure)
    return structure


def focal_point_form_for_user(*, user: Any, code: str | None = None,
                              pk: int | None = None) -> tuple[Structure, FocalPoint | None, Any]:
    """(structure, focal point, history) of the focal point form: a new focal point of the
    structure ``code``, or the focal point ``pk``."""
    if pk is None:
        structure = structure_get_for_user(user=user, code=code or "")
        require(user, "actors.add_focalpoint", structure)
        return structure, None, None
    focal_point = focal_point_get_for_user(user=user, pk=pk)
    require(user, "actors.change_focalpoint", focal_point)
    history = history_rows(focal_point) if check(user, "actors.view_history", focal_point) else None
    return focal_point.structure, focal_point, history
