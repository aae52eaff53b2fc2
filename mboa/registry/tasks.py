"""Celery task of the registry: the periodic whole-registry deduplication scan."""

from celery import shared_task

from .services import duplicates_scan


@shared_task(name="registry.scan")
def scan() -> dict:
    """Queue new possible duplicates. Idempotent: pairs already queued or decided are skipped.
    Runs as the system (``by=None``): no user started it."""
    return duplicates_scan()
