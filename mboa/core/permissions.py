"""Permission primitives: small named rules returning a Decision, checked in one place.

Each app's ``permissions.py`` registers its rules with ``@rule("app.action")``; pages,
HTMX partials, the API (:class:`mboa.core.api.RulePermission`) and templates
(``{% can "app.action" obj as ok %}``) all call :func:`check`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied


@dataclass(frozen=True)
class Decision:
    allowed: bool
    reason: str = ""

    def __bool__(self) -> bool:
        return self.allowed


ALLOW = Decision(True)


def deny(reason: str = "") -> Decision:
    return Decision(False, reason)


RuleFn = Callable[[Any, Any], Decision | bool]
_rules: dict[str, RuleFn] = {}


def rule(name: str) -> Callable[[RuleFn], RuleFn]:
    def register(fn: RuleFn) -> RuleFn:
        _rules[name] = fn
        return fn

    return register


def check(user: Any, name: str, obj: Any = None) -> Decision:
    """Is ``user`` allowed ``name`` (on ``obj``)? Unknown rules deny: a typo must not open a door."""
    if user is None or not getattr(user, "is_authenticated", False):
        return deny("not authenticated")
    if not getattr(user, "is_active", False):
        return deny("inactive")
    fn = _rules.get(name)
    if fn is None:
        return deny(f"unknown rule {name}")
    result = fn(user, obj)
    return result if isinstance(result, Decision) else Decision(bool(result))


def require(user: Any, name: str, obj: Any = None) -> None:
    decision = check(user, name, obj)
    if not decision:
        raise PermissionDenied(decision.reason)


def registered_rules() -> list[str]:
    return sorted(_rules)
