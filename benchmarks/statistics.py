"""Statistics benchmark (issue 12): the dashboards and the ownership page at a million people.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/mboa_bench_statistics \\
        .venv/bin/python benchmarks/statistics.py --size 100000

Runs from an empty server: creates the PostgreSQL database of DATABASE_URL if it does not
exist, migrates it, empties the tables it fills, then:

1. generates, in SQL (INSERT ... SELECT over generate_series, no ORM row by row), three
   years of the mechanism's work for N people (``--size``, default 100,000): arrivals
   (charters and flights, country of departure) and their passengers (sex, birth year),
   one case per returnee (status, destination region, the 19 counsellors), vulnerabilities,
   referrals to the ministries (statuses and their timestamps), agreements and their
   ball-holding history, project dossiers (sector, filière, region, status, operating status),
   GTR sessions, agenda items and ministries' recommendations, follow-up visits, GTA
   reception tasks of each arrival, meetings of the bodies with invitations and attendance,
   and commitments;
2. signed in as a donor, measures sequentially (after a warm-up, ``--repeat`` requests each,
   at least 20) the server time of the dashboards page and of the ownership page with no
   filter, with each filter (period, region, sex, age group, structure) and with
   combinations; reports each p95 and the worst;
3. times ``statistical_release --from --to --out`` over the three years, if that command
   exists (``null`` with the reason otherwise);
4. freshness: records a new arrival and its passenger, then polls the dashboards page
   (filtered on today) until its total of returnees counts them.

Prints one JSON object: ``people``, ``dashboard_p95_ms`` (worst page and filter),
``ownership_p95_ms``, ``release_s``, ``freshness_s``, ``generate_s`` and the details.
Needs PostgreSQL: on SQLite the figures would mean nothing.
"""

from __future__ import annotations

import sys
from pathlib import Path

# This file is named like the standard library's ``statistics``: run as a script, its folder
# comes first on sys.path and would shadow it (for this script and for Django's imports).
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]

import argparse  # noqa: E402
import datetime as dt  # noqa: E402
import io  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import re  # noqa: E402
import statistics  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
os.environ.setdefault("DEBUG", "false")
os.environ.setdefault("CELERY_TASK_ALWAYS_EAGER", "true")

# Tables this benchmark fills, emptied first (CASCADE also empties what points to them).
TABLES = ("registry_person", "reception_arrival", "cases_case", "referrals_agreement", "projects_dossier",
          "projects_validationsession", "governance_meeting", "governance_commitment")
DEPARTURE = ["LY"] * 35 + ["NE"] * 22 + ["DZ"] * 10 + ["MA"] * 8 + ["ML"] * 7 + ["TN"] * 5 + ["TD"] * 4 + \
    ["CF"] * 3 + ["GA"] * 2 + ["LB"] * 2 + ["SA"] * 2
REGIONS = ["CE"] * 30 + ["LT"] * 27 + ["OU"] * 12 + ["SW"] * 6 + ["NW"] * 5 + ["SU"] * 5 + ["EN"] * 5 + \
    ["AD"] * 4 + ["NO"] * 3 + ["ES"] * 3
VULNERABILITIES = ["single_head", "medical", "pregnant", "trafficking_victim", "disability", "mental_health",
                   "gbv_survivor", "debt", "no_family_support", "unaccompanied_child", "elderly"]
# The receiving ministry (weights) and the service it delivers.
REFERRAL_TO = [("MINSANTE", "medical_care", 20), ("MINAS", "psychosocial_support", 18),
               ("MINEFOP", "vocational_training", 14), ("MINJEC", "socio_economic_orientation", 16),
               ("PARIJEDI", "enterprise_formalisation", 8), ("MINADER", "agricultural_support", 7),
               ("MINEPIA", "pastoral_support", 5), ("MINJUSTICE", "legal_aid", 4),
               ("MINPROFF", "gender_child_protection", 5), ("FNE", "vocational_training", 3)]
REFERRAL_STATUS = ["sent"] * 8 + ["acknowledged"] * 5 + ["accepted"] * 12 + ["declined"] * 5 + \
    ["in_progress"] * 15 + ["delivered"] * 35 + ["not_delivered"] * 5 + ["closed"] * 12 + ["withdrawn"] * 3
DOSSIER_STATUS = ["draft"] * 10 + ["ready"] * 5 + ["on_agenda"] * 4 + ["approved"] * 10 + ["amendments"] * 3 + \
    ["resubmitted"] * 2 + ["deferred"] * 3 + ["rejected"] * 6 + ["installed"] * 57
OPERATING = ["installed"] * 10 + ["running"] * 55 + ["struggling"] * 18 + ["stopped"] * 13 + ["sold"] * 4
DASHBOARD_PATH = "/statistics/dashboards/"
OWNERSHIP_PATH = "/statistics/dashboards/ownership/"


def _array(values: list[str]) -> str:
    return "ARRAY[" + ",".join(f"'{v}'" for v in values) + "]"


def _pick(values: list[str], rnd: str = "random()") -> str:
    """SQL picking one of ``values`` (repeat a value to weigh it) with a fresh random draw."""
    return f"({_array(values)})[1 + floor({rnd} * {len(values)})::int]"


def setup_django() -> None:
    import django

    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        sys.exit("Set DATABASE_URL to a PostgreSQL database, e.g. "
                 "postgres://postgres@127.0.0.1:5432/mboa_bench_statistics")
    import psycopg

    base, name = url.rsplit("/", 1)
    with psycopg.connect(base + "/postgres", autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')
    django.setup()


# --- generation -------------------------------------------------------------------------------

def _users() -> dict:
    """The donor who reads the figures and the mechanism's counsellors (15 insertion at
    MINJEC/PARIJEDI, 4 psychosocial at MINAS, 4 insertion at IOM), by city."""
    from mboa.accounts.models import Role, User
    from mboa.actors.models import Structure
    from mboa.cases.models import Counsellor

    structures = {s.code: s for s in Structure.objects.all()}
    donor, _ = User.objects.get_or_create(username="bench.donor", defaults={
        "structure": structures["DUE"], "first_name": "Bench", "last_name": "Donor"})
    donor.roles.add(Role.objects.get(code="donor"))
    plan = [("insertion", "MINJEC", "Yaoundé", 6), ("insertion", "MINJEC", "Douala", 5),
            ("insertion", "PARIJEDI", "Yaoundé", 2), ("insertion", "PARIJEDI", "Douala", 2),
            ("insertion", "OIM", "Yaoundé", 2), ("insertion", "OIM", "Douala", 2),
            ("psychosocial", "MINAS", "Yaoundé", 2), ("psychosocial", "MINAS", "Douala", 2)]
    counsellors: dict[str, dict[str, list[int]]] = {}
    for kind, code, city, count in plan:
        for i in range(count):
            role = "psychosocial_counsellor" if kind == "psychosocial" else "insertion_counsellor"
            user, _ = User.objects.get_or_create(username=f"bench.{kind}.{code.lower()}.{city[:3].lower()}.{i}",
                                                 defaults={"structure": structures[code], "city": city})
            user.roles.add(Role.objects.get(code=role))
            counsellor, _ = Counsellor.objects.get_or_create(user=user, defaults={
                "kind": kind, "structure": structures[code], "city": city})
            counsellors.setdefault(city, {}).setdefault(kind, []).append(counsellor.pk)
    return {"donor": donor, "counsellors": counsellors, "structures": {c: s.pk for c, s in structures.items()}}


def generate(size: int, seed: int) -> tuple[dict, dict]:
    """Fill the database; returns the users and the time of each step (seconds)."""
    from django.core.management import call_command
    from django.db import connection, transaction

    call_command("migrate", verbosity=0)
    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {', '.join(TABLES)} RESTART IDENTITY CASCADE")
    users = _users()
    sid = users["structures"]
    insertion = {city: team["insertion"] for city, team in users["counsellors"].items()}
    psy = {city: team["psychosocial"] for city, team in users["counsellors"].items()}
    arrivals = max(1, size // 20)
    steps: dict[str, float] = {}
    years = 3

    def run(name: str, sql: str, params: list | None = None) -> None:
        started = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
        steps[name] = round(steps.get(name, 0) + time.perf_counter() - started, 2)

    with transaction.atomic():  # the deferred foreign keys are checked once, at the end
        with connection.cursor() as cursor:
            cursor.execute("SELECT setseed(%s)", [(seed % 1000) / 1000])
            cursor.execute("SET LOCAL work_mem = '256MB'")
        run("people", f"""
            INSERT INTO registry_person (id, created_at, updated_at, family_name, given_names, sex, birth_year,
                birth_month, birth_day, birth_date_approximate, place_of_birth_text, nationality, address, photo,
                status, match_profile)
            SELECT g, now(), now(), 'Bench', 'P' || g, {_pick(['F'] * 29 + ['M'] * 69 + ['U'] * 2)},
                CASE WHEN random() < 0.02 THEN NULL
                     ELSE 1972 + floor((random() + random() + random()) / 3 * 36)::int END,
                NULL, NULL, false, '', 'CM', '', '', 'active', '{{}}'::jsonb
            FROM generate_series(1, %s) g""", [size])
        run("arrivals", f"""
            INSERT INTO reception_arrival (id, created_at, updated_at, reference, kind, departure_country,
                entry_point, entry_point_detail, flight_number, expected_at, expected_people, status,
                mobilises_gta, pocket_money_eligible, pocket_money_amount, notes, completed_at, cancelled_at)
            SELECT g, at, at, 'BENCH-A' || g, kind, {_pick(DEPARTURE)}, {_pick(['NSI'] * 3 + ['DLA'] * 2)}, '', '',
                at, 20, CASE WHEN cancel THEN 'cancelled' ELSE 'completed' END, true, true, 50000, '',
                CASE WHEN cancel THEN NULL ELSE at + interval '8 hours' END,
                CASE WHEN cancel THEN at - interval '2 days' END
            FROM (SELECT g, now() - interval '{years} years' * power(random(), 0.85) AS at,
                         random() < 0.01 AS cancel, {_pick(['charter'] * 3 + ['scheduled_flight'] * 6 +
                                                           ['land_crossing'])} AS kind
                  FROM generate_series(1, %s) g) s""", [arrivals])
        # One passenger per person, in a random arrival; the returnee's case has the person's id.
        run("passengers", """
            INSERT INTO reception_passenger (created_at, updated_at, number, source_row, family_name, given_names,
                sex, birth_year, place_of_birth, nationality, document_number, phone, vulnerability_remarks,
                search_text, match_status, match_candidates, vulnerabilities, urgent, handed_over_at, arrival_id,
                case_id, person_id, identity_key)
            SELECT a.expected_at, a.expected_at, s.g, NULL, p.family_name, p.given_names, p.sex, p.birth_year,
                '', 'CM', '', '', '', '', 'linked', '[]'::jsonb, '[]'::jsonb, false,
                CASE WHEN a.status = 'completed' THEN a.completed_at END, a.id,
                CASE WHEN a.status = 'completed' THEN s.g END, s.g, ''
            FROM (SELECT g, 1 + floor(random() * %s)::int AS aid FROM generate_series(1, %s) g) s
            JOIN reception_arrival a ON a.id = s.aid JOIN registry_person p ON p.id = s.g""", [arrivals, size])
        run("cases", f"""
            INSERT INTO cases_case (id, created_at, updated_at, number, city, arrival_reference, arrival_date,
                status, opened_at, closed_at, closure_reason, reopen_count, next_due_on, note, search_text,
                destination_region_id, person_id, structure_id, insertion_counsellor_id, psychosocial_counsellor_id)
            SELECT id, opened, opened, 'BENCH-C' || id, city, reference, opened::date, status, opened,
                CASE WHEN status = 'closed' THEN least(now(), opened + interval '1 day' * (60 + random() * 400)) END,
                CASE WHEN status = 'closed' THEN {_pick(['reintegrated'] * 6 + ['lost_contact'] * 2 +
                                                        ['remigrated', 'declined'])} ELSE '' END,
                0, CASE WHEN status <> 'closed' THEN (now() + interval '1 day' * (random() * 60 - 20))::date END,
                '', '', region, id, %s,
                CASE WHEN status <> 'open' THEN CASE city WHEN 'Douala' THEN {_pick_int(insertion['Douala'])}
                                                          ELSE {_pick_int(insertion['Yaoundé'])} END END,
                CASE WHEN random() < 0.3 THEN CASE city WHEN 'Douala' THEN {_pick_int(psy['Douala'])}
                                                      ELSE {_pick_int(psy['Yaoundé'])} END END
            FROM (SELECT ps.case_id AS id, a.reference, a.completed_at AS opened, r.region,
                         CASE WHEN r.region = 'LT' THEN 'Douala' WHEN r.region IN ('OU', 'NW', 'SW', 'AD', 'NO', 'EN')
                              AND random() < 0.5 THEN 'Douala' ELSE 'Yaoundé' END AS city,
                         CASE WHEN a.completed_at < now() - interval '18 months'
                              THEN {_pick(['closed'] * 60 + ['follow_up'] * 25 + ['assistance'] * 10 + ['plan'] * 5)}
                              ELSE {_pick(['open'] * 25 + ['orientation'] * 20 + ['plan'] * 15 + ['assistance'] * 15
                                          + ['follow_up'] * 10 + ['closed'] * 15)} END AS status
                  FROM reception_passenger ps JOIN reception_arrival a ON a.id = ps.arrival_id
                  CROSS JOIN LATERAL (SELECT {_pick(REGIONS)} || left(ps.id::text, 0) AS region) r
                  WHERE ps.case_id IS NOT NULL) s""", [sid["OIM"]])
        run("vulnerabilities", f"""
            INSERT INTO cases_casevulnerability (case_id, category)
            SELECT DISTINCT id, category FROM (
                SELECT id, {_pick(VULNERABILITIES[:5] * 3 + VULNERABILITIES[5:])} AS category
                FROM cases_case, generate_series(1, 2) k WHERE random() + 0 * (id + k) < 0.09) s""")
        referral_structures = [code for code, _service, weight in REFERRAL_TO for _ in range(weight)]
        services = {code: service for code, service, _w in REFERRAL_TO}
        run("referrals", f"""
            INSERT INTO referrals_referral (created_at, updated_at, number, urgency, from_reception, reason,
                shared_parts, shared_data, health_details, consent_checked, consent_override_reason, status, sent_at,
                acknowledged_at, accepted_at, declined_at, in_progress_at, delivered_at, not_delivered_at, closed_at,
                withdrawn_at, outcome_reason, reminder_count, case_id, sender_structure_id, service_id, structure_id)
            SELECT sent, sent, 'BENCH-R' || k || '-' || case_id, {_pick(['normal'] * 9 + ['urgent'])}, false, '',
                '[]'::jsonb, '{{}}'::jsonb, '', true, '', status, sent,
                CASE WHEN status NOT IN ('sent', 'withdrawn') THEN sent + interval '1 hour' * (2 + random() * 60) END,
                accepted,
                CASE WHEN status = 'declined' THEN sent + interval '1 day' * random() * 10 END,
                CASE WHEN status IN ('in_progress', 'delivered', 'not_delivered', 'closed') THEN accepted
                     + interval '1 day' * random() * 5 END,
                delivered,
                CASE WHEN status = 'not_delivered' THEN accepted + interval '1 day' * (10 + random() * 40) END,
                CASE WHEN status = 'closed' THEN delivered + interval '1 day' * random() * 10 END,
                CASE WHEN status = 'withdrawn' THEN sent + interval '1 day' END, '', 0, case_id, %s,
                CASE structure {' '.join(f"WHEN '{c}' THEN '{s}'" for c, s in services.items())} END,
                (SELECT id FROM actors_structure WHERE code = structure)
            FROM (SELECT *, CASE WHEN status IN ('delivered', 'closed')
                                 THEN least(now(), accepted + interval '1 day' * (3 + random() * 50)) END AS delivered
                  FROM (SELECT *, CASE WHEN status IN ('accepted', 'in_progress', 'delivered', 'not_delivered',
                                                       'closed')
                                       THEN sent + interval '1 day' * power(random(), 2) * 20 END AS accepted
                        FROM (SELECT c.id AS case_id, k, {_pick(referral_structures)} AS structure,
                                     {_pick(REFERRAL_STATUS)} AS status,
                                     least(now() - interval '1 hour', c.opened_at + interval '1 day'
                                           * (2 + random() * 90)) AS sent
                              FROM cases_case c, generate_series(1, 2) k
                              WHERE c.status <> 'open'
                                AND random() + 0 * (c.id + k) < CASE k WHEN 1 THEN 0.6 ELSE 0.15 END) a) b) s
            """, [sid["OIM"]])
        gov = [code for code, _s, _w in REFERRAL_TO] + ["MINREX", "DGSN", "MINAT", "MINPMEESA", "INS", "MINEPAT"]
        run("agreements", f"""
            INSERT INTO referrals_agreement (created_at, updated_at, reference, kind, subject, status, ball_with,
                ball_since, idea_at, signed_at, in_force_at, notes, structure_id)
            SELECT idea, idea, 'BENCH-AG-' || g, 'convention', 'Benchmark agreement ' || g, status,
                CASE WHEN status IN ('signed', 'in_force') THEN '' ELSE {_pick(['iom', 'structure'])} END,
                idea + interval '30 days', idea,
                CASE WHEN status IN ('signed', 'in_force') THEN idea + interval '1 day' * (60 + random() * 200) END,
                CASE WHEN status = 'in_force' THEN idea + interval '1 day' * (90 + random() * 200) END, '',
                (SELECT id FROM actors_structure WHERE code = structure)
            FROM (SELECT g, {_pick([*gov, "OIM"])} || left(g::text, 0) AS structure,
                         now() - interval '{years} years' * random() AS idea,
                         {_pick(['idea', 'drafting', 'sent', 'under_review', 'comments_returned', 'final_text',
                                 'signed', 'signed', 'in_force', 'in_force', 'in_force'])} AS status
                  FROM generate_series(1, 60) g) s""")
        run("agreements", """
            INSERT INTO referrals_agreementstatuschange (status, ball_with, entered_at, left_at, note, agreement_id)
            SELECT (ARRAY['drafting', 'sent', 'under_review', 'comments_returned'])[k],
                CASE WHEN k % 2 = 0 THEN 'structure' ELSE 'iom' END,
                a.idea_at + interval '20 days' * (k - 1), a.idea_at + interval '20 days' * k, '', a.id
            FROM referrals_agreement a, generate_series(1, 4) k""")
        run("dossiers", f"""
            INSERT INTO projects_dossier (created_at, updated_at, reference, kind, status, title, town, budget_xaf,
                lead_sex, women, men, submitted_at, approved_at, operating_status, counsellor_id, filiere_id,
                region_id, sector_id, structure_id)
            SELECT submitted, submitted, 'BENCH-D' || s.case_id, kind, status, 'Benchmark project', city,
                (300000 + random() * 1200000)::int, sex, (sex = 'F')::int, (sex = 'M')::int,
                CASE WHEN status <> 'draft' THEN submitted END,
                CASE WHEN status IN ('approved', 'amendments', 'resubmitted', 'installed')
                     THEN submitted + interval '1 day' * (10 + random() * 40) END,
                CASE WHEN status = 'installed' THEN {_pick(OPERATING)} ELSE '' END,
                insertion_counsellor_id, f.code, destination_region_id, f.sector_id,
                coalesce((SELECT structure_id FROM cases_counsellor WHERE id = insertion_counsellor_id), %s)
            FROM (SELECT c.id AS case_id, c.city, c.insertion_counsellor_id, c.destination_region_id, p.sex,
                         {_pick(DOSSIER_STATUS)} AS status,
                         {_pick(['individual'] * 17 + ['collective'] * 2 + ['community'])} AS kind,
                         1 + floor(random() * (SELECT count(*) FROM cases_filiere))::int AS fi,
                         least(now() - interval '1 day', c.opened_at + interval '1 day' * (30 + random() * 150))
                             AS submitted
                  FROM cases_case c JOIN registry_person p ON p.id = c.person_id
                  WHERE c.status IN ('plan', 'assistance', 'follow_up', 'closed') AND random() < 0.5) s
            JOIN (SELECT code, sector_id, row_number() OVER (ORDER BY code) AS n FROM cases_filiere) f ON f.n = s.fi
            """, [sid["OIM"]])
        body = dict(_rows("SELECT code, id FROM governance_body"))
        run("gtr", f"""
            INSERT INTO projects_validationsession (created_at, updated_at, reference, date, place, status, synthesis,
                minutes_pdf, minutes_status, minutes_progress, body_id)
            SELECT d, d, 'BENCH-GTR-' || to_char(d, 'YYYY-MM'), d::date, 'Yaoundé', 'closed', '{{}}'::jsonb, '',
                '', 0, %s
            FROM generate_series(date_trunc('month', now() - interval '{years} years') + interval '14 days',
                                 now() - interval '1 day', interval '1 month') d""", [body["GTR"]])
        run("gtr", """
            INSERT INTO projects_dossierversion (created_at, updated_at, number, title, town, description, market,
                contributions, contribution_xaf, monthly_revenue_xaf, monthly_costs_xaf, risks, counsellor_opinion,
                budget_xaf, submitted_at, dossier_id, filiere_id, region_id, sector_id)
            SELECT submitted_at, submitted_at, 1, title, town, '', '', '', 0, 0, 0, '', '', budget_xaf, submitted_at,
                id, filiere_id, region_id, sector_id
            FROM projects_dossier WHERE status NOT IN ('draft', 'ready')""")
        run("gtr", """
            UPDATE projects_dossier d SET current_version_id = v.id FROM projects_dossierversion v
            WHERE v.dossier_id = d.id""")
        run("gtr", """
            INSERT INTO projects_agendaitem (created_at, updated_at, position, analysis_summary, analysis_strengths,
                analysis_weaknesses, review_count, criteria_means, dossier_id, version_id, session_id)
            SELECT v.submitted_at, v.submitted_at, row_number() OVER (PARTITION BY s.id ORDER BY v.dossier_id),
                '', '', '', 0, '{}'::jsonb, v.dossier_id, v.id, s.id
            FROM projects_dossierversion v
            JOIN LATERAL (SELECT id FROM projects_validationsession WHERE date >= v.submitted_at::date
                          ORDER BY date LIMIT 1) s ON true""")
        run("gtr", f"""
            INSERT INTO projects_recommendation (created_at, updated_at, text, item_id, structure_id)
            SELECT created_at, created_at, 'Benchmark recommendation', id,
                (SELECT id FROM actors_structure WHERE code = structure)
            FROM (SELECT i.*, {_pick(['MINJEC', 'MINEFOP', 'MINADER', 'MINEPIA', 'MINPMEESA', 'OIM', 'OIM'])}
                         || left(i.id::text, 0) AS structure
                  FROM projects_agendaitem i WHERE random() < 0.2) s""")
        run("installation", """
            UPDATE projects_dossier SET installed_on = (approved_at + interval '1 month')::date
            WHERE status = 'installed' AND approved_at IS NOT NULL""")
        run("visits", """
            INSERT INTO projects_followupvisit (created_at, updated_at, state, milestone_months, due_on, visited_on,
                mode, status, months_after, notes, missed_reason, missed_note, dossier_id)
            SELECT visit, visit, 'done', m, visit::date, visit::date, 'on_site',
                CASE WHEN operating_status = 'installed' THEN 'running' ELSE operating_status END, m, '', '', '', id
            FROM (SELECT d.id, d.operating_status, m, d.approved_at + interval '1 month' * m AS visit
                  FROM projects_dossier d, unnest(ARRAY[3, 6, 12]) m WHERE d.status = 'installed') s
            WHERE visit < now()""")
        run("gta_tasks", """
            INSERT INTO reception_gtatask (created_at, updated_at, code, "order", title_fr, title_en, due_at, status,
                done_at, comment, arrival_id, structure_id, template_item_id)
            SELECT due, due, code, "order", title_fr, title_en, due, CASE WHEN done THEN 'done' ELSE 'open' END,
                CASE WHEN done THEN due + interval '1 minute' * (random() * 300 - 200) END, '', arrival_id,
                structure_id, item_id
            FROM (SELECT a.id AS arrival_id, i.id AS item_id, i.code, i."order", i.title_fr, i.title_en,
                         r.structure_id, a.expected_at + interval '1 hour' * i.due_offset_hours AS due,
                         random() < CASE WHEN s.kind = 'international' THEN 0.97 ELSE 0.88 END AS done
                  FROM reception_arrival a
                  CROSS JOIN reception_tasktemplateitem i
                  JOIN reception_tasktemplateitem_responsible r ON r.tasktemplateitem_id = i.id
                  JOIN actors_structure s ON s.id = r.structure_id
                  WHERE a.status <> 'cancelled' AND (NOT i.charter_only OR a.kind = 'charter')) t""")
        # Meetings of the bodies (COPIL each quarter, GTA and GTR each month, GTSAP every other month),
        # their invitations (government structures and IOM) and the commitments made there.
        run("meetings", f"""
            INSERT INTO governance_meeting (created_at, updated_at, year, number, kind, title, starts_at, place,
                online_url, status, minutes, held_at, briefing_pdf, body_id)
            SELECT d, d, extract(year FROM d)::int,
                row_number() OVER (PARTITION BY b.id, extract(year FROM d) ORDER BY d), 'formal', b.code, d,
                'Yaoundé', '', 'held', '', d, '', b.id
            FROM governance_body b
            CROSS JOIN LATERAL generate_series(date_trunc('month', now() - interval '{years} years')
                                                   + interval '9 days 10 hours',
                                               now() - interval '2 days',
                                               CASE b.code WHEN 'COPIL' THEN interval '3 months'
                                                           WHEN 'GTSAP' THEN interval '2 months'
                                                           ELSE interval '1 month' END) d""")
        run("meetings", f"""
            INSERT INTO governance_invitation (created_at, updated_at, person_name, attendance, structure_id,
                meeting_id)
            SELECT m.starts_at, m.starts_at, '', {_pick(['present'] * 15 + ['excused'] * 2 + ['absent'] * 3)},
                s.id, m.id
            FROM governance_meeting m JOIN actors_structure s ON s.code IN ({", ".join(f"'{c}'" for c in gov)},
                                                                           'OIM')
            WHERE random() + 0 * (m.id + s.id) < 0.6 OR s.code = 'OIM'""")
        run("commitments", f"""
            INSERT INTO governance_commitment (created_at, updated_at, title, details, deadline, status, progress,
                done_on, drop_reason, body_id, structure_id, meeting_id)
            SELECT starts_at, starts_at, 'Benchmark commitment', '', deadline, status,
                CASE WHEN status = 'done' THEN 100 ELSE 30 END,
                CASE WHEN status = 'done' THEN deadline + interval '1 day' * floor(random() * 40 - 25) END,
                CASE WHEN status = 'dropped' THEN 'Overtaken by events' ELSE '' END, body_id,
                (SELECT id FROM actors_structure WHERE code = structure), id
            FROM (SELECT m.id, m.body_id, m.starts_at, (m.starts_at + interval '1 day' * (20 + random() * 90))::date AS deadline,
                         {_pick(gov + ['OIM'] * 4)} || left(k::text, 0) AS structure,
                         {_pick(['done'] * 12 + ['open'] * 3 + ['in_progress'] * 3 + ['late'] * 2 + ['dropped'])}
                         AS status
                  FROM governance_meeting m, generate_series(1, 6) k) s""")
    started = time.perf_counter()
    with connection.cursor() as cursor:
        for table in ("registry_person", "reception_arrival", "reception_passenger", "cases_case",
                      "cases_casevulnerability", "referrals_referral", "projects_dossier", "projects_agendaitem",
                      "reception_gtatask", "governance_meeting", "governance_invitation", "governance_commitment"):
            cursor.execute(f"ANALYZE {table}")
        for table in ("registry_person", "reception_arrival", "cases_case", "referrals_referral"):
            cursor.execute("SELECT setval(pg_get_serial_sequence(%s, 'id'), (SELECT max(id) FROM " + table + "))",
                           [table])
    steps["analyze"] = round(time.perf_counter() - started, 2)
    return users, steps


def _pick_int(values: list[int]) -> str:
    return f"(ARRAY[{','.join(str(v) for v in values)}])[1 + floor(random() * {len(values)})::int]"


def _rows(sql: str) -> list[tuple]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(sql)
        return cursor.fetchall()


def counts() -> dict[str, int]:
    tables = {"arrivals": "reception_arrival", "passengers": "reception_passenger", "cases": "cases_case",
              "referrals": "referrals_referral", "dossiers": "projects_dossier", "visits": "projects_followupvisit",
              "gta_tasks": "reception_gtatask", "meetings": "governance_meeting",
              "invitations": "governance_invitation", "commitments": "governance_commitment",
              "recommendations": "projects_recommendation"}
    return {name: _rows(f"SELECT count(*) FROM {table}")[0][0] for name, table in tables.items()}


# --- measurement ------------------------------------------------------------------------------

def filter_sets(today: dt.date) -> dict[str, dict[str, str]]:
    year_ago = (today - dt.timedelta(days=365)).isoformat()
    quarter = (today - dt.timedelta(days=90)).isoformat()
    return {
        "none": {},
        "period": {"start": year_ago, "end": today.isoformat()},
        "region": {"region": "CE"},
        "sex": {"sex": "F"},
        "age_group": {"age_group": "18-24"},
        "structure": {"structure": "MINSANTE"},
        "period+region": {"start": year_ago, "end": today.isoformat(), "region": "LT"},
        "sex+age_group": {"sex": "M", "age_group": "25-34"},
        "period+structure": {"start": quarter, "end": today.isoformat(), "structure": "MINJEC"},
        "region+sex+age_group": {"region": "OU", "sex": "F", "age_group": "18-24"},
        "all": {"start": year_ago, "end": today.isoformat(), "region": "CE", "sex": "F", "age_group": "25-34",
                "structure": "MINAS"},
    }


def _p95(values: list[float]) -> float:
    return round(statistics.quantiles(values, n=20)[18], 1) if len(values) >= 20 else round(max(values), 1)


def measure(client, path: str, params: dict[str, str], repeat: int) -> dict:
    for _ in range(2):  # warm-up: connection, caches, plans
        client.get(path, params)
    timings = []
    for _ in range(repeat):
        started = time.perf_counter()
        response = client.get(path, params)
        timings.append((time.perf_counter() - started) * 1000)
        if response.status_code != 200:
            raise SystemExit(f"{path} {params}: HTTP {response.status_code}")
    return {"p50_ms": round(statistics.median(timings), 1), "p95_ms": _p95(timings)}


def measure_pages(client, repeat: int, today: dt.date) -> dict:
    result: dict[str, dict] = {"dashboard": {}, "ownership": {}}
    for name, params in filter_sets(today).items():
        result["dashboard"][name] = measure(client, DASHBOARD_PATH, params, repeat)
        result["ownership"][name] = measure(client, OWNERSHIP_PATH, params, repeat)
        print(f"  {name}: dashboard {result['dashboard'][name]['p95_ms']} ms, "
              f"ownership {result['ownership'][name]['p95_ms']} ms", file=sys.stderr)
    return result


def measure_release() -> tuple[float | None, str]:
    from django.core.management import call_command, get_commands

    if "statistical_release" not in get_commands():
        return None, "the statistical_release command does not exist in this version"
    today = dt.date.today()
    with tempfile.TemporaryDirectory() as tmp:
        started = time.perf_counter()
        call_command("statistical_release", "--from", (today - dt.timedelta(days=3 * 366)).isoformat(),
                     "--to", today.isoformat(), "--out", tmp, stdout=io.StringIO())
        return round(time.perf_counter() - started, 2), f"{len(os.listdir(tmp))} files"


def returnees_today(client, today: dt.date) -> int:
    """The total of the "Returnees by month of arrival" figure on the page filtered on today."""
    body = client.get(DASHBOARD_PATH, {"start": today.isoformat(), "end": today.isoformat()}).content.decode()
    match = re.search(r'id="arrivals_month".*?<strong>([^<]*)</strong>', body, re.S)
    if not match:
        raise SystemExit("the dashboards page shows no total of returnees by month")
    return int(re.sub(r"\D", "", match.group(1)) or 0)


def measure_freshness(client, timeout: float = 120.0) -> float | None:
    """Seconds from a new arrival (and its passenger) to its appearance on the dashboards."""
    from django.utils import timezone

    from mboa.reception.models import Arrival, Passenger

    today = timezone.localdate()
    before = returnees_today(client, today)
    now = timezone.now()
    arrival = Arrival.objects.create(reference=f"BENCH-FRESH-{int(time.time())}", kind="charter",
                                     departure_country="LY", entry_point="NSI", expected_at=now, expected_people=1,
                                     status="completed", completed_at=now)
    Passenger.objects.create(arrival=arrival, number=1, family_name="Bench", given_names="Fresh", sex="F",
                             birth_year=1995)
    started = time.perf_counter()
    while time.perf_counter() - started < timeout:
        if returnees_today(client, today) > before:
            return round(time.perf_counter() - started, 2)
        time.sleep(0.5)
    return None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=2017)
    parser.add_argument("--repeat", type=int, default=20, help="requests per page and filter (at least 20)")
    parser.add_argument("--reuse", action="store_true",
                        help="keep the data of a previous run of the same size (no generation)")
    args = parser.parse_args()
    args.repeat = max(20, args.repeat)
    setup_django()
    from django.conf import settings
    from django.test import Client

    from mboa.registry.models import Person

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    started = time.perf_counter()
    steps: dict = {}
    if args.reuse and Person.objects.count() == args.size:
        from mboa.accounts.models import User

        donor = User.objects.get(username="bench.donor")
    else:
        print(f"generating {args.size} people and three years of their follow-up…", file=sys.stderr)
        users, steps = generate(args.size, args.seed)
        donor = users["donor"]
    generate_s = round(time.perf_counter() - started, 1)
    volumes = counts()
    print(f"generated in {generate_s} s: {volumes}", file=sys.stderr)

    client = Client(HTTP_ACCEPT_LANGUAGE="fr")
    client.force_login(donor)
    today = dt.date.today()
    pages = measure_pages(client, args.repeat, today)
    worst_dashboard = max(pages["dashboard"].items(), key=lambda kv: kv[1]["p95_ms"])
    worst_ownership = max(pages["ownership"].items(), key=lambda kv: kv[1]["p95_ms"])
    release_s, release_note = measure_release()
    freshness_s = measure_freshness(client)
    print(json.dumps({
        "people": args.size,
        "dashboard_p95_ms": worst_dashboard[1]["p95_ms"],
        "ownership_p95_ms": worst_ownership[1]["p95_ms"],
        "release_s": release_s,
        "freshness_s": freshness_s,
        "generate_s": generate_s,
        "size": args.size,
        "detail": {
            "worst_dashboard_filter": worst_dashboard[0], "worst_ownership_filter": worst_ownership[0],
            "requests_per_page_and_filter": args.repeat, "pages": pages, "release": release_note,
            "volumes": volumes, "generation_steps_s": steps, "target_ms": 300,
            "filters": filter_sets(today), "load_average_before": [round(x, 2) for x in os.getloadavg()],
        },
    }, indent=2))


if __name__ == "__main__":
    main()
