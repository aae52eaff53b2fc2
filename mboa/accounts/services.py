"""Writes on accounts that their owners make: profile, language, personal API token.

Each checks its rule (the owner only), runs in one transaction and records the activity.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _
from rest_framework.authtoken.models import Token

from mboa.core import activity
from mboa.core.errors import ApplicationError
from mboa.core.permissions import require

from .models import User

PROFILE_FIELDS = ("first_name", "last_name", "email", "city", "language")


@transaction.atomic
def profile_update(*, user: User, by: Any, data: dict[str, Any]) -> User:
    """Change the fields of :data:`PROFILE_FIELDS` given in ``data`` (others are ignored)."""
    require(by, "accounts.change_profile", user)
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
def api_token_create(*, user: User, by: Any) -> str:
    """A new personal API token; the previous one stops working. Returns the key (shown once)."""
    require(by, "accounts.create_token", user)
    Token.objects.filter(user=user).delete()
    token = Token.objects.create(user=user)
    activity.record(verb="account.token_created", actor=by, target=user, summary=user.username)
    return token.key
