"""Which operation of the document a request path names: routes compiled from the spec's path templates."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from urllib.parse import unquote

from symbl_spec import Operation

__all__ = ["Route", "Router"]


@dataclass(frozen=True, slots=True)
class Route:
    path: str
    segments: tuple[str | None, ...]
    """A literal segment, or None for a parameter."""
    param_names: tuple[str | None, ...]
    operations: Mapping[str, Operation]
    """By upper-case method."""
    allow: str
    """The value of the ``Allow`` header of a 405."""

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


class Router:
    """The routes of the document's paths, tried in document order among those of the right length."""

    def __init__(self, operations: Iterable[Operation]) -> None:
        by_path: dict[str, dict[str, Operation]] = {}
        for operation in operations:
            by_path.setdefault(operation.path, {})[operation.method.upper()] = operation
        self._by_length: dict[int, list[Route]] = {}
        for path, methods in by_path.items():
            segments: list[str | None] = []
            names: list[str | None] = []
            for segment in path.strip("/").split("/"):
                m = re.fullmatch(r"\{([^{}]+)\}", segment)
                segments.append(None if m else segment)
                names.append(m.group(1) if m else None)
            route = Route(path, tuple(segments), tuple(names), methods, ", ".join(methods))
            self._by_length.setdefault(len(segments), []).append(route)

    def find(self, raw_path: str) -> tuple[Route, dict[str, str]] | None:
        """The route of an ASCII request path and its raw path parameters, or None."""
        segments = raw_path.strip("/").split("/") if raw_path.startswith("/") else []
        for route in self._by_length.get(len(segments), ()):
            params = route.match(segments)
            if params is not None:
                return route, params
        return None
