"""Cases benchmark (issue 5): case list, name search and case page at a million people.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/mboa_bench_cases .venv/bin/python benchmarks/cases.py [--size N]

1. Creates (or reuses) the PostgreSQL database of DATABASE_URL and migrates it. Unless it
   already holds N people with their cases (``--regenerate`` forces it), loads the
   registry with the registry benchmark's generator (``benchmarks/registry.py``: N people
   with phones, documents and matcher keys, by COPY), then one case per person (status,
   city, counsellors among the 19 of the mechanism, next due date, search text), one
   counselling session and one assessment per case, vulnerabilities on ~14 % of cases and
   the "case opened" activity of each case, all by COPY / INSERT … SELECT.
2. Gives one case a 200-event timeline.
3. Starts the application under gunicorn on 127.0.0.1 (2 workers × 8 threads, DEBUG off),
   signed in as an IOM case manager who sees every case, and measures sequentially
   (after a warm-up) the p95 server time of: a minimal JSON view of the same server (the
   framework's floor), the case list's first page with a filter, name searches (one and
   two words, the matcher used for two), and the case page with 200 events.
4. Runs 20 concurrent users on the case list for ``--duration`` seconds and counts errors.

Prints one JSON object: ``people``, ``list_p95_ms``, ``search_p95_ms``,
``case_page_p95_ms``, ``floor_p95_ms``, ``errors`` and the ratios to the floor, plus
the load and generation details.
"""

from __future__ import annotations

import argparse
import http.client
import importlib.util
import io
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
os.environ.setdefault("DEBUG", "false")
os.environ.setdefault("CELERY_TASK_ALWAYS_EAGER", "true")

_spec = importlib.util.spec_from_file_location("registry_bench", ROOT / "benchmarks" / "registry.py")
registry_bench = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(registry_bench)

SETTINGS = '''
from config.settings.base import *  # noqa
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
ROOT_URLCONF = "bench_cases_urls"
CONN_MAX_AGE = 600
DATABASES["default"]["CONN_MAX_AGE"] = 600
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "ERROR"}}
'''
URLS = '''
from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.urls import include, path


@login_required
def floor(request):
    return JsonResponse({"ok": True, "user": request.user.pk})


urlpatterns = [path("_bench/floor/", floor), path("", include("config.urls"))]
'''


def _copy(raw, table: str, columns: str, buffer: io.StringIO) -> None:
    with raw.cursor() as cur, cur.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
        copy.write(buffer.getvalue())
    buffer.seek(0)
    buffer.truncate()


def _bench_users():
    from mboa.accounts.models import Role, User
    from mboa.actors.models import Structure
    from mboa.cases.models import Counsellor

    structures = {s.code: s for s in Structure.objects.filter(code__in=["OIM", "MINJEC", "PARIJEDI", "MINAS"])}
    manager, _ = User.objects.get_or_create(username="bench.manager", defaults={
        "structure": structures["OIM"], "city": "Yaoundé", "first_name": "Bench", "last_name": "Manager"})
    manager.roles.add(Role.objects.get(code="case_manager"))
    counsellors = {"Yaoundé": {"insertion": [], "psychosocial": []}, "Douala": {"insertion": [], "psychosocial": []}}
    plan = [("insertion", "Yaoundé", 10), ("insertion", "Douala", 5), ("psychosocial", "Yaoundé", 2),
            ("psychosocial", "Douala", 2)]
    for kind, city, count in plan:
        for i in range(count):
            code = "MINAS" if kind == "psychosocial" else ("PARIJEDI" if i % 3 == 2 else "MINJEC")
            role = "psychosocial_counsellor" if kind == "psychosocial" else "insertion_counsellor"
            user, _ = User.objects.get_or_create(username=f"bench.{kind}.{city[:3].lower()}.{i}", defaults={
                "structure": structures[code], "city": city})
            user.roles.add(Role.objects.get(code=role))
            counsellor, _ = Counsellor.objects.get_or_create(user=user, defaults={
                "kind": kind, "structure": structures[code], "city": city})
            counsellors[city][kind].append(counsellor.pk)
    return manager, counsellors


def generate_cases(size: int, seed: int) -> float:
    """One case per person (ids equal), a session, an assessment and an activity per case."""
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection

    from mboa.actors.models import Structure
    from mboa.cases.models import Case, FormSchema
    from mboa.cases.services import search_text_for
    from mboa.registry.models import Person

    started = time.perf_counter()
    rng = random.Random(seed)
    manager, counsellors = _bench_users()
    oim = Structure.objects.get(code="OIM").pk
    form_id = FormSchema.objects.get(kind="skills", is_current=True).pk
    case_ct = ContentType.objects.get_for_model(Case).pk
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE cases_case RESTART IDENTITY CASCADE")
        cursor.execute("TRUNCATE core_activity")
    raw = connection.connection
    statuses = ["open"] * 20 + ["orientation"] * 15 + ["plan"] * 10 + ["assistance"] * 15 + ["follow_up"] * 15 + [
        "closed"] * 25
    reasons = ["reintegrated", "lost_contact", "remigrated", "declined"]
    cols = ("id, created_at, updated_at, number, person_id, structure_id, owner_id, insertion_counsellor_id, "
            "psychosocial_counsellor_id, city, destination_region_id, arrival_reference, arrival_date, status, "
            "opened_at, closed_at, closure_reason, reopen_count, next_due_on, note, search_text")
    buffer = io.StringIO()
    cache: dict[tuple[str, str], str] = {}
    today = time.time()
    with raw.cursor(name="people", withhold=True) as people:
        people.itersize = 20000
        people.execute("SELECT id, family_name, given_names FROM registry_person ORDER BY id")
        for count, (pid, family, given) in enumerate(people, start=1):
            text = cache.get((family, given))
            if text is None:
                text = search_text_for(Person(family_name=family, given_names=given))
                if len(cache) < 500000:
                    cache[(family, given)] = text
            r = rng.random()
            city = "Yaoundé" if r < 0.6 else ("Douala" if r < 0.92 else "Bafoussam")
            team = counsellors.get(city)
            status = rng.choice(statuses)
            days_ago = rng.randint(0, 5 * 365)
            opened = time.strftime("%Y-%m-%d %H:%M:%S+00", time.gmtime(today - days_ago * 86400))
            arrival = opened[:10]
            closed = time.strftime("%Y-%m-%d %H:%M:%S+00", time.gmtime(today - max(0, days_ago - 120) * 86400)) \
                if status == "closed" else None
            due = None
            if status != "closed":
                due = time.strftime("%Y-%m-%d", time.gmtime(today + rng.randint(-20, 40) * 86400))
            insertion = rng.choice(team["insertion"]) if team and status != "open" else None
            psy = rng.choice(team["psychosocial"]) if team and rng.random() < 0.3 else None
            region = {"Yaoundé": "CE", "Douala": "LT", "Bafoussam": "OU"}[city]
            row = (pid, opened, opened, f"CM-{opened[:4]}-{pid:07d}", pid, oim, manager.pk, insertion, psy, city,
                   region, f"BENCH-{pid % 500}", arrival, status, opened, closed,
                   rng.choice(reasons) if closed else "", 0, due, "", text)
            buffer.write("\t".join(registry_bench._copy_text(v) for v in row) + "\n")
            if count % 50000 == 0:
                _copy(raw, "cases_case", cols, buffer)
        _copy(raw, "cases_case", cols, buffer)
    raw.commit()
    with connection.cursor() as cursor:
        cursor.execute("SELECT setval(pg_get_serial_sequence('cases_case', 'id'), (SELECT max(id) FROM cases_case))")
        cursor.execute("""
            INSERT INTO cases_counsellingsession (created_at, updated_at, case_id, counsellor_id, recorded_by_id, kind,
                held_on, notes, next_appointment_at, reminder_sent_at)
            SELECT opened_at, opened_at, id, coalesce(insertion_counsellor_id, psychosocial_counsellor_id), NULL,
                (ARRAY['orientation', 'psychosocial', 'follow_up'])[1 + id % 3], (opened_at + interval '10 days')::date,
                'Session notes of the benchmark.', NULL, NULL
            FROM cases_case""")
        cursor.execute("""
            INSERT INTO cases_assessment (created_at, updated_at, case_id, form_id, kind, answers, assessed_on,
                assessed_by_id)
            SELECT opened_at, opened_at, id, %s, 'skills',
                jsonb_build_object('education', (ARRAY['primary', 'secondary', 'vocational'])[1 + id %% 3],
                                   'interests', jsonb_build_array((ARRAY['aviculture', 'couture', 'mecanique'])[1 + id %% 3])),
                (opened_at + interval '5 days')::date, NULL
            FROM cases_case""", [form_id])
        cursor.execute("""
            INSERT INTO cases_casevulnerability (case_id, category)
            SELECT id, (ARRAY['single_head', 'medical', 'pregnant', 'trafficking_victim', 'disability'])[1 + id % 5]
            FROM cases_case WHERE id % 7 = 0""")
        cursor.execute("""
            INSERT INTO core_activity (occurred_at, actor_id, actor_structure_id, verb, summary, target_type_id,
                target_id, subject_type_id, subject_id, data, sensitive)
            SELECT opened_at, NULL, structure_id, 'case.open', 'Case ' || number || ' opened', %s, id::text, %s,
                id::text, '{}'::jsonb, false
            FROM cases_case""", [case_ct, case_ct])
        for table in ("cases_case", "cases_counsellingsession", "cases_assessment", "cases_casevulnerability",
                      "core_activity"):
            cursor.execute(f"ANALYZE {table}")
    return time.perf_counter() - started


def _timeline_case(manager) -> int:
    """A case with 200 activities (arrival steps, sessions, assessments...)."""
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection

    from mboa.cases.models import Case
    from mboa.core.models import Activity

    case = Case.objects.filter(status="follow_up").order_by("id").first()
    ct = ContentType.objects.get_for_model(Case).pk
    have = Activity.objects.filter(subject_type_id=ct, subject_id=str(case.pk)).count()
    if have < 200:
        with connection.cursor() as cursor:
            cursor.execute("""
                INSERT INTO core_activity (occurred_at, actor_id, actor_structure_id, verb, summary, target_type_id,
                    target_id, subject_type_id, subject_id, data, sensitive)
                SELECT now() - (g || ' hours')::interval, %s, NULL,
                    (ARRAY['session.record', 'assessment.record', 'reception.step', 'referral.update'])[1 + g %% 4],
                    'Benchmark event ' || g, %s, %s, %s, %s, '{}'::jsonb, g %% 10 = 0
                FROM generate_series(1, %s) g""", [manager.pk, ct, str(case.pk), ct, str(case.pk), 200 - have])
    return case.pk


def _session_cookie(user) -> str:
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return f"{settings.SESSION_COOKIE_NAME}={session.session_key}; django_language=en"


class Client:
    def __init__(self, port: int, cookie: str) -> None:
        self.port, self.cookie = port, cookie
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)

    def get(self, path: str) -> tuple[int, float]:
        started = time.perf_counter()
        try:
            self.conn.request("GET", path, headers={"Cookie": self.cookie, "Connection": "keep-alive"})
            response = self.conn.getresponse()
            response.read()
            status = response.status
        except (OSError, http.client.HTTPException):
            self.conn.close()
            self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
            status = 599
        return status, (time.perf_counter() - started) * 1000


def _p95(values: list[float]) -> float:
    return round(statistics.quantiles(values, n=20)[18], 1) if len(values) >= 20 else round(max(values), 1)


def measure(client: Client, paths: list[str], repeat: int) -> dict:
    for path in paths[:5]:
        client.get(path)  # warm-up (connections, caches, plans)
    timings, errors = [], 0
    for i in range(repeat):
        status, ms = client.get(paths[i % len(paths)])
        errors += status != 200
        timings.append(ms)
    return {"p50_ms": round(statistics.median(timings), 1), "p95_ms": _p95(timings), "errors": errors,
            "requests": repeat}


def load(port: int, cookie: str, paths: list[str], users: int, duration: float) -> dict:
    deadline = time.perf_counter() + duration
    results: list[tuple[int, float]] = []
    lock = threading.Lock()

    def user(seed: int) -> None:
        rng = random.Random(seed)
        client = Client(port, cookie)
        mine = []
        while time.perf_counter() < deadline:
            mine.append(client.get(rng.choice(paths)))
        with lock:
            results.extend(mine)

    threads = [threading.Thread(target=user, args=(i,)) for i in range(users)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    timings = [ms for _status, ms in results]
    return {"users": users, "seconds": duration, "requests": len(results),
            "errors": sum(1 for status, _ms in results if status != 200),
            "p95_ms": _p95(timings), "throughput_rps": round(len(results) / duration, 1)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=2017)
    parser.add_argument("--regenerate", action="store_true")
    parser.add_argument("--repeat", type=int, default=200)
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--duration", type=float, default=20.0)
    parser.add_argument("--port", type=int, default=8765)
    args = parser.parse_args()

    registry_bench._setup_django()
    from django.core.management import call_command
    from django.db import connection

    from mboa.cases.models import Case
    from mboa.registry.models import Person

    call_command("migrate", verbosity=0)
    generation = {}
    if args.regenerate or Person.objects.count() != args.size or Case.objects.count() != args.size:
        print(f"generating {args.size} people and their cases…", file=sys.stderr)
        _truth, _gen, registry_seconds = registry_bench.generate(args.size, args.seed)
        generation = {"registry_seconds": round(registry_seconds, 1),
                      "cases_seconds": round(generate_cases(args.size, args.seed), 1)}
    manager, _counsellors = _bench_users()
    case_id = _timeline_case(manager)
    cookie = _session_cookie(manager)
    rng = random.Random(args.seed + 7)
    sample = list(Person.objects.filter(pk__in=[rng.randint(1, args.size) for _ in range(200)])
                  .values_list("family_name", "given_names"))
    connection.close()

    tmp = Path(tempfile.mkdtemp(prefix="bench_cases_"))
    (tmp / "bench_cases_settings.py").write_text(SETTINGS)
    (tmp / "bench_cases_urls.py").write_text(URLS)
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "bench_cases_settings", "PYTHONPATH": f"{tmp}:{ROOT}"}
    server = subprocess.Popen(
        [str(ROOT / ".venv" / "bin" / "gunicorn"), "config.wsgi:application", "-b", f"127.0.0.1:{args.port}",
         "-w", "2", "-k", "gthread", "--threads", "8", "--log-level", "error"],
        cwd=ROOT, env=env,
    )
    try:
        client = Client(args.port, cookie)
        for _ in range(100):
            try:
                if client.get("/_bench/floor/")[0] == 200:
                    break
            except OSError:
                pass
            time.sleep(0.3)
        q = urllib.parse.quote
        list_paths = [f"/cases/?status={s}&city={q(c)}" for s in ("assistance", "open", "follow_up", "plan")
                      for c in ("Douala", "Yaoundé")] + ["/cases/?status=active", "/cases/?vulnerability=medical"]
        one_word = [f"/cases/?q={q(family.split()[0])}" for family, _given in sample[:100]]
        two_words = [f"/cases/?q={q(family.split()[0] + ' ' + given.split()[0])}" for family, given in sample[100:]]
        search_paths = [p for pair in zip(one_word, two_words, strict=False) for p in pair]
        load_before = [round(x, 2) for x in os.getloadavg()]
        floor = measure(client, ["/_bench/floor/"], args.repeat)
        listing = measure(client, list_paths, args.repeat)
        search = measure(client, search_paths, args.repeat)
        case_page = measure(client, [f"/cases/{case_id}/"], args.repeat)
        concurrent = load(args.port, cookie, list_paths + search_paths[:20], args.users, args.duration)
    finally:
        server.terminate()
        server.wait(timeout=30)
    base = floor["p95_ms"] or 1
    print(json.dumps({
        "people": args.size,
        "list_p95_ms": listing["p95_ms"],
        "search_p95_ms": search["p95_ms"],
        "case_page_p95_ms": case_page["p95_ms"],
        "floor_p95_ms": floor["p95_ms"],
        "errors": listing["errors"] + search["errors"] + case_page["errors"] + floor["errors"] + concurrent["errors"],
        "ratio_to_floor": {"list": round(listing["p95_ms"] / base, 2), "search": round(search["p95_ms"] / base, 2),
                           "case_page": round(case_page["p95_ms"] / base, 2)},
        "detail": {"floor": floor, "list": listing, "search": search, "case_page": case_page,
                   "concurrent": concurrent, "timeline_events": 200, "generation": generation,
                   "load_average_before": load_before, "cpus": os.cpu_count()},
    }, indent=2))


if __name__ == "__main__":
    main()
