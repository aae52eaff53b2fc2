"""Reads of the registry, always for a user (404 when the user may not see)."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404

from mboa.core.permissions import check

from . import identity
from .models import DuplicateCandidate, Merge, Person, PersonStatus, ReviewStatus


def person_list_for_user(*, user: Any, query: str = "", include_merged: bool = False) -> QuerySet:
    """People the user may see, optionally filtered by a name, document or phone search."""
    if not check(user, "registry.view_people"):
        return Person.objects.none()
    people = Person.objects.select_related("place_of_birth")
    if not include_merged:
        people = people.filter(status=PersonStatus.ACTIVE)
    query = (query or "").strip()
    if query:
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
        people = people.filter(condition).distinct()
    return people


def person_get_for_user(*, user: Any, person_id: int) -> Person:
    """A person with names, documents and phones; merged records too (they say where to go)."""
    people = person_list_for_user(user=user, include_merged=True).select_related("merged_into").prefetch_related(
        "aliases", "documents", "phones"
    )
    try:
        return people.get(pk=person_id)
    except Person.DoesNotExist:
        raise Http404 from None


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


def duplicate_get_for_user(*, user: Any, duplicate_id: int) -> DuplicateCandidate:
    if not check(user, "registry.review_duplicates"):
        raise Http404
    people = Person.objects.select_related("place_of_birth").prefetch_related("aliases", "documents", "phones")
    pairs = DuplicateCandidate.objects.select_related("decided_by").prefetch_related(
        Prefetch("merges", queryset=Merge.objects.select_related("by", "undone_by"))
    )
    try:
        duplicate = pairs.get(pk=duplicate_id)
    except DuplicateCandidate.DoesNotExist:
        raise Http404 from None
    found = {p.pk: p for p in people.filter(pk__in=[duplicate.person_a_id, duplicate.person_b_id])}
    duplicate.person_a, duplicate.person_b = found[duplicate.person_a_id], found[duplicate.person_b_id]
    return duplicate


def merge_get_for_user(*, user: Any, merge_id: int) -> Merge:
    if not check(user, "registry.review_duplicates"):
        raise Http404
    try:
        return Merge.objects.select_related("survivor", "merged").get(pk=merge_id)
    except Merge.DoesNotExist:
        raise Http404 from None


def merges_of_person(*, person: Person) -> QuerySet:
    return Merge.objects.filter(Q(survivor=person) | Q(merged=person)).select_related("survivor", "merged", "by")
