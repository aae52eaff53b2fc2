"""Rebuild the matcher's blocking keys of every active person (after a change of key scheme).
Runs as the system (``keys_rebuild_all(by=None)``)."""

from django.core.management.base import BaseCommand
from django.db import transaction

from mboa.registry.services import keys_rebuild_all


class Command(BaseCommand):
    help = "Rebuild the blocking keys of every active person from the stored match profiles."

    def handle(self, *args, **options) -> None:
        with transaction.atomic():
            written = keys_rebuild_all()
        self.stdout.write(f"{written} keys written.")
