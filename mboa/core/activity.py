"""The activity bus: every meaningful action is recorded here, once.

``record`` writes an :class:`~mboa.core.models.Activity` inside the caller's transaction
and, after commit, hands its id to the subscribers (notifications, for instance). It does
not take the HTTP request: services pass the acting user explicitly.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.utils import timezone

from .models import Activity

Subscriber = Callable[[int], None]
_subscribers: list[tuple[str, Subscriber]] = []


def subscribe(verb_prefix: str, handler: Subscriber) -> None:
    """Call ``handler(activity_id)`` after commit for each activity whose verb starts with the prefix."""
    if (verb_prefix, handler) not in _subscribers:
        _subscribers.append((verb_prefix, handler))


def _ref(obj: models.Model | None) -> tuple[ContentType | None, str]:
    if obj is None:
        return None, ""
    return ContentType.objects.get_for_model(obj, for_concrete_model=False), str(obj.pk)


def _name_of(actor: Any) -> str:
    return str(actor)[:150] if getattr(actor, "pk", None) else ""


def record(
    *,
    verb: str,
    actor: Any = None,
    target: models.Model | None = None,
    subject: models.Model | None = None,
    summary: str = "",
    data: dict | None = None,
    sensitive: bool = False,
    actor_structure: Any = None,
) -> Activity:
    """Write one activity. ``actor`` is a user or None (system); ``subject`` the record
    whose timeline shows it (defaults to ``target``)."""
    target_type, target_id = _ref(target)
    subject_type, subject_id = _ref(subject if subject is not None else target)
    if actor_structure is None and actor is not None:
        actor_structure = getattr(actor, "structure", None)
    activity = Activity.objects.create(
        verb=verb,
        actor=actor if getattr(actor, "pk", None) else None,
        actor_name=_name_of(actor),
        actor_structure=actor_structure,
        target_type=target_type,
        target_id=target_id,
        subject_type=subject_type,
        subject_id=subject_id,
        summary=str(summary)[:300],
        data=data or {},
        sensitive=sensitive,
    )
    handlers = [h for prefix, h in _subscribers if verb.startswith(prefix)]
    if handlers:
        activity_id = activity.pk

        def fan_out() -> None:
            for handler in handlers:
                handler(activity_id)

        transaction.on_commit(fan_out)
    return activity


def record_many(
    *,
    verb: str,
    actor: Any = None,
    targets: Sequence[models.Model],
    subject_of: Callable[[models.Model], models.Model | None] | None = None,
    summary: str = "",
    data: dict | None = None,
    sensitive: bool = False,
) -> int:
    """One activity per target, written in one INSERT (batch determinations of hundreds of
    dossiers, their undo). Same rows and same after-commit fan-out as :func:`record`, one
    call per activity. ``subject_of(target)`` gives each row's subject (default: the target).
    Returns the number written."""
    if not targets:
        return 0
    now = timezone.now()
    structure_id = getattr(actor, "structure_id", None) if actor is not None else None
    name = _name_of(actor)
    rows = []
    for target in targets:
        target_type, target_id = _ref(target)
        subject = subject_of(target) if subject_of else None
        subject_type, subject_id = _ref(subject if subject is not None else target)
        rows.append(Activity(
            occurred_at=now, verb=verb, actor=actor if getattr(actor, "pk", None) else None, actor_name=name,
            actor_structure_id=structure_id, target_type=target_type, target_id=target_id,
            subject_type=subject_type, subject_id=subject_id, summary=str(summary)[:300], data=data or {},
            sensitive=sensitive,
        ))
    written = Activity.objects.bulk_create(rows, batch_size=1000)
    handlers = [h for prefix, h in _subscribers if verb.startswith(prefix)]
    if handlers:
        ids = [a.pk for a in written if a.pk is not None]
        if len(ids) != len(written):  # a backend without RETURNING: read them back
            ids = list(Activity.objects.filter(verb=verb, occurred_at=now).order_by("pk").values_list("pk", flat=True))

        def fan_out() -> None:
            for activity_id in ids:
                for handler in handlers:
                    handler(activity_id)

        transaction.on_commit(fan_out)
    return len(written)


def timeline_for(obj: models.Model, *, include_sensitive: bool = False, limit: int = 200):
    """Activities about ``obj`` (as target or subject), newest first."""
    ct = ContentType.objects.get_for_model(obj, for_concrete_model=False)
    qs = Activity.objects.filter(
        models.Q(subject_type=ct, subject_id=str(obj.pk)) | models.Q(target_type=ct, target_id=str(obj.pk))
    ).select_related("actor", "actor_structure")
    if not include_sensitive:
        qs = qs.filter(sensitive=False)
    return qs[:limit]
