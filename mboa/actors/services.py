"""Writes on structures and focal points. Each checks its rule, runs in one transaction and
records the activity."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from mboa.core import activity
from mboa.core.errors import ApplicationError
from mboa.core.permissions import require

from .models import FocalPoint, Structure

STRUCTURE_FIELDS = ("code", "name_fr", "name_en", "kind", "parent", "mandate", "is_active")
# What other records and reports rely on: changed by administrators only (actors.change_structure_identity).
STRUCTURE_IDENTITY_FIELDS = ("code", "kind", "parent", "is_active")
FOCAL_POINT_FIELDS = (
    "title", "given_names", "family_name", "function", "email", "phone", "phone_alt", "start_date", "end_date", "user",
)


def _apply(obj: Any, fields: tuple[str, ...], data: dict[str, Any]) -> list[str]:
    changed = []
    for name in fields:
        if name in data and getattr(obj, name) != data[name]:
            setattr(obj, name, data[name])
            changed.append(name)
    return changed


def _check_parent(structure: Structure, parent: Structure | None) -> None:
    node = parent
    while node is not None:
        if node.pk == structure.pk:
            raise ApplicationError(_("A structure cannot be placed under itself."), field="parent")
        node = node.parent


def _normalized_code(code: str) -> str:
    return code.strip().upper()


def _check_code_free(code: str, structure: Structure | None = None) -> None:
    others = Structure.objects.filter(code__iexact=code)
    if structure is not None:
        others = others.exclude(pk=structure.pk)
    if others.exists():
        raise ApplicationError(_("A structure with the code %(code)s already exists.") % {"code": code}, field="code")


@transaction.atomic
def structure_create(*, by: Any, data: dict[str, Any]) -> Structure:
    require(by, "actors.add_structure")
    code = _normalized_code(data["code"])
    _check_code_free(code)
    structure = Structure(code=code)
    _apply(structure, STRUCTURE_FIELDS[1:], data)
    structure.save()
    activity.record(verb="structure.created", actor=by, target=structure, summary=structure.code)
    return structure


@transaction.atomic
def structure_update(*, structure: Structure, by: Any, data: dict[str, Any]) -> Structure:
    """Change a structure. Its own focal points and secretariat change its description;
    a change of identity (:data:`STRUCTURE_IDENTITY_FIELDS`) needs an administrator. A
    field sent with its current value is not a change."""
    require(by, "actors.change_structure", structure)
    if "code" in data:
        data = {**data, "code": _normalized_code(data["code"])}
    if any(name in data and getattr(structure, name) != data[name] for name in STRUCTURE_IDENTITY_FIELDS):
        require(by, "actors.change_structure_identity", structure)
    if "parent" in data:
        _check_parent(structure, data["parent"])
    if "code" in data:
        _check_code_free(data["code"], structure)
    changed = _apply(structure, STRUCTURE_FIELDS, data)
    if changed:
        structure.save()
        activity.record(verb="structure.updated", actor=by, target=structure, summary=structure.code,
                        data={"fields": changed})
    return structure


def _check_period(start: dt.date | None, end: dt.date | None) -> None:
    if start and end and end < start:
        raise ApplicationError(_("The end date cannot be before the start date."), field="end_date")


@transaction.atomic
def focal_point_create(*, structure: Structure, by: Any, data: dict[str, Any]) -> FocalPoint:
    require(by, "actors.add_focalpoint", structure)
    focal_point = FocalPoint(structure=structure)
    _apply(focal_point, FOCAL_POINT_FIELDS, data)
    _check_period(focal_point.start_date, focal_point.end_date)
    focal_point.save()
    activity.record(verb="focal_point.created", actor=by, target=focal_point, subject=structure,
                    summary=focal_point.full_name)
    return focal_point


@transaction.atomic
def focal_point_update(*, focal_point: FocalPoint, by: Any, data: dict[str, Any]) -> FocalPoint:
    """Change a focal point's details. ``data["structure"]``, when given, must be its own
    structure: a focal point of another structure is a new record."""
    require(by, "actors.change_focalpoint", focal_point)
    if data.get("structure") not in (None, focal_point.structure):
        raise ApplicationError(_("A focal point cannot be moved to another structure; end it and add a new one."),
                               field="structure")
    changed = _apply(focal_point, FOCAL_POINT_FIELDS, data)
    _check_period(focal_point.start_date, focal_point.end_date)
    if changed:
        focal_point.save()
        activity.record(verb="focal_point.updated", actor=by, target=focal_point, subject=focal_point.structure,
                        summary=focal_point.full_name, data={"fields": changed})
    return focal_point


@transaction.atomic
def focal_point_end(*, focal_point: FocalPoint, by: Any, end_date: dt.date) -> FocalPoint:
    """A focal point hands over: the record stays, with an end date, so history is kept."""
    require(by, "actors.change_focalpoint", focal_point)
    _check_period(focal_point.start_date, end_date)
    focal_point.end_date = end_date
    focal_point.save(update_fields=["end_date", "updated_at"])
    activity.record(verb="focal_point.ended", actor=by, target=focal_point, subject=focal_point.structure,
                    summary=focal_point.full_name, data={"end_date": end_date.isoformat()})
    return focal_point
