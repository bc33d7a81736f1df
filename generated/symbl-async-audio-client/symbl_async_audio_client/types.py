"""Contains some shared types for properties"""

import re
from collections.abc import Mapping, MutableMapping
from http import HTTPStatus
from typing import IO, BinaryIO, Generic, Literal, TypeVar
from uuid import UUID

from attrs import define


class Unset:
    def __bool__(self) -> Literal[False]:
        return False


UNSET: Unset = Unset()

# The types that `httpx.Client(files=)` can accept, copied from that library.
FileContent = IO[bytes] | bytes | str
FileTypes = (
    # (filename, file (or bytes), content_type)
    tuple[str | None, FileContent, str | None]
    # (filename, file (or bytes), content_type, headers)
    | tuple[str | None, FileContent, str | None, Mapping[str, str]]
)
RequestFiles = list[tuple[str, FileTypes]]


@define
class File:
    """Contains information for file uploads"""

    payload: BinaryIO
    file_name: str | None = None
    mime_type: str | None = None

    def to_tuple(self) -> FileTypes:
        """Return a tuple representation that httpx will accept for multipart/form-data"""
        return self.file_name, self.payload, self.mime_type


T = TypeVar("T")


@define
class Response(Generic[T]):
    """A response from an endpoint

    `status_code` is an `HTTPStatus`, or a plain `int` for a status the IANA registry lacks (such as 520 or 499).
    """

    status_code: HTTPStatus | int
    content: bytes
    headers: MutableMapping[str, str]
    parsed: T | None


def http_status(code: int) -> HTTPStatus | int:
    """`HTTPStatus(code)`, or `code` itself when the registry lacks it (`HTTPStatus()` raises `ValueError` then)."""
    try:
        return HTTPStatus(code)
    except ValueError:
        return code


def is_json_integer(value: object) -> bool:
    """Whether a decoded JSON value is a JSON Schema integer: an int, or an integral float such as 2.0; not a bool.

    It returns a plain `bool`, not a `TypeGuard`: an integral float is kept as received (so that `to_dict()` gives
    it back), although the model's attribute is typed `int`.
    """
    return not isinstance(value, bool) and (isinstance(value, int) or (isinstance(value, float) and value.is_integer()))


# The form of a `format: uuid` value that the models take: RFC 9562's 8-4-4-4-12 hex form, in lower case (the
# spec's `JobId` pattern), the one `str(UUID)` gives, so that `to_dict()` gives back the string received.
_UUID_FORM = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def parse_uuid(value: object) -> UUID:
    """The `UUID` of a `format: uuid` JSON value; `TypeError` or `ValueError` when it is not one in the form above.

    `UUID()` alone also takes spellings that the format rejects: without hyphens, in braces, as `urn:uuid:`.
    """
    if not isinstance(value, str):
        raise TypeError(f"a UUID must be a JSON string, not {type(value).__name__}")
    if _UUID_FORM.fullmatch(value) is None:
        raise ValueError(f"{value!r} is not a UUID in the lower-case 8-4-4-4-12 hex form")
    return UUID(value)


def matches_pattern(value: str, pattern: str) -> bool:
    """Whether `value` matches a schema's `pattern` as JSON Schema reads it (ECMA-262).

    The document's patterns use only what Python's `re` reads the same way, but for one thing: a closing `$` is the
    end of the string, where Python's also matches before a final newline. It is read as `\\Z` here.
    """
    if pattern.endswith("$"):
        body = pattern[:-1]
        if (len(body) - len(body.rstrip("\\"))) % 2 == 0:  # an odd run of backslashes makes it a literal `$`
            pattern = body + r"\Z"
    return re.search(pattern, value) is not None


__all__ = ["UNSET", "File", "FileTypes", "RequestFiles", "Response", "Unset"]
