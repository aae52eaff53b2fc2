"""Reads, always for a user: what each one may see (see permissions.py for the roles).

The pages' selectors (``*_page_for_user``) build what a page shows, answer 404 for what
the user may not see and 403 for a page the user may not open, and log the reads of
people's names (the dossier's promoters and beneficiaries) themselves.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from mboa.accounts.models import User
from mboa.core.conf import setting
from mboa.core.permissions import check, require
from mboa.core.sensitive import log_read

from . import services
from .models import (
    AgendaItem,
    AmendmentItem,
    DeterminationBatch,
    Dossier,
    DossierMember,
    DossierStatus,
    FollowUpVisit,
    Purchase,
    Review,
    ValidationSession,
    VisitState,
)
from .permissions import AGENDA, ALL, STRUCTURE, dossier_scope
from .profitability import Profitability, for_version

FILTERS = ("status", "kind", "region", "department", "sector", "filiere", "structure", "town")
# What a page showing the dossier's members reads of them (see sensitive.py).
MEMBER_NAMES = ("members.family_name", "members.given_names")


def _one(queryset: QuerySet, **lookup: Any) -> Any:
    """The row of ``queryset`` matching ``lookup``; 404 when there is none (or the id is malformed)."""
    try:
        return queryset.get(**lookup)
    except (queryset.model.DoesNotExist, ValueError):
        raise Http404 from None


# --- Dossiers ---------------------------------------------------------------------------------


def dossier_list_for_user(*, user: Any, filters: Mapping[str, Any] | None = None) -> QuerySet[Dossier]:
    """The dossiers the user sees (``permissions.dossier_scope``, as ``projects.view_dossier``)."""
    qs = Dossier.objects.select_related("structure", "sector", "filiere", "region", "counsellor")
    scope = dossier_scope(user)
    if scope == STRUCTURE:
        qs = qs.filter(structure_id=user.structure_id)
    elif scope == AGENDA:
        qs = qs.filter(Exists(AgendaItem.objects.filter(dossier=OuterRef("pk"))))
    elif scope != ALL:
        return qs.none()
    return apply_filters(qs, filters or {})


def dossier_list_page(*, user: Any, filters: Mapping[str, Any], page_number: Any, per_page: int = 50) -> Page:
    """The page of the dossier list: 403 for those who see no dossier (donors see the synthesis)."""
    require(user, "projects.view_dossiers")
    qs = dossier_list_for_user(user=user, filters=filters).order_by("-created_at", "-id")
    return Paginator(qs, per_page).get_page(page_number)


def apply_filters(qs: QuerySet[Dossier], filters: Mapping[str, Any]) -> QuerySet[Dossier]:
    for name in FILTERS:
        value = filters.get(name)
        if not value:
            continue
        if name == "town":
            qs = qs.filter(town__iexact=value)
        elif name in ("status", "kind"):
            qs = qs.filter(**{name: value})
        else:
            qs = qs.filter(**{f"{name}_id": value})
    q = (filters.get("q") or "").strip()
    if q:
        qs = qs.filter(Q(reference__icontains=q) | Q(title__icontains=q) | Q(members__family_name__icontains=q)
                       ).distinct()
    return qs


def dossier_get_for_user(*, user: Any, reference: str) -> Dossier:
    return _one(dossier_list_for_user(user=user), reference=reference)


def _log_members_read(*, user: Any, dossier: Dossier, channel: str, purpose: str) -> None:
    log_read(user=user, obj=dossier, fields=MEMBER_NAMES, channel=channel, purpose=purpose)


def dossier_detail_for_user(*, user: Any, reference: str, channel: str = "api") -> Dossier:
    """The dossier with its current version, budget lines and members (the API's detail);
    logs the read of the members' names."""
    dossier = _one(dossier_list_for_user(user=user).select_related("current_version")
                   .prefetch_related("members", "current_version__budget_lines"), reference=reference)
    _log_members_read(user=user, dossier=dossier, channel=channel, purpose="dossier")
    return dossier


@dataclass
class DossierPage:
    dossier: Dossier
    version: Any
    current: Any
    members: list
    lines: list
    profit: Profitability
    breaches: list
    versions: list
    determinations: list
    asked: Any
    purchases: list
    visits: list
    current_lines: list


def dossier_page_for_user(*, user: Any, reference: str, channel: str = "page") -> DossierPage:
    """Everything the dossier page shows; logs the read of the members' names."""
    dossier = dossier_get_for_user(user=user, reference=reference)
    version = services.working_version(dossier)
    current = dossier.current_version or version
    page = DossierPage(
        dossier=dossier, version=version, current=current,
        members=list(dossier.members.select_related("person")),
        lines=list(version.budget_lines.all()), profit=for_version(version),
        breaches=services.dossier_breaches(dossier=dossier, version=version)
        if dossier.status in services.EDITABLE_STATUSES and not version.is_submitted else [],
        versions=list(dossier.versions.only("id", "number", "submitted_at", "budget_xaf")),
        determinations=list(dossier.determinations.select_related("session", "version", "decided_by")
                            .prefetch_related("amendments__ticked_version")),
        asked=services.open_amendment_determination(dossier),
        purchases=list(dossier.purchases.select_related("budget_line")),
        visits=list(dossier.visits.select_related("dossier").order_by("due_on", "visited_on", "id")),
        current_lines=list(current.budget_lines.all()) if current else [],
    )
    _log_members_read(user=user, dossier=dossier, channel=channel, purpose="dossier page")
    return page


@dataclass
class DossierFormData:
    dossier: Dossier | None
    initial: dict
    lines: list[dict] | None
    members: list[dict] | None


def dossier_form_for_user(*, user: Any, reference: str | None = None) -> DossierFormData:
    """What the dossier form starts from: nothing for a new dossier (403 for those who may
    not open one), the working version and members for an edit (404 for a dossier the user
    does not see, 403 for one they may not change; the read of the members' names is logged)."""
    if reference is None:
        require(user, "projects.add_dossier")
        return DossierFormData(dossier=None, initial={}, lines=None, members=None)
    dossier = dossier_get_for_user(user=user, reference=reference)
    require(user, "projects.change_dossier", dossier)
    version = services.working_version(dossier)
    data = DossierFormData(
        dossier=dossier,
        initial={**{name: getattr(version, name) for name in services.VERSION_FIELDS}, "kind": dossier.kind},
        lines=[{"item": ln.item, "quantity": ln.quantity, "unit_cost_xaf": ln.unit_cost_xaf, "supplier": ln.supplier}
               for ln in version.budget_lines.all()],
        members=[{"person": m.person_id, "family_name": m.family_name, "given_names": m.given_names, "sex": m.sex,
                  "returned_on": m.returned_on} for m in dossier.members.all()],
    )
    _log_members_read(user=user, dossier=dossier, channel="page", purpose="dossier form")
    return data


def decision_letter_for_user(*, user: Any, reference: str, language: str) -> tuple[Dossier, bytes]:
    """The decision letter (PDF) of a dossier the user sees; logs the read of the promoters' names."""
    from .minutes import decision_letter_pdf

    dossier = dossier_get_for_user(user=user, reference=reference)
    pdf = decision_letter_pdf(dossier, language=language)
    log_read(user=user, obj=dossier, fields=["members.family_name"], channel="export", purpose="decision letter")
    return dossier, pdf


def amendment_get_for_user(*, user: Any, reference: str, amendment_id: int) -> AmendmentItem:
    """One amendment still asked of a dossier the user sees (404 otherwise)."""
    dossier = dossier_get_for_user(user=user, reference=reference)
    asked = services.open_amendment_determination(dossier)
    amendment = asked.amendments.filter(pk=amendment_id).first() if asked else None
    if amendment is None:
        raise Http404
    return amendment


def purchase_list_for_user(*, user: Any) -> QuerySet[Purchase]:
    """The purchases of the dossiers the user sees."""
    dossiers = dossier_list_for_user(user=user).values("pk")
    return Purchase.objects.filter(dossier__in=dossiers).select_related("dossier")


def purchase_get_for_user(*, user: Any, purchase_id: Any, reference: str | None = None) -> Purchase:
    """A purchase of a dossier the user sees (of the dossier ``reference`` when given); 404 otherwise."""
    purchases = purchase_list_for_user(user=user)
    if reference is not None:
        purchases = purchases.filter(dossier__reference=reference)
    return _one(purchases, pk=purchase_id)


def agenda_candidates(*, user: Any, filters: Mapping[str, Any]) -> QuerySet[Dossier]:
    """Dossiers that can go on an agenda (ready or deferred), by batch selection."""
    qs = dossier_list_for_user(user=user).filter(status__in=(DossierStatus.READY, DossierStatus.DEFERRED))
    return apply_filters(qs, {k: v for k, v in filters.items() if k != "status"}).order_by("reference")


# --- Sessions ---------------------------------------------------------------------------------


def session_list_for_user(*, user: Any) -> QuerySet[ValidationSession]:
    if not check(user, "projects.view_synthesis"):
        return ValidationSession.objects.none()
    return ValidationSession.objects.select_related("body").annotate(item_count=Count("items", distinct=True))


def session_list_page(*, user: Any) -> QuerySet[ValidationSession]:
    """The sessions page: 403 for those who may not see any session."""
    require(user, "projects.view_synthesis")
    return session_list_for_user(user=user)


def session_get_for_user(*, user: Any, reference: str) -> ValidationSession:
    if not check(user, "projects.view_synthesis"):
        raise Http404
    return _one(ValidationSession.objects.select_related("body"), reference=reference)


def reviewer_choices(*, session: ValidationSession) -> QuerySet[User]:
    """Who may be designated reviewer: active users of the body's current member structures."""
    return (User.objects.filter(is_active=True, structure__memberships__body=session.body,
                                structure__memberships__end_date__isnull=True)
            .select_related("structure").order_by("structure__code", "username").distinct())


@dataclass
class SessionPage:
    """The session page. ``synthesis_only``: the user sees the numbers of the session (its
    synthesis), not its agenda (donors, statisticians); nothing else is filled then."""

    session: ValidationSession
    synthesis_only: bool = False
    page: Page | None = None
    quorum: dict | None = None
    attendance: list | None = None
    reviewers: list | None = None
    reviewer_choices: Any = None
    batches: list | None = None
    candidates: QuerySet[Dossier] | None = None
    candidate_count: int | None = None


def session_page_for_user(*, user: Any, reference: str, page_number: Any = None,
                          filters: Mapping[str, Any] | None = None, select: bool = False) -> SessionPage:
    """The session page: agenda (100 a page, with the user's own score when a reviewer),
    quorum, attendance, reviewers and who may be chosen, the determinations that can still
    be undone and, with ``select``, the dossiers a batch selection by ``filters`` would put
    on the agenda (for those who manage sessions). Shows no one's name: nothing to log."""
    session = session_get_for_user(user=user, reference=reference)
    if not check(user, "projects.view_sessions"):
        return SessionPage(session=session, synthesis_only=True)
    items = (session.items.select_related("dossier", "dossier__sector", "dossier__filiere", "dossier__region")
             .order_by("position", "id"))
    if check(user, "projects.review", session):
        items = items.prefetch_related(Prefetch("reviews", queryset=Review.objects.filter(reviewer=user),
                                                to_attr="my_reviews"))
    candidates = None
    if select and check(user, "projects.manage_sessions"):
        candidates = agenda_candidates(user=user, filters=filters or {})
    return SessionPage(
        session=session, page=Paginator(items, 100).get_page(page_number), quorum=services.quorum(session),
        attendance=list(session.attendance.select_related("structure")),
        reviewers=list(session.reviewers.select_related("structure")),
        reviewer_choices=reviewer_choices(session=session),
        batches=list(session.batches.filter(undone_at__isnull=True, undo_until__gte=timezone.now())[:5]),
        candidates=candidates, candidate_count=candidates.count() if candidates is not None else None,
    )


def batch_get_for_user(*, user: Any, session: ValidationSession, batch_id: Any) -> DeterminationBatch:
    """A determination batch of a session the user sees (404 otherwise)."""
    batch = session.batches.filter(pk=batch_id).first()
    if batch is None:
        raise Http404
    return batch


# --- Agenda items and reviews -----------------------------------------------------------------


def agenda_items_for_user(*, user: Any, session: ValidationSession, ids: Any = None) -> QuerySet[AgendaItem]:
    """The agenda of a session the user sees (those who see sessions; others: nothing),
    ``ids`` to keep some items only."""
    if not check(user, "projects.view_sessions"):
        return AgendaItem.objects.none()
    items = AgendaItem.objects.filter(session=session).select_related("dossier").order_by("position", "id")
    return items if ids is None else items.filter(pk__in=ids)


def item_get_for_user(*, user: Any, item_id: Any, session: ValidationSession | None = None) -> AgendaItem:
    """One agenda item (of ``session`` when given) with its dossier and version; 404 for
    those who do not see the sessions' agendas."""
    if not check(user, "projects.view_sessions"):
        raise Http404
    items = AgendaItem.objects.select_related(
        "dossier", "version", "session", "session__body", "dossier__sector", "dossier__filiere", "dossier__region",
        "dossier__structure", "version__sector", "version__filiere", "version__region", "version__department")
    if session is not None:
        items = items.filter(session=session)
    return _one(items, pk=item_id)


def review_list_for_user(*, user: Any) -> QuerySet[Review]:
    """The reviews the user sees (``projects.view_review``): all of them for those who see
    the sessions' agendas, none for the others."""
    if not check(user, "projects.view_review"):
        return Review.objects.none()
    return Review.objects.select_related("reviewer", "structure")


@dataclass
class ItemSheet:
    """An agenda item with its project sheet as the GTR sees it (the version put before it)."""

    session: ValidationSession
    item: AgendaItem
    version: Any
    profit: Profitability
    lines: list
    members: list


def _sheet(session: ValidationSession, item: AgendaItem) -> dict[str, Any]:
    return {"session": session, "item": item, "version": item.version, "profit": for_version(item.version),
            "lines": list(item.version.budget_lines.all()),
            "members": list(DossierMember.objects.filter(dossier=item.dossier_id))}


@dataclass
class ItemPage(ItemSheet):
    reviews: list
    recommendations: list
    determinations: list


def item_page_for_user(*, user: Any, reference: str, item_id: Any) -> ItemPage:
    """One dossier in a session: its sheet, analysis, reviews, recommendations and
    determinations; logs the read of the members' names."""
    session = session_get_for_user(user=user, reference=reference)
    item = item_get_for_user(user=user, session=session, item_id=item_id)
    page = ItemPage(
        **_sheet(session, item),
        reviews=list(review_list_for_user(user=user).filter(item=item)),
        recommendations=list(item.recommendations.select_related("structure")),
        determinations=list(item.dossier.determinations.filter(session=session).prefetch_related("amendments")),
    )
    _log_members_read(user=user, dossier=item.dossier, channel="page", purpose="session item")
    return page


def review_session_for_user(*, user: Any, reference: str) -> ValidationSession:
    """A session whose dossiers the user scores: 404 when they do not see it, 403 when they
    are not one of its designated reviewers."""
    session = session_get_for_user(user=user, reference=reference)
    require(user, "projects.review", session)
    return session


@dataclass
class ReviewPage(ItemSheet):
    existing: Review | None
    following: AgendaItem | None
    done: int
    total: int


def review_page_for_user(*, user: Any, reference: str, item_id: Any) -> ReviewPage:
    """The review form of one dossier for one of the session's reviewers: the sheet, the
    user's scores if any, the next dossier to score and how many are done; logs the read of
    the members' names."""
    session = review_session_for_user(user=user, reference=reference)
    item = item_get_for_user(user=user, session=session, item_id=item_id)
    following = next_item_to_review(user=user, session=session, after=item.position)
    mine = Review.objects.filter(item__session=session, reviewer=user)
    page = ReviewPage(
        **_sheet(session, item), existing=mine.filter(item=item).first(),
        following=None if following is None or following.pk == item.pk else following,
        done=mine.count(), total=session.items.count(),
    )
    _log_members_read(user=user, dossier=item.dossier, channel="page", purpose="review")
    return page


def sessions_to_review(*, user: Any) -> list[dict]:
    """The user's sessions (not closed) with the number of dossiers they have not scored."""
    if not getattr(user, "pk", None):
        return []
    sessions = ValidationSession.objects.filter(reviewers=user).exclude(status="closed")
    rows = []
    for session in sessions:
        total = session.items.count()
        done = session.items.filter(reviews__reviewer=user).count()
        if total - done:
            rows.append({"session": session, "left": total - done, "total": total})
    return rows


def next_item_to_review(*, user: Any, session: ValidationSession, after: int = 0) -> AgendaItem | None:
    """The next dossier (by agenda position) the user has not scored yet, after position ``after``."""
    qs = (AgendaItem.objects.filter(session=session)
          .filter(~Exists(Review.objects.filter(item=OuterRef("pk"), reviewer=user))).order_by("position", "id"))
    return qs.filter(position__gt=after).first() or qs.first()


# Determined dossiers: approved (directly, after amendments, or since installed) or not.
_APPROVED = (DossierStatus.APPROVED, DossierStatus.AMENDMENTS, DossierStatus.RESUBMITTED, DossierStatus.INSTALLED)
_DECIDED = (*_APPROVED, DossierStatus.DEFERRED, DossierStatus.REJECTED)


def filiere_outcomes(*, region: Any, filiere_codes: list[str]) -> dict[str, dict[str, float]]:
    """Past projects of a region per filière, for the niche ranking of orientation
    (anonymous aggregates, no dossier is shown): ``{code: {"approval_rate", "survival_rate",
    "projects"}}``. Approval counts determined dossiers; survival counts installed projects
    whose last follow-up says installed or running (not struggling, stopped or sold).
    One query."""
    if region is None or not filiere_codes:
        return {}
    rows = (
        Dossier.objects.filter(region=region, filiere_id__in=filiere_codes, status__in=_DECIDED)
        .values("filiere_id")
        .annotate(
            decided=Count("id"),
            approved=Count("id", filter=Q(status__in=_APPROVED)),
            followed=Count("id", filter=~Q(operating_status="")),
            alive=Count("id", filter=Q(operating_status__in=("installed", "running"))),
        )
    )
    return {
        row["filiere_id"]: {
            "projects": row["decided"],
            "approval_rate": row["approved"] / row["decided"],
            "survival_rate": row["alive"] / row["followed"] if row["followed"] else 0.0,
        }
        for row in rows
    }


# --- Follow-up visits -------------------------------------------------------------------------


def visit_list_for_user(*, user: Any) -> QuerySet[FollowUpVisit]:
    """The follow-up visits the user sees: those of the dossiers they see
    (``dossier_list_for_user``) and those of the closed cases they see (the cases' own
    scope). Reads no one's name: a visit shows a dossier's reference or a case's number."""
    from mboa.cases.selectors import case_list_for_user

    if not check(user, "projects.view_visits"):
        return FollowUpVisit.objects.none()
    dossiers = dossier_list_for_user(user=user).order_by().values("pk")
    cases = case_list_for_user(user=user).order_by().values("pk")
    return (FollowUpVisit.objects.filter(Q(dossier__in=dossiers) | Q(case__in=cases))
            .select_related("dossier", "case", "assignee", "by"))


def visit_get_for_user(*, user: Any, visit_id: Any) -> FollowUpVisit:
    return _one(visit_list_for_user(user=user), pk=visit_id)


@dataclass
class VisitsPage:
    overdue: list
    upcoming: list
    recent: list
    today: Any


def visits_page_for_user(*, user: Any, today: Any = None, limit: int = 200) -> VisitsPage:
    """The user's follow-up visits: overdue and coming (to be made by them), and the last
    ones recorded among those they see. 403 for those who follow no project nor returnee."""
    from .followup import overdue_visits

    require(user, "projects.view_visits")
    today = today or timezone.localdate()
    soon = today + dt.timedelta(days=int(setting("PROJECTS", "FOLLOWUP_DUE_SOON_DAYS")))
    mine = visit_list_for_user(user=user).filter(assignee=user)
    overdue = mine.filter(pk__in=overdue_visits(today=today).values("pk")).order_by("due_on", "id")
    upcoming = mine.filter(state=VisitState.PLANNED, due_on__gte=today, due_on__lte=soon).order_by("due_on", "id")
    recent = (visit_list_for_user(user=user).exclude(state=VisitState.PLANNED)
              .order_by("-updated_at", "-id"))
    return VisitsPage(overdue=list(overdue[:limit]), upcoming=list(upcoming[:limit]), recent=list(recent[:20]),
                      today=today)


def overdue_for_user(*, user: Any, today: Any = None, limit: int = 5) -> dict | None:
    """The home panel: how many visits to be made by the user are overdue, and the oldest."""
    from .followup import overdue_visits

    if not getattr(user, "pk", None) or not check(user, "projects.view_visits"):
        return None
    qs = overdue_visits(today=today).filter(assignee=user)
    count = qs.count()
    if not count:
        return None
    return {"count": count, "visits": list(qs.select_related("dossier", "case").order_by("due_on", "id")[:limit])}


def visit_page_for_user(*, user: Any, visit_id: Any) -> FollowUpVisit:
    """One visit with its subject (a dossier's reference and title, a case's number): 404
    when the user does not see it."""
    return visit_get_for_user(user=user, visit_id=visit_id)


# --- Survival (figures only) ------------------------------------------------------------------


def survival_page_for_user(*, user: Any, filters: Mapping[str, Any], today: Any = None) -> list[dict]:
    """The survival tables (``outcomes.survival_tables``) at the months of
    ``MBOA_PROJECTS["SURVIVAL_MONTHS"]``: 403 for those without ``projects.view_outcomes``.
    Counts only: nothing to log."""
    from .outcomes import survival_tables

    require(user, "projects.view_outcomes")
    return survival_tables(months=[int(m) for m in setting("PROJECTS", "SURVIVAL_MONTHS")], filters=filters,
                           today=today)
