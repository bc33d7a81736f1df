"""What the conformance suite needs to know about the API, read from the OpenAPI document.

Nothing here repeats a fact of the document: operation roles come from the document's links and
security, field names from link expressions and callback expressions, status values from enums,
request bodies from the document's own examples. A change to the document changes what is checked.
"""

from __future__ import annotations

import copy
import functools
import re
from dataclasses import dataclass
from typing import Any

import jsonschema_rs

from symbl_spec import HTTP_METHODS, load_spec
from symbl_spec.checks import resolve
from symbl_spec.pointer import escape, pointer_get, unescape

__all__ = ["ApiFacts", "Operation", "facts"]

_BODY_POINTER = re.compile(r"^\$response\.body#(?P<pointer>/.*)$")
_CALLBACK_BODY_POINTER = re.compile(r"^\{\$request\.body#(?P<pointer>/[^}]*)\}$")


@dataclass(frozen=True, slots=True)
class Operation:
    operation_id: str
    method: str
    path: str
    needs_auth: bool

    def url_path(self, **params: str) -> str:
        path = self.path
        for name, value in params.items():
            path = path.replace("{" + name + "}", value)
        return path


@dataclass(frozen=True, slots=True)
class ApiFacts:
    """The document, read for the semantic checks."""

    document: dict[str, Any]
    operations: dict[str, Operation]
    submit: Operation
    """Creates a conversation and a job; its success response links to ``append`` and ``job_status``."""
    append: Operation
    """Adds a job to an existing conversation (the link target that takes the conversation's ID)."""
    job_status: Operation
    """Reads a job's status (the GET link target)."""
    token: Operation | None
    """Exchanges application credentials for a token (the operation with ``security: []``)."""
    conversation_param: str
    conversation_pointer: str
    job_param: str
    job_pointer: str
    statuses: tuple[str, ...]
    """The job status enum, in lifecycle order."""
    terminal_statuses: frozenset[str]
    status_field: str
    """The property of the job-status body (and webhook payload) that holds the status."""
    webhook_body_field: str | None
    """The request-body field that carries the webhook URL (from the callbacks' runtime expression)."""
    example_body: dict[str, Any]
    """A valid request body for ``submit``/``append``: the document's first example."""

    def rank(self, status: str) -> int:
        """Position of a status in the lifecycle; terminal statuses share the last rank."""
        if status in self.terminal_statuses:
            return len(self.statuses)
        return self.statuses.index(status)

    # -- schema validation -------------------------------------------------------------------------

    def validator(self, pointer: str) -> jsonschema_rs.Validator:
        return _validator(pointer)

    def response_schema_pointer(self, operation: Operation, status: int) -> str | None:
        raw = self.document["paths"][operation.path][operation.method]["responses"].get(str(status))
        if raw is None:
            return None
        response, pointer = self.resolve_with_pointer(raw, f"/paths/{escape(operation.path)}/{operation.method}")
        media = response.get("content", {}).get("application/json")
        if media is None or "schema" not in media:
            return None
        return _schema_pointer(media["schema"], pointer)

    def webhook_schema_pointer(self) -> str | None:
        for name, item in self.document.get("webhooks", {}).items():
            for method in HTTP_METHODS:
                if method not in item:
                    continue
                body = item[method].get("requestBody")
                if body is None:
                    continue
                resolved, _ = self.resolve_with_pointer(body, f"/webhooks/{escape(name)}/{method}/requestBody")
                media = resolved.get("content", {}).get("application/json")
                if media is not None and "schema" in media:
                    return _schema_pointer(media["schema"], f"/webhooks/{escape(name)}/{method}/requestBody")
        return None

    def resolve_with_pointer(self, node: dict[str, Any], pointer: str) -> tuple[dict[str, Any], str]:
        seen = 0
        while "$ref" in node and seen < 32:
            pointer = node["$ref"].removeprefix("#")
            node = pointer_get(self.document, pointer)
            seen += 1
        return node, pointer

    def resolve(self, node: dict[str, Any]) -> dict[str, Any]:
        return self.resolve_with_pointer(node, "")[0]


def _schema_pointer(schema: dict[str, Any], container: str) -> str:
    ref = schema.get("$ref")
    if isinstance(ref, str) and ref.startswith("#"):
        return ref.removeprefix("#")
    return container


@functools.cache
def _validator(pointer: str) -> jsonschema_rs.Validator:
    document = load_spec()  # read, never changed: the validator holds its own copy
    root = {"$schema": "https://json-schema.org/draft/2020-12/schema", "$ref": "#" + pointer}
    root.update({key: value for key, value in document.items() if key in ("components", "paths", "webhooks")})
    return jsonschema_rs.validator_for(root, validate_formats=True)


def _link_pointer(expression: str) -> str:
    match = _BODY_POINTER.match(expression)
    if match is None:
        raise ValueError(f"link parameter {expression!r} is not a $response.body pointer")
    return match.group("pointer")


@functools.cache
def facts() -> ApiFacts:
    """Read the document once."""
    document = load_spec()
    global_security = document.get("security", [])
    operations: dict[str, Operation] = {}
    links: dict[str, dict[str, Any]] = {}
    for path, item in document.get("paths", {}).items():
        for method in HTTP_METHODS:
            if method not in item:
                continue
            raw = item[method]
            security = raw.get("security", global_security)
            operation = Operation(raw["operationId"], method, path, needs_auth=bool(security))
            operations[operation.operation_id] = operation
            for status, response in raw.get("responses", {}).items():
                if not status.startswith("2"):
                    continue
                resolved = resolve(document, response)
                links.setdefault(operation.operation_id, {}).update(resolved.get("links", {}))
    submit_id = next(op for op, found in links.items() if len(found) >= 2)
    submit_links = links[submit_id]
    job_status_link = next(link for link in submit_links.values() if operations[link["operationId"]].method == "get")
    append_link = next(link for link in submit_links.values() if operations[link["operationId"]].method != "get")
    ((conversation_param, conversation_expr),) = append_link["parameters"].items()
    ((job_param, job_expr),) = job_status_link["parameters"].items()
    job_status = operations[job_status_link["operationId"]]
    token = next((op for op in operations.values() if not op.needs_auth), None)

    status_body = resolve(document, document["paths"][job_status.path]["get"]["responses"]["200"])
    status_schema = resolve(document, status_body["content"]["application/json"]["schema"])
    status_field, status_enum_schema = next(
        (name, resolve(document, prop))
        for name, prop in status_schema["properties"].items()
        if "enum" in resolve(document, prop)
    )
    statuses = tuple(status_enum_schema["enum"])
    # The document says in prose that the last two values (`completed`, `failed`) are final; an
    # `x-terminal` list on the enum's schema, when present, is read instead.
    terminal = frozenset(status_enum_schema.get("x-terminal", statuses[-2:]))

    submit_raw = document["paths"][operations[submit_id].path][operations[submit_id].method]
    webhook_field = None
    for callback in submit_raw.get("callbacks", {}).values():
        for expression in resolve(document, callback):
            match = _CALLBACK_BODY_POINTER.match(expression)
            if match is not None:
                webhook_field = unescape(match.group("pointer").lstrip("/"))
    body = resolve(document, submit_raw["requestBody"])
    examples = body["content"]["application/json"].get("examples", {})
    example_body = copy.deepcopy(resolve(document, next(iter(examples.values())))["value"])

    return ApiFacts(
        document=document,
        operations=operations,
        submit=operations[submit_id],
        append=operations[append_link["operationId"]],
        job_status=job_status,
        token=token,
        conversation_param=conversation_param,
        conversation_pointer=_link_pointer(conversation_expr),
        job_param=job_param,
        job_pointer=_link_pointer(job_expr),
        statuses=statuses,
        terminal_statuses=terminal,
        status_field=status_field,
        webhook_body_field=webhook_field,
        example_body=example_body,
    )
