"""The session's minutes (PDF, WeasyPrint) and the decision letter of one dossier.

``minutes_pdf(session, progress)`` calls ``progress(percent)`` as it goes so that the
Celery task can show it; the page polls the session's ``minutes_progress``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable

from django.template.loader import render_to_string
from django.utils import timezone, translation

from .models import AmendmentItem, Determination, Recommendation, ValidationSession
from .services import quorum
from .synthesis import session_synthesis


def minutes_context(session: ValidationSession) -> dict:
    determinations = list(
        Determination.objects.filter(session=session, undone_at__isnull=True)
        .select_related("dossier", "dossier__sector", "dossier__filiere", "dossier__region", "version")
        .order_by("dossier__sector__code", "dossier__reference", "decided_at"))
    by_sector: dict[str, list] = defaultdict(list)
    for d in determinations:
        by_sector[d.dossier.sector.name if d.dossier.sector_id else "—"].append(d)
    amendments = list(AmendmentItem.objects.filter(determination__session=session,
                                                   determination__undone_at__isnull=True)
                      .select_related("determination__dossier").order_by("determination__dossier__reference",
                                                                          "position"))
    recommendations = list(Recommendation.objects.filter(item__session=session)
                           .select_related("structure", "item__dossier").order_by("structure__code", "id"))
    return {
        "session": session,
        "attendance": list(session.attendance.select_related("structure")),
        "quorum": quorum(session),
        "synthesis": session_synthesis(session),
        "by_sector": sorted(by_sector.items()),
        "determination_count": len(determinations),
        "amendments": amendments,
        "recommendations": recommendations,
        "generated_at": timezone.now(),
    }


def render_pdf(html: str) -> bytes:
    from weasyprint import HTML

    return HTML(string=html).write_pdf()


def minutes_pdf(session: ValidationSession, progress: Callable[[int], None] = lambda p: None) -> bytes:
    progress(10)
    context = minutes_context(session)
    # The synthesis as recorded in the minutes stays with the session.
    ValidationSession.objects.filter(pk=session.pk).update(synthesis=context["synthesis"],
                                                           synthesis_at=context["generated_at"])
    progress(40)
    html = render_to_string("projects/pdf/minutes.html", context)
    progress(60)
    pdf = render_pdf(html)
    progress(95)
    return pdf


def decision_letter_pdf(dossier, *, language: str = "fr") -> bytes:
    from .profitability import for_version

    determination = (dossier.determinations.filter(undone_at__isnull=True).select_related("session", "version")
                     .order_by("-decided_at", "-id").first())
    with translation.override(language):
        html = render_to_string("projects/pdf/letter.html", {
            "dossier": dossier, "determination": determination,
            "members": list(dossier.members.filter(role="promoter")),
            "amendments": list(determination.amendments.all()) if determination else [],
            "profit": for_version(dossier.current_version) if dossier.current_version_id else None,
            "today": timezone.localdate(), "language": language,
        })
    return render_pdf(html)
