"""Plan the follow-up visits missing for installed projects and closed cases (idempotent)."""

from django.core.management.base import BaseCommand

from mboa.projects.followup import followups_plan_missing


class Command(BaseCommand):
    help = ("Plan the follow-up visits missing for installed projects and closed cases (settings "
            "MBOA_PROJECTS['FOLLOWUP_MONTHS'], MBOA_CASES['FOLLOWUP_MONTHS_AFTER_CLOSURE']). Safe to run again.")

    def handle(self, *args, **options):
        counts = followups_plan_missing()
        self.stdout.write(f"planned: {counts['projects']} project visits, {counts['cases']} returnee visits")
