"""The periodic whole-registry deduplication scan: new possible duplicates go to the queue.
Runs as the system (``duplicates_scan(by=None)``)."""

from django.core.management.base import BaseCommand

from mboa.registry.services import duplicates_scan


class Command(BaseCommand):
    help = "Scan the whole registry for possible duplicates and queue the new ones for review."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--min-score", type=float, default=None)

    def handle(self, *args, **options) -> None:
        result = duplicates_scan(min_score=options["min_score"])
        self.stdout.write(f"{result['pairs']} pairs found, {result['new']} new in the review queue.")
