"""Which people of the registry a user may see (the ``person`` resource of ``policy.py``).

- administrators and IOM case managers: everyone (``ALL``);
- insertion and psychosocial counsellors: the people of the cases they hold as counsellor
  (``ASSIGNED``), and the people they registered themselves (a counsellor who registers
  someone opens their case next);
- focal points: what their structure was sent (``STRUCTURE``).

The registry does not know cases, referrals or arrivals (they are higher layers): the apps
that hold those records register a *provider* in their ``apps.ready()``, as cases does
for counsellors. ``provider(user)`` returns the ids of the people (a queryset of ``pk``
values, used as a subquery) that the user's work in that app gives them, or ``None``.
A scope nobody provides for gives nobody: need-to-know fails closed.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import Q, QuerySet

from mboa.accounts.roles import CASE_MANAGER, FOCAL_POINT, INSERTION_COUNSELLOR, PSYCHOSOCIAL_COUNSELLOR
from mboa.core.policy import Scope

PersonScopeProvider = Callable[[Any], "QuerySet | None"]

_providers: dict[str, list[PersonScopeProvider]] = {Scope.ASSIGNED: [], Scope.STRUCTURE: []}


def register_person_scope(scope: str, provider: PersonScopeProvider) -> None:
    """``scope``: ``Scope.ASSIGNED`` (counsellors) or ``Scope.STRUCTURE`` (focal points)."""
    if provider not in _providers[scope]:
        _providers[scope].append(provider)


def _provided(scope: str, user: Any) -> Q:
    condition = Q(pk__in=[])
    for provider in _providers[scope]:
        ids = provider(user)
        if ids is not None:
            condition |= Q(pk__in=ids)
    return condition


def sees_everyone(user: Any) -> bool:
    return bool(user.is_admin or user.has_role(CASE_MANAGER))


def is_counsellor(user: Any) -> bool:
    return bool(user.has_role(INSERTION_COUNSELLOR, PSYCHOSOCIAL_COUNSELLOR))


def person_scope(user: Any) -> Q | None:
    """The people ``user`` may see, as a condition on Person (None: everyone; a condition
    matching no one for those without access). Kept in step with the rule
    ``registry.view_people`` (which asks it for one person)."""
    if sees_everyone(user):
        return None
    condition = Q(pk__in=[])
    if is_counsellor(user):
        condition |= Q(registered_by_id=user.pk) | _provided(Scope.ASSIGNED, user)
    if user.has_role(FOCAL_POINT):
        condition |= _provided(Scope.STRUCTURE, user)
    return condition


def person_in_scope(user: Any, person: Any) -> bool:
    """Is ``person`` (a Person) among the people ``user`` may see? One query at most."""
    condition = person_scope(user)
    if condition is None:
        return True
    from .models import Person

    return Person.objects.filter(condition, pk=person.pk).exists()
