"""Agreements (conventions, MoUs): writes, time in status and with each party, reminders
to the party holding the ball, and the escalation list for the steering committee.

Every status change goes through :func:`agreement_transition`, which closes the open
period of ``AgreementStatusChange`` and opens the next one in the same transaction; so
the periods tile the agreement's life without gaps and time-in-status is a sum.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from mboa.core import activity
from mboa.core.conf import setting
from mboa.core.errors import ApplicationError
from mboa.core.numbering import next_free_reference
from mboa.core.permissions import require
from mboa.core.uploads import accept_upload
from mboa.core.validators import SHORT_TEXT_MAX_LENGTH
from mboa.core.workflows import transition

from .limits import date_plausible, text_within
from .models import Agreement, AgreementDocument, AgreementStatus, AgreementStatusChange, Party, Service
from .workflows import AGREEMENT, BALL_BY_STATUS, NEGOTIATION_STATUSES

# The lengths of the columns (SQLite does not hold them; PostgreSQL would answer a 500).
SUBJECT_MAX_LENGTH = Agreement._meta.get_field("subject").max_length
DOCUMENT_TITLE_MAX_LENGTH = AgreementDocument._meta.get_field("title").max_length
DOCUMENT_NOTE_MAX_LENGTH = AgreementDocument._meta.get_field("note").max_length


@transaction.atomic
def agreement_create(
    *,
    by: Any,
    structure: Any,
    subject: str,
    kind: str = "convention",
    services: Iterable[Service] = (),
    manager: Any = None,
    notes: str = "",
    at: dt.datetime | None = None,
) -> Agreement:
    """Record an agreement at the idea stage, the ball with IOM."""
    require(by, "referrals.manage_agreements")
    if not subject.strip():
        raise ApplicationError(_("Say what the agreement is about."), field="subject")
    text_within(subject, field="subject", limit=SUBJECT_MAX_LENGTH)
    text_within(notes, field="notes")
    at = at or timezone.now()
    agreement = Agreement.objects.create(
        reference=next_free_reference(Agreement, f"CONV-{structure.code}-{at:%Y}-"), structure=structure, kind=kind,
        subject=subject.strip(),
        status=AgreementStatus.IDEA, ball_with=Party.IOM, ball_since=at, idea_at=at, manager=manager or by,
        notes=notes, created_at=at,
    )
    agreement.services.set(services)
    AgreementStatusChange.objects.create(agreement=agreement, status=AgreementStatus.IDEA, ball_with=Party.IOM,
                                         entered_at=at, by=by)
    activity.record(verb="agreement.create", actor=by, target=agreement, summary=str(agreement))
    return agreement


@transaction.atomic
def agreement_update(*, agreement: Agreement, by: Any, data: Mapping[str, Any]) -> Agreement:
    """Change the subject, services, manager, validity dates or notes (not the status)."""
    require(by, "referrals.manage_agreements", agreement)
    services = data.get("services")
    fields = [name for name in ("subject", "kind", "manager", "valid_from", "valid_until", "notes") if name in data]
    if "subject" in data:
        text_within(data["subject"], field="subject", limit=SUBJECT_MAX_LENGTH)
    if "notes" in data:
        text_within(data["notes"], field="notes")
    for name in ("valid_from", "valid_until"):
        date_plausible(data.get(name), field=name)
    for name in fields:
        setattr(agreement, name, data[name])
    if agreement.valid_from and agreement.valid_until and agreement.valid_until < agreement.valid_from:
        raise ApplicationError(_("The end of validity comes before its start."), field="valid_until")
    agreement.save()
    if services is not None:
        agreement.services.set(services)
    activity.record(verb="agreement.update", actor=by, target=agreement, summary=str(agreement),
                    data={"fields": fields + (["services"] if services is not None else [])})
    return agreement


def agreement_transition(
    *,
    agreement: Agreement,
    action: str,
    by: Any,
    note: str = "",
    ball_with: str | None = None,
    at: dt.datetime | None = None,
    valid_from: dt.date | None = None,
    valid_until: dt.date | None = None,
) -> Agreement:
    """Move the agreement; the ball goes to ``BALL_BY_STATUS`` unless ``ball_with`` says
    otherwise. ``at`` back-dates the step (recording a signature made last week); it may
    not be in the future nor before the current period began. Locks the row."""
    t = AGREEMENT.get(action)
    now = timezone.now()
    at = at or now
    if at > now + dt.timedelta(minutes=1):
        raise ApplicationError(_("A step cannot be dated in the future."), field="at")
    date_plausible(at, field="at")
    date_plausible(valid_from, field="valid_from")
    date_plausible(valid_until, field="valid_until")
    text_within(note, field="note", limit=SHORT_TEXT_MAX_LENGTH)
    ball = BALL_BY_STATUS[t.target] if ball_with is None else ball_with
    if ball not in Party.values:
        raise ApplicationError(_("Say who holds the ball: IOM or the structure."), field="ball_with")
    changes: dict[str, Any] = {"ball_with": ball, "ball_since": at}
    if valid_from is not None:
        changes["valid_from"] = valid_from
    if valid_until is not None:
        changes["valid_until"] = valid_until
    if t.target == AgreementStatus.IN_FORCE and valid_from is None and not agreement.valid_from:
        changes["valid_from"] = at.date()
    with transaction.atomic():
        current = AgreementStatusChange.objects.select_for_update().filter(agreement=agreement, left_at__isnull=True).first()
        if current is not None and at < current.entered_at:
            raise ApplicationError(_("This step cannot be dated before the previous one."), field="at")
        updated = transition(agreement, AGREEMENT, action, by=by, note=note, changes=changes)
        stamp = f"{t.target}_at"
        if at != now and hasattr(updated, stamp):
            setattr(updated, stamp, at)
            updated.save(update_fields=[stamp])
        if current is not None:
            current.left_at = at
            current.save(update_fields=["left_at"])
        AgreementStatusChange.objects.create(agreement=updated, status=t.target, ball_with=ball, entered_at=at,
                                             by=by, note=note)
    return updated


@transaction.atomic
def agreement_document_add(*, agreement: Agreement, by: Any, title: str, file: Any, version: int | None = None,
                           note: str = "") -> AgreementDocument:
    """Attach a document to a version of the text (default: a new version after the last)."""
    require(by, "referrals.add_document", agreement)
    if not title.strip():
        raise ApplicationError(_("Give the document a title."), field="title")
    text_within(title, field="title", limit=DOCUMENT_TITLE_MAX_LENGTH)
    text_within(note, field="note", limit=DOCUMENT_NOTE_MAX_LENGTH)
    if file is None:
        raise ApplicationError(_("Choose a file."), field="file")
    accept_upload(file, field="file", label=_("File"))
    if version is None:
        version = (agreement.documents.aggregate(m=Max("version"))["m"] or 0) + 1
    if version < 1:
        raise ApplicationError(_("Versions are numbered from 1."), field="version")
    document = AgreementDocument.objects.create(agreement=agreement, version=version, title=title.strip(), file=file,
                                                uploaded_by=by, note=note)
    activity.record(verb="agreement.document_add", actor=by, target=document, subject=agreement,
                    summary=f"v{version} {document.title}")
    return document


# --- Time in status and with each party -----------------------------------------------------


@dataclass
class TimeSpent:
    """Durations in days, by status and by party (IOM / the structure)."""

    by_status: dict[str, float] = field(default_factory=lambda: defaultdict(float))
    by_party: dict[str, float] = field(default_factory=lambda: defaultdict(float))

    def add(self, status: str, party: str, days: float) -> None:
        self.by_status[status] += days
        if party:
            self.by_party[party] += days

    @property
    def structure_share(self) -> float | None:
        """Share of the time the ball was with the structure, among the time anyone held it."""
        total = self.by_party.get(Party.IOM, 0.0) + self.by_party.get(Party.STRUCTURE, 0.0)
        return None if total == 0 else self.by_party.get(Party.STRUCTURE, 0.0) / total

    def as_dict(self) -> dict[str, Any]:
        return {
            "by_status": {k: round(v, 2) for k, v in self.by_status.items()},
            "by_party": {k: round(v, 2) for k, v in self.by_party.items()},
            "structure_share": None if self.structure_share is None else round(self.structure_share, 3),
        }


def _days(start: dt.datetime, end: dt.datetime) -> float:
    return max(0.0, (end - start).total_seconds() / 86400)


def time_in_status(*, agreement: Agreement, now: dt.datetime | None = None,
                   periods: Iterable[AgreementStatusChange] | None = None) -> TimeSpent:
    """Time the agreement spent in each status and with each party; the open period counts
    until ``now``. Final statuses (in force, expired, terminated) are not counted: the
    figure measures the negotiation."""
    now = now or timezone.now()
    spent = TimeSpent()
    for period in periods if periods is not None else agreement.history.all():
        if period.status not in NEGOTIATION_STATUSES:
            continue
        spent.add(period.status, period.ball_with, _days(period.entered_at, period.left_at or now))
    return spent


def time_in_status_by_structure(*, agreements: Iterable[Agreement], now: dt.datetime | None = None) -> list[dict]:
    """Per structure: agreements, days with IOM and with the structure, and their share;
    the agreements must come with their ``history`` prefetched."""
    now = now or timezone.now()
    rows: dict[int, dict[str, Any]] = {}
    for agreement in agreements:
        row = rows.setdefault(agreement.structure_id, {"structure": agreement.structure, "agreements": 0,
                                                       "signed": 0, "spent": TimeSpent()})
        row["agreements"] += 1
        row["signed"] += agreement.signed_at is not None
        for period in agreement.history.all():
            if period.status in NEGOTIATION_STATUSES:
                row["spent"].add(period.status, period.ball_with, _days(period.entered_at, period.left_at or now))
    result = []
    for row in rows.values():
        spent = row.pop("spent")
        row.update(iom_days=round(spent.by_party.get(Party.IOM, 0.0), 1),
                   structure_days=round(spent.by_party.get(Party.STRUCTURE, 0.0), 1),
                   structure_share=spent.structure_share)
        result.append(row)
    return sorted(result, key=lambda r: -r["structure_days"])


# --- Reminders and escalation ----------------------------------------------------------------


def agreements_waiting(*, now: dt.datetime | None = None, min_days: float = 0, party: str | None = None):
    """Agreements under negotiation whose ball has been held at least ``min_days``."""
    now = now or timezone.now()
    qs = Agreement.objects.filter(status__in=NEGOTIATION_STATUSES, ball_since__lte=now - dt.timedelta(days=min_days))
    qs = qs.exclude(ball_with=Party.NONE)
    if party:
        qs = qs.filter(ball_with=party)
    return qs.select_related("structure", "manager").order_by("ball_since")


def escalation_list(*, now: dt.datetime | None = None) -> list[Agreement]:
    """Agreements waiting on their structure longer than AGREEMENT_ESCALATION_DAYS: for the
    next steering-committee meeting."""
    days = setting("REFERRALS", "AGREEMENT_ESCALATION_DAYS")
    return list(agreements_waiting(now=now, min_days=days, party=Party.STRUCTURE))


def agreements_send_reminders(*, now: dt.datetime | None = None) -> int:
    """Remind the party holding the ball of each agreement waiting longer than
    AGREEMENT_REMINDER_DAYS, at most once per that period: the structure's current focal
    points, or IOM's manager of the agreement. Idempotent per agreement and period.

    A system task: run by the hourly Celery task (``tasks.send_reminders``) on nobody's
    behalf, so it takes no user and checks no rule; no page or API endpoint calls it."""
    from mboa.notifications.services import notify

    now = now or timezone.now()
    days = setting("REFERRALS", "AGREEMENT_REMINDER_DAYS")
    sent = 0
    for agreement in agreements_waiting(now=now, min_days=days):
        if agreement.last_reminder_at and agreement.last_reminder_at > now - dt.timedelta(days=days):
            continue
        waited = int(_days(agreement.ball_since, now))
        if agreement.ball_with == Party.STRUCTURE:
            recipients = list(agreement.structure.focal_points.active())
        else:
            recipients = [agreement.manager] if agreement.manager else []
        if not recipients:
            continue
        with transaction.atomic():
            notify(
                recipients=recipients,
                subject=_("Agreement %(ref)s waits for you") % {"ref": agreement.reference},
                body=_("The agreement “%(subject)s” has been “%(status)s” for %(days)s days and waits for your "
                       "answer.") % {"subject": agreement.subject, "status": agreement.get_status_display(),
                                     "days": waited},
                idempotency_key=f"agreement-reminder:{agreement.pk}:{agreement.ball_since:%Y%m%d%H%M}:{waited // days}",
                related=agreement,
            )
            Agreement.objects.filter(pk=agreement.pk).update(last_reminder_at=now)
            activity.record(verb="agreement.reminded", target=agreement, summary=agreement.reference,
                            data={"party": agreement.ball_with, "days": waited})
        sent += 1
    return sent
