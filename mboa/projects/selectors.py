"""Reads, always for a user: what each one may see (see permissions.py for the roles)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.http import Http404

from mboa.accounts.roles import CASE_MANAGER, INSERTION_COUNSELLOR
from mboa.core.permissions import check

from .models import AgendaItem, Dossier, DossierStatus, Review, ValidationSession
from .permissions import _admin, gtr_member, is_iom_staff

FILTERS = ("status", "kind", "region", "department", "sector", "filiere", "structure", "town")


def dossier_list_for_user(*, user: Any, filters: Mapping[str, Any] | None = None) -> QuerySet[Dossier]:
    qs = Dossier.objects.select_related("structure", "sector", "filiere", "region", "counsellor")
    if not check(user, "projects.view_dossiers"):
        return qs.none()
    if _admin(user) or is_iom_staff(user) or user.has_role(CASE_MANAGER):
        pass
    elif user.has_role(INSERTION_COUNSELLOR):
        qs = qs.filter(structure_id=user.structure_id)
    elif gtr_member(user):
        # GTR members see the dossiers put before the GTR, not the ones being drawn up.
        qs = qs.filter(Exists(AgendaItem.objects.filter(dossier=OuterRef("pk"))))
    else:
        return qs.none()
    return apply_filters(qs, filters or {})


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
    try:
        return dossier_list_for_user(user=user).get(reference=reference)
    except Dossier.DoesNotExist:
        raise Http404 from None


def agenda_candidates(*, user: Any, filters: Mapping[str, Any]) -> QuerySet[Dossier]:
    """Dossiers that can go on an agenda (ready or deferred), by batch selection."""
    qs = dossier_list_for_user(user=user).filter(status__in=(DossierStatus.READY, DossierStatus.DEFERRED))
    return apply_filters(qs, {k: v for k, v in filters.items() if k != "status"}).order_by("reference")


def session_list_for_user(*, user: Any) -> QuerySet[ValidationSession]:
    if not check(user, "projects.view_synthesis"):
        return ValidationSession.objects.none()
    return ValidationSession.objects.select_related("body").annotate(item_count=Count("items", distinct=True))


def session_get_for_user(*, user: Any, reference: str) -> ValidationSession:
    if not check(user, "projects.view_synthesis"):
        raise Http404
    try:
        return ValidationSession.objects.select_related("body").get(reference=reference)
    except ValidationSession.DoesNotExist:
        raise Http404 from None


def item_get_for_user(*, user: Any, session: ValidationSession, item_id: int) -> AgendaItem:
    if not check(user, "projects.view_sessions"):
        raise Http404
    try:
        return (AgendaItem.objects.select_related("dossier", "version", "session", "dossier__sector",
                                                  "dossier__filiere", "dossier__region", "dossier__structure",
                                                  "version__sector", "version__filiere", "version__region",
                                                  "version__department")
                .get(session=session, pk=item_id))
    except AgendaItem.DoesNotExist:
        raise Http404 from None


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
    whose last follow-up says installed or operating (not in difficulty, not stopped).
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
            alive=Count("id", filter=Q(operating_status__in=("installed", "operating"))),
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
