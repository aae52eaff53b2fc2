"""Writes on bodies and their memberships."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mboa.core import activity
from mboa.core.errors import ApplicationError
from mboa.core.permissions import require

from .models import Body, BodyMembership

BODY_FIELDS = ("name_fr", "name_en", "kind", "mandate", "start_date", "end_date")


def _validate_members(members: list[dict[str, Any]]) -> None:
    seen = set()
    for index, member in enumerate(members, start=1):
        structure = member["structure"]
        if structure.pk in seen:
            raise ApplicationError(
                _("Member %(n)d: %(code)s is listed twice.") % {"n": index, "code": structure.code},
                field="members",
            )
        seen.add(structure.pk)


def _sync_members(body: Body, members: list[dict[str, Any]], by: Any) -> dict[str, list[str]]:
    """Make the current members exactly ``members``; leavers keep their history (end date)."""
    today = timezone.localdate()
    current = {m.structure_id: m for m in body.memberships.filter(end_date__isnull=True)}
    wanted = {m["structure"].pk: m for m in members}
    added, removed, changed = [], [], []
    for structure_id, membership in current.items():
        if structure_id not in wanted:
            membership.end_date = today
            membership.save(update_fields=["end_date", "updated_at"])
            removed.append(membership.structure.code)
        elif membership.role != wanted[structure_id].get("role", membership.role):
            membership.role = wanted[structure_id]["role"]
            membership.save(update_fields=["role", "updated_at"])
            changed.append(membership.structure.code)
    for structure_id, member in wanted.items():
        if structure_id not in current:
            BodyMembership.objects.create(
                body=body, structure=member["structure"], role=member.get("role", "member"), start_date=today
            )
            added.append(member["structure"].code)
    return {"added": added, "removed": removed, "role_changed": changed}


@transaction.atomic
def body_create(*, by: Any, code: str, data: dict[str, Any], members: list[dict[str, Any]]) -> Body:
    """Create a body with its member structures: no code needed for a new working group."""
    require(by, "governance.add_body")
    code = code.strip().upper()
    if Body.objects.filter(code__iexact=code).exists():
        raise ApplicationError(_("A body with the code %(code)s already exists.") % {"code": code}, field="code")
    _validate_members(members)
    body = Body(code=code)
    for name in BODY_FIELDS:
        if name in data:
            setattr(body, name, data[name])
    body.save()
    changes = _sync_members(body, members, by)
    activity.record(verb="body.created", actor=by, target=body, summary=body.code, data=changes)
    return body


@transaction.atomic
def body_update(*, body: Body, by: Any, data: dict[str, Any], members: list[dict[str, Any]] | None = None) -> Body:
    require(by, "governance.change_body", body)
    changed = []
    for name in BODY_FIELDS:
        if name in data and getattr(body, name) != data[name]:
            setattr(body, name, data[name])
            changed.append(name)
    if changed:
        body.save()
    member_changes: dict[str, list[str]] = {}
    if members is not None:
        _validate_members(members)
        member_changes = _sync_members(body, members, by)
    if changed or any(member_changes.values()):
        activity.record(verb="body.updated", actor=by, target=body, summary=body.code,
                        data={"fields": changed, **member_changes})
    return body
