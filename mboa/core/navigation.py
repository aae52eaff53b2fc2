"""Navigation by module and home-page panels, contributed by each app, shown by role."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .permissions import check


@dataclass(frozen=True)
class NavItem:
    key: str
    label: Any
    url_name: str
    rule: str
    order: int = 100


@dataclass(frozen=True)
class HomePanel:
    """A block of the home page: ``build(user)`` returns a context dict, or None to hide it."""

    key: str
    template: str
    build: Callable[[Any], dict | None]
    order: int = 100
    # "waiting": things this user must act on; "context": where they stand (structure, bodies);
    # "figures": the key figures of those who read reports (donor, statistician, secretariat), shown first.
    section: str = "waiting"


_nav: dict[str, NavItem] = {}
_panels: dict[str, HomePanel] = {}


def register_nav(item: NavItem) -> None:
    _nav[item.key] = item


def register_panel(panel: HomePanel) -> None:
    _panels[panel.key] = panel


def nav_for(user: Any) -> list[NavItem]:
    return [item for item in sorted(_nav.values(), key=lambda i: i.order) if check(user, item.rule)]


def panels_for(user: Any) -> list[tuple[HomePanel, dict]]:
    result = []
    for panel in sorted(_panels.values(), key=lambda p: p.order):
        context = panel.build(user)
        if context is not None:
            result.append((panel, context))
    return result
