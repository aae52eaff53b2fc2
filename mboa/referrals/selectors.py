"""Reads of services, referrals and agreements, always for a user.

Referrals: a user sees those of the cases they see (cases.selectors.case_list_for_user)
and, as a focal point, those addressed to their structure. Nobody else, whatever the id.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from mboa.accounts.roles import FOCAL_POINT, SECRETARIAT
from mboa.core.permissions import check

from . import delays
from .models import (
    Agreement,
    AgreementStatusChange,
    Referral,
    ReferralStatus,
    ReferralStatusChange,
    Service,
    ServicePoint,
)
from .permissions import is_admin
from .workflows import OPEN_REFERRAL_STATUSES


def service_list_for_user(*, user: Any, include_inactive: bool = False) -> QuerySet:
    if not check(user, "referrals.view_catalogue"):
        return Service.objects.none()
    qs = Service.objects.all()
    return qs if include_inactive else qs.filter(is_active=True)


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
    if is_admin(user):
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


def delay_rows_for_user(*, user: Any, since: dt.date | None = None, structure: str = "", service: str = ""):
    """The rows delays.delay_report reads: every referral (aggregates show no one's data)."""
    if not check(user, "referrals.view_delays"):
        return []
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
    if not (is_admin(user) or check(user, "referrals.manage_agreements") or user.has_role("case_manager", "donor")):
        qs = qs.filter(structure_id=user.structure_id)
    if status:
        qs = qs.filter(status=status)
    if structure:
        qs = qs.filter(structure__code__iexact=structure)
    return qs.order_by("structure__code", "-created_at")


def agreement_get_for_user(*, user: Any, pk: int) -> Agreement:
    qs = agreement_list_for_user(user=user).prefetch_related(
        Prefetch("history", queryset=AgreementStatusChange.objects.select_related("by")), "documents")
    try:
        return qs.get(pk=pk)
    except (Agreement.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def agreement_figures_for_user(*, user: Any, now: dt.datetime | None = None) -> list[dict]:
    """Time with IOM and with each structure, per structure, over the agreements the user sees."""
    from .agreements import time_in_status_by_structure

    qs = agreement_list_for_user(user=user).prefetch_related("history")
    return time_in_status_by_structure(agreements=qs, now=now or timezone.now())
