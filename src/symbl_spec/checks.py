"""Checks of the OpenAPI document that the structural validators do not make.

`openapi-spec-validator` and Redocly check the shape of the document; they do not check that a link
targets a real operation and a real response field, nor that every example validates against its
schema. Each check returns a list of problems (empty when the document is sound) so that tests and
scripts/check_spec report all of them at once.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from symbl_spec.model import Spec
from symbl_spec.pointer import escape, unescape

__all__ = ["check_examples", "check_links", "field_schema_pointer", "iter_examples"]


Source = Spec | Mapping[str, Any]
"""A :class:`Spec`, or a document to read as one (tests check edited copies of the document)."""


def _spec(source: Source) -> Spec:
    return source if isinstance(source, Spec) else Spec(source)


def check_links(source: Source) -> list[str]:
    """Every link names an existing operationId, real parameters of it, and fields its response declares."""
    spec = _spec(source)
    problems: list[str] = []
    for operation in spec.all_operations():
        for status, response in operation.responses.items():
            for link in response.links:
                where = f"{operation.method.upper()} {operation.path} {status} link {link.name}"
                if link.operation_id is None:
                    problems.append(f"{where}: no operationId (operationRef is not used in this document)")
                    continue
                target = spec.operations.get(link.operation_id)
                if target is None:
                    problems.append(f"{where}: operationId {link.operation_id!r} does not exist")
                    continue
                declared = {p.name for p in target.parameters}
                for parameter, expression in link.parameters.items():
                    bare = parameter.split(".", 1)[-1]
                    if bare not in declared:
                        problems.append(f"{where}: {link.operation_id} has no parameter {bare!r}")
                    problems.extend(_check_expression(spec, where, expression, response.json_schema_pointer))
    return problems


def _check_expression(spec: Spec, where: str, expression: Any, schema_pointer: str | None) -> list[str]:
    if not isinstance(expression, str) or not expression.startswith("$response.body#"):
        return []  # constants and request expressions are not checked against the response
    if schema_pointer is None:
        return [f"{where}: {expression} but the response has no JSON body"]
    if field_schema_pointer(spec, schema_pointer, expression.removeprefix("$response.body#")) is None:
        return [f"{where}: {expression} names a field the response schema does not declare"]
    return []


def field_schema_pointer(spec: Spec, schema_pointer: str, body_pointer: str) -> str | None:
    """Where the schema of the field at ``body_pointer`` (``/conversationId``) is written, or None if undeclared.

    Object properties only: each step must be a declared property of the schema reached so far.
    """
    pointer = schema_pointer
    for raw in body_pointer.lstrip("/").split("/"):
        if not raw:
            return None
        _, resolved = spec.resolve({"$ref": "#" + pointer}, pointer)
        name = unescape(raw)
        if name not in spec.properties(resolved):
            return None
        pointer = f"{resolved}/properties/{escape(name)}"
    return pointer


def iter_examples(source: Source) -> Iterator[tuple[str, str, Any]]:
    """(where, JSON pointer of the schema, example value) for every example in the document.

    Covers media-type ``example``/``examples``, parameter ``example``/``examples`` and the JSON Schema
    ``examples`` keyword of every schema reachable under components and operations.
    """
    spec = _spec(source)
    yield from _walk(spec, spec.document, "")


def _walk(spec: Spec, node: Any, pointer: str) -> Iterator[tuple[str, str, Any]]:
    if isinstance(node, list):
        for index, item in enumerate(node):
            yield from _walk(spec, item, f"{pointer}/{index}")
        return
    if not isinstance(node, Mapping):
        return
    if "schema" in node and ("example" in node or "examples" in node):
        # A media type or a parameter: its examples validate against its schema.
        schema_pointer = f"{pointer}/schema"
        if "example" in node:
            yield f"{pointer}/example", schema_pointer, node["example"]
        for name, example in (node.get("examples") or {}).items():
            example = spec.resolve(example, f"{pointer}/examples/{escape(name)}")[0]
            if "value" in example:
                yield f"{pointer}/examples/{escape(name)}", schema_pointer, example["value"]
    elif _is_schema(pointer) and isinstance(node.get("examples"), list):
        for index, value in enumerate(node["examples"]):
            yield f"{pointer}/examples/{index}", pointer, value
    for key, child in node.items():
        if key in ("examples", "example"):
            continue
        yield from _walk(spec, child, f"{pointer}/{escape(str(key))}")


def _is_schema(pointer: str) -> bool:
    return "/components/schemas/" in pointer or "/schema" in pointer or "/properties/" in pointer


def check_examples(source: Source) -> list[str]:
    """Every example validates against the schema it illustrates (formats included)."""
    spec = _spec(source)
    problems: list[str] = []
    for where, schema_pointer, value in iter_examples(spec):
        problems.extend(f"{where}: {error.message}" for error in spec.validator(schema_pointer).iter_errors(value))
    return problems
