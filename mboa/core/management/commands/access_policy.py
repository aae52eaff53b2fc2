"""Print the access policy as Markdown: ``manage.py access_policy > docs/access-policy.md``."""

from django.core.management.base import BaseCommand

from mboa.core.policy import as_markdown


class Command(BaseCommand):
    help = "Print the access policy (roles × resources × actions, with scope) as Markdown."

    def handle(self, *args, **options):
        self.stdout.write(as_markdown(), ending="")
