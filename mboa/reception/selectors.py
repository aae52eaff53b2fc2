"""Reads of the reception app, always for a user (404 when they may not see it).

The selectors that build a page or an API answer check its access (404 when the user may
not see the thing, 403 when they see it but may not use the page) and log the sensitive
reads it shows (:mod:`mboa.core.sensitive`): one row for a returnee shown, one for the
medical details, one row per list response naming the returnees it shows. Views and API
views never log on their own.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from mboa.accounts.roles import FOCAL_POINT
from mboa.actors.models import Department
from mboa.core.permissions import check
from mboa.core.sensitive import log_list_read, log_read
from mboa.core.vocabulary import is_health_vulnerability

from . import report as reports
from .imports import normalise_header
from .models import (
    Arrival,
    ArrivalStatus,
    GtaTask,
    Manifest,
    MatchStatus,
    MedicalDetail,
    Passenger,
    ReceptionStep,
    StepCode,
    TaskStatus,
    TaskTemplate,
)
from .permissions import counsellor_cases, sees_all_passengers, sees_documents
from .sensitive import MEDICAL_FIELDS
from .workflows import ARRIVAL

# Turns a queryset into the page that is shown: a slice, a Paginator page, DRF's paginate_queryset.
Paginate = Callable[[QuerySet], Sequence[Any]]
STATION_LIMIT = 60


# --- Arrivals --------------------------------------------------------------------------------

def arrival_list_for_user(*, user: Any, status: str = "", search: str = "") -> QuerySet:
    """The arrivals the user may see: those whose report they may read (view_report: the
    reception working group, and donors, who read numbers only)."""
    if not check(user, "reception.view_report"):
        return Arrival.objects.none()
    qs = Arrival.objects.annotate(
        passenger_count=Count("passengers", distinct=True),
        open_tasks=Count("tasks", filter=Q(tasks__status=TaskStatus.OPEN), distinct=True),
    )
    if status:
        qs = qs.filter(status=status)
    if search:
        qs = qs.filter(Q(reference__icontains=search) | Q(flight_number__icontains=search)
                       | Q(departure_country__iexact=search))
    return qs.order_by("-expected_at")


def arrivals_page_for_user(*, user: Any, status: str = "", search: str = "") -> QuerySet:
    """The arrivals page: 404 for those who see no arrival and no report."""
    if not check(user, "reception.view_report"):
        raise Http404
    return arrival_list_for_user(user=user, status=status, search=search)


def arrival_get_for_user(*, user: Any, reference: str, rule: str = "reception.view_arrivals") -> Arrival:
    if not check(user, rule):
        raise Http404
    try:
        return Arrival.objects.get(reference=reference)
    except Arrival.DoesNotExist:
        raise Http404 from None


def arrival_for_manager(*, user: Any, reference: str | None = None) -> Arrival | None:
    """The pages that prepare an arrival (new, edit, import the list): 404 when the arrival
    is not visible, 403 for those who may not manage arrivals (the services check the
    same rule). None for a new arrival."""
    arrival = arrival_get_for_user(user=user, reference=reference) if reference is not None else None
    if not check(user, "reception.manage_arrivals", arrival):
        raise PermissionDenied
    return arrival


@dataclass
class ArrivalPage:
    arrival: Arrival
    data: dict[str, Any]
    # (step code, label, returnees done, may the user open its station)
    steps: list[tuple[str, Any, int, bool]]
    to_review: int
    manifests: list[Manifest]
    actions: list[Any]
    may_manage: bool
    may_see_people: bool


def arrival_page_for_user(*, user: Any, reference: str) -> ArrivalPage:
    """The arrival page: its facts and figures (no names), the stations' progress, the
    actions the user may take. 404 for those who may not see arrivals."""
    arrival = arrival_get_for_user(user=user, reference=reference)
    data = reports.arrival_report(arrival)
    counts = dict(data["steps_by_code"])
    may_manage = bool(check(user, "reception.manage_arrivals", arrival))
    return ArrivalPage(
        arrival=arrival, data=data,
        steps=[(code, label, counts.get(code, 0), bool(check(user, "reception.record_step", code)))
               for code, label in StepCode.choices if code != StepCode.POCKET_MONEY or arrival.pocket_money_eligible],
        to_review=passenger_list_for_user(user=user, arrival=arrival).filter(
            match_status__in=[MatchStatus.POSSIBLE, MatchStatus.PROBABLE]).count(),
        manifests=list(arrival.manifests.defer("content")[:10]) if may_manage else [],
        actions=ARRIVAL.available(arrival, user), may_manage=may_manage,
        may_see_people=bool(check(user, "reception.view_passengers")),
    )


# --- GTA tasks -------------------------------------------------------------------------------

def task_list_for_user(*, user: Any, arrival: Arrival | None = None, open_only: bool = False) -> QuerySet:
    """The whole board for IOM/MINREX and admins; a structure's own tasks for the others."""
    qs = GtaTask.objects.select_related("arrival", "structure", "done_by")
    if not check(user, "reception.view_board"):
        if not check(user, "reception.complete_task") or user.structure_id is None:
            return GtaTask.objects.none()
        qs = qs.filter(structure_id=user.structure_id)
    if arrival is not None:
        qs = qs.filter(arrival=arrival)
    if open_only:
        qs = qs.filter(status=TaskStatus.OPEN)
    return qs.order_by("arrival__expected_at", "order", "code", "structure__code")


def task_get_for_user(*, user: Any, task_id: int) -> GtaTask:
    try:
        return task_list_for_user(user=user).get(pk=task_id)
    except (GtaTask.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def my_open_tasks(*, user: Any, limit: int = 20) -> list[GtaTask]:
    """The open tasks of the user's structure on live arrivals (home page)."""
    if user.structure_id is None or not check(user, "reception.complete_task"):
        return []
    return list(
        GtaTask.objects.filter(structure_id=user.structure_id, status=TaskStatus.OPEN)
        .exclude(arrival__status__in=[ArrivalStatus.COMPLETED, ArrivalStatus.CANCELLED])
        .select_related("arrival").order_by("due_at")[:limit]
    )


def active_template() -> TaskTemplate | None:
    """The GTA task template in use (the latest active one)."""
    return TaskTemplate.objects.filter(is_active=True).order_by("-updated_at").first()


def task_template_for_user(*, user: Any) -> TaskTemplate | None:
    """The active GTA task template (its page: 404 for those who do not see the whole board)."""
    if not check(user, "reception.view_board"):
        raise Http404
    return active_template()


# --- What a user may see of a returnee -------------------------------------------------------

@dataclass(frozen=True)
class PassengerSight:
    """What a user may see of the returnees they may see: the one decision every page,
    list, station and API answer of reception applies (:func:`shown_as`).

    - ``health``: the vulnerability remarks (free text) and the health vulnerability codes
      (``mboa.core.vocabulary``: pregnancy, medical, disability, mental health): health staff
      only, not even administrators (policy ``reception_health``). Everyone else sees the
      other codes and the urgency flag, which say that someone needs attention, not why.
    - ``documents``: document numbers and phones: administrators, IOM case managers and
      the police (DGSN) (policy ``passenger``).
    - ``identity_decision``: the registry's candidates, for those who decide (manage arrivals).
    """

    health: bool
    documents: bool
    identity_decision: bool

    def fields(self, *, details: bool) -> list[str]:
        """The sensitive fields an answer shows (for the read log): names and dates of
        birth; with ``details``, what else the answer shows of each returnee."""
        shown = ["family_name", "given_names", "birth_year"]
        if details:
            shown += ["place_of_birth", "vulnerabilities"]
            if self.documents:
                shown += ["document_number", "phone"]
            if self.health:
                shown += ["vulnerability_remarks"]
        return shown


def passenger_sight_for_user(*, user: Any) -> PassengerSight:
    return PassengerSight(health=bool(check(user, "reception.view_medical")), documents=sees_documents(user),
                          identity_decision=bool(check(user, "reception.manage_arrivals")))


def shown_as(passengers: Sequence[Passenger], sight: PassengerSight) -> Sequence[Passenger]:
    """Blank, on the instances, what ``sight`` does not show: the remarks (None) and the
    health codes (dropped from ``vulnerabilities``) without ``health``; document number
    and phone (None) without ``documents``; the registry's candidates without
    ``identity_decision``. Templates and serializers then show what is left, so that no
    page or answer can forget a rule. The instances are for display: never save them."""
    for passenger in passengers:
        if not sight.health:
            passenger.vulnerability_remarks = None
            passenger.vulnerabilities = [c for c in passenger.vulnerabilities or [] if not is_health_vulnerability(c)]
        if not sight.documents:
            passenger.document_number = None
            passenger.phone = None
        if not sight.identity_decision:
            passenger.match_candidates = []
    return passengers


# --- Returnees -------------------------------------------------------------------------------

def passenger_list_for_user(*, user: Any, arrival: Arrival | None = None, search: str = "",
                            with_steps: bool = False) -> QuerySet:
    """The returnees the user may see (of ``arrival``), by number; ``search``: a number or
    words of the name or document number. ``with_steps``: their steps prefetched."""
    if not check(user, "reception.view_passengers"):
        return Passenger.objects.none()
    qs = Passenger.objects.select_related("arrival")
    if not sees_all_passengers(user):
        # Counsellors: the returnees of their cases (kept in step with permissions.view_passengers).
        qs = qs.filter(counsellor_cases(user) or Q(pk__in=[]))
    if arrival is not None:
        qs = qs.filter(arrival=arrival)
    if search:
        text = search.strip()
        if text.isdigit():
            qs = qs.filter(number=int(text))
        else:
            hide_documents = not sees_documents(user)
            for word in normalise_header(text).split():
                qs = qs.filter(search_text__contains=word)
                if hide_documents:  # a search by document number is not an oracle for those who may not see it
                    qs = qs.exclude(Q(document_number__icontains=word) & ~Q(family_name__icontains=word)
                                    & ~Q(given_names__icontains=word))
    if with_steps:
        qs = qs.prefetch_related(
            Prefetch("steps", queryset=ReceptionStep.objects.select_related("done_by_structure")))
    return qs.order_by("arrival", "number")


def passenger_search_fields(*, user: Any) -> list[str]:
    """The API's search fields: document numbers only for those who may see them."""
    if user is not None and getattr(user, "is_authenticated", False) and sees_documents(user):
        return ["family_name", "given_names", "document_number"]
    return ["family_name", "given_names"]


def passengers_shown_for_user(*, user: Any, paginate: Paginate, arrival: Arrival | None = None, search: str = "",
                              with_steps: bool = False, channel: str = "page", purpose: str = "reception list",
                              details: bool = False) -> Sequence[Passenger]:
    """A list of returnees as shown (``paginate`` makes the page of it that the response
    shows), each as the user may see it (:func:`shown_as`); the read is logged in one row
    naming every returnee on it. ``details``: the answer shows each returnee's documents,
    phone and vulnerabilities (the API), not only names and dates of birth (the pages)."""
    sight = passenger_sight_for_user(user=user)
    shown = paginate(passenger_list_for_user(user=user, arrival=arrival, search=search, with_steps=with_steps))
    shown_as(list(shown), sight)
    log_list_read(user=user, objs=list(shown), fields=sight.fields(details=details), channel=channel,
                  purpose=purpose)
    return shown


@dataclass
class PassengerListPage:
    arrival: Arrival
    rows: list[tuple[Passenger, dict[str, ReceptionStep]]]


def passengers_page_for_user(*, user: Any, reference: str, search: str = "",
                             to_review: bool = False) -> PassengerListPage:
    """The returnees page of an arrival (404 for those who may not see returnees), each with
    the steps done; ``to_review``: only those whose identity waits for a decision."""
    arrival = arrival_get_for_user(user=user, reference=reference, rule="reception.view_passengers")

    def rows(queryset: QuerySet) -> list[Passenger]:
        if to_review:
            queryset = queryset.filter(match_status__in=[MatchStatus.POSSIBLE, MatchStatus.PROBABLE])
        return list(queryset)

    passengers = passengers_shown_for_user(user=user, paginate=rows, arrival=arrival, search=search)
    steps = steps_by_passenger([p.pk for p in passengers])
    return PassengerListPage(arrival=arrival, rows=[(p, steps.get(p.pk, {})) for p in passengers])


def passenger_get_for_user(*, user: Any, passenger_id: int) -> Passenger:
    try:
        return passenger_list_for_user(user=user).select_related("person", "case").get(pk=passenger_id)
    except (Passenger.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def passenger_shown_for_user(*, user: Any, passenger_id: int, channel: str = "page",
                             purpose: str = "reception") -> Passenger:
    """A returnee with their steps, as the user may see them (:func:`shown_as`; 404 when
    not visible); the read of what is shown is logged."""
    try:
        passenger = (passenger_list_for_user(user=user, with_steps=True).select_related("person", "case")
                     .get(pk=passenger_id))
    except (Passenger.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    sight = passenger_sight_for_user(user=user)
    shown_as([passenger], sight)
    log_read(user=user, obj=passenger, fields=sight.fields(details=True), channel=channel, purpose=purpose)
    return passenger


@dataclass
class PassengerPage:
    passenger: Passenger
    steps: dict[str, ReceptionStep]
    # The medical details: for health staff only (None for everyone else, or when none).
    medical: MedicalDetail | None = None
    may_see_medical: bool = False
    # The earlier records the matcher proposed, for those who decide: [(candidate, person or None)].
    candidates: list[tuple[dict[str, Any], Any]] = field(default_factory=list)
    sight: PassengerSight | None = None


def passenger_page_for_user(*, user: Any, passenger_id: int, channel: str = "page") -> PassengerPage:
    """The returnee's page (or API answer): identity, steps, the medical details for health
    staff only, the possible earlier records for those who manage arrivals. 404 when the
    user may not see returnees; every sensitive read shown is logged."""
    passenger = passenger_shown_for_user(user=user, passenger_id=passenger_id, channel=channel)
    sight = passenger_sight_for_user(user=user)
    page = PassengerPage(passenger=passenger, steps={s.step: s for s in passenger.steps.all()},
                         may_see_medical=sight.health, sight=sight)
    if page.may_see_medical:
        page.medical = MedicalDetail.objects.filter(passenger=passenger).first()
        if page.medical is not None:
            log_read(user=user, obj=page.medical, fields=MEDICAL_FIELDS, channel=channel, purpose="reception medical")
    if passenger.match_candidates and check(user, "reception.manage_arrivals", passenger.arrival):
        from mboa.registry.selectors import people_shown_for_user

        people = people_shown_for_user(user=user, ids=[c["person_id"] for c in passenger.match_candidates],
                                       channel=channel, purpose="reception identity decision")
        page.candidates = [(c, people.get(c["person_id"])) for c in passenger.match_candidates]
    return page


def steps_by_passenger(passenger_ids: list[int]) -> dict[int, dict[str, ReceptionStep]]:
    result: dict[int, dict[str, ReceptionStep]] = {}
    for step in ReceptionStep.objects.filter(passenger_id__in=passenger_ids).select_related("done_by_structure"):
        result.setdefault(step.passenger_id, {})[step.step] = step
    return result


def urgent_passengers_for_user(*, user: Any, limit: int = 20) -> list[Passenger]:
    """Returnees flagged urgent on live arrivals, for the health staff's home page; the
    vulnerabilities it shows are logged in one row."""
    if not check(user, "reception.view_medical"):
        return []
    since = timezone.now() - dt.timedelta(days=14)
    passengers = list(Passenger.objects.filter(urgent=True, urgent_at__gte=since).select_related("arrival")
                      .order_by("-urgent_at")[:limit])
    log_list_read(user=user, objs=passengers, fields=["vulnerabilities"], purpose="urgent returnees")
    return passengers


# --- Stations --------------------------------------------------------------------------------

@dataclass
class StationPage:
    arrival: Arrival
    step: str
    step_label: Any
    rows: list[tuple[Passenger, ReceptionStep | None]]
    done: int
    total: int
    may_see_medical: bool
    # The stations of the user's desk: [(code, label)].
    steps: list[tuple[str, Any]]
    departments: Sequence[Department] = ()


def station_page_for_user(*, user: Any, reference: str, step: str, search: str = "",
                          passenger: Passenger | None = None) -> StationPage:
    """A station (one step, for a desk): the returnees (the first STATION_LIMIT matching
    ``search``, or just ``passenger`` after a tick) with their record of the step, and
    the progress. 404 for an unknown step or those who may not see returnees, 403 for a
    station of another desk; the names shown are logged in one row."""
    arrival = arrival_get_for_user(user=user, reference=reference, rule="reception.view_passengers")
    if step not in StepCode.values:
        raise Http404
    if not check(user, "reception.record_step", step):
        raise PermissionDenied

    def rows(queryset: QuerySet) -> list[Passenger]:
        return [passenger] if passenger is not None else list(queryset[:STATION_LIMIT])

    passengers = passengers_shown_for_user(user=user, paginate=rows, arrival=arrival, search=search,
                                           purpose="reception station")
    records = {r.passenger_id: r for r in ReceptionStep.objects.filter(
        passenger_id__in=[p.pk for p in passengers], step=step).select_related("done_by_structure")}
    progress = arrival.passengers.aggregate(total=Count("pk", distinct=True),
                                            done=Count("pk", filter=Q(steps__step=step), distinct=True))
    return StationPage(
        arrival=arrival, step=step, step_label=dict(StepCode.choices)[step],
        rows=[(p, records.get(p.pk)) for p in passengers], done=progress["done"], total=progress["total"],
        may_see_medical=bool(check(user, "reception.view_medical")),
        steps=[(c, label) for c, label in StepCode.choices if check(user, "reception.record_step", c)],
        departments=Department.objects.order_by("name") if step == StepCode.ONWARD_TRAVEL else (),
    )


# --- Manifests -------------------------------------------------------------------------------

def manifest_get_for_user(*, user: Any, manifest_id: int) -> Manifest:
    """A manifest as uploaded: only for those who manage arrivals (404 for the others)."""
    if not check(user, "reception.manage_arrivals"):
        raise Http404
    try:
        return Manifest.objects.select_related("arrival").defer("content").get(pk=manifest_id)
    except (Manifest.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def manifest_list_for_user(*, user: Any) -> QuerySet:
    if not check(user, "reception.manage_arrivals"):
        return Manifest.objects.none()
    return Manifest.objects.select_related("arrival").defer("content")


def person_ids_verified_by(user: Any) -> QuerySet | None:
    """Ids of the registry records of the returnees of the arrivals on which the user's
    structure has a GTA task (the police verify the identities of those they received), or
    None for a user who is not a focal point: the registry's ``STRUCTURE`` scope of a focal
    point (registered with :func:`mboa.registry.scopes.register_person_scope` in ``apps.ready``)."""
    if not user.has_role(FOCAL_POINT) or user.structure_id is None:
        return None
    arrivals = GtaTask.objects.filter(structure_id=user.structure_id).values("arrival_id")
    return Passenger.objects.filter(arrival_id__in=arrivals, person__isnull=False).values("person_id")
