"""Suggest Fellegi-Sunter weights from the review queue's decisions (see mboa/registry/weights.py)."""

from django.core.management.base import BaseCommand, CommandError

from mboa.registry.models import DuplicateCandidate, ReviewStatus
from mboa.registry.weights import estimate


class Command(BaseCommand):
    help = ("Estimate the matcher's field weights (log2 m/u) from the pairs decided in the review queue "
            "and print them next to the weights in force. Changes nothing.")

    def add_arguments(self, parser) -> None:
        parser.add_argument("--min-decisions", type=int, default=100,
                            help="refuse with fewer decided pairs than this on either side (default 100)")

    def handle(self, *args, **options) -> None:
        decided = DuplicateCandidate.objects.filter(status__in=[ReviewStatus.MERGED, ReviewStatus.DIFFERENT])
        pairs = [(reasons or {}, status == ReviewStatus.MERGED) for reasons, status in
                 decided.values_list("reasons", "status").iterator(chunk_size=5000)]
        rows, n_same, n_different = estimate(pairs)
        wanted = options["min_decisions"]
        if min(n_same, n_different) < wanted:
            raise CommandError(
                f"Too few decisions to estimate weights: {n_same} pairs merged (same person) and {n_different} "
                f"declared different; at least {wanted} of each are needed (--min-decisions)."
            )
        self.stdout.write(f"From {n_same} merged and {n_different} different pairs of the review queue:")
        self.stdout.write(f"{'field':<16}{'level':<15}{'same':>7}{'diff':>7}{'m':>8}{'u':>8}{'suggested':>11}"
                          f"{'current':>9}")
        for row in rows:
            flag = "  *" if abs(row.suggested - row.current) >= 2 else ""
            self.stdout.write(f"{row.field:<16}{row.level:<15}{row.same:>7}{row.different:>7}{row.m:>8.3f}"
                              f"{row.u:>8.3f}{row.suggested:>11.1f}{row.current:>9.1f}{flag}")
        self.stdout.write("* differs from the weight in force by 2 or more. Weights are constants in "
                          "mboa/registry/identity.py (WEIGHTS): change them there, then rerun the benchmark.")
