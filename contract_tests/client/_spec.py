"""What the client contract tests derive from the OpenAPI document.

Everything here is read from the spec: the operations and their parameters, the request and response
schemas, the security schemes, and the data schemathesis generates for them. Request data comes from
schemathesis' strategy for each operation; response bodies and webhook payloads come from the same
strategies, run on a derived document whose operations take each response schema (and the webhook's
request body) as their request body, so that one generator serves every direction.
"""

from __future__ import annotations

import copy
import functools
import importlib
import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import ModuleType
from typing import Any

import httpx
import jsonschema_rs
import schemathesis
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.config import SchemathesisConfig
from schemathesis.core import NotSet

from symbl_spec import Parameter, default_spec, deref
from symbl_spec.pointer import escape

__all__ = [
    "BASE_URL",
    "CONTRACT_SETTINGS",
    "JSON",
    "OPERATIONS",
    "PER_STATUS_EXAMPLES",
    "WEBHOOK_OPERATION_POINTER",
    "Capture",
    "Operation",
    "ResponseCase",
    "body_strategy",
    "canonical",
    "document",
    "invalid_body_strategy",
    "model_class",
    "request_strategy",
    "response_cases",
    "snake",
    "validator",
    "webhook_schema_pointer",
]

BASE_URL = "https://api.symbl.test"
JSON = "application/json"

# Bounded, reproducible generation: no example database, a seed derived from each test's name.
CONTRACT_SETTINGS = settings(
    max_examples=40,
    deadline=None,
    database=None,
    derandomize=True,
    print_blob=False,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much, HealthCheck.data_too_large],
)

# Fewer for the tests parametrized over every (operation, status): 27 of them.
PER_STATUS_EXAMPLES = 20

# schemathesis' own configuration, not the one it would discover on disk, and no harvesting of string
# constants from the Python code around the tests (which would tie the generated data to this repository).
_SCHEMATHESIS_CONFIG = {"analysis": {"constants": {"enabled": False}}}

WEBHOOK_OPERATION_POINTER = "/webhooks/jobStatusChanged/post"


def document() -> Mapping[str, Any]:
    """The parsed spec (shared and cached: never mutate it)."""
    return default_spec().document


def snake(name: str) -> str:
    """openapi-python-client's Python name for a spec name (``webhookUrl`` → ``webhook_url``)."""
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", name).replace("-", "_").lower()


def canonical(value: Any) -> str:
    """A JSON value as a string that tells ``true`` from ``1`` and ``1`` from ``1.0`` (Python's ``==`` does not)."""
    return json.dumps(value, sort_keys=True, ensure_ascii=False)


def validator(pointer: str) -> jsonschema_rs.Validator:
    """The spec's validator of the schema at ``pointer``."""
    return default_spec().validator(pointer)


def _schema_ref(schema: Mapping[str, Any]) -> str:
    ref = schema.get("$ref")
    if not isinstance(ref, str) or not ref.startswith("#/components/schemas/"):
        raise AssertionError(f"expected a $ref to a component schema, got {schema!r}")
    return ref


def model_class(schema: Mapping[str, Any]) -> type[Any]:
    """The generated model for a ``$ref`` to a component schema (the generator names it after the component)."""
    models = importlib.import_module("symbl_async_audio_client.models")
    cls: type[Any] = getattr(models, _schema_ref(schema).rsplit("/", 1)[-1])
    return cls


@dataclass(frozen=True)
class Operation:
    """One operation of the spec and the generated function that calls it."""

    operation_id: str
    path: str
    method: str
    pointer: str
    spec: Mapping[str, Any]
    parameters: tuple[Parameter, ...]
    body_pointer: str | None  # JSON pointer of the request body's schema
    body_model: type[Any] | None
    module: ModuleType
    security: tuple[Mapping[str, Any], ...]

    def path_regex(self) -> re.Pattern[str]:
        """The path template as a regex whose named groups capture the raw (percent-encoded) segments."""
        pattern = re.sub(r"\\\{(\w+)\\\}", r"(?P<\1>[^/]+)", re.escape(self.path))
        return re.compile(f"^{pattern}$")


def _body(doc: Mapping[str, Any], pointer: str, operation: Mapping[str, Any]) -> tuple[str | None, type[Any] | None]:
    raw = operation.get("requestBody")
    if raw is None:
        return None, None
    base = raw["$ref"][1:] if "$ref" in raw else f"{pointer}/requestBody"
    body = deref(doc, raw)
    schema = body["content"][JSON]["schema"]
    return f"{base}/content/{escape(JSON)}/schema", model_class(schema)


@functools.cache
def _operations() -> tuple[Operation, ...]:
    doc = document()
    result = []
    for op in default_spec().operations.values():
        operation = deref(doc, {"$ref": "#" + op.pointer})
        module = importlib.import_module(f"symbl_async_audio_client.api.{snake(op.tags[0])}.{snake(op.operation_id)}")
        body_pointer, body_model = _body(doc, op.pointer, operation)
        result.append(
            Operation(
                operation_id=op.operation_id,
                path=op.path,
                method=op.method.upper(),
                pointer=op.pointer,
                spec=operation,
                parameters=op.parameters,
                body_pointer=body_pointer,
                body_model=body_model,
                module=module,
                security=tuple(operation.get("security", doc.get("security", []))),
            )
        )
    return tuple(result)


OPERATIONS: dict[str, Operation] = {operation.operation_id: operation for operation in _operations()}


@functools.cache
def _schemathesis_schema() -> Any:
    return schemathesis.openapi.from_dict(
        copy.deepcopy(dict(document())), config=SchemathesisConfig.from_dict(_SCHEMATHESIS_CONFIG)
    )


def request_strategy(operation: Operation) -> st.SearchStrategy[Any]:
    """schemathesis' strategy of valid requests (``Case``s) for the operation."""
    strategy: st.SearchStrategy[Any] = _schemathesis_schema()[operation.path][operation.method].as_strategy()
    return strategy


# -- Bodies for arbitrary schemas: responses and the webhook payload -------------------------------------------------


@dataclass(frozen=True)
class ResponseCase:
    """One documented response of one operation that has a JSON body."""

    operation_id: str
    status: str
    schema_pointer: str
    model: type[Any]

    @property
    def id(self) -> str:
        return f"{self.operation_id}-{self.status}"


def response_cases() -> list[ResponseCase]:
    """Every (operation, documented status) whose response has a JSON body."""
    doc = document()
    cases = []
    for operation in OPERATIONS.values():
        for status, raw in operation.spec["responses"].items():
            response = deref(doc, raw)
            media = (response.get("content") or {}).get(JSON)
            if media is None:
                continue
            # Every response schema is a $ref to a component schema (model_class insists); generate from its target.
            schema = media["schema"]
            model = model_class(schema)
            cases.append(ResponseCase(operation.operation_id, status, _schema_ref(schema)[1:], model))
    return cases


def _synthetic_path(pointer: str) -> str:
    return "/" + re.sub(r"[^A-Za-z0-9]+", "-", pointer).strip("-")


@functools.cache
def _body_schema() -> Any:
    """The spec with one POST per schema under test, each taking that schema as its JSON request body."""
    doc = copy.deepcopy(dict(document()))
    pointers = sorted({case.schema_pointer for case in response_cases()})
    webhook = doc["webhooks"]["jobStatusChanged"]["post"]
    paths: dict[str, Any] = {
        _synthetic_path(pointer): {
            "post": {
                "operationId": _synthetic_path(pointer).strip("/"),
                "security": [],
                "requestBody": {"required": True, "content": {JSON: {"schema": {"$ref": "#" + pointer}}}},
                "responses": {"200": {"description": "Accepted."}},
            }
        }
        for pointer in pointers
    }
    # The webhook operation as the spec states it (its own request body, with its examples).
    paths[_synthetic_path(webhook_schema_pointer())] = {"post": webhook}
    doc["paths"] = paths
    doc.pop("webhooks")
    return schemathesis.openapi.from_dict(doc, config=SchemathesisConfig.from_dict(_SCHEMATHESIS_CONFIG))


def _bodies(pointer: str, mode: GenerationMode) -> st.SearchStrategy[Any]:
    operation = _body_schema()[_synthetic_path(pointer)]["POST"]
    cases: st.SearchStrategy[Any] = operation.as_strategy(generation_mode=mode)
    return cases.map(lambda case: case.body).filter(lambda body: not isinstance(body, NotSet))


def body_strategy(pointer: str) -> st.SearchStrategy[Any]:
    """JSON values valid against the schema at ``pointer`` (a response schema or `webhook_schema_pointer()`)."""
    return _bodies(pointer, GenerationMode.POSITIVE)


def invalid_body_strategy(pointer: str) -> st.SearchStrategy[Any]:
    """Bodies that break the schema at ``pointer``: JSON values it rejects, or raw ``bytes`` that are not JSON."""

    def breaks(body: Any) -> bool:
        if isinstance(body, bytes):
            try:
                value = json.loads(body)
            except ValueError:
                return True
        else:
            value = body
        return not validator(pointer).is_valid(value)

    return _bodies(pointer, GenerationMode.NEGATIVE).filter(breaks)


def webhook_schema_pointer() -> str:
    """JSON pointer of the schema of the webhook's payload."""
    webhook = deref(document(), {"$ref": "#" + WEBHOOK_OPERATION_POINTER})
    pointer, _ = _body(document(), WEBHOOK_OPERATION_POINTER, webhook)
    assert pointer is not None
    return pointer


# -- The transport ---------------------------------------------------------------------------------------------------


class Capture:
    """An ``httpx.MockTransport`` handler that records every request and answers with ``respond``."""

    def __init__(self, respond: Callable[[httpx.Request], httpx.Response]) -> None:
        self.respond = respond
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        request.read()
        self.requests.append(request)
        return self.respond(request)

    @property
    def transport(self) -> httpx.MockTransport:
        return httpx.MockTransport(self)
