"""Test helpers that encode the permission rules of every app (used by each app's tests).

- :func:`answer_of` / :func:`parity_answers`: a write sent through the page and through
  the API, as one user, from the same starting state, must get the same answer
  ("done", "refused", "forbidden", "hidden"). Each app lists its writes as :class:`Write`.
- :func:`scope_disagreements`: a selector's list for a user and the per-object rule must
  agree on every object (the list shows exactly what the rule lets the user see).

The writes run inside a savepoint that is rolled back, so the page and the API start from
the same data, and so does the next persona.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.db import transaction

from .permissions import check

DONE, REFUSED, FORBIDDEN, HIDDEN = "done", "refused", "forbidden", "hidden"


@dataclass(frozen=True)
class Request:
    """``multipart``: an API call sent as a form (uploads); API calls are JSON otherwise."""

    method: str
    url: str
    data: dict[str, Any] | None = None
    multipart: bool = False


@dataclass(frozen=True)
class Write:
    """One write, as a page form and as an API call. ``effect()`` returns a value that
    changes when the write takes place (a count, a status...)."""

    name: str
    page: Callable[[], Request]
    api: Callable[[], Request]
    effect: Callable[[], Any]


class _Rollback(Exception):
    pass


def _send(client: Any, request: Request, *, api: bool) -> int:
    method = request.method.lower()
    if api and not request.multipart:
        body = json.dumps(request.data or {})
        response = client.generic(request.method.upper(), request.url, body, content_type="application/json")
    elif method == "get":
        response = client.get(request.url, request.data or {})
    else:
        response = getattr(client, method)(request.url, request.data or {})
    return response.status_code


def answer_of(client: Any, request: Request, effect: Callable[[], Any], *, api: bool) -> str:
    """Send ``request`` and roll everything back; say what the user got."""
    outcome: dict[str, Any] = {}
    try:
        with transaction.atomic():
            before = effect()
            status = _send(client, request, api=api)
            changed = effect() != before
            outcome.update(status=status, changed=changed)
            raise _Rollback
    except _Rollback:
        pass
    status, changed = outcome["status"], outcome["changed"]
    if status == 403 or status == 401:
        return FORBIDDEN
    if status == 404:
        return HIDDEN
    if status >= 500:
        return f"error {status}"
    return DONE if changed else REFUSED


def parity_answers(client: Any, users: dict[str, Any], write: Write) -> dict[str, tuple[str, str]]:
    """{persona: (page answer, API answer)} for each user."""
    answers = {}
    for name, user in users.items():
        client.force_login(user)
        answers[name] = (answer_of(client, write.page(), write.effect, api=False),
                         answer_of(client, write.api(), write.effect, api=True))
    client.logout()
    return answers


NOT_DONE = {REFUSED, FORBIDDEN, HIDDEN}


def assert_same_answers(name: str, answers: dict[str, tuple[str, str]]) -> None:
    """Page and API agree for every persona, and the comparison is not vacuous: someone can
    do the write and someone cannot."""
    differ = {persona: pair for persona, pair in answers.items() if pair[0] != pair[1]}
    assert differ == {}, f"{name}: page and API disagree {differ}"
    pages = {page for page, _api in answers.values()}
    assert DONE in pages, f"{name}: nobody can do it {answers}"
    assert pages & NOT_DONE, f"{name}: everybody can do it {answers}"


def scope_disagreements(*, users: dict[str, Any], listed: Callable[[Any], Iterable[Any]], rule: str,
                        candidates: Iterable[Any]) -> list[str]:
    """For each user, the objects the selector lists and those the rule allows must be the
    same set; returns one line per disagreement (empty: they agree)."""
    candidates = list(candidates)
    problems = []
    for name, user in users.items():
        shown = {obj.pk for obj in listed(user)}
        allowed = {obj.pk for obj in candidates if check(user, rule, obj)}
        for pk in sorted(shown - allowed):
            problems.append(f"{name}: listed but {rule} refuses #{pk}")
        for pk in sorted(allowed - shown):
            problems.append(f"{name}: {rule} allows #{pk} but the list omits it")
    return problems
