"""Reads of feedback, satisfaction, community projects and awareness activities, always for
a user; and the figures the dashboards draw (aggregates, for nobody in particular).

Feedback: the handlers (IOM administrators and case managers) see every feedback except
complaints against staff; the designated officers see the complaints against staff. The
selectors check the page's rule (403), the object's scope (404), and log the reads of
people's data: the list rows that name a person, the feedback opened (its text, the
person, the phone), the returnees who spoke at an awareness activity.

Figures (:func:`feedback_figures`, :func:`community_figures`) are counts, medians and
means computed by the database; they name nobody. ``filters`` (all optional):

- ``date_from``, ``date_to`` (dates): the period (feedback received, scores answered,
  community projects started, activities held);
- ``region`` (region code): the feedback's or score's region (the case's destination),
  the project's or activity's region;
- ``structure`` (structure code): the structure that received the feedback, that runs the
  project or organised the activity;
- ``sex`` (``F``/``M``) and ``age_group`` (``AgeGroup``): the person the feedback or score
  is about, the counted beneficiaries; the age is this year's age from the year of birth.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.paginator import Paginator
from django.db.models import Avg, Count, Q, QuerySet, Sum
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from mboa.core.conf import setting
from mboa.core.errors import ApplicationError
from mboa.core.permissions import check, require
from mboa.core.sensitive import log_list_read, log_read
from mboa.core.vocabulary import AGE_GROUPS

from .models import (
    AgeGroup,
    AudienceKind,
    AwarenessActivity,
    BeneficiarySex,
    Channel,
    CommunityBeneficiaries,
    CommunityProject,
    CommunityProjectStatus,
    Feedback,
    FeedbackCategory,
    FeedbackKind,
    FeedbackStatus,
    SatisfactionScore,
    Step,
)
from .permissions import is_handler, is_officer

PAGE_SIZE = 50
LIST_FIELDS = ("person",)
DETAIL_FIELDS = ("text", "person", "contact_phone")
SPEAKER_FIELDS = ("family_name", "given_names")


# --- Feedback --------------------------------------------------------------------------


def _scope(user: Any) -> Q:
    condition = Q(pk__in=[])
    if is_handler(user):
        condition |= Q(against_staff=False)
    if is_officer(user):
        condition |= Q(against_staff=True)
    return condition


def feedback_list_for_user(*, user: Any, staff: bool = False, status: str = "", category: str = "",
                           channel: str = "") -> QuerySet:
    """The feedback the user may read (none for those without a queue); ``staff``: the
    complaints against staff only (the officers' queue)."""
    if not check(user, "monitoring.view_feedback"):
        return Feedback.objects.none()
    qs = Feedback.objects.filter(_scope(user)).select_related("category", "person", "case", "region",
                                                              "received_by_structure")
    if staff:
        qs = qs.filter(against_staff=True)
    if status == "pending":
        qs = qs.exclude(status=FeedbackStatus.CLOSED)
    elif status:
        qs = qs.filter(status=status)
    if category:
        qs = qs.filter(category_id=category)
    if channel:
        qs = qs.filter(channel=channel)
    return qs.order_by("-received_at", "-id")


def feedback_shown(*, user: Any, feedback: Iterable[Feedback], channel: str = "page") -> list[Feedback]:
    """The rows of one list response; one read-log row names those about a person."""
    rows = list(feedback)
    log_list_read(user=user, objs=[f for f in rows if f.person_id], fields=LIST_FIELDS, channel=channel,
                  purpose="feedback list")
    return rows


def feedback_page_for_user(*, user: Any, page: Any = 1, staff: bool = False, **filters: Any) -> dict[str, Any]:
    """The queue page (403 without a queue; the officers' queue: 403 for anyone else)."""
    require(user, "monitoring.view_staff_complaints" if staff else "monitoring.view_feedback")
    qs = feedback_list_for_user(user=user, staff=staff, **filters)
    paginated = Paginator(qs, PAGE_SIZE).get_page(page)
    return {"page_obj": paginated, "feedback": feedback_shown(user=user, feedback=paginated.object_list),
            "categories": FeedbackCategory.objects.filter(is_active=True),
            "pending": feedback_list_for_user(user=user, staff=staff, status="pending").count()}


def feedback_get_for_user(*, user: Any, pk: Any) -> Feedback:
    """One feedback the user may read: 403 without a queue, 404 outside their scope (a
    complaint against staff, for anyone but the officers)."""
    require(user, "monitoring.view_feedback")
    try:
        return feedback_list_for_user(user=user).prefetch_related("responses__by").get(pk=pk)
    except (Feedback.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404 from None


def feedback_detail_for_user(*, user: Any, pk: Any, channel: str = "page") -> Feedback:
    """The feedback opened, its read logged (the text, and the person when there is one)."""
    feedback = feedback_get_for_user(user=user, pk=pk)
    fields = ["text", *(["person"] if feedback.person_id else []), *(["contact_phone"] if feedback.contact_phone
                                                                     else [])]
    log_read(user=user, obj=feedback, fields=fields, channel=channel, purpose=f"feedback {feedback.number}")
    return feedback


def feedback_form_for_user(*, user: Any) -> dict[str, Any]:
    require(user, "monitoring.log_feedback")
    return {"categories": FeedbackCategory.objects.filter(is_active=True)}


def category_choices() -> QuerySet:
    return FeedbackCategory.objects.filter(is_active=True)


def case_by_number_for_user(*, user: Any, number: str) -> Any:
    """A case the user sees, by its number (None when empty); ApplicationError otherwise."""
    number = (number or "").strip()
    if not number:
        return None
    from mboa.cases.selectors import case_list_for_user

    case = case_list_for_user(user=user).filter(number__iexact=number).select_related(
        "person", "destination_region").first()
    if case is None:
        raise ApplicationError(_("No case %(number)s among the cases you see.") % {"number": number},
                               field="case_number")
    return case


# --- Satisfaction ----------------------------------------------------------------------


def _step_model(step: str) -> Any:
    from mboa.cases.models import Enrolment
    from mboa.projects.models import Dossier
    from mboa.reception.models import Passenger
    from mboa.referrals.models import Referral

    return {Step.RECEPTION: Passenger, Step.REFERRAL: Referral, Step.PROJECT: Dossier,
            Step.TRAINING: Enrolment}.get(step)


def step_get_for_user(*, user: Any, step: str, pk: Any) -> Any:
    """The step (a reception, referral, project or training enrolment) whose returnee the
    user accompanies: 403 for those who record no scores, 404 for a step of a case they do
    not see."""
    from .services import step_case

    require(user, "monitoring.record_satisfaction")
    model = _step_model(step)
    if model is None:
        raise Http404
    try:
        obj = model.objects.get(pk=pk)
    except (model.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404 from None
    case = step_case(step, obj)
    if case is None or not check(user, "cases.view_case", case):
        raise Http404
    return obj


def satisfaction_list_for_user(*, user: Any, step: str = "") -> QuerySet:
    if not check(user, "monitoring.view_satisfaction"):
        return SatisfactionScore.objects.none()
    qs = SatisfactionScore.objects.filter(score__isnull=False).select_related("case", "region")
    if step:
        qs = qs.filter(step=step)
    return qs.order_by("-answered_at", "-id")


def satisfaction_page_for_user(*, user: Any, page: Any = 1, step: str = "") -> dict[str, Any]:
    """Recent answers with their comments (no names: the case number only)."""
    require(user, "monitoring.view_satisfaction")
    paginated = Paginator(satisfaction_list_for_user(user=user, step=step), PAGE_SIZE).get_page(page)
    return {"page_obj": paginated, "scores": list(paginated.object_list), "steps": Step.choices, "step": step}


# --- Community projects and awareness activities -------------------------------------------


def community_list_for_user(*, user: Any, region: str = "", status: str = "") -> QuerySet:
    if not check(user, "monitoring.view_community"):
        return CommunityProject.objects.none()
    qs = CommunityProject.objects.select_related("region", "sector", "structure").annotate(
        beneficiaries_total=Sum("beneficiaries__count"))
    if region:
        qs = qs.filter(region_id=region)
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-started_on", "-id")


def community_page_for_user(*, user: Any, page: Any = 1, **filters: Any) -> dict[str, Any]:
    require(user, "monitoring.view_community")
    paginated = Paginator(community_list_for_user(user=user, **filters), PAGE_SIZE).get_page(page)
    return {"page_obj": paginated, "projects": list(paginated.object_list),
            "statuses": CommunityProjectStatus.choices}


def community_form_for_user(*, user: Any, project: CommunityProject | None = None) -> None:
    """A page with a form that writes community projects: 403 for those who may not."""
    require(user, "monitoring.manage_community", project)


def community_get_for_user(*, user: Any, pk: Any) -> CommunityProject:
    require(user, "monitoring.view_community")
    try:
        return community_list_for_user(user=user).get(pk=pk)
    except (CommunityProject.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404 from None


@dataclass
class CommunityDetail:
    project: CommunityProject
    grid: list[tuple[str, Any, list[int], int]]  # (sex, label, counts per age group, total)
    total: int


def community_detail_for_user(*, user: Any, pk: Any) -> CommunityDetail:
    project = community_get_for_user(user=user, pk=pk)
    counts = {(b.sex, b.age_group): b.count for b in project.beneficiaries.all()}
    grid = []
    for sex, label in BeneficiarySex.choices:
        row = [counts.get((sex, group), 0) for group in AgeGroup.values]
        grid.append((sex, label, row, sum(row)))
    return CommunityDetail(project=project, grid=grid, total=sum(counts.values()))


def awareness_list_for_user(*, user: Any, region: str = "") -> QuerySet:
    if not check(user, "monitoring.view_awareness"):
        return AwarenessActivity.objects.none()
    qs = AwarenessActivity.objects.select_related("region", "structure").annotate(
        speakers_count=Count("speakers", distinct=True))
    if region:
        qs = qs.filter(region_id=region)
    return qs.order_by("-held_on", "-id")


def awareness_page_for_user(*, user: Any, page: Any = 1, region: str = "") -> dict[str, Any]:
    """The list shows counts of speakers, not their names (nothing to log)."""
    require(user, "monitoring.view_awareness")
    paginated = Paginator(awareness_list_for_user(user=user, region=region), PAGE_SIZE).get_page(page)
    return {"page_obj": paginated, "activities": list(paginated.object_list)}


def awareness_detail_for_user(*, user: Any, pk: Any, channel: str = "page") -> AwarenessActivity:
    """The activity with the returnees who spoke; the read of their names is logged."""
    require(user, "monitoring.view_awareness")
    try:
        item = awareness_list_for_user(user=user).prefetch_related("speakers").get(pk=pk)
    except (AwarenessActivity.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404 from None
    log_list_read(user=user, objs=list(item.speakers.all()), fields=SPEAKER_FIELDS, channel=channel,
                  purpose=f"awareness activity {item.reference}")
    return item


def awareness_form_for_user(*, user: Any) -> None:
    require(user, "monitoring.manage_awareness")


def speakers_for_user(*, user: Any, case_numbers: Iterable[str]) -> list[Any]:
    """The returnees of the cases the user sees, by case numbers (ApplicationError naming
    those not found)."""
    numbers = [n.strip() for n in case_numbers if n.strip()]
    if not numbers:
        return []
    from mboa.cases.selectors import case_list_for_user

    found = {c.number.upper(): c.person for c in case_list_for_user(user=user).filter(
        number__in=[n.upper() for n in numbers]).select_related("person")}
    missing = [n for n in numbers if n.upper() not in found]
    if missing:
        raise ApplicationError(_("No case %(numbers)s among the cases you see.") % {"numbers": ", ".join(missing)},
                               field="speaker_cases")
    return list({p.pk: p for p in found.values()}.values())


# --- Figures for the dashboards (aggregates, nobody named) ---------------------------------


def _age_bounds(group: str, today: dt.date) -> Q:
    """Birth years of an age group, this year (``person__birth_year``)."""
    spans = {label: (low, high) for low, high, label in AGE_GROUPS}
    if group not in spans:
        return Q()
    low, high = spans[group]
    return Q(person__birth_year__gte=today.year - high, person__birth_year__lte=today.year - low)


def _people_filters(filters: dict, today: dt.date) -> Q:
    q = Q()
    if filters.get("region"):
        q &= Q(region_id=filters["region"])
    if filters.get("sex"):
        q &= Q(person__sex=filters["sex"])
    if filters.get("age_group"):
        q &= _age_bounds(filters["age_group"], today)
    return q


def _period(field: str, filters: dict) -> Q:
    q = Q()
    if filters.get("date_from"):
        q &= Q(**{f"{field}__date__gte" if not field.endswith("_on") else f"{field}__gte": filters["date_from"]})
    if filters.get("date_to"):
        q &= Q(**{f"{field}__date__lte" if not field.endswith("_on") else f"{field}__lte": filters["date_to"]})
    return q


def _median_days(qs: QuerySet, field: str) -> float | None:
    """The median of ``field`` (seconds) in days, computed by the database: the one or two
    middle values of the sorted column (no row read beyond them)."""
    values = qs.filter(**{f"{field}__isnull": False})
    n = values.count()
    if not n:
        return None
    middle = list(values.order_by(field).values_list(field, flat=True)[(n - 1) // 2: n // 2 + 1])
    return round(sum(middle) / len(middle) / 86400, 1)


def _share(part: int, whole: int) -> float | None:
    return round(part / whole, 3) if whole else None


def _rows(qs: QuerySet, field: str, choices: list[tuple[str, Any]]) -> list[dict[str, Any]]:
    counts = dict(qs.order_by().values_list(field).annotate(n=Count("pk")))
    return [{"code": code, "label": str(label), "n": counts.get(code, 0)} for code, label in choices]


def feedback_figures(*, filters: dict, now: dt.datetime | None = None) -> dict[str, Any]:
    """Feedback and complaint handling, and satisfaction after each step, for dashboards.

    - ``total``, ``complaints``, ``against_staff``, ``pending`` (not closed);
    - ``by_category``, ``by_channel``, ``by_kind``: ``[{code, label, n}]``;
    - ``median_days_to_first_response``, ``median_days_to_closure`` (None without data);
    - ``share_responded_within_target``, ``share_closed_within_target``: among the
      feedback *due* (closed, or received longer ago than the target), the share answered
      or closed within ``response_target_days`` / ``closure_target_days`` (settings);
    - ``satisfaction``: ``{answers, mean, by_step: [{code, label, n, mean}]}`` (scores 1–5).
    """
    now = now or timezone.now()
    today = timezone.localdate(now)
    qs = Feedback.objects.filter(_period("received_at", filters) & _people_filters(filters, today))
    if filters.get("structure"):
        qs = qs.filter(received_by_structure__code=filters["structure"])
    response_days = setting("MONITORING", "FEEDBACK_RESPONSE_TARGET_DAYS")
    closure_days = setting("MONITORING", "FEEDBACK_CLOSURE_TARGET_DAYS")
    response_due = Q(first_response_at__isnull=False) | Q(received_at__lte=now - dt.timedelta(days=response_days))
    closure_due = Q(closed_at__isnull=False) | Q(received_at__lte=now - dt.timedelta(days=closure_days))
    totals = qs.aggregate(
        total=Count("pk"),
        complaints=Count("pk", filter=Q(kind=FeedbackKind.COMPLAINT)),
        against_staff=Count("pk", filter=Q(against_staff=True)),
        pending=Count("pk", filter=~Q(status=FeedbackStatus.CLOSED)),
        response_due=Count("pk", filter=response_due),
        responded_in_time=Count("pk", filter=Q(first_response_seconds__lte=response_days * 86400)),
        closure_due=Count("pk", filter=closure_due),
        closed_in_time=Count("pk", filter=Q(closure_seconds__lte=closure_days * 86400)),
    )
    categories = [(c.code, c.name) for c in FeedbackCategory.objects.all()]
    scores = SatisfactionScore.objects.filter(
        Q(score__isnull=False) & _period("answered_at", filters) & _people_filters(filters, today))
    by_step = {row["step"]: row for row in scores.order_by().values("step").annotate(n=Count("pk"),
                                                                                     mean=Avg("score"))}
    overall = scores.aggregate(n=Count("pk"), mean=Avg("score"))
    return {
        "total": totals["total"], "complaints": totals["complaints"], "against_staff": totals["against_staff"],
        "pending": totals["pending"],
        "by_category": _rows(qs, "category_id", categories),
        "by_channel": _rows(qs, "channel", Channel.choices),
        "by_kind": _rows(qs, "kind", FeedbackKind.choices),
        "median_days_to_first_response": _median_days(qs, "first_response_seconds"),
        "median_days_to_closure": _median_days(qs, "closure_seconds"),
        "response_target_days": response_days, "closure_target_days": closure_days,
        "share_responded_within_target": _share(totals["responded_in_time"], totals["response_due"]),
        "share_closed_within_target": _share(totals["closed_in_time"], totals["closure_due"]),
        "satisfaction": {
            "answers": overall["n"], "mean": _round(overall["mean"]),
            "by_step": [{"code": code, "label": str(label), "n": by_step.get(code, {}).get("n", 0),
                         "mean": _round(by_step.get(code, {}).get("mean"))} for code, label in Step.choices],
        },
    }


def _round(value: float | None) -> float | None:
    return None if value is None else round(float(value), 2)


def community_figures(*, filters: dict) -> dict[str, Any]:
    """Community projects and awareness activities, for dashboards.

    - ``projects``: ``{total, by_status, by_region, budget_xaf, returnees}``;
    - ``beneficiaries``: non-migrants counted (``sex``/``age_group`` filter them): ``{total,
      by_sex, by_age_group}``;
    - ``awareness``: ``{activities, audience, by_audience_kind: [{code, label, n, audience}],
      by_region, speakers}`` (``speakers``: distinct returnees who spoke).
    """
    projects = CommunityProject.objects.filter(_period("started_on", filters))
    activities = AwarenessActivity.objects.filter(_period("held_on", filters))
    if filters.get("region"):
        projects = projects.filter(region_id=filters["region"])
        activities = activities.filter(region_id=filters["region"])
    if filters.get("structure"):
        projects = projects.filter(structure__code=filters["structure"])
        activities = activities.filter(structure__code=filters["structure"])
    beneficiaries = CommunityBeneficiaries.objects.filter(project__in=projects.order_by().values("pk"))
    if filters.get("sex"):
        beneficiaries = beneficiaries.filter(sex=filters["sex"])
    if filters.get("age_group"):
        beneficiaries = beneficiaries.filter(age_group=filters["age_group"])
    project_totals = projects.aggregate(total=Count("pk"), budget=Sum("budget_xaf"), returnees=Sum("returnees"))
    by_sex = dict(beneficiaries.order_by().values_list("sex").annotate(n=Sum("count")))
    by_group = dict(beneficiaries.order_by().values_list("age_group").annotate(n=Sum("count")))
    activity_totals = activities.aggregate(n=Count("pk"), audience=Sum("audience_size"))
    by_kind = {row["audience_kind"]: row for row in activities.order_by().values("audience_kind").annotate(
        n=Count("pk"), audience=Sum("audience_size"))}
    speakers = AwarenessActivity.speakers.through.objects.filter(
        awarenessactivity_id__in=activities.order_by().values("pk")).values("person_id").distinct().count()
    return {
        "projects": {
            "total": project_totals["total"], "budget_xaf": project_totals["budget"] or 0,
            "returnees": project_totals["returnees"] or 0,
            "by_status": _rows(projects, "status", CommunityProjectStatus.choices),
            "by_region": _region_rows(projects),
        },
        "beneficiaries": {
            "total": sum(by_sex.values()),
            "by_sex": [{"code": c, "label": str(label), "n": by_sex.get(c, 0)} for c, label in BeneficiarySex.choices],
            "by_age_group": [{"code": c, "label": str(label), "n": by_group.get(c, 0)}
                             for c, label in AgeGroup.choices],
        },
        "awareness": {
            "activities": activity_totals["n"], "audience": activity_totals["audience"] or 0, "speakers": speakers,
            "by_audience_kind": [{"code": c, "label": str(label), "n": by_kind.get(c, {}).get("n", 0),
                                  "audience": by_kind.get(c, {}).get("audience") or 0}
                                 for c, label in AudienceKind.choices],
            "by_region": _region_rows(activities),
        },
    }


def _region_rows(qs: QuerySet) -> list[dict[str, Any]]:
    return [{"code": r["region_id"], "label": r["region__name"], "n": r["n"]}
            for r in qs.order_by().values("region_id", "region__name").annotate(n=Count("pk")).order_by("region_id")]
