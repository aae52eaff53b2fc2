"""The briefing pack of a meeting: what to know and prepare before sitting down.

Key figures come from providers that each app registers with
:func:`register_key_figure` (arrivals from reception, cases, referrals and their delays,
projects validated and installed...). Governance registers its own; apps not built yet
simply contribute nothing, and the pack says so.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mboa.core.permissions import require

from .commitments import commitment_stats_by_structure
from .models import ACTIVE_COMMITMENT_STATUSES, Commitment, CommitmentStatus, Decision, Meeting, MeetingStatus


@dataclass(frozen=True)
class KeyFigure:
    key: str
    label: Any
    compute: Callable[[dt.datetime, dt.datetime], Any]  # (since, until) -> value
    order: int = 100


@dataclass(frozen=True)
class WaitingSection:
    """Things waiting on structures (e.g. agreements to sign), from later apps."""

    key: str
    label: Any
    rows: Callable[[Meeting], list[dict]]  # [{"what": ..., "holder": structure code, "since": date}]


_figures: dict[str, KeyFigure] = {}
_waiting: dict[str, WaitingSection] = {}


def register_key_figure(figure: KeyFigure) -> None:
    _figures[figure.key] = figure


def register_waiting_section(section: WaitingSection) -> None:
    _waiting[section.key] = section


register_key_figure(KeyFigure(
    "governance.decisions", gettext_lazy("Decisions and recommendations taken (all bodies)"),
    lambda since, until: Decision.objects.filter(meeting__starts_at__gte=since, meeting__starts_at__lt=until).count(),
    order=900,
))
register_key_figure(KeyFigure(
    "governance.commitments_done", gettext_lazy("Commitments done (all bodies)"),
    lambda since, until: Commitment.objects.filter(status=CommitmentStatus.DONE, done_on__gte=since.date(),
                                                   done_on__lt=until.date()).count(),
    order=910,
))


def previous_meeting(meeting: Meeting) -> Meeting | None:
    return (Meeting.objects.filter(body=meeting.body, starts_at__lt=meeting.starts_at)
            .exclude(pk=meeting.pk).order_by("-starts_at").first())


def briefing_pack_context(*, meeting: Meeting, today: dt.date | None = None) -> dict[str, Any]:
    today = today or timezone.localdate()
    body = meeting.body
    previous = previous_meeting(meeting)
    since = previous.starts_at if previous else meeting.starts_at - dt.timedelta(days=365)
    commitments = list(Commitment.objects.filter(body=body, status__in=ACTIVE_COMMITMENT_STATUSES)
                       .select_related("structure", "decision", "focal_point").order_by("deadline"))
    late = [c for c in commitments if c.deadline < today]
    open_ = [c for c in commitments if c.deadline >= today]
    agenda = list(meeting.agenda_items.select_related("presenter", "commitment", "carried_from__meeting__body"))
    figures = [{"key": f.key, "label": f.label, "value": f.compute(since, meeting.starts_at)}
               for f in sorted(_figures.values(), key=lambda f: f.order)]
    waiting = [{"label": s.label, "rows": s.rows(meeting)} for s in _waiting.values()]
    # Points to prepare with each structure: what it presents, and what it holds.
    prepare: dict[str, dict[str, Any]] = {}
    for item in agenda:
        if item.presenter:
            prepare.setdefault(item.presenter.code, {"presents": [], "holds": []})["presents"].append(item)
    for commitment in commitments:
        prepare.setdefault(commitment.structure.code, {"presents": [], "holds": []})["holds"].append(commitment)
    member_ids = list(body.memberships.filter(end_date__isnull=True).values_list("structure_id", flat=True))
    return {
        "meeting": meeting, "body": body, "previous": previous, "since": since, "today": today,
        "agenda": agenda, "late_commitments": late, "open_commitments": open_,
        "figures": figures, "waiting_sections": waiting,
        "prepare": sorted(prepare.items()),
        "stats": commitment_stats_by_structure(today=today, body=body, structure_ids=member_ids),
        "generated_at": timezone.now(),
    }


def briefing_pack_pdf(*, meeting: Meeting, today: dt.date | None = None) -> bytes:
    from weasyprint import HTML

    html = render_to_string("governance/briefing_pdf.html", briefing_pack_context(meeting=meeting, today=today))
    return HTML(string=html).write_pdf()


@transaction.atomic
def briefing_pack_generate(*, meeting: Meeting, by: Any = None, today: dt.date | None = None) -> Meeting:
    """Render the PDF, keep it on the meeting and tell the invited focal points it is ready.

    ``by``: the person who asks for it (the secretariat's rule), or None when the scheduler
    prepares it the day before (:func:`briefing_packs_prepare`, a system write)."""
    from mboa.notifications.services import notify

    if by is not None:
        require(by, "governance.manage_meetings", meeting)
    pdf = briefing_pack_pdf(meeting=meeting, today=today)
    meeting.briefing_pdf.save(f"{meeting.reference}-briefing.pdf", ContentFile(pdf), save=False)
    meeting.briefing_generated_at = timezone.now()
    meeting.save(update_fields=["briefing_pdf", "briefing_generated_at", "updated_at"])
    focal_points = [i.focal_point for i in meeting.invitations.select_related("focal_point__user")
                    if i.focal_point_id]
    notify(recipients=focal_points, idempotency_key=f"briefing:{meeting.pk}", related=meeting,
           subject=_("Briefing pack for %(ref)s") % {"ref": meeting.reference},
           body=_("The briefing pack for %(ref)s on %(date)s is ready in Mboa.")
           % {"ref": meeting.reference, "date": timezone.localtime(meeting.starts_at).strftime("%d/%m/%Y %H:%M")})
    return meeting


def briefing_packs_prepare(*, now: dt.datetime | None = None) -> list[str]:
    """The day before: generate the pack of each planned meeting starting tomorrow (once).
    Run by the scheduler: a system write, with no user."""
    now = now or timezone.now()
    tomorrow = timezone.localdate(now) + dt.timedelta(days=1)
    done = []
    for meeting in Meeting.objects.filter(status=MeetingStatus.PLANNED, briefing_generated_at__isnull=True).select_related("body"):
        if timezone.localdate(meeting.starts_at) == tomorrow:
            briefing_pack_generate(meeting=meeting, today=timezone.localdate(now))
            done.append(meeting.reference)
    return done
