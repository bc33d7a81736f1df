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
from symbl_spec.objects import Parameter
from symbl_spec.pointer import escape, unescape

__all__ = [
    "check_examples",
    "check_links",
    "check_patterns",
    "field_schema_pointer",
    "iter_examples",
    "schema_fits",
]


Source = Spec | Mapping[str, Any]
"""A :class:`Spec`, or a document to read as one (tests check edited copies of the document)."""


def _spec(source: Source) -> Spec:
    return source if isinstance(source, Spec) else Spec(source)


def check_links(source: Source) -> list[str]:
    """Every link names an existing operationId, real parameters of it, and fields its response declares,
    whose schemas fit the parameters they feed (every value the field may hold is valid for the parameter)."""
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
                for name, expression in link.parameters.items():
                    location, _, bare = name.rpartition(".")
                    parameter = target.parameter(bare, location or None)
                    if parameter is None:
                        problems.append(f"{where}: {link.operation_id} has no parameter {bare!r}")
                    problems.extend(_check_expression(spec, where, expression, response.json_schema_pointer, parameter))
    return problems


def _check_expression(
    spec: Spec, where: str, expression: Any, schema_pointer: str | None, parameter: Parameter | None
) -> list[str]:
    if not isinstance(expression, str) or not expression.startswith("$response.body#"):
        return []  # constants and request expressions are not checked against the response
    if schema_pointer is None:
        return [f"{where}: {expression} but the response has no JSON body"]
    field = field_schema_pointer(spec, schema_pointer, expression.removeprefix("$response.body#"))
    if field is None:
        return [f"{where}: {expression} names a field the response schema does not declare"]
    if parameter is None:
        return []
    return [
        f"{where}: {expression} may not fit parameter {parameter.name!r}: {reason}"
        for reason in schema_fits(spec, field, parameter.schema_pointer)
    ]


# Keywords that constrain nothing: a target schema may carry them whatever its source says.
_ANNOTATIONS = frozenset(
    {"description", "title", "examples", "example", "default", "deprecated", "readOnly", "writeOnly", "$comment"}
)
_AT_LEAST = frozenset({"minLength", "minimum", "exclusiveMinimum", "minItems", "minProperties"})
_AT_MOST = frozenset({"maxLength", "maximum", "exclusiveMaximum", "maxItems", "maxProperties"})
_SAME = frozenset({"type", "pattern", "format", "const", "multipleOf"})


def schema_fits(spec: Spec, source: str, target: str) -> list[str]:
    """Why a value valid against the schema at ``source`` might break the one at ``target`` (empty: it fits).

    Conservative: every constraint of the target must be matched by one at least as strict in the source
    (the same ``pattern`` and ``format``, bounds no wider, an enum no larger), or both pointers must lead to
    the same schema. A keyword it cannot compare is reported, never assumed to fit.
    """
    source_node, source_at = spec.resolve({"$ref": "#" + source}, source)
    target_node, target_at = spec.resolve({"$ref": "#" + target}, target)
    if source_at == target_at:
        return []
    if not isinstance(source_node, Mapping) or not isinstance(target_node, Mapping):
        return ["a schema is not an object"]
    reasons: list[str] = []
    for key, wanted in target_node.items():
        if key in _ANNOTATIONS or key.startswith("x-"):
            continue
        given = source_node.get(key)
        if key in _SAME:
            ok = given == wanted
        elif key in _AT_LEAST:
            ok = isinstance(given, int | float) and given >= wanted
        elif key in _AT_MOST:
            ok = isinstance(given, int | float) and given <= wanted
        elif key == "enum":
            values = given if isinstance(given, list) else [source_node["const"]] if "const" in source_node else None
            ok = values is not None and all(value in wanted for value in values)
        else:
            reasons.append(f"the target's {key!r} cannot be compared")
            continue
        if not ok:
            reasons.append(f"the target requires {key}={wanted!r}, the source has {given!r}")
    return reasons


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


# Escapes whose meaning differs between regex dialects: Python's \s also matches \x1c-\x1f and \x85, its \d and
# \w match non-ASCII digits and letters; ECMA-262 (JSON Schema's dialect) does not. \b and \B follow \w.
_DIALECT_ESCAPES = frozenset("sSdDwWbB")


def check_patterns(source: Source) -> list[str]:
    """No ``pattern`` (nor ``patternProperties`` key) uses an escape whose meaning differs between dialects."""
    spec = _spec(source)
    problems: list[str] = []
    for where, pattern in _patterns(spec.document, ""):
        found = sorted({f"\\{c}" for c in _escapes(pattern) if c in _DIALECT_ESCAPES})
        if found:
            problems.append(f"{where}: {', '.join(found)} in {pattern!r}: spell the characters out (e.g. [0-9])")
    return problems


def _patterns(node: Any, pointer: str) -> Iterator[tuple[str, str]]:
    if isinstance(node, list):
        for index, item in enumerate(node):
            yield from _patterns(item, f"{pointer}/{index}")
        return
    if not isinstance(node, Mapping):
        return
    if isinstance(node.get("pattern"), str):
        yield f"{pointer}/pattern", node["pattern"]
    if isinstance(node.get("patternProperties"), Mapping):
        for key in node["patternProperties"]:
            yield f"{pointer}/patternProperties/{escape(key)}", key
    for key, child in node.items():
        yield from _patterns(child, f"{pointer}/{escape(str(key))}")


def _escapes(pattern: str) -> Iterator[str]:
    """The character after each backslash escape of ``pattern`` (an escaped backslash is one escape)."""
    index = 0
    while index < len(pattern) - 1:
        if pattern[index] == "\\":
            yield pattern[index + 1]
            index += 2
        else:
            index += 1
