"""Calling the generated client from spec data, and checking what it puts on the wire."""

from __future__ import annotations

import asyncio
import json
import typing
from collections.abc import Callable, Mapping
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit
from uuid import UUID

import httpx
from symbl_async_audio_client import AuthenticatedClient, Client

from symbl_spec import default_spec
from symbl_spec import deref as resolve
from symbl_spec.pointer import pointer_get

from ._spec import (
    BASE_URL,
    JSON,
    OPERATIONS,
    Capture,
    Operation,
    ResponseCase,
    canonical,
    document,
    response_cases,
    snake,
    validator,
)

__all__ = [
    "DEFAULT_TOKEN",
    "OFF_PATTERN_UUIDS",
    "call",
    "call_with_response",
    "check_request",
    "client_for",
    "encoded",
    "example_arguments",
    "example_body",
    "expected_auth",
    "first_response_case",
    "property_schema",
    "response_properties",
    "serve",
    "success_response",
]

DEFAULT_TOKEN = "contract-test-token"  # noqa: S105 (a placeholder sent to the mock transport)

# Spellings of a job ID that Python's uuid.UUID() takes but the spec's JobId (`format: uuid`, RFC 9562's 8-4-4-4-12
# hex form, and a lower-case pattern) rejects. The models refuse them: their to_dict() could not give them back.
OFF_PATTERN_UUIDS = {
    "no-hyphens": "9b1deb4d3b7d4bad9bdd2b0d7b3dcb6d",
    "braces": "{9b1deb4d-3b7d-4bad-9bdd-2b0d7b3dcb6d}",
    "urn": "urn:uuid:9b1deb4d-3b7d-4bad-9bdd-2b0d7b3dcb6d",
    "upper-case": "9B1DEB4D-3B7D-4BAD-9BDD-2B0D7B3DCB6D",
}

# Headers httpx adds to every request; anything else on the wire must come from the spec.
_TRANSPORT_HEADERS = frozenset({"host", "accept", "accept-encoding", "connection", "user-agent", "content-length"})


def _python_value(function: Callable[..., Any], name: str, value: Any) -> Any:
    """The spec value as the generated function's parameter ``name`` takes it (a UUID for a ``format: uuid``)."""
    hints = typing.get_type_hints(function)
    return UUID(value) if hints.get(name) is UUID else value


def call(
    operation: Operation,
    client: AuthenticatedClient | Client,
    path_parameters: Mapping[str, Any],
    query: Mapping[str, Any],
    body: Any,
    *,
    use_async: bool = False,
) -> Any:
    """The generated ``sync_detailed`` (or ``asyncio_detailed``), with spec-named data mapped to its arguments.

    The body goes through the generated model's ``from_dict``; each path and query parameter goes to the
    argument the generator names after it. A spec parameter with no argument is a TypeError here.
    """
    function = operation.module.asyncio_detailed if use_async else operation.module.sync_detailed
    kwargs: dict[str, Any] = {}
    for parameter in operation.parameters:
        source = path_parameters if parameter.location == "path" else query
        if parameter.name in source:
            name = snake(parameter.name)
            kwargs[name] = _python_value(function, name, source[parameter.name])
    if operation.body_model is not None:
        kwargs["body"] = operation.body_model.from_dict(body)
    if use_async:
        return asyncio.run(function(client=client, **kwargs))
    return function(client=client, **kwargs)


def _first_example(media: Mapping[str, Any]) -> Any:
    """The value of the first of a media type object's ``examples``."""
    return resolve(document(), next(iter(media["examples"].values())))["value"]


def example_arguments(operation: Operation) -> tuple[dict[str, Any], dict[str, Any], Any]:
    """Path parameters, query and body of a valid request built from the spec's own examples."""
    doc = document()
    path_parameters = {}
    for parameter in operation.spec.get("parameters") or []:
        parameter = resolve(doc, parameter)
        if parameter["in"] == "path":
            path_parameters[parameter["name"]] = parameter["example"]
    body = None
    if "requestBody" in operation.spec:
        body = _first_example(resolve(doc, operation.spec["requestBody"])["content"][JSON])
    return path_parameters, {}, body


def success_response(operation: Operation) -> Callable[[httpx.Request], httpx.Response]:
    """A handler answering the operation's documented success with the spec's example body."""
    doc = document()
    status = min(code for code in operation.spec["responses"] if code.startswith("2"))
    example = _first_example(resolve(doc, operation.spec["responses"][status])["content"][JSON])
    return lambda _request: httpx.Response(int(status), json=example)


def _schemes() -> Mapping[str, Any]:
    schemes: Mapping[str, Any] = document()["components"]["securitySchemes"]
    return schemes


def _scheme_header(scheme: Mapping[str, Any]) -> str:
    if scheme["type"] == "http" and scheme["scheme"].lower() == "bearer":
        return "authorization"
    if scheme["type"] == "apiKey" and scheme["in"] == "header":
        return str(scheme["name"]).lower()
    raise AssertionError(f"security scheme not modelled by these tests: {scheme!r}")


def _scheme_value(name: str, headers: Mapping[str, str]) -> tuple[str, str | None]:
    """The header of security scheme ``name``, and its value in ``headers`` (None when absent or not a bearer)."""
    header = _scheme_header(_schemes()[name])
    value = headers.get(header)
    if value is not None and header == "authorization" and not value.startswith("Bearer "):
        value = None
    return header, value


def expected_auth(operation: Operation, case_headers: Mapping[str, str]) -> tuple[str, str, str] | None:
    """(scheme name, header, value) the request must carry, taken from schemathesis' generated headers.

    The first of the operation's alternatives whose header schemathesis generated wins; when it generated
    none, the first alternative with a fixed token. None for an operation that needs no authentication.
    """
    if not operation.security:
        return None
    headers = {name.lower(): value for name, value in case_headers.items()}
    alternatives = [name for requirement in operation.security for name in requirement]
    for name in alternatives:
        header, value = _scheme_value(name, headers)
        if value is not None:
            return name, header, value
    name = alternatives[0]
    header = _scheme_header(_schemes()[name])
    return name, header, f"Bearer {DEFAULT_TOKEN}" if header == "authorization" else DEFAULT_TOKEN


def client_for(
    operation: Operation, auth: tuple[str, str, str] | None, capture: Capture, **flags: Any
) -> AuthenticatedClient | Client:
    """The client a caller would use for ``operation``: authenticated with ``auth``, no retries, mock transport."""
    httpx_args = {"transport": capture.transport}
    if auth is None:
        return Client(base_url=BASE_URL, retry=None, httpx_args=httpx_args, **flags)
    _, header, value = auth
    if header == "authorization":
        return AuthenticatedClient(
            base_url=BASE_URL, token=value.removeprefix("Bearer "), retry=None, httpx_args=httpx_args, **flags
        )
    return AuthenticatedClient(
        base_url=BASE_URL,
        token=value,
        prefix="",
        auth_header_name=header,
        retry=None,
        httpx_args=httpx_args,
        **flags,
    )


def _query_value(schema_pointer: str, raw: str) -> Any:
    """A query string value as the JSON value its schema describes (``true``, ``2``, ``"True"``, a string).

    The spec's one rule for parameter text (``Spec.encoding``, reading 10), which the mock reads requests by too.
    """
    return default_spec().encoding(schema_pointer).read(raw)


def _serialized(value: Any) -> str:
    """How a query value must look on the wire (form style, explode: OpenAPI's default for query)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def check_request(
    operation: Operation,
    request: httpx.Request,
    *,
    path_parameters: Mapping[str, Any],
    query: Mapping[str, Any],
    body: Any,
    auth: tuple[str, str, str] | None,
) -> None:
    """The request is what the spec says, and carries exactly ``path_parameters``, ``query``, ``body`` and ``auth``."""
    parameters = {(p.location, p.name): p for p in operation.parameters}

    # Method and URL: the base URL, then the path template with each parameter in its place.
    assert request.method == operation.method
    base = urlsplit(BASE_URL)
    assert (request.url.scheme, request.url.host) == (base.scheme, base.hostname)
    raw_path = request.url.raw_path.decode("ascii").split("?", 1)[0]
    match = operation.path_regex().match(raw_path)
    assert match is not None, f"{raw_path!r} is not {operation.path}"
    sent_path = {name: unquote(segment) for name, segment in match.groupdict().items()}
    assert sent_path == {name: str(value) for name, value in path_parameters.items()}
    for name, value in sent_path.items():
        assert validator(parameters["path", name].schema_pointer).is_valid(value), f"path {name}={value!r}"

    # Query: only declared parameters, each once, each valid, exactly the values given.
    pairs = parse_qsl(request.url.query.decode("ascii"), keep_blank_values=True, strict_parsing=False)
    sent_query = dict(pairs)
    assert len(sent_query) == len(pairs), f"a query parameter is repeated: {pairs}"
    assert sent_query == {name: _serialized(value) for name, value in query.items()}
    for name, raw in sent_query.items():
        parameter = parameters.get(("query", name))
        assert parameter is not None, f"undeclared query parameter {name!r}"
        value = _query_value(parameter.schema_pointer, raw)
        assert validator(parameter.schema_pointer).is_valid(value), f"query {name}={raw!r}"

    # Headers: the transport's, the body's media type, and the chosen security scheme's header; nothing else.
    allowed = set(_TRANSPORT_HEADERS)
    if auth is not None:
        _, header, value = auth
        assert request.headers.get(header) == value
        allowed.add(header)
    if operation.body_pointer is not None:
        assert request.headers.get("content-type") == JSON
        allowed.add("content-type")
    extra = set(request.headers.keys()) - allowed
    assert not extra, f"headers the spec does not ask for: {sorted(extra)}"
    if operation.security:
        assert _satisfies_security(operation, request.headers), "no security requirement of the operation is met"

    # Body: JSON, valid against the spec, and the given data exactly (nothing dropped, renamed or added).
    if operation.body_pointer is None:
        assert request.content == b""
        return
    sent = json.loads(request.content)
    assert canonical(sent) == canonical(body)
    errors = [error.message for error in validator(operation.body_pointer).iter_errors(sent)]
    assert not errors, errors


def _satisfies_security(operation: Operation, headers: httpx.Headers) -> bool:
    return any(
        all(_scheme_value(name, headers)[1] is not None for name in requirement) for requirement in operation.security
    )


# -- Serving a response body to the generated function ---------------------------------------------------------------


def encoded(body: Any) -> bytes:
    """The body as sent on the wire: raw bytes as they are, anything else as JSON."""
    return body if isinstance(body, bytes) else json.dumps(body, ensure_ascii=False).encode()


def serve(status: int, content: bytes) -> Capture:
    """A transport handler answering every request with ``status`` and ``content`` as JSON."""
    return Capture(lambda _request: httpx.Response(status, content=content, headers={"content-type": JSON}))


def call_with_response(operation: Operation, content: bytes, status: int, **flags: Any) -> Any:
    """The generated function, called with the spec's example request, on a server answering ``status``/``content``."""
    path_parameters, query, body = example_arguments(operation)
    with client_for(operation, expected_auth(operation, {}), serve(status, content), **flags) as client:
        return call(operation, client, path_parameters, query, body)


# -- Response schemas and their properties ---------------------------------------------------------------------------


def property_schema(schema_pointer: str, name: str) -> Mapping[str, Any]:
    """The resolved schema of property ``name`` of the object schema at ``schema_pointer`` ({} when undeclared)."""
    doc = document()
    properties = resolve(doc, pointer_get(doc, schema_pointer)).get("properties", {})
    return resolve(doc, properties[name]) if name in properties else {}


def response_properties() -> list[tuple[str, str, Mapping[str, Any]]]:
    """(schema pointer, property, property schema) for every property of every response schema."""
    doc = document()
    result = []
    for pointer in sorted({case.schema_pointer for case in response_cases()}):
        for name in resolve(doc, pointer_get(doc, pointer)).get("properties", {}):
            result.append((pointer, name, property_schema(pointer, name)))
    return result


def first_response_case(schema_pointer: str) -> ResponseCase:
    """The first documented (operation, status) whose body has the schema at ``schema_pointer``."""
    return next(case for case in response_cases() if case.schema_pointer == schema_pointer)


def example_body(schema_pointer: str) -> dict[str, Any]:
    """A valid body for a response schema: the spec's first example of a response that uses it."""
    doc = document()
    for operation in OPERATIONS.values():
        for raw in operation.spec["responses"].values():
            media = resolve(doc, raw).get("content", {}).get(JSON)
            if media is not None and media["schema"].get("$ref") == "#" + schema_pointer:
                value: dict[str, Any] = _first_example(media)
                assert validator(schema_pointer).is_valid(value)
                return value
    raise AssertionError(f"no example for {schema_pointer}")
