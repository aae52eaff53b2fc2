"""The error answers of the API in its OpenAPI schema (a drf-spectacular postprocessing hook).

Every operation answers errors as JSON, from one of three places, all with the same body:

- ``core.api.exception_handler`` (DRF and ``ApplicationError``): ``{"detail": "...",
  "field": "..."}`` for a refusal, or the serializer's messages per field for input that does
  not fit (``{"end_date": ["..."]}``);
- the error handlers of ``core.views`` (an unknown route or id under /api/, 404);
- ``core.middleware.RejectNulMiddleware`` (a NUL character, 400; a body too large, 413).

The hook adds these answers to every operation that does not declare its own, so that a
client (and the schemathesis run in ``core/tests/test_api_schema.py``) finds every status
code the API sends in the schema. 405 is not listed: an operation is a method the path
allows, and OpenAPI has no place for the methods it does not.
"""

from __future__ import annotations

from typing import Any

ERROR = {
    "type": "object",
    "description": "An error, explained in the user's language.",
    "properties": {
        "detail": {"type": "string", "description": "What went wrong."},
        "field": {"type": "string", "description": "The input field a refusal is about, when there is one."},
    },
    "required": ["detail"],
}
VALIDATION_ERROR = {
    "type": "object",
    "description": "Input that does not fit: the messages of each field (``non_field_errors`` for the "
                   "whole input; nested input has its messages nested).",
    "additionalProperties": {},
}

WRITES = {"post", "put", "patch"}
METHODS = {"get", "post", "put", "patch", "delete"}


def _answer(description: str, schema: dict[str, Any]) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _errors_of(method: str) -> dict[str, dict[str, Any]]:
    error = {"$ref": "#/components/schemas/Error"}
    answers = {
        "400": _answer("Input refused: it does not fit (messages per field) or the service refused it "
                       "(detail, field).",
                       {"anyOf": [error, {"$ref": "#/components/schemas/ValidationError"},
                                  {"type": "array", "items": {"type": "string"}}]}),
        "401": _answer("Not signed in (no or an unknown token).", error),
        "403": _answer("Not signed in, or not allowed to do this.", error),
        "404": _answer("No such record, or not one the user may see; or a page past the last.", error),
        "429": _answer("Too many requests: wait and retry.", error),
    }
    if method in WRITES:
        answers["413"] = _answer("The request body is too large.", error)
        answers["415"] = _answer("The request body's media type is not one the operation reads.", error)
    return answers


def document_error_answers(result: dict[str, Any], generator: Any, request: Any, public: bool) -> dict[str, Any]:
    """drf-spectacular postprocessing hook: the Error components and each operation's error answers."""
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas.setdefault("Error", ERROR)
    schemas.setdefault("ValidationError", VALIDATION_ERROR)
    for path, item in result.get("paths", {}).items():
        if not path.startswith("/api/"):
            continue
        for method, operation in item.items():
            if method not in METHODS:
                continue
            responses = operation.setdefault("responses", {})
            for code, answer in _errors_of(method).items():
                responses.setdefault(code, answer)
    return result
