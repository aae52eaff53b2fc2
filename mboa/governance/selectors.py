from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet
from django.http import Http404

from mboa.core.permissions import check

from .models import Body, BodyMembership


def body_list_for_user(*, user: Any) -> QuerySet:
    if not check(user, "governance.view_bodies"):
        return Body.objects.none()
    current = BodyMembership.objects.filter(end_date__isnull=True).select_related("structure")
    return Body.objects.prefetch_related(Prefetch("memberships", queryset=current, to_attr="current_memberships"))


def body_get_for_user(*, user: Any, code: str) -> Body:
    try:
        return body_list_for_user(user=user).get(code__iexact=code)
    except Body.DoesNotExist:
        raise Http404 from None


def bodies_of_structure(*, structure_id: int | None) -> QuerySet:
    if structure_id is None:
        return Body.objects.none()
    return Body.objects.filter(memberships__structure_id=structure_id, memberships__end_date__isnull=True).distinct()
