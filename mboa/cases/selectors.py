"""Reads of cases, always for a user (404 when the user may not see).

Stable API for referrals and projects::

    case_list_for_user(*, user, ...) -> QuerySet[Case]
    case_get_for_user(*, user, case_id) -> Case          # Http404 when not visible
    case_timeline(*, case, user, limit=200) -> list[Activity]
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from mboa.accounts.roles import CASE_MANAGER
from mboa.core.models import Activity
from mboa.core.permissions import check
from mboa.registry import identity
from mboa.registry.models import IdentityDocument, Person, PersonPhone

from .models import (
    ACTIVE_STATUSES,
    Case,
    CaseVulnerability,
    Consent,
    CounsellingSession,
    Enrolment,
    Niche,
    TrainingOffer,
)
from .permissions import counsellor_of, is_admin, is_supervisor

CASE_NUMBER = re.compile(r"^[A-Za-z]{1,4}-\d{4}-\d{3,}$")
ORDERINGS = {
    "-opened": ("-opened_at", "-id"),
    "opened": ("opened_at", "id"),
    "number": ("number",),
    "name": ("person__family_name", "person__given_names", "id"),
    "status": ("status", "-opened_at", "-id"),
    "due": ("next_due_on", "-id"),
}
MATCHER_MIN_SCORE = 0.25


def _scope(user: Any) -> Q | None:
    """The cases a user may see, as a condition (None: all; Q(pk__in=[]): none).
    Kept in step with :func:`mboa.cases.permissions.case_visible`."""
    if is_admin(user):
        return None
    condition = Q(pk__in=[])
    if user.has_role(CASE_MANAGER):
        condition |= Q(structure_id=user.structure_id) | Q(owner_id=user.pk)
    counsellor = counsellor_of(user)
    if counsellor is not None:
        condition |= Q(insertion_counsellor_id=counsellor.pk) | Q(psychosocial_counsellor_id=counsellor.pk)
    if is_supervisor(user) and user.structure_id:
        condition |= Q(insertion_counsellor__structure_id=user.structure_id) | Q(
            psychosocial_counsellor__structure_id=user.structure_id)
    return condition


SEARCH_CAP = 1000


def _search(query: str, scope: Q | None) -> Q:
    """Case number, phone, document number, or name (tolerant: accent-free prefixes,
    phonetic forms, and the registry's matcher for two words or more)."""
    query = query.strip()
    if CASE_NUMBER.match(query):
        return Q(number__iexact=query)
    digits = identity.normalize_phone_digits(query)
    letters = re.sub(r"[\d\s+().-]", "", query)
    if len(digits) >= 8 and not letters:
        return Q(person_id__in=PersonPhone.objects.filter(number="+" + digits).values("person_id"))
    document = identity.normalize_document(query)
    if len(document) >= 5 and any(ch.isdigit() for ch in document):
        return Q(person_id__in=IdentityDocument.objects.filter(number_normalized=document).values("person_id"))
    condition = Q()
    tokens = identity.name_tokens(query)
    for token in tokens:
        condition &= Q(search_text__contains=f" {token}") | Q(search_text__contains=f" #{identity.phonetic(token)} ")
    if len(tokens) < 2:
        return condition
    # Two words or more: the registry's matcher (typos, swapped names) adds people. The two
    # sets are fetched apart and joined by id: one OR across a trigram search and an id list
    # makes PostgreSQL walk the whole table in date order.
    from mboa.registry.matching import find_candidates

    matches = find_candidates({"family_name": tokens[0], "given_names": " ".join(tokens[1:])}, limit=20,
                              min_score=MATCHER_MIN_SCORE)
    swapped = find_candidates({"family_name": tokens[-1], "given_names": " ".join(tokens[:-1])}, limit=20,
                              min_score=MATCHER_MIN_SCORE)
    person_ids = sorted({m.person_id for m in matches + swapped})
    if not person_ids:
        return condition
    cases = Case.objects.filter(scope) if scope is not None else Case.objects.all()
    ids = set(cases.filter(condition).order_by("-opened_at", "-id").values_list("pk", flat=True)[:SEARCH_CAP])
    ids.update(Case.objects.filter(person_id__in=person_ids).values_list("pk", flat=True))
    return Q(pk__in=sorted(ids))


def case_list_for_user(
    *,
    user: Any,
    query: str = "",
    status: str = "",
    counsellor: int | str | None = None,
    city: str = "",
    vulnerability: str = "",
    arrival_from: dt.date | None = None,
    arrival_to: dt.date | None = None,
    arrival_reference: str = "",
    active_only: bool = False,
    order: str = "-opened",
) -> QuerySet:
    """Cases the user may see, filtered and sorted, with what a list row shows joined in
    (person, owner, counsellors; vulnerabilities prefetched): a constant number of queries."""
    if not check(user, "cases.view_cases"):
        return Case.objects.none()
    cases = Case.objects.select_related(
        "person", "owner", "insertion_counsellor__user", "psychosocial_counsellor__user"
    ).prefetch_related(Prefetch("vulnerabilities", queryset=CaseVulnerability.objects.order_by("category")))
    scope = _scope(user)
    if scope is not None:
        cases = cases.filter(scope)
    if query.strip():
        cases = cases.filter(_search(query, scope))
    if status:
        cases = cases.filter(status=status)
    elif active_only:
        cases = cases.filter(status__in=ACTIVE_STATUSES)
    if counsellor:
        cases = cases.filter(Q(insertion_counsellor_id=counsellor) | Q(psychosocial_counsellor_id=counsellor))
    if city:
        cases = cases.filter(city__iexact=city)
    if vulnerability:
        cases = cases.filter(Exists(CaseVulnerability.objects.filter(case_id=OuterRef("pk"), category=vulnerability)))
    if arrival_from:
        cases = cases.filter(arrival_date__gte=arrival_from)
    if arrival_to:
        cases = cases.filter(arrival_date__lte=arrival_to)
    if arrival_reference:
        cases = cases.filter(arrival_reference__iexact=arrival_reference.strip())
    return cases.order_by(*ORDERINGS.get(order, ORDERINGS["-opened"]))


LIST_COLUMNS = (
    "number", "status", "city", "arrival_date", "next_due_on", "opened_at", "person__family_name",
    "person__given_names", "owner__first_name", "owner__last_name", "owner__username",
    "insertion_counsellor__user__first_name", "insertion_counsellor__user__last_name",
    "insertion_counsellor__user__username", "psychosocial_counsellor__user__first_name",
    "psychosocial_counsellor__user__last_name", "psychosocial_counsellor__user__username",
)


def case_list_rows(cases: QuerySet) -> QuerySet:
    """Only the columns a list row shows (the person's match profile and the search text
    are large and not shown)."""
    return cases.only(*LIST_COLUMNS)


def case_get_for_user(*, user: Any, case_id: int) -> Case:
    """One case the user may see (404 otherwise), with its person and people on it."""
    if not check(user, "cases.view_cases"):
        raise Http404
    cases = Case.objects.select_related(
        "person", "person__place_of_birth", "owner", "structure", "destination_region", "previous_case",
        "insertion_counsellor__user", "insertion_counsellor__structure",
        "psychosocial_counsellor__user", "psychosocial_counsellor__structure",
    )
    scope = _scope(user)
    if scope is not None:
        cases = cases.filter(scope)
    try:
        return cases.get(pk=case_id)
    except (Case.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def case_timeline(*, case: Case, user: Any, limit: int = 200) -> list[Activity]:
    """Everything that happened about the case and its person (arrival steps, assessments,
    sessions, referrals, project events), newest first. Activities marked sensitive about
    the case (psychosocial sessions) are shown only to those who may read psychosocial
    notes; the person's activities (identity, already shown on the case) are shown."""
    case_ct = ContentType.objects.get_for_model(Case)
    person_ct = ContentType.objects.get_for_model(Person)
    about_case = Q(subject_type=case_ct, subject_id=str(case.pk))
    if not check(user, "cases.read_psychosocial", case):
        about_case &= Q(sensitive=False)
    about_person = Q(subject_type=person_ct, subject_id=str(case.person_id))
    rows = (Activity.objects.filter(about_case | about_person)
            .select_related("actor", "actor_structure")
            .only("occurred_at", "verb", "summary", "sensitive", "actor__first_name", "actor__last_name",
                  "actor__username", "actor_structure__code")
            .order_by("-occurred_at", "-id")[:limit])
    return list(rows)


def sessions_for_case(*, case: Case) -> QuerySet:
    return case.sessions.select_related("counsellor__user", "recorded_by").order_by("-held_on", "-id")


def session_list_for_user(*, user: Any) -> QuerySet:
    """Sessions of the cases the user may see (the notes' visibility is decided per row)."""
    cases = case_list_for_user(user=user).values("pk")
    return CounsellingSession.objects.filter(case_id__in=cases).select_related(
        "case", "case__insertion_counsellor", "case__psychosocial_counsellor", "counsellor__user")


def consent_list_for_user(*, user: Any) -> QuerySet:
    people = case_list_for_user(user=user).values("person_id")
    return Consent.objects.filter(person_id__in=people).select_related("structure", "person")


def _week_bounds(today: dt.date) -> tuple[dt.date, dt.date]:
    start = today - dt.timedelta(days=today.weekday())
    return start, start + dt.timedelta(days=6)


def caseload_for_user(*, user: Any, limit: int = 100) -> dict[str, Any]:
    """A caseworker's own load: their active cases, what is due this week, what is overdue
    (next appointment / follow-up date passed on an active case)."""
    counsellor = counsellor_of(user)
    mine = Q(owner_id=user.pk)
    if counsellor is not None:
        mine = Q(insertion_counsellor_id=counsellor.pk) | Q(psychosocial_counsellor_id=counsellor.pk)
    base = case_list_for_user(user=user).filter(mine, status__in=ACTIVE_STATUSES)
    today = timezone.localdate()
    _start, end = _week_bounds(today)
    return {
        "counsellor": counsellor,
        "active_count": base.count(),
        "cases": list(base.order_by("next_due_on", "-opened_at")[:limit]),
        "due": list(base.filter(next_due_on__gte=today, next_due_on__lte=end).order_by("next_due_on")[:limit]),
        "overdue": list(base.filter(next_due_on__lt=today).order_by("next_due_on")[:limit]),
    }


def supervision_loads(*, user: Any) -> list[Any]:
    """All counsellors' loads side by side, for a supervisor (their structure's counsellors;
    IOM supervisors and administrators: all), with open, due-this-week and overdue counts."""
    from django.db.models import Count, IntegerField, Subquery, Value
    from django.db.models.functions import Coalesce

    from .services import counsellor_loads

    if not check(user, "cases.view_supervision"):
        return []
    home = user.structure is not None and user.structure.code == "OIM"
    counsellors = counsellor_loads(structure_id=None if (is_admin(user) or home) else user.structure_id)
    today = timezone.localdate()
    _start, end = _week_bounds(today)

    def count(field: str, **filters):
        rows = (Case.objects.filter(**{field: OuterRef("pk")}, status__in=ACTIVE_STATUSES, **filters)
                .order_by().values(field).annotate(n=Count("id")).values("n"))
        return Coalesce(Subquery(rows, output_field=IntegerField()), Value(0))

    counsellors = counsellors.annotate(
        due_week=count("insertion_counsellor", next_due_on__gte=today, next_due_on__lte=end)
        + count("psychosocial_counsellor", next_due_on__gte=today, next_due_on__lte=end),
        overdue=count("insertion_counsellor", next_due_on__lt=today)
        + count("psychosocial_counsellor", next_due_on__lt=today),
    )
    return list(counsellors.order_by("kind", "city", "-active_load", "pk"))


def niche_list(*, region: str = "", sector: str = "") -> QuerySet:
    niches = Niche.objects.select_related("region", "department", "sector", "filiere", "updated_by")
    if region:
        niches = niches.filter(region_id=region)
    if sector:
        niches = niches.filter(sector_id=sector)
    return niches.order_by("region__name", "sector_id", "filiere_id")


def niche_get(*, niche_id: int) -> Niche:
    try:
        return niche_list().get(pk=niche_id)
    except (Niche.DoesNotExist, ValueError):
        raise Http404 from None


def training_list_for_user(*, user: Any) -> QuerySet:
    if not check(user, "cases.view_trainings"):
        return TrainingOffer.objects.none()
    return TrainingOffer.objects.select_related("provider", "filiere").order_by("-start_date", "title")


def training_get_for_user(*, user: Any, offer_id: int) -> TrainingOffer:
    try:
        return training_list_for_user(user=user).get(pk=offer_id)
    except (TrainingOffer.DoesNotExist, ValueError):
        raise Http404 from None


def enrolments_for_offer(*, user: Any, offer: TrainingOffer) -> QuerySet:
    """Enrolments of an offer: all for the provider's staff (they run it), otherwise only
    those of the cases the user may see."""
    enrolments = Enrolment.objects.filter(offer=offer).select_related("case", "case__person").prefetch_related(
        "attendance")
    if check(user, "cases.manage_trainings", offer):
        return enrolments
    return enrolments.filter(case_id__in=case_list_for_user(user=user).values("pk"))
