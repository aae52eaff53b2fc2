"""Reads of the registry, always for a user (404 when the user may not see).

The selectors that give a page or an API answer its people also log the read there
(:mod:`mboa.core.sensitive`): one row for a record shown, one row per list response
naming the records it shows. Views and API views never log on their own.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404

from mboa.core.models import SensitiveAccess
from mboa.core.permissions import check
from mboa.core.sensitive import log_list_read, log_read

from . import finding, identity
from .models import DuplicateCandidate, Merge, Person, PersonStatus, ReviewStatus
from .scopes import person_scope
from .sensitive import PERSON_FIELDS_LISTED, PERSON_FIELDS_SHOWN

# Turns a queryset into the page that is shown: a Paginator page, DRF's paginate_queryset.
Paginate = Callable[[QuerySet], Sequence[Any]]


def _search(query: str) -> Q:
    """Names and other names (every word), a document or phone number, or the record number."""
    document = identity.normalize_document(query)
    phone = identity.normalize_phone_digits(query)
    condition = Q()
    for token in query.split():
        condition &= Q(family_name__icontains=token) | Q(given_names__icontains=token) | Q(
            aliases__family_name__icontains=token) | Q(aliases__given_names__icontains=token)
    if len(document) >= 4:
        condition |= Q(documents__number_normalized=document)
    if phone:
        condition |= Q(phones__number="+" + phone)
    if query.isdigit():
        condition |= Q(pk=int(query))
    return condition


def person_list_for_user(*, user: Any, query: str = "", include_merged: bool = False) -> QuerySet:
    """People the user may see (``scopes.person_scope``: everyone for IOM case managers and
    administrators, the people of their cases for counsellors...), optionally filtered by a
    name, document or phone search."""
    if not check(user, "registry.view_people"):
        return Person.objects.none()
    people = Person.objects.select_related("place_of_birth")
    scope = person_scope(user)
    if scope is not None:
        people = people.filter(scope)
    if not include_merged:
        people = people.filter(status=PersonStatus.ACTIVE)
    query = (query or "").strip()
    if query:
        people = people.filter(_search(query)).distinct()
    return people


def people_page_for_user(*, user: Any, query: str = "", paginate: Paginate, channel: str = "page") -> Sequence[Person]:
    """The people list or search as shown (one page of it): 403 for those who may not see
    the registry; the read of the page is logged in one row naming everyone on it."""
    if not check(user, "registry.view_people"):
        raise PermissionDenied
    shown = paginate(person_list_for_user(user=user, query=query))
    log_list_read(user=user, objs=list(shown), fields=PERSON_FIELDS_LISTED, channel=channel, purpose="people list")
    return shown


def people_shown_for_user(*, user: Any, ids: Iterable[int], channel: str = "page",
                          purpose: str = "possible matches") -> dict[int, Person]:
    """The people of ``ids`` the user may see (the matches of a registration or a match
    request), by id, their read logged in one row."""
    found = {p.pk: p for p in person_list_for_user(user=user).filter(pk__in=list(ids))}
    log_list_read(user=user, objs=found.values(), fields=PERSON_FIELDS_LISTED, channel=channel, purpose=purpose)
    return found


def person_get_for_user(*, user: Any, person_id: int) -> Person:
    """A person with names, documents and phones; merged records too (they say where to go)."""
    people = person_list_for_user(user=user, include_merged=True).select_related("merged_into").prefetch_related(
        "aliases", "documents", "phones"
    )
    try:
        return people.get(pk=person_id)
    except (Person.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


@dataclass
class PersonPage:
    person: Person
    merges: list[Merge] = field(default_factory=list)


def person_page_for_user(*, user: Any, person_id: int, channel: str = "page") -> PersonPage:
    """The person record (page, API answer): the person with names, documents, phones and
    the merges that concern them. 404 for those who may not see it; the read is logged."""
    person = person_get_for_user(user=user, person_id=person_id)
    log_read(user=user, obj=person, fields=PERSON_FIELDS_SHOWN, channel=channel, purpose="person record")
    return PersonPage(person=person, merges=list(merges_of_person(person=person)))


def find_page_for_user(*, user: Any) -> None:
    """The “find a returnee” form: 403 for those who may not search beyond their cases."""
    if not check(user, "registry.find_people"):
        raise PermissionDenied


def people_find_for_user(*, user: Any, query: str, reason: str, note: str = "",
                          channel: str = "page") -> list[finding.FoundPerson]:
    """“Find a returnee” (:mod:`mboa.registry.finding`): the whole registry searched by a
    counsellor, with a stated reason, showing a minimal identity only.

    403 for those who may not (``registry.find_people``); ApplicationError naming the field
    for a missing reason or a too short query; ``finding.SearchLimitReached`` past the
    hourly limit (checked after the input, so a mistyped form costs no search). Every
    search writes one read-log row with its reason and the people shown (none included)."""
    if not check(user, "registry.find_people"):
        raise PermissionDenied
    query, reason, note = finding.clean_find_request(query=query, reason=reason, note=note)
    finding.count_search(user=user)
    people = list(Person.objects.filter(status=PersonStatus.ACTIVE).filter(_search(query)).distinct()
                  .select_related("place_of_birth__region")[:finding.FIND_RESULTS_MAX])
    purpose = f"find a returnee: {reason}" + (f": {note}" if note else "")
    if people:
        log_list_read(user=user, objs=people, fields=finding.FOUND_FIELDS, channel=channel, purpose=purpose)
    else:  # a search that found no one is still a search of the registry, accounted for
        SensitiveAccess.objects.create(user=user, target_type=ContentType.objects.get_for_model(Person),
                                       target_ids=[], fields=finding.FOUND_FIELDS, channel=channel,
                                       purpose=purpose[:200])
    return [finding.FoundPerson(id=p.pk, family_name=p.family_name, given_names=p.given_names,
                                birth_year=p.birth_year,
                                region=p.place_of_birth.region.name if p.place_of_birth else "")
            for p in people]


def registration_page_for_user(*, user: Any) -> None:
    """The registration form: 403 for those who may not register people (the service,
    ``person_create``, checks the same rule)."""
    if not check(user, "registry.add_person"):
        raise PermissionDenied


def duplicate_list_for_user(*, user: Any, status: str = ReviewStatus.OPEN) -> QuerySet:
    """The review queue: pairs whose two records are both still active, best score first."""
    if not check(user, "registry.review_duplicates"):
        return DuplicateCandidate.objects.none()
    pairs = DuplicateCandidate.objects.filter(status=status).select_related(
        "person_a", "person_b", "decided_by"
    )
    if status == ReviewStatus.OPEN:
        pairs = pairs.filter(person_a__status=PersonStatus.ACTIVE, person_b__status=PersonStatus.ACTIVE)
    return pairs.order_by("-score", "id")


def duplicates_page_for_user(*, user: Any, status: str = ReviewStatus.OPEN, paginate: Paginate,
                             channel: str = "page") -> Sequence[DuplicateCandidate]:
    """The review queue as shown (one page): 403 for those who do not review duplicates;
    the names shown are logged in one row naming the records of every pair on the page."""
    if not check(user, "registry.review_duplicates"):
        raise PermissionDenied
    shown = paginate(duplicate_list_for_user(user=user, status=status))
    people = [person for pair in shown for person in (pair.person_a, pair.person_b)]
    log_list_read(user=user, objs=people, fields=PERSON_FIELDS_LISTED, channel=channel, purpose="duplicate review")
    return shown


def duplicate_get_for_user(*, user: Any, duplicate_id: int) -> DuplicateCandidate:
    if not check(user, "registry.review_duplicates"):
        raise Http404
    people = Person.objects.select_related("place_of_birth").prefetch_related("aliases", "documents", "phones")
    pairs = DuplicateCandidate.objects.select_related("decided_by").prefetch_related(
        Prefetch("merges", queryset=Merge.objects.select_related("by", "undone_by"))
    )
    try:
        duplicate = pairs.get(pk=duplicate_id)
    except (DuplicateCandidate.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    found = {p.pk: p for p in people.filter(pk__in=[duplicate.person_a_id, duplicate.person_b_id])}
    duplicate.person_a, duplicate.person_b = found[duplicate.person_a_id], found[duplicate.person_b_id]
    return duplicate


@dataclass
class DuplicatePage:
    duplicate: DuplicateCandidate
    active_merge: Merge | None


def duplicate_page_for_user(*, user: Any, duplicate_id: int, channel: str = "page") -> DuplicatePage:
    """Two records side by side (the review page, the API answer about a pair): 404 for
    those who do not review duplicates; the read of each record is logged."""
    duplicate = duplicate_get_for_user(user=user, duplicate_id=duplicate_id)
    for person in (duplicate.person_a, duplicate.person_b):
        log_read(user=user, obj=person, fields=PERSON_FIELDS_SHOWN, channel=channel, purpose="duplicate review")
    active = next((m for m in duplicate.merges.all() if m.undone_at is None), None)
    return DuplicatePage(duplicate=duplicate, active_merge=active)


def open_duplicates_count_for_user(*, user: Any) -> int:
    """How many pairs wait in the review queue (home page); 0 for those who do not review."""
    return duplicate_list_for_user(user=user).count()


def merge_get_for_user(*, user: Any, merge_id: int) -> Merge:
    if not check(user, "registry.review_duplicates"):
        raise Http404
    try:
        return Merge.objects.select_related("survivor", "merged").get(pk=merge_id)
    except (Merge.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def merges_of_person(*, person: Person) -> QuerySet:
    return Merge.objects.filter(Q(survivor=person) | Q(merged=person)).select_related("survivor", "merged", "by")
