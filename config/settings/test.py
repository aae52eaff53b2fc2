"""Test settings: fast hashing, eager Celery, in-memory email, no login lock-outs leaking."""

import os

from .base import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CELERY_TASK_ALWAYS_EAGER = True
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}  # noqa: F405
# Unit tests assert on the English source strings (stable while translations evolve); the
# French default of the product is asserted by tests that set LANGUAGE_CODE = "fr" or send
# Accept-Language: fr (the browser tests run in a French locale).
LANGUAGE_CODE = "en"

# Several test runs may share one PostgreSQL server (developers in parallel, CI): each run
# gets its own test database, dropped at the end of the run.
if DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3":  # noqa: F405
    DATABASES["default"]["TEST"] = {"NAME": f"test_{DATABASES['default']['NAME']}_{os.getpid()}"}  # noqa: F405

# The suite (schemathesis above all) sends thousands of API requests as one user in seconds:
# the same throttles run, at rates no test reaches; test_throttling sets real ones.
REST_FRAMEWORK = {**REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {  # noqa: F405
    "anon": "100000/minute", "user": "100000/minute", "token": "100000/minute"}}
