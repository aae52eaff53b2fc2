"""Celery tasks of the sustainability survey: reading uploaded files and recomputing scores
(never in a request). They take ids, re-fetch and call a service; both are idempotent."""

from celery import shared_task

from . import services


@shared_task(name="surveys.upload_process")
def upload_process(upload_id: int) -> str:
    """Read and load a stored definition workbook or ODK/Kobo export, all or nothing."""
    return services.upload_process(upload_id=upload_id)


@shared_task(name="surveys.scores_recompute")
def scores_recompute(weight_set_id: int) -> int:
    """Recompute every survey's scores under a weight set (after its adoption)."""
    return services.scores_recompute(weight_set_id=weight_set_id)
