"""JSON pointers (RFC 6901) into the OpenAPI document, shared by the spec checks, the mock and the conformance suite."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

__all__ = ["escape", "pointer_get", "unescape"]


def escape(token: str) -> str:
    """A key as one pointer token (``/v1/job/{jobId}`` -> ``~1v1~1job~1{jobId}``)."""
    return token.replace("~", "~0").replace("/", "~1")


def unescape(token: str) -> str:
    return token.replace("~1", "/").replace("~0", "~")


def pointer_get(document: Mapping[str, Any], pointer: str) -> Any:
    """The value at a pointer such as ``/components/schemas/Error`` (``KeyError`` when absent; ``""`` is the root)."""
    node: Any = document
    for token in (unescape(raw) for raw in pointer.split("/")[1:]):
        node = node[int(token)] if isinstance(node, list) else node[token]
    return node
