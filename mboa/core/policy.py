"""The access policy, declared as data: who may read and change what, with what scope.

Each app describes its resources in its own ``policy.py`` (found by
:func:`autodiscover`): a resource is a kind of record a user can open (a case file, the
medical details of a returnee, a meeting…), with the kind of data it holds, and for each
action (``view``, ``change``…) the roles that may take it and within which scope. It also
names the pages and API routes that show the resource, so that a test can call every one
of them as every role and compare the answer with the policy
(``mboa/core/tests/test_access_policy.py``).

The policy is what a data-protection officer reads (administrators see it at
``/access-policy/``; ``manage.py access_policy`` writes ``docs/access-policy.md``). The
named rules in each app's ``permissions.py`` enforce it; the test proves that the pages and
the API agree with it:

- a role with **no** grant on a resource's ``view`` gets 403 or 404 from every page and API
  route of the resource, and never sees its planted markers;
- a role granted ``ALL`` gets 200 from its list pages;
- scoped grants (their structure, their cases, addressed to their structure…) answer 200
  for what is in scope and 403/404 otherwise; the markers of health and psychosocial data
  show only to the roles the policy lets read them, and every answer that shows them
  writes a read-log row.

Roles are the account roles (``mboa.accounts.roles``) plus responsibilities that come from
data, called *tags*: ``supervisor`` (named supervisor of case managers) and ``health_staff``
(a user of a health structure, settings ``MBOA["HEALTH_STRUCTURES"]``). Apps contribute tag
providers (:func:`register_tag`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _

from .conf import setting


class Scope:
    """How far a grant reaches. ``ALL``: every record; the others: a part of them."""

    ALL = "all"
    STRUCTURE = "structure"  # records of the user's own structure
    ASSIGNED = "assigned"  # records assigned to the user (their cases, their dossiers)
    SUPERVISED = "supervised"  # records of the case managers and counsellors they supervise
    ADDRESSED = "addressed"  # addressed to the user's structure (a referral, a task)
    MEMBER = "member"  # of the bodies the user's structure sits on
    OWN = "own"  # the user's own (account, preferences, messages)
    MINIMAL = "minimal"  # minimal identity only, searched with a stated reason, logged
    AGGREGATE = "aggregate"  # counts and rates only: nobody identifiable

    LABELS: dict[str, Any] = {
        ALL: _("all"),
        STRUCTURE: _("their structure's"),
        ASSIGNED: _("assigned to them"),
        SUPERVISED: _("those they supervise"),
        ADDRESSED: _("addressed to their structure"),
        MEMBER: _("of the bodies their structure sits on"),
        OWN: _("their own"),
        MINIMAL: _("minimal identity, with a reason, logged"),
        AGGREGATE: _("figures only, nobody identifiable"),
    }


class Data:
    """What a resource holds, from the least to the most restricted."""

    NONE = ""  # institutions, meetings, figures: no personal data
    IDENTITY = "identity"  # names, dates of birth, phones, documents
    HEALTH = "health"  # medical details, health vulnerabilities, health text of referrals
    PSYCHOSOCIAL = "psychosocial"  # counselling notes

    LABELS: dict[str, Any] = {
        NONE: _("no personal data"),
        IDENTITY: _("identity"),
        HEALTH: _("health data"),
        PSYCHOSOCIAL: _("psychosocial notes"),
    }


ROLE_LABELS: dict[str, Any] = {
    "admin": _("Administrator"),
    "case_manager": _("IOM case manager"),
    "supervisor": _("Supervisor"),
    "insertion_counsellor": _("Insertion counsellor"),
    "psychosocial_counsellor": _("Psychosocial counsellor"),
    "focal_point": _("Structure focal point"),
    "health_staff": _("Health structure staff"),
    "secretariat": _("Secretariat"),
    "donor": _("Donor (read-only reports)"),
    "statistician": _("Statistician (anonymised statistics)"),
}
ROLES = tuple(ROLE_LABELS)


@dataclass(frozen=True)
class Resource:
    code: str
    label: Any
    data: str
    # action -> {role or tag: scope}; a role absent from an action has no access to it.
    grants: dict[str, dict[str, str]]
    # Page URL names and API routes (router basenames) that show it ("view")...
    pages: tuple[str, ...] = ()
    api: tuple[str, ...] = ()
    # ...and the pages of its other actions (forms, buttons): {action: URL names}.
    writes: dict[str, tuple[str, ...]] = field(default_factory=dict)
    note: Any = ""
    app: str = ""

    def scope(self, action: str, tags: Iterable[str]) -> str | None:
        """The widest scope the tags give for ``action`` (None: no access)."""
        scopes = [self.grants.get(action, {}).get(tag) for tag in tags]
        scopes = [s for s in scopes if s]
        if not scopes:
            return None
        return Scope.ALL if Scope.ALL in scopes else scopes[0]


# Pages and routes that are not a resource of anyone's data: each with the reason.
@dataclass(frozen=True)
class Exempt:
    names: tuple[str, ...]
    reason: Any


_resources: dict[str, Resource] = {}
_exempt: list[Exempt] = []
_tags: list[Callable[[Any], Iterable[str]]] = []
_discovered: list[bool] = []


def register(app: str, *resources: Resource, exempt: Iterable[Exempt] = ()) -> None:
    for resource in resources:
        _resources[resource.code] = Resource(**{**resource.__dict__, "app": app})
    _exempt.extend(exempt)


def register_tag(provider: Callable[[Any], Iterable[str]]) -> None:
    """``provider(user)`` gives tags the user holds from data (e.g. ``supervisor``)."""
    if provider not in _tags:
        _tags.append(provider)


def autodiscover() -> None:
    if not _discovered:
        autodiscover_modules("policy")
        _discovered.append(True)


def resources() -> list[Resource]:
    autodiscover()
    return sorted(_resources.values(), key=lambda r: (r.app, r.code))


def exempt() -> list[Exempt]:
    autodiscover()
    return list(_exempt)


def tags_for(user: Any) -> set[str]:
    """The user's roles and the tags the data gives them."""
    autodiscover()
    if user is None or not getattr(user, "is_authenticated", False):
        return set()
    tags = set(user.role_codes)
    structure = getattr(user, "structure", None)
    if structure is not None and structure.code in setting("", "HEALTH_STRUCTURES"):
        tags.add("health_staff")
    for provider in _tags:
        tags.update(provider(user))
    return tags


@dataclass
class Row:
    """One line of the policy as a table: a resource, an action, and each role's scope."""

    resource: Resource
    action: str
    scopes: dict[str, str] = field(default_factory=dict)


def table() -> list[Row]:
    rows = []
    for resource in resources():
        for action, grants in resource.grants.items():
            rows.append(Row(resource, action, {role: grants.get(role, "") for role in ROLES}))
    return rows


ACTION_LABELS: dict[str, Any] = {
    "view": _("read"),
    "change": _("create and change"),
    "decide": _("decide"),
    "search": _("search"),
}


def as_markdown() -> str:
    """The policy as a document (docs/access-policy.md)."""
    from django.utils import translation

    with translation.override("en"):
        lines = [
            "# Access policy",
            "",
            "Generated from the code by `manage.py access_policy` (each app's `policy.py`); do not edit by hand.",
            "Administrators read the same table in Mboa at `/access-policy/`. The generated test",
            "`mboa/core/tests/test_access_policy.py` calls every page and API route of each resource as every",
            "role and checks the answers against this table.",
            "",
            "Scopes: " + "; ".join(f"**{code}**: {label}" for code, label in Scope.LABELS.items()) + ".",
            "Roles and tags: " + "; ".join(f"**{code}**: {label}" for code, label in ROLE_LABELS.items()) + ".",
            "",
        ]
        app = None
        for resource in resources():
            if resource.app != app:
                app = resource.app
                lines += [f"## {app}", ""]
            data = Data.LABELS[resource.data]
            lines += [f"### {resource.label} (`{resource.code}`, {data})", ""]
            if resource.note:
                lines += [str(resource.note), ""]
            lines += ["| action | " + " | ".join(ROLES) + " |", "|---|" + "---|" * len(ROLES)]
            for action, grants in resource.grants.items():
                cells = [grants.get(role, "—") for role in ROLES]
                lines.append(f"| {ACTION_LABELS.get(action, action)} | " + " | ".join(cells) + " |")
            shown = ", ".join(f"`{name}`" for name in (*resource.pages, *(f"API {b}" for b in resource.api)))
            lines += ["", f"Read through: {shown or '—'}."]
            for action, names in resource.writes.items():
                lines.append(f"{ACTION_LABELS.get(action, action).capitalize()} through: "
                             + ", ".join(f"`{name}`" for name in names) + ".")
            lines.append("")
        lines += ["## Pages without anyone's data", ""]
        for item in exempt():
            lines.append(f"- {', '.join(f'`{n}`' for n in item.names)}: {item.reason}")
        lines.append("")
    return "\n".join(lines)


register(
    "core",
    Resource(
        "access_policy", _("This access policy"), Data.NONE,
        grants={"view": {"admin": Scope.ALL}}, pages=("core:access_policy",),
        note=_("Administrators read it; the same table is in docs/access-policy.md."),
    ),
)
