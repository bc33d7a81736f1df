"""Checks of the OpenAPI document that the structural validators do not make.

`openapi-spec-validator` and Redocly check the shape of the document; they do not check that a link
targets a real operation and a real response field, nor that every example validates against its
schema. Each check returns a list of problems (empty when the document is sound) so that tests and
scripts/check_spec report all of them at once.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any
from urllib.parse import quote

import jsonschema_rs

from symbl_spec import HTTP_METHODS
from symbl_spec.pointer import escape, pointer_get, unescape

__all__ = ["check_examples", "check_links", "iter_examples", "iter_operations", "pointer_get", "resolve"]


def resolve(document: Mapping[str, Any], node: Any) -> Any:
    """Follow local ``$ref``s until ``node`` is not a reference."""
    seen: set[str] = set()
    while isinstance(node, Mapping) and "$ref" in node:
        ref = node["$ref"]
        if not isinstance(ref, str) or not ref.startswith("#"):
            raise ValueError(f"only local references are supported, got {ref!r}")
        if ref in seen:
            raise ValueError(f"reference cycle through {ref}")
        seen.add(ref)
        node = pointer_get(document, ref[1:])
    return node


def iter_operations(document: Mapping[str, Any]) -> Iterator[tuple[str, str, str, dict[str, Any]]]:
    """(section, path or webhook name, method, operation) for every operation, paths first, then webhooks."""
    for section in ("paths", "webhooks"):
        for name, item in (document.get(section) or {}).items():
            item = resolve(document, item)
            for method in HTTP_METHODS:
                if method in item:
                    yield section, name, method, item[method]


def _response_schema(document: Mapping[str, Any], response: Any) -> Any:
    response = resolve(document, response)
    media = (response.get("content") or {}).get("application/json") or {}
    return media.get("schema")


def _schema_has_property(document: Mapping[str, Any], schema: Any, pointer: str) -> bool:
    """Whether the JSON pointer into a response body names properties that the schema declares."""
    node = resolve(document, schema)
    for raw in pointer.lstrip("/").split("/"):
        if not raw:
            return False
        properties = node.get("properties") if isinstance(node, Mapping) else None
        if not isinstance(properties, Mapping) or unescape(raw) not in properties:
            return False
        node = resolve(document, properties[unescape(raw)])
    return True


def check_links(document: Mapping[str, Any]) -> list[str]:
    """Every link names an existing operationId, real parameters of it, and fields its response declares."""
    operations = {op["operationId"]: op for _, _, _, op in iter_operations(document) if "operationId" in op}
    problems: list[str] = []
    for _, name, method, operation in iter_operations(document):
        for status, response in (operation.get("responses") or {}).items():
            response = resolve(document, response)
            for link_name, link in (response.get("links") or {}).items():
                link = resolve(document, link)
                where = f"{method.upper()} {name} {status} link {link_name}"
                target_id = link.get("operationId")
                if target_id is None:
                    problems.append(f"{where}: no operationId (operationRef is not used in this document)")
                    continue
                target = operations.get(target_id)
                if target is None:
                    problems.append(f"{where}: operationId {target_id!r} does not exist")
                    continue
                declared = {resolve(document, p)["name"] for p in target.get("parameters") or []}
                for parameter, expression in (link.get("parameters") or {}).items():
                    bare = parameter.split(".", 1)[-1]
                    if bare not in declared:
                        problems.append(f"{where}: {target_id} has no parameter {bare!r}")
                    problems.extend(_check_expression(document, where, expression, response))
    return problems


def _check_expression(
    document: Mapping[str, Any], where: str, expression: Any, response: Mapping[str, Any]
) -> list[str]:
    if not isinstance(expression, str) or not expression.startswith("$response.body#"):
        return []  # constants and request expressions are not checked against the response
    pointer = expression.removeprefix("$response.body#")
    schema = _response_schema(document, response)
    if schema is None:
        return [f"{where}: {expression} but the response has no JSON body"]
    if not _schema_has_property(document, schema, pointer):
        return [f"{where}: {expression} names a field the response schema does not declare"]
    return []


def iter_examples(document: Mapping[str, Any]) -> Iterator[tuple[str, str, Any]]:
    """(where, JSON pointer of the schema, example value) for every example in the document.

    Covers media-type ``example``/``examples``, parameter ``example``/``examples`` and the JSON Schema
    ``examples`` keyword of every schema reachable under components and operations.
    """
    yield from _walk(document, document, "")


def _walk(document: Mapping[str, Any], node: Any, pointer: str) -> Iterator[tuple[str, str, Any]]:
    if isinstance(node, list):
        for index, item in enumerate(node):
            yield from _walk(document, item, f"{pointer}/{index}")
        return
    if not isinstance(node, Mapping):
        return
    if "schema" in node and ("example" in node or "examples" in node):
        # A media type or a parameter: its examples validate against its schema.
        schema_pointer = f"{pointer}/schema"
        if "example" in node:
            yield f"{pointer}/example", schema_pointer, node["example"]
        for name, example in (node.get("examples") or {}).items():
            example = resolve(document, example)
            if "value" in example:
                yield f"{pointer}/examples/{escape(name)}", schema_pointer, example["value"]
    elif _is_schema(node, pointer) and isinstance(node.get("examples"), list):
        for index, value in enumerate(node["examples"]):
            yield f"{pointer}/examples/{index}", pointer, value
    for key, child in node.items():
        if key in ("examples", "example"):
            continue
        yield from _walk(document, child, f"{pointer}/{escape(str(key))}")


def _is_schema(node: Mapping[str, Any], pointer: str) -> bool:
    return "/components/schemas/" in pointer or "/schema" in pointer or "/properties/" in pointer


def check_examples(document: Mapping[str, Any]) -> list[str]:
    """Every example validates against the schema it illustrates (formats included)."""
    problems: list[str] = []
    for where, schema_pointer, value in iter_examples(document):
        # The whole document is the root so that local $refs resolve; the $ref selects the schema.
        root = {**document, "$ref": "#" + quote(schema_pointer, safe="/~:@!$&'()*+,;=")}
        validator = jsonschema_rs.Draft202012Validator(root, validate_formats=True)
        errors = list(validator.iter_errors(value))
        problems.extend(f"{where}: {error.message}" for error in errors)
    return problems
