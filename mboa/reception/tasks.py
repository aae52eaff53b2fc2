"""Celery tasks of reception: reading an uploaded passenger list (never in a request)."""

from celery import shared_task

from . import services


@shared_task(name="reception.manifest_analyse")
def manifest_analyse(manifest_id: int) -> str:
    """Read a draft manifest once and store its table and problems on it. Idempotent: a
    draft analysed already, or being analysed, is left as it is. Runs as the system."""
    return services.manifest_analyse(manifest_id=manifest_id)
