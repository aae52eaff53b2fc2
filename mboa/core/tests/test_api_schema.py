"""The OpenAPI schema, the local docs, and a schemathesis run over the whole API.

The run (``test_the_api_answers_within_its_schema``) calls every operation as four demo
users — an administrator, a case manager, the MINSANTE focal point and an insertion
counsellor — with generated input, valid (half of it on records the user can list, so that
details and actions answer with data) and invalid, and checks each answer: no server error,
a status code the schema documents, the documented content type, and a body that fits the
schema. Its budget is a few examples per operation and user (``MBOA_API_FUZZ_EXAMPLES``
raises it), so that it runs in CI on SQLite and PostgreSQL in well under a minute.
"""

import contextlib
import importlib
import inspect
import os
import re
from collections import Counter, defaultdict

import pytest
import schemathesis
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.exceptions import FieldDoesNotExist
from django.core.management import call_command
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.errors import Unsatisfiable
from rest_framework import serializers
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import Failure, FailureGroup
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from mboa.accounts.tests.factories import api_token_for

pytestmark = pytest.mark.django_db

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
# Demo users (mboa.core.demo) standing for the roles whose answers differ most.
ROLES = {"admin": "admin", "case manager": "gestionnaire", "MINSANTE focal point": "pf.minsante",
         "insertion counsellor": "conseiller.insertion"}
EXAMPLES = int(os.environ.get("MBOA_API_FUZZ_EXAMPLES", "3"))
# A regular expression on "METHOD /path" to run a part of the API only (while fixing it).
ONLY = re.compile(os.environ.get("MBOA_API_FUZZ_ONLY", ""))
# The same inputs at every run, so that CI stays green or red for a reason of the code; set
# MBOA_API_FUZZ_RANDOM=1 (with more examples) to explore new inputs while hardening the API.
DERANDOMIZE = not os.environ.get("MBOA_API_FUZZ_RANDOM")


def test_schema_is_generated_and_lists_the_endpoints(client):
    response = client.get(reverse("api-schema"), HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    schema = response.json()
    for path in ("/api/v1/structures/", "/api/v1/focal-points/", "/api/v1/bodies/", "/api/v1/me/"):
        assert path in schema["paths"], path


def test_every_operation_documents_its_json_errors(client):
    schema = client.get(reverse("api-schema"), HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    assert schema["components"]["schemas"]["Error"]["required"] == ["detail"]
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            documented = set(operation["responses"])
            assert {"400", "403", "404", "429"} <= documented, (method, path)
            if method in ("post", "put", "patch"):
                assert {"413", "415"} <= documented, (method, path)


def test_api_docs_use_local_assets_only(client_for, donor):
    page = client_for(donor).get(reverse("api-docs")).content.decode()
    assert "swagger-ui" in page
    assert "cdn.jsdelivr" not in page and "unpkg.com" not in page


@pytest.fixture
def api_schema(db, client):
    from config.wsgi import application

    response = client.get(reverse("api-schema"), HTTP_ACCEPT="application/vnd.oai.openapi+json")
    # Called through WSGI, each request would close the database connection at its end
    # (close_old_connections), and with it the test's transaction: keep it open, as
    # Django's own test client does.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield schemathesis.openapi.from_dict(response.json()), application
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def _listed_ids(user, schema) -> dict[str, list[str]]:
    """For each list path, the ids, codes or references of the first page the user is shown."""
    client = Client()
    client.force_login(user)
    found = {}
    for path, item in schema.raw_schema["paths"].items():
        if "{" in path or "get" not in item:
            continue
        body = client.get(path).json()
        rows = body.get("results", []) if isinstance(body, dict) else body
        found[path] = [str(row[key]) for row in rows if isinstance(row, dict)
                       for key in ("code", "reference", "id") if row.get(key) not in (None, "")][:20]
    return found


def _strategy(operation, mode, listed):
    """Generated cases; in positive mode, half of them on a record the user can list."""
    strategy = operation.as_strategy(generation_mode=mode)
    names = re.findall(r"\{(\w+)\}", operation.path)
    ids = listed.get(operation.path.split("{")[0], []) if names else []
    if mode != GenerationMode.POSITIVE or not ids:
        return strategy
    on_a_record = st.sampled_from(ids).flatmap(
        lambda value: operation.as_strategy(generation_mode=mode, path_parameters={names[0]: value}))
    return st.one_of(strategy, on_a_record)


def _fuzz(operation, mode, examples, listed, application, headers, role, statuses, failures):
    @settings(max_examples=examples, deadline=None, suppress_health_check=list(HealthCheck), database=None,
              derandomize=DERANDOMIZE)
    @given(case=_strategy(operation, mode, listed))
    def call(case):
        # Django's test client (used in between to list ids) connects close_old_connections
        # again after each of its requests; through WSGI it would close the test's connection.
        request_started.disconnect(close_old_connections)
        request_finished.disconnect(close_old_connections)
        response = case.call(app=application, headers=headers)
        statuses[operation.label][response.status_code] += 1
        try:
            case.validate_response(response, checks=CHECKS)
        except (FailureGroup, Failure) as error:
            for failure in error.exceptions if isinstance(error, FailureGroup) else [error]:
                failures[(operation.label, failure.title)].append(
                    f"as {role} ({mode.value}): {failure.title}: {failure.message[:300]}\n"
                    f"  {case.as_curl_command()}\n  -> {response.status_code} {response.text[:300]}")

    call()


def test_the_api_answers_within_its_schema(api_schema):
    """Every operation as four roles: no 5xx, no status code, content type or body outside the schema."""
    schema, application = api_schema
    call_command("seed_demo", "--quiet-logins")
    failures: dict[tuple[str, str], list[str]] = defaultdict(list)
    statuses: dict[str, Counter] = defaultdict(Counter)
    operations = [result.ok() for result in schema.get_all_operations()]
    operations = [operation for operation in operations if ONLY.search(operation.label)]

    for role, username in ROLES.items():
        user = get_user_model().objects.get(username=username)
        headers = {"Authorization": f"Token {api_token_for(user)}"}
        listed = _listed_ids(user, schema)
        for operation in operations:
            for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
                examples = EXAMPLES if mode == GenerationMode.POSITIVE else max(1, EXAMPLES // 2)
                with contextlib.suppress(Unsatisfiable):  # in negative mode: nothing to make invalid
                    _fuzz(operation, mode, examples, listed, application, headers, role, statuses, failures)

    report = [f"{label}: {title}\n" + "\n".join(sorted(set(examples))[:3])
              for (label, title), examples in sorted(failures.items())]
    assert not report, f"{len(report)} operation(s) answer outside the schema:\n\n" + "\n\n".join(report)
    assert {operation.label for operation in operations} <= set(statuses)  # none silently skipped
    answered = {label for label, counts in statuses.items() if any(200 <= code < 300 for code in counts)}
    assert len(answered) >= len(operations) // 2, sorted(set(statuses) - answered)


def _model_field_path(model, source: str):
    """The model fields a dotted serializer source goes through (None: not only model fields)."""
    fields = []
    for part in source.split("."):
        if model is None:
            return None
        try:
            field = model._meta.get_field(part)
        except FieldDoesNotExist:
            return None
        if not field.concrete:
            return None  # a reverse relation: a list, or a record the serializer declares itself
        fields.append(field)
        model = field.related_model if field.is_relation else None
    return fields


def _answer_serializers():
    importlib.import_module("config.api")  # the API as it is wired (imports DRF's settings in order)
    for config in apps.get_app_configs():
        if not config.name.startswith("mboa."):
            continue
        try:
            module = importlib.import_module(f"{config.name}.api.serializers")
        except ModuleNotFoundError:
            continue
        for _name, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, serializers.ModelSerializer) and cls.__module__ == module.__name__:
                yield cls


def test_answers_declare_the_nulls_and_blanks_their_models_allow():
    """What the schemathesis run found on demo data, for every model serializer and any data:
    a field read from a nullable column (or through a nullable relation) is declared
    nullable, and a choice whose column may be blank lists the blank."""
    undeclared = []
    for cls in _answer_serializers():
        for name, field in cls().fields.items():
            if field.write_only or field.source == "*" or isinstance(field, serializers.ManyRelatedField):
                continue
            path = _model_field_path(cls.Meta.model, field.source)
            if not path:
                continue
            if any(f.null for f in path) and not field.allow_null:
                undeclared.append(f"{cls.__name__}.{name}: null")
            last = path[-1]
            if (isinstance(field, serializers.ChoiceField) and last.choices and last.blank
                    and not field.allow_blank):
                undeclared.append(f"{cls.__name__}.{name}: blank")
    assert undeclared == []


def test_an_arrival_in_the_year_387_is_refused(client_for, admin):
    """The run planned an arrival in 387: accepted, it was then listed with a 1912 time-zone
    offset (+00:38:48) that is no RFC 3339 date-time. Implausible dates are refused."""
    response = client_for(admin).post("/api/v1/arrivals/", {
        "reference": "2026-01-01-X", "kind": "scheduled_flight", "departure_country": "LY", "entry_point": "NSI",
        "expected_at": "0387-06-24T21:00:00Z", "expected_people": 10}, content_type="application/json")
    assert response.status_code == 400
    assert "expected_at" in response.json()
