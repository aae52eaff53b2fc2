"""``manage.py statistical_release --from 2024-01-01 --to 2024-12-31 --out DIR``: the
anonymised statistical release for INS, written as files into DIR (see
docs/statistics-release.md)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from mboa.core.errors import ApplicationError
from mboa.statistics.release.services import release_write


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"{value!r} is not a date (YYYY-MM-DD)") from None


class Command(BaseCommand):
    help = "Write the anonymised statistical release (CSV tables, record-level extract, README) into a directory."

    def add_arguments(self, parser):
        parser.add_argument("--from", dest="date_from", required=True, help="first day, YYYY-MM-DD")
        parser.add_argument("--to", dest="date_to", required=True, help="last day, YYYY-MM-DD")
        parser.add_argument("--out", required=True, help="directory to write (created if needed)")
        parser.add_argument("--threshold", type=int, default=None,
                            help="suppression threshold (default: MBOA_STATISTICS['SUPPRESSION_THRESHOLD'])")

    def handle(self, *args, date_from: str, date_to: str, out: str, threshold: int | None, **options):
        if threshold is not None and threshold < 1:
            raise CommandError("the threshold is at least 1")
        try:
            written = release_write(date_from=_date(date_from), date_to=_date(date_to), out=Path(out), k=threshold)
        except ApplicationError as error:
            raise CommandError(str(error.message)) from None
        for path in written:
            self.stdout.write(str(path))
        self.stdout.write(self.style.SUCCESS(f"{len(written)} files written to {out}"))
