"""What the mock knows about the API, all of it read from the OpenAPI document at start.

Routes, methods, parameters, request bodies, security, the job status values and the response
messages come from the document; request schemas are compiled once into jsonschema-rs validators
(``$ref``s resolved against the document, formats checked). Nothing here copies a field list.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from http import HTTPStatus
from typing import Any
from urllib.parse import unquote

import jsonschema_rs

from symbl_spec import HTTP_METHODS, load_spec
from symbl_spec.pointer import escape, pointer_get

__all__ = ["BodySpec", "Operation", "Parameter", "Route", "SpecError", "SpecModel", "describe_error"]

_BASE_URI = "urn:symbl-async-audio-spec"


class SpecError(ValueError):
    """The document cannot drive the mock (an unsupported construct, a missing piece)."""


@dataclass(frozen=True, slots=True)
class Parameter:
    name: str
    location: str  # path | query | header | cookie
    required: bool
    kind: str | None  # the JSON type of the schema, used to turn the query string's text into a value
    validator: jsonschema_rs.Validator


@dataclass(frozen=True, slots=True)
class BodySpec:
    required: bool
    media_types: frozenset[str]
    validators: Mapping[str, jsonschema_rs.Validator]


@dataclass(frozen=True, slots=True)
class AuthScheme:
    """One security scheme: where the token is read from."""

    name: str
    header: bytes  # lower-case header name, as in the ASGI scope
    bearer: bool  # True: ``Authorization: Bearer <t>``; False: the header's value is the token


@dataclass(frozen=True, slots=True)
class Operation:
    operation_id: str
    method: str  # upper case
    path: str
    parameters: tuple[Parameter, ...]
    body: BodySpec | None
    security: tuple[tuple[AuthScheme, ...], ...]  # alternatives; () means no authentication
    statuses: frozenset[int]
    messages: Mapping[int, str]  # status -> the message of the spec's first example for it

    def message(self, status: int) -> str:
        found = self.messages.get(status)
        return found if found is not None else HTTPStatus(status).phrase


@dataclass(frozen=True, slots=True)
class Route:
    path: str
    segments: tuple[str | None, ...]  # a literal segment, or None for a parameter
    param_names: tuple[str | None, ...]
    operations: Mapping[str, Operation]  # by upper-case method
    allow: str  # value of the Allow header

    def match(self, raw_segments: list[str]) -> dict[str, str] | None:
        """Path parameters (still percent-encoded) when the raw path's segments fit this route."""
        if len(raw_segments) != len(self.segments):
            return None
        params: dict[str, str] = {}
        for literal, name, raw in zip(self.segments, self.param_names, raw_segments, strict=True):
            if literal is None:
                assert name is not None
                params[name] = raw
            elif literal != raw and literal != unquote(raw):
                return None
        return params


def describe_error(error: jsonschema_rs.ValidationError, where: str) -> str:
    """``where.field.sub[0]: <what is wrong> (rule: keyword)`` - names the field and the rule broken."""
    location = where
    for part in error.instance_path:
        location += f"[{part}]" if isinstance(part, int) else f".{part}"
    return f"{location}: {error.message} (rule: {error.kind.name})"


class SpecModel:
    """The compiled view of the document the mock serves."""

    def __init__(self, document: dict[str, Any] | None = None) -> None:
        self.document = document if document is not None else load_spec()
        self._registry = jsonschema_rs.Registry([(_BASE_URI, self.document)], draft=jsonschema_rs.Draft202012)
        self._compiled: dict[str, jsonschema_rs.Validator] = {}
        self.security_schemes = self._security_schemes()
        self.routes = tuple(self._routes())
        self.operations = {op.operation_id: op for route in self.routes for op in route.operations.values()}

    # -- references ---------------------------------------------------------------------------------

    def resolve(self, node: Any, pointer: str) -> tuple[Any, str]:
        """Follow local ``$ref``s; returns the node and its JSON pointer in the document."""
        seen: set[str] = set()
        while isinstance(node, dict) and "$ref" in node:
            ref = node["$ref"]
            if not isinstance(ref, str) or not ref.startswith("#/") or ref in seen:
                raise SpecError(f"unsupported or circular $ref {ref!r} at {pointer}")
            seen.add(ref)
            pointer = ref[1:]
            node = pointer_get(self.document, pointer)
        return node, pointer

    def validator(self, pointer: str) -> jsonschema_rs.Validator:
        """A compiled validator for the schema at ``pointer`` (cached)."""
        found = self._compiled.get(pointer)
        if found is None:
            wrapper = {"$schema": "https://json-schema.org/draft/2020-12/schema", "$ref": f"{_BASE_URI}#{pointer}"}
            found = jsonschema_rs.validator_for(wrapper, registry=self._registry, validate_formats=True)
            self._compiled[pointer] = found
        return found

    def schema_at(self, pointer: str) -> Any:
        node, _ = self.resolve({"$ref": "#" + pointer}, pointer)
        return node

    def enum_of(self, schema_name: str) -> tuple[str, ...]:
        schema, _ = self.resolve({"$ref": f"#/components/schemas/{schema_name}"}, "")
        values = schema.get("enum") if isinstance(schema, dict) else None
        if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
            raise SpecError(f"components/schemas/{schema_name} has no string enum")
        return tuple(values)

    # -- building -----------------------------------------------------------------------------------

    def _security_schemes(self) -> dict[str, AuthScheme]:
        schemes: dict[str, AuthScheme] = {}
        raw = self.document.get("components", {}).get("securitySchemes", {})
        for name, node in raw.items():
            scheme, where = self.resolve(node, f"/components/securitySchemes/{name}")
            kind = scheme.get("type")
            if kind == "http" and str(scheme.get("scheme", "")).lower() == "bearer":
                schemes[name] = AuthScheme(name, b"authorization", bearer=True)
            elif kind == "apiKey" and scheme.get("in") == "header":
                schemes[name] = AuthScheme(name, str(scheme["name"]).lower().encode("latin-1"), bearer=False)
            else:
                raise SpecError(f"security scheme at {where} is not supported by the mock")
        return schemes

    def _security(self, requirements: Iterable[Mapping[str, Any]]) -> tuple[tuple[AuthScheme, ...], ...]:
        alternatives: list[tuple[AuthScheme, ...]] = []
        for requirement in requirements:
            if not requirement:  # {} means "no authentication" is an alternative
                return ()
            alternatives.append(tuple(self.security_schemes[name] for name in requirement))
        return tuple(alternatives)

    def _parameter(self, node: Any, pointer: str) -> Parameter:
        param, pointer = self.resolve(node, pointer)
        if "schema" not in param:
            raise SpecError(f"parameter at {pointer} has no schema (content-typed parameters are not supported)")
        schema, _ = self.resolve(param["schema"], pointer + "/schema")
        kind = schema.get("type") if isinstance(schema, dict) else None
        return Parameter(
            name=param["name"],
            location=param["in"],
            required=bool(param.get("required", param["in"] == "path")),
            kind=kind if isinstance(kind, str) else None,
            validator=self.validator(pointer + "/schema"),
        )

    def _body(self, node: Any, pointer: str) -> BodySpec:
        body, pointer = self.resolve(node, pointer)
        validators: dict[str, jsonschema_rs.Validator] = {}
        for media_type, media in body.get("content", {}).items():
            if "schema" in media:
                validators[media_type.lower()] = self.validator(f"{pointer}/content/{escape(media_type)}/schema")
        return BodySpec(
            required=bool(body.get("required", False)),
            media_types=frozenset(m.lower() for m in body.get("content", {})),
            validators=validators,
        )

    def _messages(self, responses: Mapping[str, Any], pointer: str) -> tuple[frozenset[int], dict[int, str]]:
        statuses: set[int] = set()
        messages: dict[int, str] = {}
        for code, node in responses.items():
            if not str(code).isdigit():
                continue  # ranges and "default" are not used by this document
            status = int(code)
            statuses.add(status)
            response, where = self.resolve(node, f"{pointer}/{code}")
            for media in response.get("content", {}).values():
                for example_node in (media.get("examples") or {}).values():
                    example, _ = self.resolve(example_node, where)
                    value = example.get("value") if isinstance(example, dict) else None
                    if isinstance(value, dict) and isinstance(value.get("message"), str):
                        messages.setdefault(status, value["message"])
        return frozenset(statuses), messages

    def _routes(self) -> Iterable[Route]:
        default_security = self.document.get("security", [])
        for path, item_node in self.document.get("paths", {}).items():
            item, item_pointer = self.resolve(item_node, f"/paths/{escape(path)}")
            shared = item.get("parameters", [])
            operations: dict[str, Operation] = {}
            for method in HTTP_METHODS:
                if method not in item:
                    continue
                op = item[method]
                op_pointer = f"{item_pointer}/{method}"
                params: dict[tuple[str, str], Parameter] = {}
                for i, node in enumerate(shared):
                    p = self._parameter(node, f"{item_pointer}/parameters/{i}")
                    params[(p.name, p.location)] = p
                for i, node in enumerate(op.get("parameters", [])):
                    p = self._parameter(node, f"{op_pointer}/parameters/{i}")
                    params[(p.name, p.location)] = p
                statuses, messages = self._messages(op.get("responses", {}), f"{op_pointer}/responses")
                operations[method.upper()] = Operation(
                    operation_id=op["operationId"],
                    method=method.upper(),
                    path=path,
                    parameters=tuple(params.values()),
                    body=self._body(op["requestBody"], f"{op_pointer}/requestBody") if "requestBody" in op else None,
                    security=self._security(op.get("security", default_security)),
                    statuses=statuses,
                    messages=messages,
                )
            segments: list[str | None] = []
            names: list[str | None] = []
            for segment in path.strip("/").split("/"):
                m = re.fullmatch(r"\{([^{}]+)\}", segment)
                segments.append(None if m else segment)
                names.append(m.group(1) if m else None)
            yield Route(
                path=path,
                segments=tuple(segments),
                param_names=tuple(names),
                operations=operations,
                allow=", ".join(operations),
            )
