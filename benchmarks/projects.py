"""Projects benchmark: a GTR validation session of 500 dossiers with 10 reviewers.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/mboa_bench_projects .venv/bin/python benchmarks/projects.py

Creates (or reuses) the database named in DATABASE_URL and migrates it, then builds a new
session: 500 submitted dossiers (promoters registered in the registry, 3 budget lines each),
all on the agenda, and 10 reviewers of whom 9 have already scored every dossier. Measures:

- ``synthesis_s``: the session synthesis (counts, amounts, average scores by sector, value
  chain, region, kind, sex) — median of 5 runs;
- ``review_page_p95_ms``: GET of the review page of one dossier by the 10th reviewer
  (whole Django request through the test client, 100 dossiers);
- ``score_p95_ms``: recording one score (``services.review_record``: validation, upsert,
  refresh of the dossier's combined score and spread), 200 dossiers;
- ``score_http_p95_ms``: the same through the page's HTMX POST, which also renders the next
  dossier's form (50 dossiers);
- ``batch_determination_s``: approving the 500 dossiers in one batch (with the undo record,
  the activities and the notification task queued);
- ``minutes_pdf_s``: the minutes PDF of the 500 determinations, through the Celery task
  (run eagerly here, as in tests), file saved; ``minutes_pages`` its page count.

Prints one JSON object. Needs PostgreSQL (refuses SQLite).
"""

from __future__ import annotations

import json
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
os.environ.setdefault("CELERY_TASK_ALWAYS_EAGER", "true")

DOSSIERS = int(os.environ.get("BENCH_DOSSIERS", "500"))
REVIEWERS = 10


def p95(values: list[float]) -> float:
    values = sorted(values)
    return values[max(0, round(0.95 * len(values)) - 1)]


def ensure_database() -> None:
    import dj_database_url
    import psycopg

    url = os.environ.get("DATABASE_URL", "")
    config = dj_database_url.parse(url)
    if "postgresql" not in config["ENGINE"]:
        raise SystemExit("benchmarks/projects.py needs PostgreSQL: set DATABASE_URL=postgres://...")
    admin = psycopg.connect(host=config["HOST"], port=config["PORT"] or 5432, user=config["USER"],
                            password=config["PASSWORD"] or None, dbname="postgres", autocommit=True)
    exists = admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [config["NAME"]]).fetchone()
    if not exists:
        admin.execute(f'CREATE DATABASE "{config["NAME"]}"')
    admin.close()


def main() -> None:
    ensure_database()
    import django

    django.setup()
    import logging

    logging.disable(logging.INFO)
    from django.core.management import call_command

    call_command("migrate", "--noinput", verbosity=0)

    from django.db import connection
    from django.test import Client
    from django.utils import timezone

    from mboa.accounts.models import Role, User
    from mboa.actors.models import Structure
    from mboa.projects import bulk, services, tasks
    from mboa.projects.models import ValidationSession
    from mboa.projects.synthesis import session_synthesis

    rng = random.Random(2017)
    run = int(time.time())
    roles = {r.code: r for r in Role.objects.all()}

    def user(username: str, code: str, role: str) -> User:
        u, created = User.objects.get_or_create(username=username, defaults={
            "structure": Structure.objects.get(code=code), "first_name": username})
        if created:
            u.roles.add(roles[role])
        return u

    secretariat = user("bench.secretariat", "OIM", "secretariat")
    counsellor = user("bench.counsellor", "MINJEC", "insertion_counsellor")
    gtr_codes = ["MINJEC", "MINEFOP", "MINPMEESA", "MINADER", "MINEPIA", "MINAS", "MINPROFF", "MINEPAT", "FNE",
                 "PARIJEDI"]
    reviewers = [user(f"bench.reviewer.{i}", code, "focal_point") for i, code in enumerate(gtr_codes)]

    session = services.session_create(by=secretariat, date=timezone.localdate(), place="Benchmark")
    ids = list(session.attendance.values_list("structure_id", flat=True))
    services.session_attendance_set(session=session, by=secretariat, present=dict.fromkeys(ids, "Rep"))
    services.session_reviewers_set(session=session, by=secretariat, reviewers=reviewers)
    dossiers = bulk.dossiers_bulk(rng=rng, n=DOSSIERS, prefix=f"B{run % 1000000}", structure=counsellor.structure,
                                  counsellor=counsellor, status="ready", submitted_at=timezone.now(),
                                  returned_before=timezone.localdate())
    items = bulk.agenda_bulk(session=session, dossiers=dossiers, reviewers=reviewers[:-1], rng=rng)
    connection.cursor().execute("ANALYZE")
    session = ValidationSession.objects.get(pk=session.pk)
    last = reviewers[-1]

    figures: dict[str, float | int] = {"dossiers": len(items), "reviewers": REVIEWERS}

    timings = []
    for _ in range(5):
        started = time.perf_counter()
        synthesis = session_synthesis(session)
        timings.append(time.perf_counter() - started)
    assert synthesis["total"]["count"] == len(items)
    figures["synthesis_s"] = round(statistics.median(timings), 3)

    client = Client()
    client.force_login(last)
    timings = []
    for item in items[:100]:
        started = time.perf_counter()
        response = client.get(f"/projects/sessions/{session.reference}/review/{item.pk}/")
        timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, response.status_code
    figures["review_page_p95_ms"] = round(p95(timings), 1)

    timings = []
    for item in items[100:300]:
        scores = {c: rng.randint(1, 5) for c in ("profitability", "viability", "relevance", "feasibility")}
        started = time.perf_counter()
        services.review_record(item=item, by=last, scores=scores)
        timings.append((time.perf_counter() - started) * 1000)
    figures["score_p95_ms"] = round(p95(timings), 1)

    timings = []
    for item in items[300:350]:
        data = {"profitability": 3, "viability": 4, "relevance": 4, "feasibility": 3}
        started = time.perf_counter()
        response = client.post(f"/projects/sessions/{session.reference}/review/{item.pk}/", data,
                               HTTP_HX_REQUEST="true")
        timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, response.status_code
    figures["score_http_p95_ms"] = round(p95(timings), 1)

    started = time.perf_counter()
    batch = services.determinations_record(session=session, by=secretariat, items=items, outcome="approved")
    figures["batch_determination_s"] = round(time.perf_counter() - started, 3)
    assert batch.count == len(items)

    started = time.perf_counter()
    size = tasks.generate_minutes(session.pk)
    figures["minutes_pdf_s"] = round(time.perf_counter() - started, 2)
    session.refresh_from_db()
    import io

    try:
        from pypdf import PdfReader

        figures["minutes_pages"] = len(PdfReader(io.BytesIO(session.minutes_pdf.read())).pages)
    except ImportError:
        pass
    figures["minutes_bytes"] = size
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
