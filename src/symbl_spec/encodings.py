"""Values that clients send in several spellings: the one rule that turns them into JSON values and canonical ones.

The document writes such a value as ``anyOf`` its canonical JSON type, first, and the text clients send
(``Flag``: ``boolean`` or ``"True"``; ``SpeakerCount``: ``integer`` or ``"2.0"``). Two rules follow from that
shape and from nothing else, so that the mock, the contract tests and anyone else reading the document agree:

- **Parameter text** (a query, path or header value) is the JSON value of the first alternative it is a literal
  of and which the schema accepts: ``true``/``false`` for a boolean, a JSON integer (no fraction, no exponent)
  for an integer, a JSON number for a number, the text itself for a string. ``True`` is not a boolean literal,
  so for ``Flag`` it stays the text ``"True"``, which the string alternative admits; ``2.0`` is not an integer
  literal, so for ``SpeakerCount`` it is the text ``"2.0"``, which the string alternative admits (and bounds).
  A text is thus read as the schema's own alternatives say, as schemathesis reads it too.
- **A valid value means** the value of the canonical (first) type it spells: a text is read as that type's
  literal, ignoring case for a boolean (``"True"`` is ``true``), and a number with no fractional part is an
  integer where the canonical type is ``integer`` (``2.0`` and ``"2.0"`` are ``2``).

A schema without ``anyOf`` is its own single alternative, so plain parameters follow the same rule.

A text whose schema says it carries JSON (``contentMediaType: application/json`` with a ``contentSchema``) means
the value it spells when that value fits the ``contentSchema``; empty, it means no value at all (``absent``).
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import jsonschema_rs

    from symbl_spec.model import Spec

__all__ = ["Encoding"]

_NUMBER = re.compile(r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?")
_INTEGER = re.compile(r"-?(?:0|[1-9][0-9]*)")
_NOTHING = object()


def _finite(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise ValueError("not a finite number")
    return value


_DECODER = json.JSONDecoder(parse_float=_finite)


def _literal(kind: Any, text: str) -> Any:
    """``text`` as a literal of the JSON type ``kind``, or ``_NOTHING`` when it is not one."""
    if kind == "boolean":
        return {"true": True, "false": False}.get(text, _NOTHING)
    if kind in ("integer", "number"):
        if not (_INTEGER if kind == "integer" else _NUMBER).fullmatch(text):
            return _NOTHING
        try:  # the JSON reading: exact integers, finite floats, and Python's limit on integer digits
            return _DECODER.decode(text)
        except ValueError:
            return _NOTHING
    if kind == "string" or kind is None:
        return text
    return _NOTHING  # arrays, objects and null have no form-style text here


def _kind(schema: Any) -> Any:
    kind = schema.get("type") if isinstance(schema, Mapping) else None
    if isinstance(kind, list):  # ``[array, 'null']``: the first type is the value's own
        return kind[0] if kind else None
    return kind


class Encoding:
    """How the schema written at ``pointer`` reads parameter text, and which canonical value a valid value means."""

    def __init__(self, spec: Spec, pointer: str) -> None:
        self.pointer = pointer
        schema, written = spec.resolve({"$ref": "#" + pointer}, pointer)
        alternatives = schema.get("anyOf") if isinstance(schema, Mapping) else None
        if isinstance(alternatives, list) and alternatives:
            self.kinds: tuple[Any, ...] = tuple(
                _kind(spec.at(f"{written}/anyOf/{index}")) for index in range(len(alternatives))
            )
            self._canonical: jsonschema_rs.Validator = spec.validator(f"{written}/anyOf/0")
        else:
            self.kinds = (_kind(schema),)
            self._canonical = spec.validator(pointer)
        self._validator = spec.validator(pointer)
        self._content: jsonschema_rs.Validator | None = None
        if (
            isinstance(schema, Mapping)
            and schema.get("contentMediaType") == "application/json"
            and "contentSchema" in schema
        ):
            self._content = spec.validator(f"{written}/contentSchema")

    def absent(self, value: Any) -> bool:
        """Whether a valid value means no value at all: an empty text that should carry JSON."""
        return self._content is not None and isinstance(value, str) and not value.strip()

    @property
    def canonical_kind(self) -> Any:
        """The JSON type every valid value means (the first alternative's)."""
        return self.kinds[0]

    @property
    def has_spellings(self) -> bool:
        """Whether the schema admits more than one spelling of a value (``anyOf`` alternatives)."""
        return len(self.kinds) > 1

    def read(self, text: str) -> Any:
        """Parameter text as a JSON value: the first alternative's literal the schema accepts.

        When none is accepted, the first literal found (or the text), so that validating it explains why.
        """
        return self.read_checked(text)[0]

    def read_checked(self, text: str) -> tuple[Any, bool]:
        """``read``'s value, and whether the schema accepts it (known without validating it a second time)."""
        first: Any = _NOTHING
        for kind in self.kinds:
            candidate = _literal(kind, text)
            if candidate is _NOTHING:
                continue
            if self._validator.is_valid(candidate):
                return candidate, True
            if first is _NOTHING:
                first = candidate
        if first is _NOTHING:  # no alternative reads the text: the text itself, which may still be valid
            return text, self._validator.is_valid(text)
        return first, False

    @property
    def validator(self) -> jsonschema_rs.Validator:
        """The parameter's schema as written (every spelling), which ``read_checked`` validates against."""
        return self._validator

    def canonical(self, value: Any) -> Any:
        """The canonical value a value valid against the schema means (``"True"`` -> ``True``, ``"2.0"`` -> ``2``)."""
        kind = self.canonical_kind
        if self._content is not None and isinstance(value, str):
            try:
                carried = _DECODER.decode(value)
            except ValueError:
                return value
            return carried if self._content.is_valid(carried) else value
        if not self._canonical.is_valid(value):
            if not isinstance(value, str):
                return value
            value = _spelled(kind, value)
        if kind == "integer" and isinstance(value, float) and value.is_integer():
            return int(value)
        return value


def _spelled(kind: Any, text: str) -> Any:
    """The value of type ``kind`` that ``text`` spells (the text itself when it spells none)."""
    if kind == "boolean":
        return {"true": True, "false": False}.get(text.lower(), text)
    if kind in ("integer", "number") and _NUMBER.fullmatch(text):
        try:
            number = Decimal(text)
        except InvalidOperation:  # pragma: no cover - the pattern admits only decimal numbers
            return text
        if kind == "integer" and number == number.to_integral_value():
            return int(number)
        return float(number)
    return text
