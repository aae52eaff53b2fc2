"""Writes on accounts: what owners change of their own account (profile, language, API
tokens) and what administrators change of accounts (names, structure and roles; one's own
structure or roles only with a second administrator's approval).

Each checks its rule, runs in one transaction and records the activity.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mboa.core import activity
from mboa.core.conf import setting
from mboa.core.errors import ApplicationError
from mboa.core.permissions import require

from .authentication import token_digest
from .models import AccessRequest, AccessRequestStatus, ApiToken, Role, User

PROFILE_FIELDS = ("email", "city", "language")
NAME_FIELDS = ("first_name", "last_name")


@transaction.atomic
def profile_update(*, user: User, by: Any, data: dict[str, Any]) -> User:
    """Change the fields of :data:`PROFILE_FIELDS` given in ``data``. A change of name is
    refused (names are changed by administrators, :func:`user_names_set`); a name given
    unchanged is accepted."""
    require(by, "accounts.change_profile", user)
    for name in NAME_FIELDS:
        if name in data and data[name] != getattr(user, name):
            raise ApplicationError(_("Your name is changed by an administrator, not from your account."), field=name)
    if data.get("language") and data["language"] not in {code for code, _name in settings.LANGUAGES}:
        raise ApplicationError(_("Unknown language."), field="language")
    changed = [name for name in PROFILE_FIELDS if name in data and getattr(user, name) != data[name]]
    for name in changed:
        setattr(user, name, data[name])
    if changed:
        user.save(update_fields=changed)
        activity.record(verb="account.profile_updated", actor=by, target=user, summary=user.username,
                        data={"fields": changed})
    return user


def language_set(*, user: User, by: Any, language: str) -> User:
    """The language the user chose follows them from one device to the next."""
    return profile_update(user=user, by=by, data={"language": language})


@transaction.atomic
def user_names_set(*, user: User, by: Any, first_name: str, last_name: str) -> User:
    """An administrator changes the names an account shows. Past activities keep the name
    the actor had then (``Activity.actor_name``)."""
    require(by, "accounts.change_names", user)
    first_name, last_name = first_name.strip(), last_name.strip()
    if not (first_name or last_name):
        raise ApplicationError(_("Give at least a first or a last name."), field="last_name")
    before = user.get_full_name()
    if (user.first_name, user.last_name) != (first_name, last_name):
        user.first_name, user.last_name = first_name, last_name
        user.save(update_fields=["first_name", "last_name"])
        activity.record(verb="account.names_changed", actor=by, target=user, summary=user.username,
                        data={"before": before, "after": user.get_full_name()})
    return user


def _apply_access(user: User, by: Any, structure: Any, roles: Iterable[Role], verb: str, **data: Any) -> User:
    role_codes = sorted(role.code for role in roles)
    before = {"structure": getattr(user.structure, "code", None), "roles": sorted(user.role_codes)}
    after = {"structure": getattr(structure, "code", None), "roles": role_codes}
    if before != after:
        user.structure = structure
        user.save(update_fields=["structure"])
        user.roles.set(Role.objects.filter(code__in=role_codes))
        user.refresh_roles()
        activity.record(verb=verb, actor=by, target=user, summary=user.username,
                        data={"before": before, "after": after, **data})
    return user


@transaction.atomic
def user_access_set(*, user: User, by: Any, structure: Any, roles: Iterable[Role]) -> User:
    """An administrator changes another account's structure and roles. Their own: refused
    (403); they send a request (:func:`access_request_create`) that another approves."""
    require(by, "accounts.change_access", user)
    return _apply_access(user, by, structure, roles, "account.access_changed")


@transaction.atomic
def access_request_create(*, user: User, by: Any, structure: Any, roles: Iterable[Role],
                          note: str = "") -> AccessRequest:
    """An administrator asks for a change of their own structure or roles. One request
    waits at a time; a new one replaces the one waiting."""
    require(by, "accounts.request_access_change", user)
    roles = list(roles)
    if structure == user.structure and {r.code for r in roles} == set(user.role_codes):
        raise ApplicationError(_("This is already your structure and your roles."))
    AccessRequest.objects.select_for_update().filter(user=user, status=AccessRequestStatus.PENDING).update(
        status=AccessRequestStatus.WITHDRAWN, decided_by=by, decided_at=timezone.now())
    request = AccessRequest.objects.create(user=user, requested_by=by, structure=structure, note=note.strip())
    request.roles.set(roles)
    activity.record(verb="account.access_requested", actor=by, target=user, summary=user.username,
                    data={"structure": getattr(structure, "code", None),
                          "roles": sorted(r.code for r in roles), "request": request.pk})
    return request


@transaction.atomic
def access_request_decide(*, request: AccessRequest, by: Any, approve: bool) -> AccessRequest:
    """Another administrator approves (the change is made) or refuses a waiting request.
    Locks the request: two decisions cannot both apply."""
    require(by, "accounts.decide_access_request", request)
    request = AccessRequest.objects.select_for_update().get(pk=request.pk)
    if request.status != AccessRequestStatus.PENDING:
        raise ApplicationError(_("This request was already decided."))
    request.status = AccessRequestStatus.APPROVED if approve else AccessRequestStatus.REFUSED
    request.decided_by, request.decided_at = by, timezone.now()
    request.save(update_fields=["status", "decided_by", "decided_at"])
    if approve:
        user = User.objects.select_for_update().get(pk=request.user_id)
        _apply_access(user, by, request.structure, request.roles.all(), "account.access_changed",
                      request=request.pk, requested_by=request.requested_by_id)
    else:
        activity.record(verb="account.access_request_refused", actor=by, target=request.user,
                        summary=request.user.username, data={"request": request.pk})
    return request


@transaction.atomic
def api_token_create(*, user: User, by: Any, name: str = "") -> tuple[ApiToken, str]:
    """A new personal API token. Returns the token and its key: the key is shown once and
    never stored (only its SHA-256 digest is). It expires after ``MBOA["API_TOKEN_DAYS"]``;
    beyond ``MBOA["API_TOKENS_PER_USER"]`` working tokens, the oldest are revoked."""
    require(by, "accounts.create_token", user)
    now = timezone.now()
    prefix = secrets.token_hex(4)
    key = f"{prefix}.{secrets.token_urlsafe(32)}"
    token = ApiToken.objects.create(
        user=user, name=name.strip()[:80], prefix=prefix, digest=token_digest(key),
        expires_at=now + timedelta(days=setting("", "API_TOKEN_DAYS")),
    )
    working = ApiToken.objects.filter(user=user, revoked_at__isnull=True, expires_at__gt=now).order_by("-created_at")
    surplus = list(working.values_list("pk", flat=True)[setting("", "API_TOKENS_PER_USER"):])
    if surplus:
        ApiToken.objects.filter(pk__in=surplus).update(revoked_at=now)
    activity.record(verb="account.token_created", actor=by, target=user, summary=user.username,
                    data={"prefix": prefix, "revoked": len(surplus)})
    return token, key


@transaction.atomic
def api_token_revoke(*, token: ApiToken, by: Any) -> ApiToken:
    """The token stops working at once (revoking twice changes nothing)."""
    require(by, "accounts.revoke_token", token)
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        activity.record(verb="account.token_revoked", actor=by, target=token.user, summary=token.user.username,
                        data={"prefix": token.prefix})
    return token
