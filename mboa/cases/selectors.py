"""Reads of cases, always for a user (404 when the user may not see, 403 when the page is
not for them), and the log of the sensitive reads they make.

Stable API for referrals and projects::

    case_list_for_user(*, user, ...) -> QuerySet[Case]
    case_get_for_user(*, user, case_id) -> Case          # Http404 when not visible
    case_timeline(*, case, user, limit=200) -> list[Activity]

The selectors that build what a page or an API answer shows (``case_page_for_user``,
``case_list_page_for_user``, ``caseload_page_for_user``, ``*_shown`` for the API's pages)
log the reads of identity, health and psychosocial data themselves
(:mod:`mboa.core.sensitive`): one row per record page, one row per list response naming
the records it shows. Views and API views never log.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.paginator import Page, Paginator
from django.db.models import Count, Exists, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone

from mboa.accounts.roles import CASE_MANAGER
from mboa.actors.models import Region
from mboa.core.conf import setting
from mboa.core.models import Activity
from mboa.core.permissions import check, require
from mboa.core.sensitive import log_list_read, log_read
from mboa.core.vocabulary import vulnerability_code, vulnerability_label
from mboa.core.workflows import Transition
from mboa.registry import identity
from mboa.registry.models import IdentityDocument, Person, PersonPhone

from . import workflows
from .assessments import display_answers
from .models import (
    ACTIVE_STATUSES,
    Approval,
    ApprovalStatus,
    Assessment,
    Case,
    CaseVulnerability,
    Consent,
    CounsellingSession,
    Counsellor,
    Enrolment,
    FormSchema,
    HouseholdMember,
    Niche,
    SavedFilter,
    Sector,
    TrainingOffer,
    Transfer,
    TransferStatus,
)
from .permissions import counsellor_of, is_supervisor

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


# Identity fields shown by a list row (the name) and by the case page (name, sex, birth date).
NAME_FIELDS = ["family_name", "given_names"]
CASE_PAGE_PERSON_FIELDS = ["family_name", "given_names", "sex", "birth_year", "birth_month", "birth_day"]
OPEN_PAGE_PERSON_FIELDS = ["family_name", "given_names", "birth_year", "birth_month", "birth_day"]
LIST_PAGE_SIZE = 25


def _scope(user: Any) -> Q | None:
    """The cases a user may see, as a condition (None: all; Q(pk__in=[]): none).
    Kept in step with :func:`mboa.cases.permissions.case_visible`."""
    if user.is_admin:
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


def person_ids_counselled_by(user: Any) -> QuerySet | None:
    """Ids of the people of the cases ``user`` holds as insertion or psychosocial counsellor
    (the person of the case and the household members with a registry record), or None for
    a user who is not a counsellor: the registry's ``ASSIGNED`` scope of a counsellor
    (registered with :func:`mboa.registry.scopes.register_person_scope` in ``apps.ready``).
    Kept in step with :func:`_scope` (the cases a counsellor sees)."""
    counsellor = counsellor_of(user)
    if counsellor is None:
        return None
    held = Q(insertion_counsellor_id=counsellor.pk) | Q(psychosocial_counsellor_id=counsellor.pk)
    members = HouseholdMember.objects.filter(person__isnull=False).filter(
        Q(case__insertion_counsellor_id=counsellor.pk) | Q(case__psychosocial_counsellor_id=counsellor.pk))
    return Person.objects.filter(Q(pk__in=Case.objects.filter(held).values("person_id"))
                                 | Q(pk__in=members.values("person_id"))).values("pk")


def _supervised(user: Any, prefix: str = "") -> Q | None:
    """The cases a user supervises, as a condition on ``<prefix>`` (None: all; nothing: none).
    Kept in step with :func:`mboa.cases.permissions.supervises`."""
    if user.is_admin:
        return None
    if not (is_supervisor(user) and user.structure_id):
        return Q(pk__in=[])
    return (Q(**{f"{prefix}structure_id": user.structure_id})
            | Q(**{f"{prefix}insertion_counsellor__structure_id": user.structure_id})
            | Q(**{f"{prefix}psychosocial_counsellor__structure_id": user.structure_id}))


def _log_people_shown(*, user: Any, cases: Iterable[Case], fields: Sequence[str], channel: str,
                      purpose: str) -> None:
    """One read-log row naming the people whose identity a response shows (none: no row)."""
    people = {case.person_id: case.person for case in cases}
    log_list_read(user=user, objs=people.values(), fields=fields, channel=channel, purpose=purpose)


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
        cases = cases.filter(Exists(CaseVulnerability.objects.filter(
            case_id=OuterRef("pk"), category=vulnerability_code(vulnerability))))
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


@dataclass
class CaseListPage:
    cases: list[Case]
    page: int
    has_next: bool

    @property
    def has_previous(self) -> bool:
        return self.page > 1


def case_list_page_for_user(*, user: Any, page: int = 1, channel: str = "page", **filters: Any) -> CaseListPage:
    """One page of the case list (``filters`` as :func:`case_list_for_user`), its names'
    read logged. 403 for those who do not work on cases. Offset pagination without a total
    count: counting a million rows would cost more than the page itself; one extra row
    says whether there is a next page."""
    require(user, "cases.view_cases")
    page = max(1, page)
    cases = case_list_for_user(user=user, **filters)
    rows = list(case_list_rows(cases)[(page - 1) * LIST_PAGE_SIZE: page * LIST_PAGE_SIZE + 1])
    shown = rows[:LIST_PAGE_SIZE]
    _log_people_shown(user=user, cases=shown, fields=NAME_FIELDS, channel=channel, purpose="case list")
    return CaseListPage(cases=shown, page=page, has_next=len(rows) > LIST_PAGE_SIZE)


def case_list_shown(*, user: Any, cases: QuerySet, paginate: Callable[[QuerySet], Any],
                    channel: str = "api") -> list[Case]:
    """The page ``paginate(cases)`` takes of a list of :func:`case_list_for_user` (the API's
    paginator), with the read of the names it shows logged."""
    shown = list(paginate(cases) or [])
    _log_people_shown(user=user, cases=shown, fields=NAME_FIELDS, channel=channel, purpose="case list")
    return shown


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
    except (Case.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404 from None


def case_read_for_user(*, user: Any, case_id: int, channel: str = "api") -> Case:
    """:func:`case_get_for_user` for a response that shows the case with its person's
    name (the API's case): the read is logged."""
    case = case_get_for_user(user=user, case_id=case_id)
    log_read(user=user, obj=case.person, fields=NAME_FIELDS, channel=channel, purpose=f"case {case.number}")
    return case


def case_form_for_user(*, user: Any, case_id: int, rule: str, channel: str = "page") -> Case:
    """The case of a page whose form makes a write under ``rule`` (``cases.work_on_case``,
    ``cases.record_consent``...): 404 when the user may not see the case, 403 when the rule
    refuses them this case (the service checks it again on saving). The page names the
    returnee: the read is logged."""
    case = case_get_for_user(user=user, case_id=case_id)
    require(user, rule, case)
    log_read(user=user, obj=case.person, fields=NAME_FIELDS, channel=channel, purpose=f"case {case.number}")
    return case


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


# --- The case page ----------------------------------------------------------------------------


@dataclass
class CasePage:
    """Everything the case page shows, built for one user."""

    case: Case
    may_work: bool
    may_read_psy: bool
    may_record_consent: bool
    may_withdraw_consent: bool
    sessions: list[CounsellingSession]
    assessments: list[tuple[Assessment, list[tuple[str, str]]]]
    consents: list[Consent]
    vulnerabilities: list[str]
    household: list[Any]
    approvals: list[Approval]
    transfers: list[Transfer]
    enrolments: list[Enrolment]
    actions: list[Transition]
    suggestions: list[Any]
    timeline: list[Activity]
    later_cases: list[Case] = field(default_factory=list)


def case_page_for_user(*, user: Any, case_id: int, channel: str = "page") -> CasePage:
    """The case page (404 when the user may not see the case). Logs the reads it makes: the
    person's identity, the assessments' answers, and the psychosocial notes — those are
    shown (and read) only to whom ``cases.read_psychosocial`` allows."""
    from .niches import niche_suggestions

    case = case_get_for_user(user=user, case_id=case_id)
    may_read_psy = bool(check(user, "cases.read_psychosocial", case))
    sessions = list(case.sessions.select_related("counsellor__user", "recorded_by").order_by("-held_on", "-id"))
    if not may_read_psy:
        for session in sessions:
            if session.is_restricted:
                session.notes = ""  # never leaves the selector
    assessments = list(case.assessments.select_related("form", "assessed_by").order_by("-assessed_on", "-id"))
    consents = list(Consent.objects.filter(person_id=case.person_id).select_related("structure"))
    log_read(user=user, obj=case.person, fields=CASE_PAGE_PERSON_FIELDS, channel=channel,
             purpose=f"case {case.number}")
    log_list_read(user=user, objs=assessments, fields=["answers"], channel=channel, purpose=f"case {case.number}")
    if may_read_psy:
        log_list_read(user=user, objs=[s for s in sessions if s.is_restricted], fields=["notes"], channel=channel,
                      purpose=f"case {case.number}")
    return CasePage(
        case=case,
        may_work=bool(check(user, "cases.work_on_case", case)),
        may_read_psy=may_read_psy,
        may_record_consent=bool(check(user, "cases.record_consent", case)),
        may_withdraw_consent=bool(consents) and bool(check(user, "cases.withdraw_consent", consents[0])),
        sessions=sessions,
        assessments=[(a, display_answers(a)) for a in assessments],
        consents=consents,
        vulnerabilities=[vulnerability_label(v.category) for v in case.vulnerabilities.all()],
        household=list(case.household.select_related("person")),
        approvals=list(case.approvals.select_related("requested_by", "decided_by")),
        transfers=list(case.transfers.select_related("to_owner", "requested_by")),
        enrolments=list(case.enrolments.select_related("offer")),
        # Only the manual actions: the approved steps' guards would cost a query each.
        actions=[t for t in workflows.CASE.transitions
                 if t.action in workflows.MANUAL_ACTIONS and workflows.CASE.check(case, t.action, user)[0]],
        suggestions=niche_suggestions(case=case),
        timeline=case_timeline(case=case, user=user),
        later_cases=list(case.later_cases.only("id", "number", "status")),
    )


def case_open_form_for_user(*, user: Any, person_id: Any) -> Person:
    """The person whose case the "open a case" page opens (403 without ``cases.open_case``,
    404 for a person the user may not see); the page shows their name and birth date."""
    from mboa.registry.selectors import person_get_for_user

    require(user, "cases.open_case")
    try:
        person = person_get_for_user(user=user, person_id=int(person_id))
    except (ValueError, TypeError, OverflowError):
        raise Http404 from None
    log_read(user=user, obj=person, fields=OPEN_PAGE_PERSON_FIELDS, purpose="case opening")
    return person


# --- Sessions, assessments, consents --------------------------------------------------------------


def session_list_for_user(*, user: Any) -> QuerySet:
    """Sessions of the cases the user may see (the notes' visibility is decided per row)."""
    cases = case_list_for_user(user=user).values("pk")
    return CounsellingSession.objects.filter(case_id__in=cases).select_related(
        "case", "case__insertion_counsellor", "case__psychosocial_counsellor", "counsellor__user")


def session_list_shown(*, user: Any, sessions: QuerySet, paginate: Callable[[QuerySet], Any],
                       channel: str = "api") -> tuple[list[CounsellingSession], set[int]]:
    """The page ``paginate(sessions)`` takes, and the ids of the psychosocial sessions whose
    notes the user may not read (withheld). The notes shown are logged."""
    shown = list(paginate(sessions) or [])
    restricted = [s for s in shown if s.is_restricted]
    readable = {s.pk for s in restricted if check(user, "cases.read_psychosocial", s.case)}
    log_list_read(user=user, objs=[s for s in restricted if s.pk in readable], fields=["notes"], channel=channel)
    return shown, {s.pk for s in restricted if s.pk not in readable}


def assessment_list_for_user(*, user: Any) -> QuerySet:
    """Assessments of the cases the user may see."""
    cases = case_list_for_user(user=user).values("pk")
    return Assessment.objects.filter(case_id__in=cases).select_related("form").order_by("-assessed_on", "-id")


def assessment_list_shown(*, user: Any, assessments: QuerySet, paginate: Callable[[QuerySet], Any],
                          channel: str = "api") -> list[Assessment]:
    """The page ``paginate(assessments)`` takes; vulnerability answers may describe health
    and violence, so the read of the answers shown is logged."""
    shown = list(paginate(assessments) or [])
    log_list_read(user=user, objs=shown, fields=["answers"], channel=channel)
    return shown


def consent_list_for_user(*, user: Any) -> QuerySet:
    people = case_list_for_user(user=user).values("person_id")
    return Consent.objects.filter(person_id__in=people).select_related("structure", "person")


def consent_get_for_user(*, user: Any, consent_id: Any, case: Case | None = None) -> Consent:
    """A consent of a person whose case the user sees (of ``case``'s person, when given); 404 otherwise."""
    consents = consent_list_for_user(user=user)
    if case is not None:
        consents = consents.filter(person_id=case.person_id)
    try:
        return consents.get(pk=consent_id)
    except (Consent.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404 from None


# --- Approvals and transfers ---------------------------------------------------------------------------


def approvals_pending_for_user(*, user: Any) -> QuerySet:
    """The approvals waiting for a decision that the user may take, oldest first: those of
    the cases they supervise, not requested by themselves (``cases.decide_approval``),
    filtered in the database."""
    if not check(user, "cases.decide_approval"):
        return Approval.objects.none()
    approvals = Approval.objects.filter(status=ApprovalStatus.REQUESTED).exclude(requested_by_id=user.pk)
    supervised = _supervised(user, prefix="case__")
    if supervised is not None:
        approvals = approvals.filter(supervised)
    return approvals.select_related("case", "requested_by").order_by("created_at", "id")


def approval_get_for_user(*, user: Any, approval_id: Any) -> Approval:
    """An approval of a case the user sees or supervises (404 otherwise)."""
    approvals = Approval.objects.select_related("case")
    if not user.is_admin:
        visible = Q(case_id__in=case_list_for_user(user=user).order_by().values("pk"))
        approvals = approvals.filter(visible | _supervised(user, prefix="case__"))
    try:
        return approvals.get(pk=approval_id)
    except (Approval.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404 from None


def transfers_incoming_for_user(*, user: Any) -> QuerySet:
    """The transfers waiting for the user to accept (they are the receiving case manager)."""
    return Transfer.objects.filter(to_owner_id=user.pk, status=TransferStatus.REQUESTED).select_related(
        "case", "requested_by").order_by("created_at", "id")


def transfer_get_for_user(*, user: Any, transfer_id: Any) -> Transfer:
    """A transfer of a case the user sees, addressed to them, or of their structure's cases
    for a supervisor (the receiver may not see the case yet); 404 otherwise."""
    transfers = Transfer.objects.select_related("case")
    if not user.is_admin:
        condition = Q(case_id__in=case_list_for_user(user=user).order_by().values("pk")) | Q(to_owner_id=user.pk)
        if is_supervisor(user) and user.structure_id:
            condition |= Q(case__structure_id=user.structure_id)
        transfers = transfers.filter(condition)
    try:
        return transfers.get(pk=transfer_id)
    except (Transfer.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404 from None


# --- Caseloads ---------------------------------------------------------------------------------------------


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


APPROVALS_PAGE_SIZE = 50


def caseload_page_for_user(*, user: Any, approvals_page: Any = 1, channel: str = "page") -> dict[str, Any]:
    """The caseload page (403 without ``cases.have_caseload``): the user's load, the
    transfers they are to accept, and one page of the approvals they may decide. The read
    of the returnees' names it shows is logged."""
    require(user, "cases.have_caseload")
    load = caseload_for_user(user=user)
    incoming = list(transfers_incoming_for_user(user=user))
    approvals: Page = Paginator(approvals_pending_for_user(user=user), APPROVALS_PAGE_SIZE).get_page(approvals_page)
    _log_people_shown(user=user, cases=[*load["cases"], *load["due"], *load["overdue"]], fields=NAME_FIELDS,
                      channel=channel, purpose="caseload")
    return {**load, "incoming": incoming, "pending_approvals": approvals}


def counsellor_loads(*, kind: str | None = None, city: str | None = None, structure_id: int | None = None):
    """Active counsellors annotated with ``active_load`` (their open cases), lightest first."""
    wanted = {"kind": kind, "city__iexact": city, "structure_id": structure_id}
    counsellors = Counsellor.objects.filter(is_active=True, **{k: v for k, v in wanted.items() if v}).select_related(
        "user", "structure")
    return counsellors.annotate(
        active_load=_open_cases_of("insertion_counsellor") + _open_cases_of("psychosocial_counsellor")
    ).order_by("active_load", "pk")


def _open_cases_of(field: str, **filters: Any):
    """Open cases of the counsellor on ``field`` (and ``filters``): a correlated count
    (index on (field, status))."""
    rows = (Case.objects.filter(**{field: OuterRef("pk")}, status__in=ACTIVE_STATUSES, **filters)
            .order_by().values(field).annotate(n=Count("id")).values("n"))
    return Coalesce(Subquery(rows, output_field=IntegerField()), Value(0))


def counsellor_suggest(*, case: Case, kind: str) -> Counsellor | None:
    """The active counsellor of ``kind`` with the lightest active caseload in the case's
    city (ties: the longest-serving, i.e. lowest id). None when the city has none."""
    return counsellor_loads(kind=kind, city=case.city).first() if case.city else None


def counsellor_get(*, counsellor_id: Any) -> Counsellor:
    """An active counsellor (whom a case may be assigned to); 404 otherwise."""
    try:
        return Counsellor.objects.select_related("user", "structure").get(pk=counsellor_id, is_active=True)
    except (Counsellor.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404 from None


def case_assign_page_for_user(*, user: Any, case_id: int) -> dict[str, Any]:
    """The assignment page of a case (``cases.assign``): per kind of counsellor, the
    suggestion, all active counsellors with their load, and the current one."""
    from .models import CounsellorKind

    case = case_form_for_user(user=user, case_id=case_id, rule="cases.assign")
    kinds = []
    for kind, label in CounsellorKind.choices:
        kinds.append({
            "kind": kind, "label": label,
            "suggested": counsellor_suggest(case=case, kind=kind),
            "counsellors": list(counsellor_loads(kind=kind)),
            "current": case.insertion_counsellor if kind == CounsellorKind.INSERTION else case.psychosocial_counsellor,
        })
    return {"case": case, "kinds": kinds}


def supervision_loads(*, user: Any) -> list[Any]:
    """All counsellors' loads side by side, for a supervisor (their structure's counsellors;
    IOM supervisors and administrators: all), with open, due-this-week and overdue counts.
    403 for those who do not supervise."""
    require(user, "cases.view_supervision")
    home = user.structure is not None and user.structure.code == setting("CASES", "HOME_STRUCTURE")
    counsellors = counsellor_loads(structure_id=None if (user.is_admin or home) else user.structure_id)
    today = timezone.localdate()
    _start, end = _week_bounds(today)
    week = {"next_due_on__gte": today, "next_due_on__lte": end}
    counsellors = counsellors.annotate(
        due_week=_open_cases_of("insertion_counsellor", **week) + _open_cases_of("psychosocial_counsellor", **week),
        overdue=_open_cases_of("insertion_counsellor", next_due_on__lt=today)
        + _open_cases_of("psychosocial_counsellor", next_due_on__lt=today),
    )
    return list(counsellors.order_by("kind", "city", "-active_load", "pk"))


# --- Saved filters -----------------------------------------------------------------------------------------


def saved_filters_for_user(*, user: Any) -> QuerySet:
    """The user's own saved searches of the case list."""
    return SavedFilter.objects.filter(user_id=user.pk).order_by("name")


def saved_filter_get_for_user(*, user: Any, filter_id: Any) -> SavedFilter:
    try:
        return saved_filters_for_user(user=user).get(pk=filter_id)
    except (SavedFilter.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404 from None


# --- Niche map -----------------------------------------------------------------------------------------------


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
    except (Niche.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404 from None


def niche_map_for_user(*, user: Any, region: str = "", sector: str = "") -> dict[str, Any]:
    """The niche map page: the niches (filtered), and the regions and sectors to filter by."""
    require(user, "cases.view_niches")
    return {"niches": niche_list(region=region, sector=sector), "regions": Region.objects.all(),
            "sectors": Sector.objects.all()}


def niche_for_edit(*, user: Any, niche_id: int | None = None) -> Niche | None:
    """The niche an editor's form changes (None: a new niche, or an import); 403 for those
    who do not keep the map (``cases.change_niches``)."""
    require(user, "cases.change_niches")
    return niche_get(niche_id=niche_id) if niche_id else None


# --- Trainings ---------------------------------------------------------------------------------------------------


def training_list_for_user(*, user: Any) -> QuerySet:
    if not check(user, "cases.view_trainings"):
        return TrainingOffer.objects.none()
    return TrainingOffer.objects.select_related("provider", "filiere").order_by("-start_date", "title")


def training_list_page_for_user(*, user: Any) -> QuerySet:
    """The trainings page: 403 for those trainings are not for."""
    require(user, "cases.view_trainings")
    return training_list_for_user(user=user)


def training_form_for_user(*, user: Any) -> None:
    """The form of a new training offer is for MINEFOP staff (``cases.manage_trainings``): 403 otherwise."""
    require(user, "cases.manage_trainings")


def training_get_for_user(*, user: Any, offer_id: Any) -> TrainingOffer:
    try:
        return training_list_for_user(user=user).get(pk=offer_id)
    except (TrainingOffer.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404 from None


def _enrolments_for_user(user: Any) -> QuerySet:
    """Enrolments of the offers the user sees: all of them for the providers' staff (they
    run the trainings), otherwise only those of the cases the user may see."""
    enrolments = Enrolment.objects.filter(offer__in=training_list_for_user(user=user).order_by().values("pk"))
    if check(user, "cases.manage_trainings"):
        return enrolments
    return enrolments.filter(case_id__in=case_list_for_user(user=user).order_by().values("pk"))


def enrolments_for_offer(*, user: Any, offer: TrainingOffer) -> QuerySet:
    return _enrolments_for_user(user).filter(offer=offer).select_related("case", "case__person").prefetch_related(
        "attendance")


def training_page_for_user(*, user: Any, offer_id: Any, channel: str = "page") -> dict[str, Any]:
    """A training offer with the enrolments the user may see (the returnees' names shown are logged)."""
    offer = training_get_for_user(user=user, offer_id=offer_id)
    enrolments = list(enrolments_for_offer(user=user, offer=offer))
    _log_people_shown(user=user, cases=[e.case for e in enrolments], fields=NAME_FIELDS, channel=channel,
                      purpose=f"training {offer.pk}")
    return {"offer": offer, "enrolments": enrolments, "may_manage": bool(check(user, "cases.manage_trainings", offer))}


def enrolment_get_for_user(*, user: Any, enrolment_id: Any) -> Enrolment:
    """An enrolment the user sees (as :func:`enrolments_for_offer` shows them); 404 otherwise."""
    try:
        return _enrolments_for_user(user).select_related("offer", "case").get(pk=enrolment_id)
    except (Enrolment.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404 from None


# --- Assessment forms ------------------------------------------------------------------------------------------


def form_schemas_for_user(*, user: Any) -> QuerySet:
    """Every version of every assessment form, for the administrators who change them (403 otherwise)."""
    require(user, "cases.manage_forms")
    return FormSchema.objects.order_by("kind", "-version")
