"""Sensitive data, declared in one place, and the log of every read of it.

Apps declare their sensitive fields here (``register``). The selectors that give a page,
an API answer or an export its data log the read where they read it: :func:`log_read` for
one record, :func:`log_list_read` for a list (one row per response, naming every record it
shows). Views and API views never log on their own.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models

from .models import SensitiveAccess

# "app_label.ModelName" -> {field name: category}; categories: identity, health, psychosocial.
SENSITIVE_FIELDS: dict[str, dict[str, str]] = {}


def register(model_label: str, **fields: str) -> None:
    SENSITIVE_FIELDS.setdefault(model_label, {}).update(fields)


def sensitive_fields(model: type[models.Model] | models.Model) -> dict[str, str]:
    return SENSITIVE_FIELDS.get(model._meta.label, {})


def log_read(
    *, user: Any, obj: models.Model, fields: Iterable[str], channel: str = "page", purpose: str = ""
) -> SensitiveAccess:
    return SensitiveAccess.objects.create(
        user=user if getattr(user, "pk", None) else None,
        target_type=ContentType.objects.get_for_model(obj, for_concrete_model=False),
        target_id=str(obj.pk),
        fields=sorted(fields),
        channel=channel,
        purpose=purpose[:200],
    )


def log_list_read(
    *, user: Any, objs: Iterable[models.Model], fields: Iterable[str], channel: str = "page", purpose: str = ""
) -> SensitiveAccess | None:
    """One row for a response that lists records (people, cases...): their ids in
    ``target_ids``. Nothing is written for an empty list."""
    objs = list(objs)
    if not objs:
        return None
    return SensitiveAccess.objects.create(
        user=user if getattr(user, "pk", None) else None,
        target_type=ContentType.objects.get_for_model(objs[0], for_concrete_model=False),
        target_id="",
        target_ids=[str(o.pk) for o in objs],
        fields=sorted(fields),
        channel=channel,
        purpose=purpose[:200],
    )
