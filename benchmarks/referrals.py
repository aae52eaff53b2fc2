"""Referrals benchmark (issue 6).

    .venv/bin/python benchmarks/referrals.py [--referrals N] [--agreements A]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/mboa_bench_referrals .venv/bin/python benchmarks/referrals.py

Without DATABASE_URL it uses a throw-away SQLite file. Migrates, loads N referrals
(default 20,000: a decade of a national programme, several referrals per returnee) over
200 cases, the receiving structures and services of the catalogue, sent over the last
three years at every step, and A agreements (default 200) with eight periods each. Times:

- ``delay_report_s``: the delays report (rows read + response times per structure,
  service and month) over all referrals;
- ``overdue_count_ms``: counting the overdue referrals (one SQL condition);
- ``board_ms`` / ``inbox_ms``: the board's counts (administrator) and one focal point's
  inbox first page with its counts (median of 20);
- ``reminders_s`` and ``reminders_again_s``: the hourly reminder run (messages queued in
  the outbox), then its idempotent second run;
- ``agreement_figures_s``: time with IOM / with the structure per structure.

Prints one JSON object.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
os.environ.setdefault("CELERY_TASK_ALWAYS_EAGER", "true")
os.environ["EMAIL_BACKEND"] = "django.core.mail.backends.locmem.EmailBackend"
os.environ.setdefault("LOG_LEVEL", "WARNING")
if "DATABASE_URL" not in os.environ:
    os.environ["DATABASE_URL"] = f"sqlite:///{tempfile.mkdtemp()}/bench.sqlite3"


def _timed(fn, repeat: int = 1) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times), result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--referrals", type=int, default=20_000)
    parser.add_argument("--agreements", type=int, default=200)
    args = parser.parse_args()

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import transaction
    from django.utils import timezone

    call_command("migrate", verbosity=0)
    from mboa.accounts.models import Role, User
    from mboa.actors.models import Structure
    from mboa.cases.services import case_open
    from mboa.notifications.models import Message
    from mboa.referrals import delays, selectors, services
    from mboa.referrals.models import (
        Agreement,
        AgreementStatusChange,
        Referral,
        ReferralStatus,
        ServicePoint,
    )
    from mboa.referrals.workflows import BALL_BY_STATUS
    from mboa.registry.models import Person

    rng = random.Random(2017)
    now = timezone.now()
    oim, minas = Structure.objects.get(code="OIM"), Structure.objects.get(code="MINAS")
    admin, _ = User.objects.get_or_create(username="bench.admin", defaults={"structure": oim, "is_superuser": True})
    manager, created = User.objects.get_or_create(username="bench.manager", defaults={"structure": oim})
    if created:
        manager.roles.set(Role.objects.filter(code="case_manager"))
    focal, created = User.objects.get_or_create(username="bench.pf.minas",
                                                defaults={"structure": minas, "email": "pf@minas.cm"})
    if created:
        focal.roles.set(Role.objects.filter(code="focal_point"))

    if Referral.objects.count() != args.referrals:
        Referral.objects.all().delete()
        Agreement.objects.all().delete()
        with transaction.atomic():
            cases = []
            for i in range(200):
                person = Person.objects.create(family_name=f"Bench{i}", given_names="Test", birth_year=1990)
                cases.append(case_open(person=person, by=manager, city="Yaoundé"))
            offers = [(p.structure_id, s.code, p.pk) for p in ServicePoint.objects.prefetch_related("services")
                      for s in p.services.all()]
            rows = []
            for i in range(args.referrals):
                structure_id, service, point = rng.choice(offers)
                sent = now - dt.timedelta(days=rng.uniform(0, 3 * 365))
                status = rng.choice(list(ReferralStatus.values))
                stamps = {"sent_at": sent}
                if status != ReferralStatus.SENT:
                    stamps["acknowledged_at"] = sent + dt.timedelta(hours=rng.uniform(1, 200))
                if status in ("accepted", "in_progress", "delivered", "not_delivered", "closed"):
                    stamps["accepted_at"] = stamps["acknowledged_at"] + dt.timedelta(hours=rng.uniform(1, 100))
                if status in ("delivered", "closed"):
                    stamps["delivered_at"] = stamps["accepted_at"] + dt.timedelta(days=rng.uniform(1, 60))
                rows.append(Referral(
                    number=f"BENCH-{i:06d}", case=cases[i % 200], service_id=service, structure_id=structure_id,
                    service_point_id=point, sender_structure=oim, sent_by=manager, reason="bench",
                    shared_parts=["identity"], shared_data={"identity": {"family_name": "Bench"}},
                    consent_checked=True, status=status, urgency="urgent" if i % 50 == 0 else "normal", **stamps))
            Referral.objects.bulk_create(rows, batch_size=2000)
            structures = list(Structure.objects.filter(kind="ministry"))
            statuses = list(BALL_BY_STATUS)
            for i in range(args.agreements):
                start = now - dt.timedelta(days=rng.uniform(200, 900))
                agreement = Agreement.objects.create(reference=f"BENCH-{i:04d}", structure=rng.choice(structures),
                                                     subject="bench", status="signed", ball_with="iom",
                                                     ball_since=start)
                at, periods = start, []
                for status in statuses[:8]:
                    left = at + dt.timedelta(days=rng.uniform(2, 60))
                    periods.append(AgreementStatusChange(agreement=agreement, status=status,
                                                         ball_with=BALL_BY_STATUS[status], entered_at=at,
                                                         left_at=None if status == statuses[7] else left))
                    at = left
                AgreementStatusChange.objects.bulk_create(periods)

    def report():
        rows = selectors.delay_rows_for_user(user=admin)
        return delays.delay_report(rows=rows)

    report_s, table = _timed(report)
    overdue_s, overdue = _timed(lambda: Referral.objects.filter(delays.overdue_q()).count(), repeat=5)
    board_s, _ = _timed(lambda: selectors.board_for_user(user=admin), repeat=20)
    inbox_s, _ = _timed(lambda: (list(selectors.inbox_for_user(user=focal)[:50]),
                                 selectors.inbox_counts_for_user(user=focal)), repeat=20)
    Message.objects.all().delete()
    Referral.objects.update(last_reminder_at=None, reminder_count=0)
    reminders_s, reminded = _timed(services.referrals_send_reminders)
    again_s, reminded_again = _timed(services.referrals_send_reminders)
    figures_s, figures = _timed(lambda: selectors.agreement_figures_for_user(user=admin))
    print(json.dumps({
        "database": django.db.connection.vendor,
        "referrals": Referral.objects.count(),
        "agreements": Agreement.objects.count(),
        "delay_report_s": round(report_s, 3), "delay_report_groups": len(table),
        "overdue_count_ms": round(overdue_s * 1000, 1), "overdue": overdue,
        "board_ms": round(board_s * 1000, 1),
        "inbox_ms": round(inbox_s * 1000, 1),
        "reminders_s": round(reminders_s, 2), "reminded": reminded,
        "reminders_again_s": round(again_s, 3), "reminded_again": reminded_again,
        "messages_queued": Message.objects.count(),
        "agreement_figures_s": round(figures_s, 3), "agreement_structures": len(figures),
    }))


if __name__ == "__main__":
    main()
