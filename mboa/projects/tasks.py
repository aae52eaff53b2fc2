"""Celery tasks of the projects app: take ids, re-fetch, call a service. Idempotent."""

from __future__ import annotations

from celery import shared_task
from django.core.files.base import ContentFile
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import DeterminationBatch, Dossier, ValidationSession


@shared_task(name="projects.generate_minutes")
def generate_minutes(session_id: int) -> int:
    """Render the minutes PDF, keeping ``minutes_progress`` up to date for the page."""
    from .minutes import minutes_pdf

    session = ValidationSession.objects.get(pk=session_id)

    def progress(percent: int) -> None:
        ValidationSession.objects.filter(pk=session_id).update(minutes_status="running", minutes_progress=percent)

    try:
        pdf = minutes_pdf(session, progress)
    except Exception:
        ValidationSession.objects.filter(pk=session_id).update(minutes_status="failed")
        raise
    session.refresh_from_db()
    if session.minutes_pdf:
        session.minutes_pdf.delete(save=False)
    session.minutes_pdf.save(f"minutes-{session.reference}.pdf", ContentFile(pdf), save=False)
    session.minutes_status, session.minutes_progress, session.minutes_at = "done", 100, timezone.now()
    session.save(update_fields=["minutes_pdf", "minutes_status", "minutes_progress", "minutes_at", "updated_at"])
    return len(pdf)


@shared_task(name="projects.notify_determinations")
def notify_determinations(batch_id: int) -> int:
    """Tell each counsellor concerned, once the undo window has passed, what was decided
    on their dossiers (one message per counsellor and batch). Nothing if undone."""
    from mboa.notifications.services import notify

    batch = DeterminationBatch.objects.select_related("session").filter(pk=batch_id).first()
    if batch is None or batch.undone_at:
        return 0
    by_counsellor: dict = {}
    for dossier in Dossier.objects.filter(determinations__batch=batch).select_related("counsellor"):
        if dossier.counsellor_id:
            by_counsellor.setdefault(dossier.counsellor, []).append(dossier.reference)
    outcome = batch.get_outcome_display()
    for counsellor, refs in by_counsellor.items():
        notify(recipients=[counsellor], related=batch.session,
               subject=_("GTR %(session)s: %(n)s of your dossiers %(outcome)s") % {
                   "session": batch.session.reference, "n": len(refs), "outcome": outcome},
               body=_("Determination “%(outcome)s” for: %(refs)s") % {"outcome": outcome, "refs": ", ".join(refs)},
               idempotency_key=f"projects.batch:{batch.pk}:{counsellor.pk}")
    return len(by_counsellor)


@shared_task(name="projects.notify_amended_approval")
def notify_amended_approval(dossier_id: int) -> int:
    from mboa.notifications.services import notify

    dossier = Dossier.objects.select_related("counsellor").get(pk=dossier_id)
    if not dossier.counsellor_id:
        return 0
    notify(recipients=[dossier.counsellor], related=dossier,
           subject=_("Dossier %(ref)s approved after amendments") % {"ref": dossier.reference},
           body=_("The amendments of %(ref)s were verified; the project is approved.") % {"ref": dossier.reference},
           idempotency_key=f"projects.amended_approval:{dossier.pk}:{dossier.approved_at:%s}")
    return 1


@shared_task(name="projects.followup_daily")
def followup_daily() -> dict[str, int]:
    """Beat (every six hours): plan the follow-up visits a hook missed, then remind each
    person of their overdue visits (once a week each; the outbox key makes it idempotent)."""
    from .followup import followups_plan_missing, visits_send_reminders

    planned = followups_plan_missing()
    return {**planned, "reminders": visits_send_reminders()}
