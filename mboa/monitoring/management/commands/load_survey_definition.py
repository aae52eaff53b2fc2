"""``python manage.py load_survey_definition FILE.xlsx [--adopt] [--example]``

Loads a sustainability-survey definition workbook (format: docs/surveys.md), all or
nothing: a new survey version (its XLSForm published) and a new weight set, adopted with
``--adopt`` (every score is then recomputed under it). ``--example`` loads the shipped
EXAMPLE instead of a file. Exit status 1 and every problem on its own line as
``sheet, row N, column C: what`` when the workbook is refused; nothing is written then.
"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from mboa.core.errors import ApplicationError
from mboa.monitoring.surveys import catalog, services


class Command(BaseCommand):
    help = "Load a sustainability-survey definition (XLSX), all or nothing."

    def add_arguments(self, parser):
        parser.add_argument("file", nargs="?", default="")
        parser.add_argument("--adopt", action="store_true", help="adopt its weight set (recomputes every score)")
        parser.add_argument("--example", action="store_true", help="load the shipped EXAMPLE definition")

    def handle(self, *args, **options):
        if options["example"]:
            definition, problems, is_example = catalog.example_catalog(), [], True
            name = "example"
        else:
            path = Path(options["file"])
            if not path.is_file():
                raise CommandError(f"{path}: no such file")
            definition, problems = catalog.parse_workbook(path.read_bytes(), path.name)
            is_example, name = False, path.name
        problems = problems or services.catalog_conflicts(definition)
        if problems:
            for problem in problems:
                self.stderr.write(f"{name}: {problem}")
            raise CommandError(f"{name}: refused, {len(problems)} problem(s); nothing was loaded")
        try:
            version, weights = services.catalog_load(catalog=definition, by=None, is_example=is_example,
                                                     adopt=options["adopt"])
        except ApplicationError as error:
            raise CommandError(error.message) from None
        self.stdout.write(f"{name}: survey version {version.number} ({len(definition.questions)} questions) and "
                          f"weight set {weights.number}{' (adopted)' if options['adopt'] else ''} loaded")
