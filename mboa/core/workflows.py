"""Workflows as data, and the one runner that moves a record from state to state.

An app declares its lifecycle once::

    CASE = Workflow(
        name="case",
        states={"open": _("Open"), "closed": _("Closed")},
        transitions=[Transition("close", sources=("open",), target="closed",
                                roles=("case_manager",), label=_("Close"), note_required=True)],
    )

and calls ``transition(obj, "close", by=user, note=...)``: the runner locks the row,
checks the source state and the user's roles, writes the new state (and the timestamp
field ``<state>_at`` when the model has one, so delays stay computable), and records the
activity — all in one transaction. ``transition_many`` does the same for many rows at
once (a GTR session decides hundreds of dossiers in one batch): one locking SELECT, one
UPDATE per target state, one INSERT of activities.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from dataclasses import field as dc_field
from typing import Any

from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from . import activity
from .errors import ApplicationError


@dataclass(frozen=True)
class Transition:
    action: str
    sources: tuple[str, ...]
    target: str
    roles: tuple[str, ...] = ()
    label: Any = ""
    note_required: bool = False
    # Extra rule on (obj, user) returning (allowed, reason): e.g. "only the receiving structure".
    guard: Callable[[Any, Any], tuple[bool, str]] | None = None


@dataclass(frozen=True)
class Workflow:
    name: str
    states: dict[str, Any]
    transitions: tuple[Transition, ...] | list[Transition]
    field: str = "status"
    initial: str = ""
    _by_action: dict[str, Transition] = dc_field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        for t in self.transitions:
            unknown = {t.target, *t.sources} - set(self.states)
            if unknown:
                raise ValueError(f"workflow {self.name}: unknown states {sorted(unknown)} in {t.action}")
            self._by_action[t.action] = t

    def choices(self) -> list[tuple[str, Any]]:
        return list(self.states.items())

    def get(self, action: str) -> Transition:
        try:
            return self._by_action[action]
        except KeyError:
            raise ApplicationError(_("Unknown action “%(action)s”.") % {"action": action}) from None

    def check(self, obj: Any, action: str, user: Any) -> tuple[bool, str]:
        t = self.get(action)
        state = getattr(obj, self.field)
        if state not in t.sources:
            return False, _("This action is not possible in the state “%(state)s”.") % {
                "state": self.states.get(state, state)
            }
        if t.roles and not (getattr(user, "is_superuser", False) or user.has_role(*t.roles)):
            return False, _("Your role does not allow this action.")
        if t.guard is not None:
            return t.guard(obj, user)
        return True, ""

    def available(self, obj: Any, user: Any) -> list[Transition]:
        return [t for t in self.transitions if self.check(obj, t.action, user)[0]]


def transition(
    obj: models.Model,
    workflow: Workflow,
    action: str,
    *,
    by: Any,
    note: str = "",
    changes: dict[str, Any] | None = None,
    subject: models.Model | None = None,
    on_done: Iterable[Callable[[Any], None]] = (),
) -> Any:
    """Apply ``action`` to ``obj``. Locks the row; raises ApplicationError when refused.

    ``changes`` are extra field values written with the state (e.g. a decline reason).
    Returns the fresh, locked-and-saved instance.
    """
    t = workflow.get(action)
    if t.note_required and not note.strip():
        raise ApplicationError(_("A reason is required for this action."), field="note")
    with transaction.atomic():
        locked = type(obj)._default_manager.select_for_update().get(pk=obj.pk)
        allowed, reason = workflow.check(locked, action, by)
        if not allowed:
            raise ApplicationError(reason)
        before = getattr(locked, workflow.field)
        setattr(locked, workflow.field, t.target)
        stamp = f"{t.target}_at"
        fields = {workflow.field}
        if any(f.name == stamp for f in locked._meta.get_fields()):
            setattr(locked, stamp, timezone.now())
            fields.add(stamp)
        for name, value in (changes or {}).items():
            setattr(locked, name, value)
            fields.add(name)
        if any(f.name == "updated_at" for f in locked._meta.get_fields()):
            fields.add("updated_at")
        locked.save(update_fields=sorted(fields))
        activity.record(
            verb=f"{workflow.name}.{action}",
            actor=by,
            target=locked,
            subject=subject,
            summary=str(t.label or action),
            data={"from": before, "to": t.target, "note": note},
        )
        for callback in on_done:
            callback(locked)
    return locked


def _stamp_fields(model: type[models.Model], target: str) -> set[str]:
    names = {f.name for f in model._meta.get_fields()}
    return {name for name in (f"{target}_at", "updated_at") if name in names}


def transition_many(
    objs: Sequence[models.Model],
    workflow: Workflow,
    action: str,
    *,
    by: Any,
    note: str = "",
    changes: dict[str, Any] | None = None,
    summary: str = "",
    data: dict[str, Any] | None = None,
    target_of: Callable[[Any], str] | None = None,
    now: Any = None,
) -> list[Any]:
    """Apply ``action`` to every object of ``objs`` at once, all or nothing.

    Locks the rows; every one must allow the action for ``by`` (else ApplicationError naming
    how many do not, and nothing is written). ``target_of(obj)`` may send a row elsewhere
    than the transition's target (an undo returns each row to its own previous state; the
    transition's sources and roles are still checked). Writes the state, ``<state>_at``,
    ``updated_at`` and ``changes``; records one activity per row (``activity.record_many``,
    verb ``<workflow>.<action>``). Returns the locked rows with their new state.
    """
    t = workflow.get(action)
    if t.note_required and not note.strip():
        raise ApplicationError(_("A reason is required for this action."), field="note")
    if not objs:
        return []
    model = type(objs[0])
    now = now or timezone.now()
    with transaction.atomic():
        locked = list(model._default_manager.select_for_update().filter(pk__in=[o.pk for o in objs]).order_by("pk"))
        refused = [(o, reason) for o in locked for allowed, reason in [workflow.check(o, action, by)] if not allowed]
        if refused or len(locked) != len({o.pk for o in objs}):
            reason = refused[0][1] if refused else _("Some records no longer exist.")
            raise ApplicationError(_("%(n)s of %(total)s cannot take this action: %(reason)s") % {
                "n": len(refused) or len({o.pk for o in objs}) - len(locked), "total": len(objs), "reason": reason})
        target_by_pk = {o.pk: target_of(o) if target_of else t.target for o in locked}
        by_target: dict[str, list[int]] = {}
        for pk, target in target_by_pk.items():
            by_target.setdefault(target, []).append(pk)
        for target, ids in by_target.items():
            if target not in workflow.states:
                raise ValueError(f"workflow {workflow.name}: unknown state {target}")
            values: dict[str, Any] = {workflow.field: target, **(changes or {})}
            for name in _stamp_fields(model, target):
                values[name] = now
            model._default_manager.filter(pk__in=ids).update(**values)
        for o in locked:
            setattr(o, workflow.field, target_by_pk[o.pk])
            for name, value in (changes or {}).items():
                setattr(o, name, value)
        activity.record_many(verb=f"{workflow.name}.{action}", actor=by, targets=locked,
                             summary=str(summary or t.label or action),
                             data={**(data or {}), "note": note, "to": t.target if not target_of else "previous"})
    return locked
