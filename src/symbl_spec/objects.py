"""The parts of an OpenAPI document as the readers of this project see them (built by ``symbl_spec.model.Spec``)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from http import HTTPStatus
from typing import Any

__all__ = [
    "Callback",
    "Lifecycle",
    "Link",
    "MediaType",
    "Operation",
    "Parameter",
    "RequestBody",
    "Response",
    "SecurityScheme",
]

_JSON = "application/json"


@dataclass(frozen=True, slots=True)
class SecurityScheme:
    """Where a credential travels: ``Authorization: Bearer <t>`` or an API-key header holding the token."""

    name: str
    header: str
    """Lower-case header name."""
    bearer: bool
    """True for ``http``/``bearer`` (the value is ``Bearer <t>``); False for an ``apiKey`` header (just ``t``)."""


@dataclass(frozen=True, slots=True)
class Parameter:
    name: str
    location: str
    """``path``, ``query``, ``header`` or ``cookie``."""
    required: bool
    pointer: str
    """Where the parameter object is written (after ``$ref``)."""
    schema: Mapping[str, Any]
    """The parameter's schema, ``$ref`` followed."""

    @property
    def schema_pointer(self) -> str:
        return f"{self.pointer}/schema"


@dataclass(frozen=True, slots=True)
class MediaType:
    media_type: str
    pointer: str
    schema: Mapping[str, Any] | None
    """The schema, ``$ref`` followed; ``None`` when the media type declares none."""
    examples: tuple[tuple[str, Any], ...]
    """(name, value) of each example, ``$ref`` followed; a bare ``example`` is named ``example``."""

    @property
    def schema_pointer(self) -> str | None:
        return None if self.schema is None else f"{self.pointer}/schema"


@dataclass(frozen=True, slots=True)
class Link:
    name: str
    pointer: str
    operation_id: str | None
    parameters: Mapping[str, Any]
    """Target parameter name -> runtime expression (or constant)."""


@dataclass(frozen=True, slots=True)
class Response:
    status: str
    """As written: ``201``, ``4XX`` or ``default``."""
    pointer: str
    description: str
    content: Mapping[str, MediaType]
    links: tuple[Link, ...]

    @property
    def json(self) -> MediaType | None:
        return self.content.get(_JSON)

    @property
    def json_schema_pointer(self) -> str | None:
        media = self.json
        return None if media is None else media.schema_pointer

    def example_message(self) -> str | None:
        """The ``message`` of the first JSON example that has one (the error bodies' text)."""
        media = self.json
        for _name, value in media.examples if media is not None else ():
            if isinstance(value, Mapping) and isinstance(value.get("message"), str):
                return str(value["message"])
        return None


@dataclass(frozen=True, slots=True)
class RequestBody:
    pointer: str
    required: bool
    content: Mapping[str, MediaType]

    @property
    def json(self) -> MediaType | None:
        return self.content.get(_JSON)


@dataclass(frozen=True, slots=True)
class Callback:
    name: str
    expression: str
    """The runtime expression of the callback URL, such as ``{$request.body#/webhookUrl}``."""
    pointer: str


@dataclass(frozen=True, slots=True)
class Operation:
    operation_id: str
    section: str
    """``paths`` or ``webhooks``."""
    path: str
    """The path template, or the webhook's name."""
    method: str
    """Lower case, as in the document."""
    pointer: str
    tags: tuple[str, ...]
    parameters: tuple[Parameter, ...]
    request_body: RequestBody | None
    security: tuple[tuple[SecurityScheme, ...], ...]
    """Alternatives, each a set of schemes that must all be satisfied; ``()`` when none is required."""
    responses: Mapping[str, Response]
    callbacks: tuple[Callback, ...]

    @property
    def needs_auth(self) -> bool:
        return bool(self.security)

    @property
    def label(self) -> str:
        return f"{self.operation_id} ({self.method.upper()} {self.path})"

    def url_path(self, **params: str) -> str:
        path = self.path
        for name, value in params.items():
            path = path.replace("{" + name + "}", value)
        return path

    def response(self, status: int) -> Response | None:
        """The response documented for ``status``: its own entry, else its range (``4XX``), else ``default``."""
        return (
            self.responses.get(str(status)) or self.responses.get(f"{status // 100}XX") or self.responses.get("default")
        )

    @property
    def statuses(self) -> frozenset[int]:
        """The exact status codes documented (ranges and ``default`` are not expanded)."""
        return frozenset(int(code) for code in self.responses if code.isdigit())

    def message(self, status: int) -> str:
        """The documented error message for ``status`` (its first example's), or the status's reason phrase."""
        response = self.response(status)
        found = response.example_message() if response is not None else None
        return found if found is not None else HTTPStatus(status).phrase

    def parameter(self, name: str, location: str | None = None) -> Parameter | None:
        for parameter in self.parameters:
            if parameter.name == name and (location is None or parameter.location == location):
                return parameter
        return None


@dataclass(frozen=True, slots=True)
class Lifecycle:
    """The values of a status enum in order, and those marked final with ``x-final-values``."""

    schema_pointer: str
    values: tuple[str, ...]
    final: frozenset[str]

    def rank(self, value: str) -> int:
        """Position in the lifecycle; the final values share the last rank."""
        if value in self.final:
            return len(self.values)
        return self.values.index(value)
