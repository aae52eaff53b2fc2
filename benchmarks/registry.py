"""Registry benchmark: identity matching at a million people (issue 4).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/mboa_bench .venv/bin/python benchmarks/registry.py [--size N]

Creates (or reuses) the database named in DATABASE_URL, migrates it, empties the
registry tables, then:

1. generates a synthetic registry of N people (default 1,000,000) with Cameroonian and
   West African names, and injects known duplicates (2 % of N) with realistic variations:
   typos, transliterations, accents lost, names swapped or missing a part, day/month
   swapped, partial or missing dates, phones changed, documents lost or renewed;
   loads it with COPY (people, phones, documents, match keys);
2. matches 200-person manifests (half earlier returnees written differently, half new
   people) with ``match_batch``: latency p50/p95 over 20 manifests; and single
   registration checks with ``find_candidates``: p95 over 200;
3. runs the whole-registry deduplication scan (``matching.scan_pairs``, one process) in
   a child process: time and the child's peak memory (RSS); precision, recall and F1 of
   the pairs at MATCH_THRESHOLD against the injected truth;
4. runs ``match_records`` on a 10,000 × 10,000 linkage (CSV files in a temp dir).

Prints one JSON object. Needs PostgreSQL (refuses SQLite: the figures would mean nothing).
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")

# --- Names ------------------------------------------------------------------------------------
FAMILY_CM = [
    "Abena", "Ateba", "Atangana", "Bessala", "Biya", "Djoumessi", "Ebode", "Essomba", "Eto'o", "Fotso", "Kamga",
    "Kemajou", "Manga", "Mballa", "Mbarga", "Mbida", "Mbouombouo", "Ndam", "Ndongo", "Ngono", "Nguemo", "Njoya",
    "Nkengue", "Nkou", "Noah", "Nsangou", "Ondoa", "Owona", "Tchakounté", "Tchinda", "Tamo", "Wandji", "Yaya",
    "Zambo", "Fonkou", "Tabi", "Achidi", "Ayuk", "Ngwa", "Hamadou", "Oumarou", "Bello", "Aboubakar", "Moussa",
    "Ekambi", "Ekotto", "Eyenga", "Fouda", "Essama", "Nkoulou", "Mvondo", "Onana", "Amougou", "Abessolo",
    "Mengue", "Nlend", "Tchouaméni", "Song", "Mboma", "Feutchine", "Tchato", "Womé", "Njitap", "Kameni", "Makoun",
    "Nkufo", "Bikey", "Idrissou", "Mbia", "Enoh", "Assou-Ekotto", "Matip", "Choupo-Moting", "Kunde", "Djeugoué",
    "Ngadeu", "Fai", "Nfor", "Tanyi", "Tambe", "Agbor", "Ashu", "Besong", "Ebai", "Egbe", "Enow", "Eyong", "Mbah",
    "Ndip", "Ojong", "Takang", "Tiku", "Bate", "Arrey", "Ndifor", "Che", "Fomba", "Fomo", "Foning", "Ngassa",
    "Nganou", "Nguefack", "Tchamba", "Tchoumi", "Tsafack", "Kenfack", "Kengne", "Kouam", "Kuate", "Mbouda",
    "Meli", "Mouafo", "Nana", "Ngandjui", "Njike", "Pokam", "Simo", "Sonkeng", "Talla", "Tagne", "Tchuente",
    "Tiwa", "Yemele", "Zangue", "Dongmo", "Djuidje", "Feudjio", "Ngo", "Bassa", "Ngo", "Nlend", "Nga", "Mbarga",
    "Bilong", "Ekwalla", "Dikoume", "Ebelle", "Epee", "Kingue", "Moukoko", "Ndoumbe", "Priso", "Tobie", "Mouelle",
    "Mandeng", "Nyobe", "Um", "Bayiha", "Ndjock", "Bakang", "Mbock", "Nsegbe", "Mahamat", "Abdoulaye", "Adamou",
    "Alim", "Baba", "Daouda", "Djibrilla", "Haman", "Issa", "Mal", "Ousmanou", "Saidou", "Souleymanou", "Yerima",
    "Aminou", "Bouba", "Dairou", "Garga", "Iya", "Mohaman",
]
FAMILY_WA = [
    "Diallo", "Traoré", "Keïta", "Coulibaly", "Ouédraogo", "Sow", "Bah", "Barry", "Camara", "Touré", "Koné",
    "Diop", "Ndiaye", "Fall", "Mensah", "Okafor", "Adebayo", "Okonkwo", "Eze", "Nwosu", "Sani", "Musa", "Ibrahim",
    "Yusuf", "Balogun", "Adeyemi", "Oladipo", "Afolabi", "Abiodun", "Ogunleye", "Asante", "Boateng", "Owusu",
    "Appiah", "Agyeman", "Kouassi", "Kouamé", "Yao", "Konan", "Diabaté", "Sangaré", "Doumbia", "Cissé", "Sylla",
    "Kanté", "Sacko", "Diarra", "Dembélé", "Sissoko", "Konaté", "Bamba", "Ouattara", "Sanogo", "Zongo",
    "Compaoré", "Sawadogo", "Kaboré", "Nikiema", "Ilboudo", "Zoungrana", "Mahamadou", "Issoufou", "Abdou",
    "Idrissa", "Gueye", "Sarr", "Faye", "Mbaye", "Seck", "Thiam", "Diouf", "Ba", "Kane", "Sy", "Tall", "Wade",
    "Ndour", "Kamara", "Bangura", "Conteh", "Sesay", "Kargbo", "Jalloh", "Turay",
]
GIVEN_M = [
    "Jean", "Paul", "Pierre", "Jean-Paul", "Jean-Pierre", "Serge", "Emmanuel", "Christian", "Hervé", "Rodrigue",
    "Aristide", "Blaise", "Cyrille", "Joseph", "Samuel", "Ibrahim", "Moustapha", "Alain", "Patrice", "Franck",
    "Boris", "Landry", "Junior", "Michel", "André", "Roger", "Eric", "Thierry", "Didier", "Olivier", "Guy",
    "Martial", "Armand", "Eugène", "François", "Francis", "Gaston", "Gilbert", "Honoré", "Jacques", "Léon",
    "Louis", "Marcel", "Maurice", "Nicolas", "Pascal", "Raoul", "Roland", "Simon", "Théophile", "Victor",
    "Yannick", "Arnaud", "Stéphane", "Fabrice", "Ulrich", "Brice", "Steve", "Kevin", "Cédric", "Romaric",
    "Wilfried", "Achille", "Bertrand", "Charles", "Daniel", "David", "Dieudonné", "Ernest", "Félix", "Georges",
    "Henri", "Isaac", "Jérôme", "Lucien", "Mathieu", "Norbert", "Prosper", "Richard", "Sylvain", "Valentin",
    "Xavier", "Mohamed", "Mamadou", "Abdoulaye", "Ousmane", "Amadou", "Boubacar", "Souleymane", "Idrissa",
    "Moussa", "Seydou", "Adama", "Issa", "Lamine", "Modibo", "Bakary", "Oumar", "Hamidou", "Abdel", "Aliou",
    "Chinedu", "Emeka", "Oluwaseun", "Tunde", "Kwame", "Kofi", "Yaw", "Kojo", "Akwasi", "Sekou", "Youssouf",
    "Salif", "Hassan", "Saïdou", "Alhadji",
]
GIVEN_F = [
    "Marie", "Brigitte", "Solange", "Pélagie", "Chantal", "Clarisse", "Estelle", "Nadège", "Aïssatou", "Hadjara",
    "Josiane", "Florence", "Christelle", "Sandrine", "Vanessa", "Irène", "Larissa", "Rachel", "Anne", "Annie",
    "Béatrice", "Carine", "Cécile", "Claudine", "Danielle", "Delphine", "Edwige", "Elise", "Emilienne", "Flore",
    "Françoise", "Gisèle", "Hélène", "Henriette", "Jacqueline", "Jeanne", "Joséphine", "Judith", "Laure",
    "Lucienne", "Madeleine", "Martine", "Mireille", "Monique", "Nathalie", "Odette", "Pauline", "Régine", "Rose",
    "Sabine", "Sophie", "Suzanne", "Sylvie", "Thérèse", "Valérie", "Véronique", "Yvette", "Yvonne", "Joëlle",
    "Murielle", "Arlette", "Berthe", "Blandine", "Gaëlle", "Ghislaine", "Grâce", "Huguette", "Inès", "Linda",
    "Lydie", "Mélanie", "Nicole", "Prisca", "Raïssa", "Stéphanie", "Viviane", "Fatoumata", "Aminata", "Mariam",
    "Hawa", "Kadiatou", "Fanta", "Awa", "Ramatou", "Adama", "Safiatou", "Oumou", "Djénéba", "Zeinab", "Halima",
    "Hadiza", "Amina", "Asmaou", "Chinwe", "Ngozi", "Adaeze", "Abena", "Akosua", "Ama", "Efua", "Adjoa", "Esther",
    "Ruth", "Deborah", "Sarah", "Rebecca",
]
SYLLABLES_START = ["Mb", "Nd", "Ng", "Nk", "Ts", "Tch", "F", "K", "M", "N", "B", "D", "E", "O", "A", "Ek", "Ess",
                   "Ond", "Ow", "Ab", "At", "Ay", "Dj", "Y", "W", "T", "S", "L", "Nj", "Mv", "Z", "G", "H", "P"]
SYLLABLES = ["a", "ba", "nga", "ngo", "mbo", "kou", "ti", "la", "ssa", "mba", "nde", "ko", "tso", "ga", "lo", "mi",
             "ne", "wa", "ye", "zo", "fo", "ke", "mou", "to", "gue", "dji", "ma", "na", "bi", "da", "me", "ou",
             "ri", "sse", "ndo", "ngue", "pa", "si", "tou", "yo", "ka", "bo", "no", "lé", "té", "mé"]
NATIONALITIES = ["CM"] * 90 + ["NG", "TD", "CF", "GA", "CG", "GQ", "ML", "SN", "CI", "GN"]
TRANSLIT = [("tch", "ch"), ("ch", "tch"), ("ou", "w"), ("w", "ou"), ("dj", "j"), ("ph", "f"), ("y", "i"),
            ("ou", "u"), ("ss", "s"), ("é", "e"), ("è", "e"), ("ï", "i"), ("mm", "m"), ("k", "c"), ("ck", "k")]
ACCENTS = {"e": "é", "a": "à", "i": "ï", "o": "ô"}


class Generator:
    def __init__(self, seed: int, departments: list[str]) -> None:
        self.rng = random.Random(seed)
        self.departments = departments
        rng = self.rng
        generated = set()
        while len(generated) < 40000:
            name = rng.choice(SYLLABLES_START) + "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(1, 3)))
            generated.add(name.capitalize())
        self.generated = sorted(generated)
        real = FAMILY_CM + FAMILY_WA
        # Zipf-like weights on the real names: a few very common family names.
        self.real = real
        self.real_weights = [1.0 / (rank + 5) for rank in range(len(real))]

    def family(self) -> str:
        rng = self.rng
        if rng.random() < 0.45:
            return rng.choices(self.real, self.real_weights)[0]
        return rng.choice(self.generated)

    def person(self) -> dict:
        rng = self.rng
        sex = rng.choice("MF")
        pool = GIVEN_M if sex == "M" else GIVEN_F
        given = rng.choice(pool)
        if rng.random() < 0.45:
            second = rng.choice(pool)
            if second != given:
                given += " " + second
        family = self.family()
        if rng.random() < 0.12:  # compound family names are common (Ngo Bassa, Assou-Ekotto)
            family += " " + self.family()
        year = int(rng.triangular(1960, 2008, 1992))
        month, day = rng.randint(1, 12), rng.randint(1, 28)
        r = rng.random()
        if r < 0.04:
            month = day = None
        elif r < 0.06:
            year = month = day = None
        record = {
            "family_name": family, "given_names": given, "sex": sex,
            "birth_year": year, "birth_month": month, "birth_day": day,
            "place_of_birth_id": rng.choice(self.departments) if rng.random() < 0.7 else None,
            "place_of_birth_text": rng.choice(["Lagos", "Abuja", "N'Djamena", "Bangui", "Libreville", "Tripoli",
                                               "Agadez", "Niamey"]) if rng.random() < 0.08 else "",
            "nationality": rng.choice(NATIONALITIES),
            "address": "",
            "phones": [], "documents": [],
        }
        if rng.random() < 0.6:
            record["phones"].append("+2376" + rng.choice("5789") + "".join(rng.choice("0123456789") for _ in range(7)))
        if rng.random() < 0.5:
            if rng.random() < 0.5:
                number = "".join(rng.choice("ABCDEFGHJKLMNPRSTUVWXYZ") for _ in range(2)) + str(
                    rng.randint(1000000, 9999999))
            else:
                number = str(rng.randint(100000000, 999999999))
            record["documents"].append(number)
        return record

    # Variations of a name as written by another agent, on another day.
    def _typo(self, text: str) -> str:
        rng = self.rng
        if len(text) < 4:
            return text
        i = rng.randint(1, len(text) - 2)
        op = rng.random()
        if op < 0.3:
            return text[:i] + text[i + 1:]
        if op < 0.55:
            return text[:i] + text[i + 1] + text[i] + text[i + 2:]
        if op < 0.8:
            return text[:i] + rng.choice("aeioumnrst") + text[i + 1:]
        return text[:i] + text[i] + text[i:]

    def _translit(self, text: str) -> str:
        lower = text.lower()
        options = [(a, b) for a, b in TRANSLIT if a in lower]
        if not options:
            return self._typo(text)
        a, b = self.rng.choice(options)
        return lower.replace(a, b, 1).capitalize()

    def _accents(self, text: str) -> str:
        import unicodedata

        stripped = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
        if stripped != text:
            return stripped.upper() if self.rng.random() < 0.5 else stripped
        for plain, accented in ACCENTS.items():
            if plain in text[1:]:
                return text[0] + text[1:].replace(plain, accented, 1)
        return text.upper()

    def duplicate(self, original: dict) -> dict:
        """The same person registered again, differently. 1 to 3 variations."""
        rng = self.rng
        dup = {**original, "phones": list(original["phones"]), "documents": list(original["documents"])}
        kinds = ["typo_family", "typo_given", "translit", "accents", "swap_names", "drop_given", "swap_day_month",
                 "missing_date", "year_only", "phone_changed", "phone_missing", "document_missing", "document_new",
                 "place_missing"]
        weights = [12, 8, 10, 10, 5, 6, 8, 3, 4, 10, 8, 8, 4, 6]
        count = rng.choices([1, 2, 3], [50, 35, 15])[0]
        for kind in dict.fromkeys(rng.choices(kinds, weights, k=count)):  # ordered: reproducible runs
            if kind == "typo_family":
                dup["family_name"] = self._typo(dup["family_name"])
            elif kind == "typo_given":
                dup["given_names"] = self._typo(dup["given_names"])
            elif kind == "translit":
                dup["family_name"] = self._translit(dup["family_name"])
            elif kind == "accents":
                dup["family_name"] = self._accents(dup["family_name"])
                dup["given_names"] = self._accents(dup["given_names"])
            elif kind == "swap_names":
                dup["family_name"], dup["given_names"] = dup["given_names"], dup["family_name"]
            elif kind == "drop_given" and " " in dup["given_names"]:
                dup["given_names"] = dup["given_names"].split()[0]
            elif kind == "swap_day_month" and dup["birth_day"] and dup["birth_day"] <= 12:
                dup["birth_day"], dup["birth_month"] = dup["birth_month"], dup["birth_day"]
            elif kind == "missing_date":
                dup["birth_year"] = dup["birth_month"] = dup["birth_day"] = None
            elif kind == "year_only":
                dup["birth_month"] = dup["birth_day"] = None
            elif kind == "phone_changed":
                dup["phones"] = ["+2376" + rng.choice("5789") + "".join(rng.choice("0123456789") for _ in range(7))]
            elif kind == "phone_missing":
                dup["phones"] = []
            elif kind == "document_missing":
                dup["documents"] = []
            elif kind == "document_new" and dup["documents"]:
                dup["documents"] = [dup["documents"][0][:-3] + str(rng.randint(100, 999))]
            elif kind == "place_missing":
                dup["place_of_birth_id"] = None
        return dup


def candidate_dict(record: dict) -> dict:
    return {
        "family_name": record["family_name"], "given_names": record["given_names"], "sex": record["sex"],
        "birth_year": record["birth_year"], "birth_month": record["birth_month"], "birth_day": record["birth_day"],
        "place_of_birth_code": record["place_of_birth_id"], "place_of_birth": record["place_of_birth_text"],
        "nationality": record["nationality"], "address": record["address"],
        "documents": record["documents"], "phones": record["phones"],
    }


def _copy_text(value) -> str:
    if value is None:
        return "\\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    text = str(value)
    return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def _setup_django() -> None:
    import django

    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        sys.exit("Set DATABASE_URL to a PostgreSQL database, e.g. postgres://postgres@127.0.0.1:5432/mboa_bench")
    import psycopg

    base, name = url.rsplit("/", 1)
    with psycopg.connect(base + "/postgres", autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')
    django.setup()


def generate(size: int, seed: int) -> tuple[list[tuple[int, int]], Generator, float]:
    """Load the synthetic registry; returns the truth pairs (original id, duplicate id)."""
    from django.core.management import call_command
    from django.db import connection

    from mboa.actors.models import Department
    from mboa.registry import identity

    if "registry_matchkey" in connection.introspection.table_names():
        # empty first: a data migration over a previous run's million people would be slow
        with connection.cursor() as cursor:
            cursor.execute("TRUNCATE registry_matchkey, registry_person RESTART IDENTITY CASCADE")
    call_command("migrate", verbosity=0)
    departments = sorted(Department.objects.values_list("code", flat=True))
    gen = Generator(seed, departments)
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE registry_matchkey, registry_personphone, registry_identitydocument, "
                       "registry_personname, registry_duplicatecandidate, registry_merge, registry_person, "
                       "registry_historicalperson RESTART IDENTITY CASCADE")
        cursor.execute("DROP INDEX IF EXISTS matchkey_key_idx")
        cursor.execute("DROP INDEX IF EXISTS matchkey_key_cover_idx")
        cursor.execute("DROP INDEX IF EXISTS matchkey_person_idx")
        cursor.execute("SELECT conname FROM pg_constraint WHERE conrelid = 'registry_matchkey'::regclass "
                       "AND contype = 'f'")
        for (name,) in cursor.fetchall():  # re-added after the load, as the migration made it
            cursor.execute(f'ALTER TABLE registry_matchkey DROP CONSTRAINT "{name}"')
    n_dups = size // 50
    n_originals = size - n_dups
    rng = random.Random(seed + 1)
    dup_of = sorted(rng.sample(range(1, n_originals + 1), n_dups))
    truth: list[tuple[int, int]] = []
    now = "2026-01-01 00:00:00+00"
    person_cols = ("id, created_at, updated_at, family_name, given_names, sex, birth_year, birth_month, birth_day, "
                   "birth_date_approximate, place_of_birth_id, place_of_birth_text, nationality, address, photo, "
                   "status, match_profile")
    originals: dict[int, dict] = {}
    wanted = set(dup_of)
    raw = connection.connection
    batch = 50000

    def rows():
        next_dup = iter(dup_of)
        for pid in range(1, size + 1):
            if pid <= n_originals:
                record = gen.person()
                if pid in wanted:
                    originals[pid] = record
            else:
                original_id = next(next_dup)
                record = gen.duplicate(originals.pop(original_id))
                truth.append((original_id, pid))
            yield pid, record

    people, phones, docs, keys = io.StringIO(), io.StringIO(), io.StringIO(), io.StringIO()

    def flush() -> None:
        with raw.cursor() as cur:
            for table, cols, buf in (
                ("registry_person", person_cols, people),
                ("registry_personphone", "created_at, updated_at, person_id, number, note", phones),
                ("registry_identitydocument", "created_at, updated_at, person_id, kind, number, number_normalized, "
                                              "issuing_country", docs),
                ("registry_matchkey", "person_id, key, kind", keys),
            ):
                with cur.copy(f"COPY {table} ({cols}) FROM STDIN") as copy:
                    copy.write(buf.getvalue())
                buf.seek(0)
                buf.truncate()
        raw.commit()

    for pid, record in rows():
        profile = identity.build_profile(candidate_dict(record))
        values = (pid, now, now, record["family_name"], record["given_names"], record["sex"], record["birth_year"],
                  record["birth_month"], record["birth_day"], False, record["place_of_birth_id"],
                  record["place_of_birth_text"], record["nationality"], record["address"], "", "active",
                  json.dumps(profile, separators=(",", ":")))
        people.write("\t".join(_copy_text(v) for v in values) + "\n")
        for number in record["phones"]:
            phones.write(f"{now}\t{now}\t{pid}\t{number}\t\n")
        for number in record["documents"]:
            docs.write(f"{now}\t{now}\t{pid}\tpassport\t{number}\t{identity.normalize_document(number)}\tCM\n")
        for key, kind in identity.blocking_keys(profile).items():
            keys.write(f"{pid}\t{key}\t{kind}\n")
        if pid % batch == 0:
            flush()
    flush()
    with connection.cursor() as cursor:
        cursor.execute("SET maintenance_work_mem = '512MB'")
        cursor.execute("CREATE INDEX matchkey_key_cover_idx ON registry_matchkey (key) INCLUDE (person_id, kind)")
        cursor.execute("CREATE INDEX matchkey_person_idx ON registry_matchkey (person_id)")
        cursor.execute("ALTER TABLE registry_matchkey ADD CONSTRAINT registry_matchkey_person_id_fk "
                       "FOREIGN KEY (person_id) REFERENCES registry_person (id) DEFERRABLE INITIALLY DEFERRED")
        cursor.execute("SELECT setval(pg_get_serial_sequence('registry_person', 'id'), %s)", [size])
        cursor.execute("ANALYZE registry_person")
    # VACUUM (outside a transaction) sets the visibility map: index-only scans on the keys.
    raw.autocommit = True
    with raw.cursor() as cur:
        cur.execute("VACUUM ANALYZE registry_matchkey")
    raw.autocommit = False
    return truth, gen, time.perf_counter() - started


def measure_manifest(gen: Generator, size: int, seed: int) -> dict:
    from mboa.registry.matching import find_candidates, match_batch
    from mboa.registry.models import Person

    rng = random.Random(seed + 2)
    manifests = []
    for _ in range(20):
        ids = rng.sample(range(1, size + 1), 100)
        stored = {p.pk: p for p in Person.objects.filter(pk__in=ids).prefetch_related("phones", "documents")}
        manifest, truth = [], []
        for pid in ids:
            p = stored[pid]
            record = {"family_name": p.family_name, "given_names": p.given_names, "sex": p.sex,
                      "birth_year": p.birth_year, "birth_month": p.birth_month, "birth_day": p.birth_day,
                      "place_of_birth_id": p.place_of_birth_id, "place_of_birth_text": p.place_of_birth_text,
                      "nationality": p.nationality, "address": p.address,
                      "phones": [x.number for x in p.phones.all()], "documents": [d.number for d in p.documents.all()]}
            manifest.append(candidate_dict(gen.duplicate(record)))
            truth.append(pid)
        for _ in range(100):
            manifest.append(candidate_dict(gen.person()))
            truth.append(None)
        manifests.append((manifest, truth))
    match_batch(manifests[0][0])  # warm-up (connection, caches)
    timings, hits, found, wrong = [], 0, 0, 0
    for manifest, truth in manifests:
        started = time.perf_counter()
        results = match_batch(manifest)
        timings.append((time.perf_counter() - started) * 1000)
        for matches, expected in zip(results, truth, strict=True):
            best = matches[0] if matches and matches[0].is_probable else None
            if best is not None:
                found += 1
                if best.person_id == expected:
                    hits += 1
                else:
                    wrong += 1
    expected_total = sum(1 for _m, truth in manifests for t in truth if t)
    singles = []
    for candidate in manifests[1][0]:
        started = time.perf_counter()
        find_candidates(candidate)
        singles.append((time.perf_counter() - started) * 1000)
    timings.sort()
    singles.sort()
    return {
        "manifest_size": 200,
        "manifest_p50_ms": round(statistics.median(timings), 1),
        "manifest_p95_ms": round(timings[int(0.95 * len(timings)) - 1], 1),
        "single_p50_ms": round(statistics.median(singles), 1),
        "single_p95_ms": round(singles[int(0.95 * len(singles)) - 1], 1),
        "manifest_precision": round(hits / found, 4) if found else 0.0,
        "manifest_recall": round(hits / expected_total, 4),
    }


def scan_child() -> None:
    """Run in a child process (its peak memory is the scan's): the whole-registry scan,
    its time and peak RSS; the pairs go to a file."""
    _setup_django()
    from mboa.registry.matching import scan_pairs

    out_path = sys.argv[sys.argv.index("--scan-child") + 1]
    started = time.perf_counter()
    found = 0
    with open(out_path, "w") as out:
        for a, b, match in scan_pairs():
            found += 1
            out.write(f"{a},{b},{match.score}\n")
    elapsed = time.perf_counter() - started
    print(json.dumps({"dedup_scan_s": round(elapsed, 1),
                      "dedup_peak_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
                      "pairs_scored_above_review": found}))


def measure_scan(truth: list[tuple[int, int]]) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        pairs_path = Path(tmp) / "pairs.csv"
        command = [sys.executable, __file__, "--scan-child", str(pairs_path)]
        child = subprocess.run(command, capture_output=True, text=True, check=True, env=os.environ)
        result = json.loads(child.stdout.strip().splitlines()[-1])
        scored = {}
        for line in pairs_path.read_text().splitlines():
            a, b, score = line.split(",")
            scored[(int(a), int(b))] = float(score)
    from mboa.registry.matching import registry_settings

    true = set(truth)

    def quality(threshold: float) -> tuple[float, float, float, int]:
        found = {pair for pair, score in scored.items() if score >= threshold}
        tp = len(found & true)
        precision = tp / len(found) if found else 0.0
        recall = tp / len(true) if true else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        return round(precision, 4), round(recall, 4), round(f1, 4), len(found)

    precision, recall, f1, found = quality(registry_settings()["MATCH_THRESHOLD"])
    result.update({"precision": precision, "recall": recall, "f1": f1, "truth_pairs": len(true),
                   "found_pairs": found, "match_threshold": registry_settings()["MATCH_THRESHOLD"],
                   "quality_by_threshold": {str(t): quality(t)[:3] for t in (0.5, 0.7, 0.8, 0.85, 0.9, 0.95)}})
    return result


def measure_link(gen: Generator) -> dict:
    from django.core.management import call_command

    header = ["id", "family_name", "given_name", "sex", "date_of_birth", "place_of_birth", "nationality",
              "document_number", "phone", "address"]

    def row(prefix: str, i: int, r: dict) -> list:
        if r["birth_year"] and r["birth_month"] and r["birth_day"]:
            date = f"{r['birth_day']:02d}/{r['birth_month']:02d}/{r['birth_year']}"
        else:
            date = str(r["birth_year"] or "")
        return [f"{prefix}{i}", r["family_name"], r["given_names"], r["sex"], date, r["place_of_birth_text"],
                r["nationality"], (r["documents"] or [""])[0], (r["phones"] or [""])[0], ""]

    with tempfile.TemporaryDirectory() as tmp:
        left_path, right_path, out = Path(tmp) / "left.csv", Path(tmp) / "right.csv", Path(tmp) / "pairs.csv"
        truth = set()
        with left_path.open("w", newline="") as lf, right_path.open("w", newline="") as rf:
            lw, rw = csv.writer(lf), csv.writer(rf)
            lw.writerow(header)
            rw.writerow(header)
            for i in range(10000):
                record = gen.person()
                rw.writerow(row("R", i, record))
                if i % 2 == 0:  # half of the left list are the right list's people, written differently
                    lw.writerow(row("L", i, gen.duplicate(record)))
                    truth.add((f"L{i}", f"R{i}"))
                else:
                    lw.writerow(row("L", i, gen.person()))
        started = time.perf_counter()
        call_command("match_records", str(left_path), str(right_path), "--out", str(out), stdout=io.StringIO())
        elapsed = time.perf_counter() - started
        with out.open() as f:
            found = {(r["left_id"], r["right_id"]) for r in csv.DictReader(f)}
    tp = len(found & truth)
    return {"link_10k_s": round(elapsed, 2), "link_precision": round(tp / len(found), 4) if found else 0.0,
            "link_recall": round(tp / len(truth), 4)}


def main() -> None:
    if "--scan-child" in sys.argv:
        scan_child()
        return
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=2017)
    args = parser.parse_args()
    _setup_django()
    truth, gen, generate_s = generate(args.size, args.seed)
    result = {"registry_size": args.size, "generate_s": round(generate_s, 1)}
    result.update(measure_manifest(gen, args.size, args.seed))
    result.update(measure_scan(truth))
    result.update(measure_link(gen))
    keys = ["registry_size", "generate_s", "manifest_size", "manifest_p50_ms", "manifest_p95_ms", "single_p95_ms",
            "precision", "recall", "f1", "dedup_scan_s", "dedup_peak_mb", "link_10k_s"]
    ordered = {k: result[k] for k in keys}
    ordered.update({k: v for k, v in result.items() if k not in ordered})
    print(json.dumps(ordered))


if __name__ == "__main__":
    main()
