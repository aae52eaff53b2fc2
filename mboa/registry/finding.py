"""“Find a returnee”: how a counsellor finds someone beyond the people of their cases.

A counsellor meets a returnee who is not (yet) on their caseload — someone who walks in,
a household member, a person another office sends over. They search the whole registry,
but only with a stated reason, and they see a minimal identity (name, year of birth,
record number, region of birth): never a phone, a document or a full date of birth. Each
search writes one read-log row with the reason and the people shown, and a user may make
``MBOA_REGISTRY["FIND_SEARCHES_PER_HOUR"]`` searches an hour (a counter in the shared
cache, so that every worker counts together), so that the search cannot be used to walk
the registry.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.cache import cache
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mboa.core.conf import setting
from mboa.core.errors import ApplicationError

# What a search may return at most, and the least a query must say (no fishing with "a").
FIND_RESULTS_MAX = 20
FIND_QUERY_MIN_LENGTH = 3
FIND_NOTE_MAX_LENGTH = 200
# The fields a found person shows (the read log names them).
FOUND_FIELDS = ["family_name", "given_names", "birth_year", "place_of_birth"]


class FindReason(models.TextChoices):
    WALK_IN = "walk_in", gettext_lazy("The returnee came to me")
    HOUSEHOLD = "household", gettext_lazy("A member of the household of one of my cases")
    SENT_TO_ME = "sent_to_me", gettext_lazy("Another office sent the returnee to me")
    BEFORE_REGISTRATION = "before_registration", gettext_lazy("Checking before registering someone")
    OTHER = "other", gettext_lazy("Other (explain)")


@dataclass(frozen=True)
class FoundPerson:
    """The minimal identity a search shows."""

    id: int
    family_name: str
    given_names: str
    birth_year: int | None
    region: str

    @property
    def full_name(self) -> str:
        return " ".join(p for p in [self.family_name.upper(), self.given_names] if p)


class SearchLimitReached(ApplicationError):
    """Too many searches this hour (a page shows the message; the API answers 429)."""


def clean_find_request(*, query: str, reason: str, note: str) -> tuple[str, str, str]:
    """The query, reason and note of a search, checked (ApplicationError naming the field)."""
    query, note = (query or "").strip(), (note or "").strip()
    if reason not in FindReason.values:
        raise ApplicationError(_("Say why you are looking for this person."), field="reason")
    if reason == FindReason.OTHER and not note:
        raise ApplicationError(_("Explain the reason in a few words."), field="note")
    if len(note) > FIND_NOTE_MAX_LENGTH:
        raise ApplicationError(_("Keep the explanation under %(n)s characters.") % {"n": FIND_NOTE_MAX_LENGTH},
                               field="note")
    if len(query.replace(" ", "")) < FIND_QUERY_MIN_LENGTH:
        raise ApplicationError(
            _("Type at least %(n)s characters of a name, or a document or phone number.") % {"n": FIND_QUERY_MIN_LENGTH},
            field="q")
    return query, reason, note


def _counter_key(user: Any) -> str:
    return f"registry:find:{user.pk}:{timezone.now():%Y%m%d%H}"


def count_search(*, user: Any) -> None:
    """Count one search of ``user`` in the current hour (a clock hour: the counter starts
    again at the top of the hour); SearchLimitReached past the limit."""
    limit = int(setting("REGISTRY", "FIND_SEARCHES_PER_HOUR"))
    key = _counter_key(user)
    cache.add(key, 0, timeout=60 * 60)
    try:
        done = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=60 * 60)
        done = 1
    if done > limit:
        raise SearchLimitReached(
            _("You have made %(n)s searches this hour, the most allowed. Try again in the next hour, "
              "or ask an IOM case manager.") % {"n": limit})
