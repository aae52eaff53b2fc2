"""Settings come from the environment; production settings pass Django's deploy checks."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def _manage(*args, env):
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # set for the browser tests only
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=120)


def test_production_settings_pass_check_deploy(tmp_path):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.base",
        "DJANGO_ENV": "production",
        "SECRET_KEY": "x" * 20 + "production-secret-key-for-the-check-0123456789",
        "ALLOWED_HOSTS": "mboa.example.org",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "MBOA_VAR_DIR": str(tmp_path),
    }
    result = _manage("check", "--deploy", "--fail-level", "WARNING", env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.base", "DJANGO_ENV": "production",
           "MBOA_VAR_DIR": str(tmp_path)}
    env.pop("SECRET_KEY", None)
    result = _manage("check", env=env)
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_development_defaults_to_sqlite_under_var_with_a_generated_key(tmp_path):
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.base", "MBOA_VAR_DIR": str(tmp_path)}
    for name in ("DATABASE_URL", "SECRET_KEY", "DJANGO_ENV"):
        env.pop(name, None)
    code = "from django.conf import settings as s; print(s.DATABASES['default']['NAME']); print(len(s.SECRET_KEY))"
    result = _manage("shell", "--no-imports", "-c", code, env=env)
    assert result.returncode == 0, result.stderr
    name, key_length = result.stdout.split()
    assert name == str(tmp_path / "mboa.sqlite3")
    assert int(key_length) >= 50
    assert (tmp_path / "secret_key").exists()


def test_production_refuses_a_weak_secret_key(tmp_path):
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.base", "DJANGO_ENV": "production",
           "SECRET_KEY": "x", "ALLOWED_HOSTS": "mboa.example.org", "MBOA_VAR_DIR": str(tmp_path)}
    result = _manage("check", "--deploy", env=env)
    assert result.returncode != 0
    assert "SECRET_KEY is too weak" in result.stderr
