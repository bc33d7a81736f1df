"""Following ``$ref``s in the OpenAPI document: the one resolver of the project."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from symbl_spec.pointer import pointer_get

__all__ = ["SpecError", "deref", "resolve"]


class SpecError(ValueError):
    """The document breaks an assumption of its readers (a remote or circular ``$ref``, a missing piece)."""


def resolve(document: Mapping[str, Any], node: Any, pointer: str = "") -> tuple[Any, str]:
    """Follow local ``$ref``s from ``node`` (written at ``pointer``); the node and where it is written.

    The one resolver of the project: remote references, cycles and references to nothing are SpecErrors.
    """
    seen: set[str] = set()
    while isinstance(node, Mapping) and "$ref" in node:
        ref = node["$ref"]
        if not isinstance(ref, str) or not ref.startswith("#"):
            raise SpecError(f"only local references are supported, got {ref!r} at {pointer or '/'}")
        if ref in seen:
            raise SpecError(f"reference cycle through {ref} at {pointer or '/'}")
        seen.add(ref)
        pointer = ref[1:]
        try:
            node = pointer_get(document, pointer)
        except (KeyError, IndexError, ValueError, TypeError):
            raise SpecError(f"$ref {ref} points at nothing") from None
    return node, pointer


def deref(document: Mapping[str, Any], node: Any) -> Any:
    """``node`` with its ``$ref``s followed (see :func:`resolve`)."""
    return resolve(document, node)[0]
