import time

from django.core.management.base import BaseCommand
from django.db import transaction

from mboa.core.demo import DEMO_PASSWORD, run_all


class Command(BaseCommand):
    help = "Load the realistic Cameroonian demo data (idempotent) and print the demo logins."

    def add_arguments(self, parser):
        parser.add_argument("--quiet-logins", action="store_true", help="Do not print the demo logins.")

    def handle(self, *args, **options):
        started = time.perf_counter()
        with transaction.atomic():
            ctx = run_all()
        elapsed = time.perf_counter() - started
        created = ", ".join(f"{k}: {v}" for k, v in sorted(ctx.created.items())) or "nothing new"
        self.stdout.write(f"Demo data ready in {elapsed:.1f} s ({created}).")
        if not options["quiet_logins"]:
            self.stdout.write("")
            self.stdout.write(self.style.SUCCESS(f"Demo logins (password for all: {DEMO_PASSWORD})"))
            for username, role, structure in ctx.logins:
                self.stdout.write(f"  {username:<24} {role:<28} {structure}")
