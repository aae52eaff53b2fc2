"""Every demo user walks the pages they can reach from home, in French: no server error,
no link that answers "forbidden", and no internal code (``serious_medical``) shown as text.

A page a user is offered must be a page they may open, and what they read must be words.
The walk follows links breadth-first, one URL of each shape (digits folded) and
PAGES_PER_USER pages per user, so that it stays quick while covering every kind of page.
"""

import re
from html.parser import HTMLParser

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client

pytestmark = pytest.mark.django_db

PAGES_PER_USER = 100
SKIPPED = ("/static/", "/media/", "/api/", "/accounts/logout", "/i18n/", "/admin/")
# Words with underscores are internal codes, never French or English text.
CODE = re.compile(r"\b[a-z]+_[a-z_]+\b")
NOT_TEXT = {"script", "style", "code", "pre", "textarea", "option"}


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.text: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag, attrs):
        if tag in NOT_TEXT:
            self._hidden += 1
        href = dict(attrs).get("href") if tag == "a" else None
        if href and href.startswith("/") and not href.startswith(SKIPPED):
            self.links.append(href.split("#")[0])

    def handle_endtag(self, tag):
        if tag in NOT_TEXT and self._hidden:
            self._hidden -= 1

    def handle_data(self, data):
        if not self._hidden:
            self.text.append(data)


def _walk(user) -> list[str]:
    client = Client(HTTP_ACCEPT_LANGUAGE="fr")
    client.force_login(user)
    problems, seen, shapes = [], set(), {}
    queue = [("/", "login")]
    while queue and len(seen) < PAGES_PER_USER:
        url, origin = queue.pop(0)
        if url in seen:
            continue
        seen.add(url)
        response = client.get(url)
        if response.status_code >= 500 or response.status_code == 403:
            problems.append(f"{user.username}: {url} answers {response.status_code} (linked from {origin})")
            continue
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        page = _Page()
        page.feed(response.content.decode())
        codes = sorted(set(CODE.findall(" ".join(page.text))))
        if codes:
            problems.append(f"{user.username}: {url} shows codes {codes}")
        for link in page.links:
            shape = re.sub(r"\d+", "N", link.split("?")[0])
            if link not in seen and shapes.get(shape, 0) < 1:
                shapes[shape] = shapes.get(shape, 0) + 1
                queue.append((link, url))
    return problems


def test_demo_users_meet_no_error_no_dead_link_and_no_code():
    call_command("seed_demo", "--quiet-logins")
    # one user per (structure, roles): the fifteen insertion counsellors see the same kind of pages
    users = {}
    for user in get_user_model().objects.filter(is_active=True).order_by("username").prefetch_related("roles"):
        users.setdefault((user.structure_id, tuple(sorted(r.code for r in user.roles.all()))), user)
    users = list(users.values())
    assert len(users) >= 12  # every role and structure kind of the demo
    problems = [problem for user in users for problem in _walk(user)]
    assert not problems, "\n".join(problems)
