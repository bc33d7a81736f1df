"""The mock's wire formats: JSON in and out, and the error answer (parameter text is the spec's to read)."""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Iterable
from typing import Any

import jsonschema_rs

__all__ = ["Reject", "decode_body", "describe_error", "dumps", "json_string", "short", "with_number"]


class Reject(Exception):
    """An error answer: status and message, sent as the spec's error body."""

    def __init__(self, status: int, message: str, headers: Iterable[tuple[bytes, bytes]] = ()) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = tuple(headers)


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not valid JSON")


def _finite_float(text: str) -> float:
    value = float(text)
    if math.isinf(value):
        raise ValueError(f"number {text[:40]} is out of range")
    return value


# Built once: json.loads/json.dumps with options build a new decoder/encoder on every call.
_DECODER = json.JSONDecoder(parse_constant=_reject_constant, parse_float=_finite_float)
_ENCODER = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False)

json_string: Callable[[str], str] = json.encoder.encode_basestring
"""A str as a JSON string literal, escaped (C implementation), without ensure_ascii."""


def dumps(value: Any) -> bytes:
    return _ENCODER.encode(value).encode("utf-8")


def _encodable(value: Any) -> bool:
    """Whether the decoded JSON value can be sent back as UTF-8 (json.loads lets lone surrogates through)."""
    try:
        _ENCODER.encode(value).encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def decode_body(raw: bytes) -> Any:
    """The request body's JSON value; Reject(400) saying why when it is not UTF-8 JSON text."""
    try:
        value = _DECODER.decode(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise Reject(400, "body: not valid UTF-8 (rule: encoding)") from None
    except RecursionError:
        raise Reject(400, "body: JSON nested too deeply (rule: depth)") from None
    except ValueError as exc:
        raise Reject(400, f"body: not valid JSON: {short(str(exc))} (rule: JSON syntax)") from None
    if b"\\u" in raw and not _encodable(value):  # an escaped lone surrogate: not Unicode text
        raise Reject(400, "body: a string holds a lone UTF-16 surrogate escape, not valid UTF-8 (rule: encoding)")
    return value


def describe_error(error: jsonschema_rs.ValidationError, where: str) -> str:
    """``where.field.sub[0]: <what is wrong> (rule: keyword)``: names the field and the rule broken."""
    location = where
    for part in error.instance_path:
        location += f"[{part}]" if isinstance(part, int) else f".{part}"
    return f"{location}: {error.message} (rule: {error.kind.name})"


def with_number(template: str, number: int) -> str:
    """The spec's example message with its figure replaced by the mock's actual limit."""
    replaced, count = re.subn(r"`[0-9]+`", f"`{number}`", template, count=1)
    if count:
        return replaced
    return re.sub(r"[0-9]+", str(number), template, count=1)


def short(text: str, limit: int = 200) -> str:
    return text if len(text) <= limit else text[:limit] + "..."
