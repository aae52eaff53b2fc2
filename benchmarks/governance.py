"""Governance and notifications benchmark (issue 8).

    .venv/bin/python benchmarks/governance.py [--commitments N]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/mboa_bench .venv/bin/python benchmarks/governance.py

Without DATABASE_URL it uses a throw-away SQLite file. Migrates, loads N commitments
(default 5,000: years of a national programme's bodies) spread over the bodies and 18
structures, then times:

- ``escalate_s``: one escalation run (the hourly beat task) over all active commitments,
  reminders queued in the outbox (not sent: the worker does that), then
  ``escalation_messages_send_s`` to send them, and ``escalate_again_s`` (idempotent second run);
- ``stats_s``: on-time figures per structure over all commitments;
- ``briefing_pdf_s``: the briefing pack PDF of a COPIL meeting (WeasyPrint);
- ``outbox_send_per_s``: 1,000 email messages queued then sent through the outbox (locmem).

Prints one JSON object.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
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


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--commitments", type=int, default=5000)
    args = parser.parse_args()

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    call_command("migrate", verbosity=0)
    from mboa.accounts.models import User
    from mboa.actors.models import FocalPoint, Structure
    from mboa.governance import briefing, commitments, meetings
    from mboa.governance.models import Body, Commitment, CommitmentEscalation, Meeting
    from mboa.notifications import services
    from mboa.notifications.models import Message

    Message.objects.all().delete()
    CommitmentEscalation.objects.all().delete()
    Commitment.objects.all().delete()
    Meeting.objects.all().delete()
    structures = list(Structure.objects.all())
    for s in structures:
        FocalPoint.objects.get_or_create(structure=s, given_names="Bench", family_name=s.code,
                                         defaults={"email": f"bench@{s.code.lower()}.cm", "start_date": dt.date(2017, 1, 1)})
    bodies = list(Body.objects.exclude(code="GTSAP"))
    admin, _ = User.objects.get_or_create(username="bench.admin", defaults={"is_superuser": True})
    today = timezone.localdate()
    rows = []
    for i in range(args.commitments):
        deadline = today + dt.timedelta(days=(i % 900) - 700)
        done = i % 3 == 0
        rows.append(Commitment(
            body=bodies[i % len(bodies)], structure=structures[i % len(structures)], title=f"Engagement {i}",
            deadline=deadline, status="done" if done else ("late" if deadline < today else "open"),
            done_on=deadline + dt.timedelta(days=i % 20) if done else None, progress=100 if done else 30,
        ))
    Commitment.objects.bulk_create(rows, batch_size=1000)
    meeting = meetings.meeting_create(by=admin, body=Body.objects.get(code="COPIL"), kind="formal", place="Yaoundé",
                                      starts_at=timezone.now() + dt.timedelta(days=1))
    active = Commitment.objects.filter(status__in=["open", "late"]).count()

    # As in production, the escalation only queues messages; the worker sends them. Here the
    # queued messages are sent afterwards and timed on their own (escalation_messages_send_s).
    enqueue, services._enqueue = services._enqueue, lambda ids: None
    t = time.perf_counter()
    commitments.commitments_escalate()
    escalate_s = time.perf_counter() - t
    services._enqueue = enqueue
    queued = Message.objects.filter(status="pending").count()
    t = time.perf_counter()
    services.messages_send_due(limit=100_000)
    escalation_send_s = time.perf_counter() - t
    t = time.perf_counter()
    commitments.commitments_escalate()
    escalate_again_s = time.perf_counter() - t
    t = time.perf_counter()
    stats = commitments.commitment_stats_by_structure()
    stats_s = time.perf_counter() - t
    t = time.perf_counter()
    pdf = briefing.briefing_pack_pdf(meeting=meeting)
    briefing_pdf_s = time.perf_counter() - t

    Message.objects.all().delete()
    fps = list(FocalPoint.objects.filter(given_names="Bench"))
    t = time.perf_counter()
    for i in range(1000):
        services.notify(recipients=[fps[i % len(fps)]], subject="bench", body="b", idempotency_key=f"bench:{i}",
                        channel="email")
    services.messages_send_due()
    send_s = time.perf_counter() - t
    print(json.dumps({
        "database": connection.vendor, "commitments": args.commitments, "active_commitments": active,
        "escalate_s": round(escalate_s, 2), "escalate_again_s": round(escalate_again_s, 2),
        "escalation_steps": CommitmentEscalation.objects.count(), "escalation_messages": queued,
        "escalation_messages_send_s": round(escalation_send_s, 2), "stats_s": round(stats_s, 3),
        "structures_in_stats": len(stats), "briefing_pdf_s": round(briefing_pdf_s, 2), "briefing_pdf_kb": len(pdf) // 1024,
        "outbox_messages_sent": Message.objects.filter(status="sent").count(),
        "outbox_send_per_s": round(1000 / send_s, 1),
    }))


if __name__ == "__main__":
    main()
