"""Reads of services, referrals and agreements, always for a user.

Referrals: a user sees those of the cases they see (cases.selectors.case_list_for_user)
and, as a focal point, those addressed to their structure. Nobody else, whatever the id.

The selectors that build a page or an API answer check the page's rule (403) and the
object's scope (404), and log the sensitive reads there (mboa.core.sensitive): one row for
the referral opened (what travelled, the health details), one row per list response naming
the referrals shown that carry a person's identity. Views and API views never log.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from functools import cached_property
from typing import Any

from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from mboa.accounts.roles import FOCAL_POINT, SECRETARIAT
from mboa.core.permissions import check, require
from mboa.core.sensitive import log_list_read, log_read

from . import delays
from .models import (
    Agreement,
    AgreementDocument,
    AgreementStatusChange,
    Referral,
    ReferralStatus,
    ReferralStatusChange,
    Service,
    ServicePoint,
    SharedPart,
)
from .workflows import OPEN_REFERRAL_STATUSES, REFERRAL

PAGE_SIZE = 50
# What a row of a referral list shows about a person's referral (no data that travelled).
LIST_FIELDS = ("number", "service", "status")


def service_list_for_user(*, user: Any, include_inactive: bool = False) -> QuerySet:
    if not check(user, "referrals.view_catalogue"):
        return Service.objects.none()
    qs = Service.objects.all()
    return qs if include_inactive else qs.filter(is_active=True)


def catalogue_for_user(*, user: Any, service: str = "") -> dict[str, Any]:
    """The catalogue page: the active services and the points offering ``service`` (all
    when empty)."""
    require(user, "referrals.view_catalogue")
    return {"services": service_list_for_user(user=user),
            "points": service_point_list_for_user(user=user, service=service)}


def service_point_list_for_user(*, user: Any, service: str = "", structure: str = "") -> QuerySet:
    if not check(user, "referrals.view_catalogue"):
        return ServicePoint.objects.none()
    qs = ServicePoint.objects.filter(is_active=True).select_related("structure", "region").prefetch_related("services")
    if service:
        qs = qs.filter(services=service)
    if structure:
        qs = qs.filter(structure__code__iexact=structure)
    return qs


def _scope(user: Any) -> Q | None:
    """None: everything; otherwise the condition on Referral."""
    if user.is_admin:
        return None
    condition = Q(pk__in=[])
    if check(user, "cases.view_cases"):
        from mboa.cases.selectors import case_list_for_user

        condition |= Q(case_id__in=case_list_for_user(user=user).order_by().values("pk"))
    if user.has_role(FOCAL_POINT) and user.structure_id:
        condition |= Q(structure_id=user.structure_id)
    return condition


def _base() -> QuerySet:
    return Referral.objects.select_related("service", "structure", "service_point", "sender_structure", "sent_by",
                                           "case", "agreement")


def referral_list_for_user(*, user: Any, status: str = "", structure: str = "", service: str = "",
                           overdue: bool = False, case: Any = None, now: dt.datetime | None = None) -> QuerySet:
    if not check(user, "referrals.view_referral"):
        return Referral.objects.none()
    qs = _base()
    scope = _scope(user)
    if scope is not None:
        qs = qs.filter(scope)
    if status == "open":
        qs = qs.filter(status__in=OPEN_REFERRAL_STATUSES)
    elif status:
        qs = qs.filter(status=status)
    if structure:
        qs = qs.filter(structure__code__iexact=structure)
    if service:
        qs = qs.filter(service_id=service)
    if case is not None:
        qs = qs.filter(case=case)
    if overdue:
        qs = qs.filter(delays.overdue_q(now=now))
    return qs.order_by("-sent_at", "-id")


def inbox_for_user(*, user: Any, status: str = "") -> QuerySet:
    """The referrals addressed to the user's structure (focal points only)."""
    if not check(user, "referrals.view_inbox"):
        return Referral.objects.none()
    qs = Referral.objects.filter(structure_id=user.structure_id).select_related(
        "service", "structure", "service_point", "sender_structure")
    if status == "open" or not status:
        qs = qs.filter(status__in=OPEN_REFERRAL_STATUSES)
    elif status != "all":
        qs = qs.filter(status=status)
    return qs.order_by("-urgency", "sent_at", "id")


def inbox_counts_for_user(*, user: Any, now: dt.datetime | None = None) -> dict[str, int]:
    qs = inbox_for_user(user=user)
    return qs.aggregate(waiting=Count("pk"), overdue=Count("pk", filter=delays.overdue_q(now=now)))


def referral_get_for_user(*, user: Any, pk: int) -> Referral:
    """One referral the user may see: 403 for those who see no referral at all, 404 for
    one outside their scope."""
    require(user, "referrals.view_referral")
    qs = referral_list_for_user(user=user).prefetch_related(
        Prefetch("history", queryset=ReferralStatusChange.objects.select_related("by", "by_structure")))
    try:
        return qs.get(pk=pk)
    except (Referral.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def board_for_user(*, user: Any, structure: str = "", service: str = "") -> dict[str, Any]:
    """Counts by status and by receiving structure (open ones, and overdue) for the board.
    The secretariat follows the mechanism as a whole: it gets the counts over every
    referral (numbers only), while its list shows only the referrals of cases it sees."""
    if check(user, "referrals.view_board") and user.has_role(SECRETARIAT):
        qs = Referral.objects.all()
        if structure:
            qs = qs.filter(structure__code__iexact=structure)
        if service:
            qs = qs.filter(service_id=service)
    else:
        qs = referral_list_for_user(user=user, structure=structure, service=service).order_by()
    by_status = dict(qs.values_list("status").annotate(n=Count("pk")))
    overdue = delays.overdue_q()
    by_structure = list(
        qs.values("structure__code").annotate(
            total=Count("pk"), open=Count("pk", filter=Q(status__in=OPEN_REFERRAL_STATUSES)),
            overdue=Count("pk", filter=overdue),
            declined=Count("pk", filter=Q(status=ReferralStatus.DECLINED)),
            uncovered=Count("pk", filter=Q(agreement__isnull=True)),
        ).order_by("structure__code")
    )
    return {"by_status": [(value, label, by_status.get(value, 0)) for value, label in ReferralStatus.choices],
            "by_structure": by_structure}


# --- What a page or an API answer shows of referrals (logged here) ------------------------------


def with_due(referrals: Iterable[Referral], *, now: dt.datetime | None = None) -> list[Referral]:
    """The referrals with the step they await (``stage_awaited``), when it is due (``due_at``)
    and whether that is past (``overdue``)."""
    now = now or timezone.now()
    referrals = list(referrals)
    for r in referrals:
        r.stage_awaited, r.due_at = delays.current_due(r)
        r.overdue = r.due_at is not None and r.due_at < now
    return referrals


def _shown(*, user: Any, referrals: Iterable[Referral], channel: str, purpose: str,
           now: dt.datetime | None = None) -> list[Referral]:
    """The referrals of one list response, with their due step; one read-log row names those
    whose snapshot carries the person's identity (nothing is written when none does)."""
    referrals = with_due(referrals, now=now)
    log_list_read(user=user, objs=[r for r in referrals if r.shared_data.get(SharedPart.IDENTITY)],
                  fields=LIST_FIELDS, channel=channel, purpose=purpose)
    return referrals


def referral_listing_for_user(*, user: Any, inbox: bool = False, status: str = "", structure: str = "",
                              service: str = "", overdue: bool = False, case: Any = None) -> QuerySet:
    """The referrals of the user's cases and structure, filtered; with ``inbox``, those
    addressed to the user's structure (filtered by status only, open ones by default)."""
    if inbox:
        return inbox_for_user(user=user, status=status or "open")
    return referral_list_for_user(user=user, status=status, structure=structure, service=service, overdue=overdue,
                                  case=case)


def referral_page_for_user(*, user: Any, paginate: Callable[[QuerySet], Sequence[Referral]], channel: str = "page",
                           now: dt.datetime | None = None, **filters: Any) -> tuple[Sequence[Referral], list[Referral]]:
    """One page of :func:`referral_listing_for_user` (``paginate`` cuts it: a Django
    paginator's page, the API's pagination), logged: (the page, its referrals with their
    due step)."""
    page = paginate(referral_listing_for_user(user=user, **filters))
    purpose = "referral inbox" if filters.get("inbox") else "referral list"
    return page, _shown(user=user, referrals=page, channel=channel, purpose=purpose, now=now)


def _paginator(number: Any) -> Callable[[QuerySet], Any]:
    return lambda qs: Paginator(qs, PAGE_SIZE).get_page(number)


def board_page_for_user(*, user: Any, page: Any = None, now: dt.datetime | None = None, status: str = "",
                        structure: str = "", service: str = "", overdue: bool = False) -> dict[str, Any]:
    """The referral board: counts, and one page of the referrals of the user's cases."""
    require(user, "referrals.view_board")
    shown, referrals = referral_page_for_user(user=user, paginate=_paginator(page), now=now, status=status,
                                              structure=structure, service=service, overdue=overdue)
    return {"page": shown, "referrals": referrals,
            "board": board_for_user(user=user, structure=structure, service=service)}


def inbox_page_for_user(*, user: Any, page: Any = None, status: str = "open",
                        now: dt.datetime | None = None) -> dict[str, Any]:
    """The inbox of a receiving structure's focal point, one page of it."""
    require(user, "referrals.view_inbox")
    shown, referrals = referral_page_for_user(user=user, paginate=_paginator(page), now=now, inbox=True,
                                              status=status)
    return {"page": shown, "referrals": referrals}


def case_referrals_for_user(*, user: Any, case_id: int, now: dt.datetime | None = None) -> dict[str, Any]:
    """The referrals tab of a case the user sees (404 otherwise)."""
    from mboa.cases.selectors import case_get_for_user

    case = case_get_for_user(user=user, case_id=case_id)
    referrals = _shown(user=user, referrals=referral_list_for_user(user=user, case=case), channel="page",
                       purpose="referrals of a case", now=now)
    return {"case": case, "referrals": referrals}


def overdue_referrals_for_user(*, user: Any, now: dt.datetime | None = None, limit: int = 200) -> list[Referral]:
    """The overdue referrals the user sees (the first ``limit``), for the delays page."""
    return _shown(user=user, referrals=referral_list_for_user(user=user, overdue=True, now=now)[:limit],
                  channel="page", purpose="overdue referrals", now=now)


def case_to_refer_for_user(*, user: Any, case_id: int) -> Any:
    """The case the user is about to refer: 403 for those who send no referrals, 404 for a
    case they do not see, 403 for one they do not work on (referrals.send_referral)."""
    from mboa.cases.selectors import case_get_for_user

    require(user, "referrals.send_referral")
    case = case_get_for_user(user=user, case_id=case_id)
    require(user, "referrals.send_referral", case)
    return case


class ReferralDetail:
    """What one referral's page or API answer shows, for one user: the referral (with its
    due step), what travelled *as this user may read it*, whether they see the case behind
    it, the steps they may take, its history.

    The health part of what travelled (health vulnerabilities and the health text) is in
    :attr:`shared` and :attr:`health` only for the staff of the health structure the referral
    is addressed to (``referrals.view_health_details``); everyone else gets
    :attr:`health_sent` (that it was sent), never what it says. Pages and serializers show
    ``shared`` and ``health``, never the referral's own ``shared_data`` or ``health_details``.
    """

    def __init__(self, referral: Referral, user: Any) -> None:
        self.referral, self.user = referral, user
        self.sees_health = bool(check(user, "referrals.view_health_details", referral))
        data = dict(referral.shared_data or {})
        health = data.pop(SharedPart.HEALTH, None)
        self.health_sent = bool(health or referral.health_details or SharedPart.HEALTH in (referral.shared_parts or ()))
        if self.sees_health and self.health_sent:
            health = dict(health or {"vulnerabilities": []})
            health["details"] = health.get("details") or referral.health_details
            self.health: dict[str, Any] | None = health
        else:
            self.health = None
        #: What travelled, as shown to this user (the health part only for the health staff addressed).
        self.shared: dict[str, Any] = {**data, SharedPart.HEALTH: self.health} if self.health else data

    @property
    def shown_fields(self) -> list[str]:
        """The sensitive fields this answer shows (what the read log records)."""
        shown = ["shared_data"] if self.shared else []
        return [*shown, "health_details"] if self.health else shown

    @cached_property
    def sees_case(self) -> bool:
        return bool(check(self.user, "referrals.view_case_data", self.referral))

    @cached_property
    def actions(self) -> list:
        return REFERRAL.available(self.referral, self.user)

    @cached_property
    def history(self) -> list[ReferralStatusChange]:
        return list(self.referral.history.all())


def referral_detail_for_user(*, user: Any, pk: int, channel: str = "page",
                             now: dt.datetime | None = None) -> ReferralDetail:
    """One referral as its page (``channel="page"``) or the API (``"api"``) shows it: 403/404
    as :func:`referral_get_for_user`; what it shows of what travelled is decided here
    (:class:`ReferralDetail`) and its read logged (one row, naming the fields shown: the
    health details only when the reader is the health staff addressed)."""
    referral = referral_get_for_user(user=user, pk=pk)
    with_due([referral], now=now)
    shown = ReferralDetail(referral, user)
    if shown.shown_fields:
        log_read(user=user, obj=referral, fields=shown.shown_fields, channel=channel, purpose="referral")
    return shown


def delay_rows_for_user(*, user: Any, since: dt.date | None = None, structure: str = "", service: str = ""):
    """The rows delays.delay_report reads: every referral (aggregates show no one's data)."""
    require(user, "referrals.view_delays")
    qs = Referral.objects.all()
    if since:
        qs = qs.filter(sent_at__date__gte=since)
    if structure:
        qs = qs.filter(structure__code__iexact=structure)
    if service:
        qs = qs.filter(service_id=service)
    return list(qs.values(*delays.REPORT_FIELDS))


def agreement_list_for_user(*, user: Any, status: str = "", structure: str = "") -> QuerySet:
    if not check(user, "referrals.view_agreements"):
        return Agreement.objects.none()
    qs = Agreement.objects.select_related("structure", "manager").prefetch_related("services")
    if not (user.is_admin or check(user, "referrals.manage_agreements") or user.has_role("case_manager", "donor")):
        qs = qs.filter(structure_id=user.structure_id)
    if status:
        qs = qs.filter(status=status)
    if structure:
        qs = qs.filter(structure__code__iexact=structure)
    return qs.order_by("structure__code", "-created_at")


def agreement_get_for_user(*, user: Any, pk: int) -> Agreement:
    """One agreement the user may see: 403 for those who follow no agreement, 404 for
    another structure's."""
    require(user, "referrals.view_agreements")
    qs = agreement_list_for_user(user=user).prefetch_related(
        Prefetch("history", queryset=AgreementStatusChange.objects.select_related("by")), "documents")
    try:
        return qs.get(pk=pk)
    except (Agreement.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def agreement_document_get_for_user(*, user: Any, agreement_id: Any, document_id: Any) -> AgreementDocument:
    """A document of an agreement the user sees (as :func:`agreement_get_for_user`: 403 for
    those who follow no agreement, 404 for another structure's); 404 for a document of
    another agreement or without a stored file."""
    agreement = agreement_get_for_user(user=user, pk=agreement_id)
    document = next((d for d in agreement.documents.all() if str(d.pk) == str(document_id)), None)
    if document is None or not document.file:
        raise Http404
    return document


def _with_days_held(agreements: Iterable[Agreement], now: dt.datetime) -> list[Agreement]:
    """Each agreement with ``days_with_ball``: the days its ball has been held (None when nobody holds it)."""
    agreements = list(agreements)
    for a in agreements:
        a.days_with_ball = (now - a.ball_since).days if a.ball_since and a.ball_with else None
    return agreements


def agreement_list_page_for_user(*, user: Any, status: str = "", structure: str = "",
                                 now: dt.datetime | None = None) -> dict[str, Any]:
    """The agreements page: the agreements the user follows, and the time with each party."""
    require(user, "referrals.view_agreements")
    now = now or timezone.now()
    return {"agreements": _with_days_held(agreement_list_for_user(user=user, status=status, structure=structure), now),
            "figures": agreement_figures_for_user(user=user, now=now)}


def agreement_choices_for_user(*, user: Any) -> dict[str, QuerySet]:
    """The structures and services to choose from when recording an agreement, for those
    who manage agreements (403 otherwise: the page to record one is theirs)."""
    from mboa.actors.models import Structure

    require(user, "referrals.manage_agreements")
    return {"structures": Structure.objects.filter(is_active=True).order_by("code"),
            "services": Service.objects.all()}


def escalation_for_user(*, user: Any, now: dt.datetime | None = None) -> list[Agreement]:
    """The agreements waiting on their structure long enough to go to the steering
    committee, for those who manage agreements."""
    from .agreements import escalation_list

    require(user, "referrals.manage_agreements")
    now = now or timezone.now()
    return _with_days_held(escalation_list(now=now), now)


def agreement_figures_for_user(*, user: Any, now: dt.datetime | None = None) -> list[dict]:
    """Time with IOM and with each structure, per structure, over the agreements the user sees."""
    from .agreements import time_in_status_by_structure

    qs = agreement_list_for_user(user=user).prefetch_related("history")
    return time_in_status_by_structure(agreements=qs, now=now or timezone.now())
