"""``python manage.py import_manifest FILE --arrival REFERENCE [--dry-run] [--user USERNAME]``

Imports a passenger list for an arrival, all or nothing, with the same checks as the
upload page. Exit status 0 and a summary when imported (or, with --dry-run, when it
would be); exit status 1, every problem on its own line as ``row N, column C: what``,
and nothing written when the file is refused.
"""

from __future__ import annotations

import json
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from mboa.core.errors import ApplicationError
from mboa.reception import services
from mboa.reception.models import Arrival


class Command(BaseCommand):
    help = "Import a manifest (CSV or XLSX passenger list) for an arrival, all or nothing."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--arrival", required=True, help="the arrival's reference")
        parser.add_argument("--dry-run", action="store_true", help="check and match, write nothing")
        parser.add_argument("--user", default="", help="username recorded as the importer (default: first admin)")
        parser.add_argument("--map", action="append", default=[], metavar="COLUMN=FIELD",
                            help="map a column (header text or 1-based position) to a field, or to 'ignore'")
        parser.add_argument("--json", action="store_true", help="print the report as JSON")

    def handle(self, *args, **options):
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"{path}: no such file")
        try:
            arrival = Arrival.objects.get(reference=options["arrival"])
        except Arrival.DoesNotExist:
            raise CommandError(f"no arrival with reference {options['arrival']!r}") from None
        user = self._user(options["user"])
        content = path.read_bytes()
        mapping = self._mapping(options["map"], content, path.name, arrival)
        try:
            report = services.manifest_import(arrival=arrival, by=user, content=content, file_name=path.name,
                                              mapping=mapping, dry_run=options["dry_run"])
        except ApplicationError as error:
            raise CommandError(error.message) from None
        if options["json"]:
            self.stdout.write(json.dumps(report.as_dict(), ensure_ascii=False))
        if not report.ok:
            for problem in report.problems:
                self.stderr.write(f"{path.name}: {problem}")
            raise CommandError(f"{path.name}: refused, {len(report.problems)} problem(s); nothing was imported")
        if not options["json"]:
            verb = "would import" if options["dry_run"] else "imported"
            self.stdout.write(
                f"{path.name}: {verb} {report.rows} returnee(s) for {arrival.reference}; "
                f"{report.possible_matches} with a possible earlier record "
                f"({report.probable_matches} probable) flagged for review"
            )

    def _user(self, username: str):
        User = get_user_model()
        if username:
            try:
                return User.objects.get(username=username)
            except User.DoesNotExist:
                raise CommandError(f"no user {username!r}") from None
        user = (User.objects.filter(is_superuser=True, is_active=True).first()
                or User.objects.filter(roles__code="admin", is_active=True).first())
        if user is None:
            raise CommandError("no administrator to record as the importer: pass --user")
        return user

    def _mapping(self, pairs: list[str], content: bytes, file_name: str, arrival: Arrival) -> dict[str, str]:
        if not pairs:
            return {}
        report, _rows = services.manifest_check(arrival=arrival, content=content, file_name=file_name)
        headers = [h.strip().lower() for h in report.headers]
        mapping = {}
        for pair in pairs:
            column, _sep, field = pair.partition("=")
            column = column.strip()
            if column.isdigit():
                index = int(column) - 1
            elif column.lower() in headers:
                index = headers.index(column.lower())
            else:
                raise CommandError(f"--map {pair}: no column {column!r} in {file_name}")
            mapping[str(index)] = field.strip()
        return mapping
