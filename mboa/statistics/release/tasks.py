"""Celery tasks of the release area: take ids, re-fetch, call a service. Idempotent."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="statistics.build_release")
def build_release(release_id: int) -> str:
    from .services import release_build

    release = release_build(release_id=release_id)
    return release.status if release is not None else ""
