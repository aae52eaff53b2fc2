"""The demo data loads, and loading it twice changes nothing."""

import pytest
from django.apps import apps
from django.core.management import call_command

from mboa.core.demo import DEMO_PASSWORD

pytestmark = pytest.mark.django_db


def _counts() -> dict[str, int]:
    return {m._meta.label: m.objects.count() for m in apps.get_models() if m._meta.app_label != "sessions"
            and not m._meta.label.startswith(("core.Activity", "core.SensitiveAccess", "axes."))
            and not m.__name__.startswith("Historical")}


def test_seed_demo_is_idempotent_and_prints_the_logins(capsys):
    call_command("seed_demo")
    first = _counts()
    output = capsys.readouterr().out
    assert DEMO_PASSWORD in output
    for username in ("admin", "gestionnaire", "pf.minsante", "bailleur", "statisticien"):
        assert username in output
    call_command("seed_demo", "--quiet-logins")
    assert _counts() == first
    assert "nothing new" in capsys.readouterr().out


def test_demo_users_can_sign_in(client):
    call_command("seed_demo", "--quiet-logins")
    response = client.post("/accounts/login/", {"username": "pf.minas", "password": DEMO_PASSWORD})
    assert response.status_code == 302
    assert "MINAS" in client.get("/").content.decode()
