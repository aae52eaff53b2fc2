"""Sensitive data, declared in one place, and the log of every read of it.

Apps declare their sensitive fields here (``register``); pages, API serializers and
exports call :func:`log_read` whenever they show one of them to a user.
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
