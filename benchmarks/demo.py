"""How long the demo data takes to load (target: under 20 s), on a fresh SQLite database.

    .venv/bin/python benchmarks/demo.py

Prints one JSON object: migrate_s, seed_first_s, seed_second_s (idempotent re-run).
"""

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def timed(args: list[str], env: dict) -> float:
    started = time.perf_counter()
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True, capture_output=True)
    return time.perf_counter() - started


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "MBOA_VAR_DIR": tmp, "DJANGO_SETTINGS_MODULE": "config.settings.base"}
        env.pop("DATABASE_URL", None)
        figures = {
            "migrate_s": round(timed(["migrate", "--noinput"], env), 2),
            "seed_first_s": round(timed(["seed_demo", "--quiet-logins"], env), 2),
            "seed_second_s": round(timed(["seed_demo", "--quiet-logins"], env), 2),
        }
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
