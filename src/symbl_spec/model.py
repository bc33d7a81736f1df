"""The OpenAPI document as objects: the one reader of the spec for the mock, the suite, the checks and the tests.

Everything is read once, when a :class:`Spec` is built: operations (paths and webhooks), their parameters,
request bodies, responses, links and callbacks, the security schemes, and the job lifecycle marked on the
status enum. ``$ref``s are followed by one resolver (``symbl_spec.refs``) that refuses remote references and
cycles. Every schema is validated through one registry of compiled jsonschema-rs validators, keyed by the JSON
pointer of the schema *where it is written*, so an inline schema is validated as itself and a ``$ref`` is
followed by the validator.
"""

from __future__ import annotations

import copy
import functools
from collections.abc import Iterator, Mapping
from typing import Any
from urllib.parse import quote

import jsonschema_rs

from symbl_spec.document import HTTP_METHODS, load_spec
from symbl_spec.encodings import Encoding
from symbl_spec.objects import (
    Callback,
    Lifecycle,
    Link,
    MediaType,
    Operation,
    Parameter,
    RequestBody,
    Response,
    SecurityScheme,
)
from symbl_spec.pointer import escape
from symbl_spec.refs import SpecError, resolve

__all__ = ["FINAL_VALUES_KEY", "Spec", "default_spec"]

FINAL_VALUES_KEY = "x-final-values"
"""Vendor extension on a string enum schema: the values a lifecycle never leaves (the job's final statuses)."""

_BASE_URI = "urn:symbl-spec"
# Characters a JSON pointer keeps as they are inside a URI fragment (RFC 6901 section 6).
_FRAGMENT_SAFE = "/~:@!$&'()*+,;="


class Spec:
    """The parsed document and what is read from it. Build one with :func:`default_spec` or ``Spec(document)``."""

    def __init__(self, document: Mapping[str, Any] | None = None) -> None:
        self.document: Mapping[str, Any] = document if document is not None else load_spec()
        self._registry = jsonschema_rs.Registry([(_BASE_URI, dict(self.document))], draft=jsonschema_rs.Draft202012)
        self._closed_registry: jsonschema_rs.Registry | None = None
        self._validators: dict[tuple[str, bool], jsonschema_rs.Validator] = {}
        self._encodings: dict[str, Encoding] = {}
        self.security_schemes: Mapping[str, SecurityScheme] = self._security_schemes()
        operations = tuple(self._operations())
        self.operations: Mapping[str, Operation] = {op.operation_id: op for op in operations if op.section == "paths"}
        self.webhooks: Mapping[str, Operation] = {op.operation_id: op for op in operations if op.section == "webhooks"}
        if len(self.operations) + len(self.webhooks) != len(operations):
            raise SpecError("operationIds must be unique (and present on every operation)")

    # -- references and schemas ------------------------------------------------------------------------

    def resolve(self, node: Any, pointer: str = "") -> tuple[Any, str]:
        """Follow local ``$ref``s from ``node`` (written at ``pointer``); the node and where it is written."""
        return resolve(self.document, node, pointer)

    def at(self, pointer: str) -> Any:
        """The node at ``pointer``, ``$ref``s followed."""
        return self.resolve({"$ref": "#" + pointer}, pointer)[0]

    def validator(self, pointer: str, *, closed: bool = False) -> jsonschema_rs.Validator:
        """The compiled validator (formats checked) of the schema written at ``pointer``; built once.

        ``closed``: the same schema with every object schema that does not say otherwise refusing undeclared
        properties (``additionalProperties: false``), for readers that want unknown properties reported.
        """
        key = (pointer, closed)
        found = self._validators.get(key)
        if found is None:
            wrapper = {
                "$schema": "https://json-schema.org/draft/2020-12/schema",
                "$ref": f"{_BASE_URI}#{quote(pointer, safe=_FRAGMENT_SAFE)}",
            }
            registry = self._closed() if closed else self._registry
            found = jsonschema_rs.validator_for(wrapper, registry=registry, validate_formats=True)
            self._validators[key] = found
        return found

    def _closed(self) -> jsonschema_rs.Registry:
        if self._closed_registry is None:
            document = copy.deepcopy(dict(self.document))
            _close_objects(document)
            self._closed_registry = jsonschema_rs.Registry([(_BASE_URI, document)], draft=jsonschema_rs.Draft202012)
        return self._closed_registry

    def encoding(self, pointer: str) -> Encoding:
        """How the schema at ``pointer`` reads parameter text and canonical values (``symbl_spec.encodings``)."""
        found = self._encodings.get(pointer)
        if found is None:
            found = self._encodings[pointer] = Encoding(self, pointer)
        return found

    def schema_pointer(self, name: str) -> str:
        return f"/components/schemas/{escape(name)}"

    def properties(self, pointer: str) -> Mapping[str, Any]:
        """The declared properties of the object schema at ``pointer`` (``$ref`` followed)."""
        schema = self.at(pointer)
        found = schema.get("properties") if isinstance(schema, Mapping) else None
        return found if isinstance(found, Mapping) else {}

    def require_properties(self, pointer: str, names: tuple[str, ...], user: str) -> None:
        """SpecError unless the schema at ``pointer`` declares each of ``names`` (which ``user`` relies on)."""
        absent = [name for name in names if name not in self.properties(pointer)]
        if absent:
            raise SpecError(f"{pointer} no longer declares {absent}; {user} uses them")

    def lifecycle(self, pointer: str) -> Lifecycle:
        """The status enum at ``pointer`` and its final values (``x-final-values``, which must be enum values)."""
        schema = self.at(pointer)
        values = schema.get("enum") if isinstance(schema, Mapping) else None
        final = schema.get(FINAL_VALUES_KEY) if isinstance(schema, Mapping) else None
        if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
            raise SpecError(f"{pointer} is not a string enum")
        if not isinstance(final, list) or not final or not set(final) <= set(values):
            raise SpecError(f"{pointer} must list its final values (a subset of its enum) in {FINAL_VALUES_KEY}")
        return Lifecycle(pointer, tuple(values), frozenset(final))

    # -- building ----------------------------------------------------------------------------------------

    def _security_schemes(self) -> dict[str, SecurityScheme]:
        schemes: dict[str, SecurityScheme] = {}
        components = self.document.get("components") or {}
        for name, node in (components.get("securitySchemes") or {}).items():
            scheme, where = self.resolve(node, f"/components/securitySchemes/{escape(name)}")
            kind = scheme.get("type")
            if kind == "http" and str(scheme.get("scheme", "")).lower() == "bearer":
                schemes[name] = SecurityScheme(name, "authorization", bearer=True)
            elif kind == "apiKey" and scheme.get("in") == "header":
                schemes[name] = SecurityScheme(name, str(scheme["name"]).lower(), bearer=False)
            else:
                raise SpecError(f"security scheme at {where} is not supported (bearer or header API key only)")
        return schemes

    def _security(self, requirements: Any, where: str) -> tuple[tuple[SecurityScheme, ...], ...]:
        alternatives: list[tuple[SecurityScheme, ...]] = []
        for requirement in requirements or []:
            if not requirement:  # {}: going without credentials is one of the alternatives
                return ()
            unknown = [name for name in requirement if name not in self.security_schemes]
            if unknown:
                raise SpecError(f"{where}: unknown security scheme(s) {unknown}")
            alternatives.append(tuple(self.security_schemes[name] for name in requirement))
        return tuple(alternatives)

    def _media(self, content: Mapping[str, Any], pointer: str) -> dict[str, MediaType]:
        found: dict[str, MediaType] = {}
        for media_type, node in (content or {}).items():
            where = f"{pointer}/content/{escape(media_type)}"
            schema = self.resolve(node["schema"], f"{where}/schema")[0] if "schema" in node else None
            examples: list[tuple[str, Any]] = []
            if "example" in node:
                examples.append(("example", node["example"]))
            for name, example in (node.get("examples") or {}).items():
                resolved = self.resolve(example, f"{where}/examples/{escape(name)}")[0]
                if isinstance(resolved, Mapping) and "value" in resolved:
                    examples.append((name, resolved["value"]))
            found[media_type.lower()] = MediaType(media_type, where, schema, tuple(examples))
        return found

    def _parameter(self, node: Any, pointer: str) -> Parameter:
        param, where = self.resolve(node, pointer)
        if "schema" not in param:
            raise SpecError(f"parameter at {where} has no schema (content-typed parameters are not supported)")
        return Parameter(
            name=param["name"],
            location=param["in"],
            required=bool(param.get("required", param["in"] == "path")),
            pointer=where,
            schema=self.resolve(param["schema"], f"{where}/schema")[0],
        )

    def _response(self, status: str, node: Any, pointer: str) -> Response:
        response, where = self.resolve(node, pointer)
        links = []
        for name, link_node in (response.get("links") or {}).items():
            link, link_where = self.resolve(link_node, f"{where}/links/{escape(name)}")
            links.append(Link(name, link_where, link.get("operationId"), dict(link.get("parameters") or {})))
        return Response(
            status=status,
            pointer=where,
            description=str(response.get("description", "")),
            content=self._media(response.get("content") or {}, where),
            links=tuple(links),
        )

    def _callbacks(self, operation: Mapping[str, Any], pointer: str) -> Iterator[Callback]:
        for name, node in (operation.get("callbacks") or {}).items():
            callback, where = self.resolve(node, f"{pointer}/callbacks/{escape(name)}")
            for expression in callback:
                yield Callback(name, expression, f"{where}/{escape(expression)}")

    def _operations(self) -> Iterator[Operation]:
        default_security = self.document.get("security", [])
        for section in ("paths", "webhooks"):
            for path, item_node in (self.document.get(section) or {}).items():
                item, item_pointer = self.resolve(item_node, f"/{section}/{escape(path)}")
                shared = item.get("parameters") or []
                for method in HTTP_METHODS:
                    if method not in item:
                        continue
                    op = item[method]
                    pointer = f"{item_pointer}/{method}"
                    if "operationId" not in op:
                        raise SpecError(f"{pointer} has no operationId")
                    params: dict[tuple[str, str], Parameter] = {}
                    for index, node in enumerate(shared):
                        p = self._parameter(node, f"{item_pointer}/parameters/{index}")
                        params[(p.name, p.location)] = p
                    for index, node in enumerate(op.get("parameters") or []):  # an operation's own win
                        p = self._parameter(node, f"{pointer}/parameters/{index}")
                        params[(p.name, p.location)] = p
                    body = None
                    if "requestBody" in op:
                        raw, where = self.resolve(op["requestBody"], f"{pointer}/requestBody")
                        body = RequestBody(where, bool(raw.get("required", False)), self._media(raw["content"], where))
                    yield Operation(
                        operation_id=op["operationId"],
                        section=section,
                        path=path,
                        method=method,
                        pointer=pointer,
                        tags=tuple(op.get("tags") or ()),
                        parameters=tuple(params.values()),
                        request_body=body,
                        security=self._security(op.get("security", default_security), pointer),
                        responses={
                            str(code): self._response(str(code), node, f"{pointer}/responses/{escape(str(code))}")
                            for code, node in (op.get("responses") or {}).items()
                        },
                        callbacks=tuple(self._callbacks(op, pointer)),
                    )

    # -- lookups ---------------------------------------------------------------------------------------

    def all_operations(self) -> Iterator[Operation]:
        """Every operation: the paths' first, then the webhooks'."""
        yield from self.operations.values()
        yield from self.webhooks.values()

    def operation_at(self, method: str, path: str) -> Operation | None:
        """The path operation with this method and path template."""
        for operation in self.operations.values():
            if operation.method == method.lower() and operation.path == path:
                return operation
        return None

    def webhook_payload(self) -> MediaType:
        """The JSON request body of the (one) webhook the document defines."""
        for webhook in self.webhooks.values():
            media = webhook.request_body.json if webhook.request_body is not None else None
            if media is not None and media.schema is not None:
                return media
        raise SpecError("the document defines no webhook with a JSON request body")


def _close_objects(node: Any) -> None:
    """Make every object schema under ``node`` that declares properties, and says nothing else, refuse others."""
    if isinstance(node, list):
        for item in node:
            _close_objects(item)
        return
    if not isinstance(node, dict):
        return
    kind = node.get("type")
    is_object = kind == "object" or (isinstance(kind, list) and "object" in kind)
    if (
        is_object
        and isinstance(node.get("properties"), Mapping)
        and "additionalProperties" not in node
        and "unevaluatedProperties" not in node
    ):
        node["additionalProperties"] = False
    for value in node.values():
        _close_objects(value)


@functools.cache
def default_spec() -> Spec:
    """The project's document, read once per process."""
    return Spec()
