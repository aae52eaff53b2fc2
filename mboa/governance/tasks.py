"""Celery beat tasks of governance: escalation of commitments, briefing packs the day before."""

from celery import shared_task

from . import briefing, commitments


@shared_task(name="governance.escalate_commitments")
def escalate_commitments() -> dict:
    return commitments.commitments_escalate()


@shared_task(name="governance.prepare_briefing_packs")
def prepare_briefing_packs() -> list:
    return briefing.briefing_packs_prepare()
