"""Switchable bugs, so that the conformance suite can prove it catches each one.

The default mock has none. Faults that change behaviour are checked at one seam of the faithful code
(look for ``Fault.`` in the package). Faults that only change what an answer looks like live here, in
:class:`ResponseFaults`, a wrapper around the API that ``create_app`` installs only when one is set.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from enum import StrEnum
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

__all__ = ["RESPONSE_FAULTS", "Fault", "ResponseFaults"]


class Fault(StrEnum):
    """A deliberate departure from the spec, selected with ``--fault NAME`` or ``MockConfig.faults``."""

    CREATED_200 = "created_200"
    """A successful submit/append answers 200 instead of 201."""
    JOB_ID_MISSING = "job_id_missing"
    """The 201 body lacks ``jobId``."""
    JOB_ID_NOT_UUID = "job_id_not_uuid"
    """The 201 body's ``jobId`` is not a UUID."""
    ACCEPT_INVALID_INPUT = "accept_invalid_input"
    """Parameters and bodies are not validated: invalid requests get 201."""
    IGNORE_AUTH = "ignore_auth"
    """Missing or invalid tokens are accepted."""
    TEXT_500 = "text_500"
    """A ``name`` containing a non-ASCII character gets a 500 with a text/plain body."""
    ERROR_BODY_SHAPE = "error_body_shape"
    """Error responses are ``{"error": ...}`` instead of ``{statusCode, message}``."""
    APPEND_UNKNOWN_SUCCEEDS = "append_unknown_succeeds"
    """appendAudioUrl on an unknown conversation creates it and answers 201 instead of 404."""
    CREATED_JOB_404 = "created_job_404"
    """getJobStatus answers 404 for jobs that exist."""
    STATUS_OUTSIDE_ENUM = "status_outside_enum"
    """getJobStatus reports the status ``done``, which is outside the spec's enum."""
    APPENDS_OUT_OF_ORDER = "appends_out_of_order"
    """A conversation's queued jobs run newest first instead of in submission order."""
    WEBHOOK_FIELD_NAME = "webhook_field_name"
    """Webhook payloads carry only ``id``, without the required ``jobId``."""
    ACCOUNTS_SHARED = "accounts_shared"
    """Every account sees the conversations and jobs of every other account (reads them, appends to them)."""
    WEBHOOK_OUT_OF_ORDER = "webhook_out_of_order"
    """A job's webhook deliveries are held until the job finishes, then sent newest first."""


RESPONSE_FAULTS = frozenset(
    {
        Fault.CREATED_200,
        Fault.JOB_ID_MISSING,
        Fault.JOB_ID_NOT_UUID,
        Fault.TEXT_500,
        Fault.ERROR_BODY_SHAPE,
        Fault.CREATED_JOB_404,
        Fault.STATUS_OUTSIDE_ENUM,
    }
)
"""The faults :class:`ResponseFaults` implements: they change answers, not what the mock does."""

Answer = tuple[int, Any]


class ResponseFaults:
    """Rewrites the API's JSON answers (and short-cuts TEXT_500) for the response faults that are set.

    ``operation_of(scope)`` names the operation a request is for (``None`` when it names none); ``not_found``
    gives the documented 404 message of an operation. The wrapped API sends one JSON body per answer.
    """

    def __init__(
        self,
        app: ASGIApp,
        faults: frozenset[Fault],
        operation_of: Callable[[Scope], str | None],
        not_found: Callable[[str], str],
    ) -> None:
        self.app = app
        self.faults = faults & RESPONSE_FAULTS
        self.operation_of = operation_of
        self.not_found = not_found

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        operation = self.operation_of(scope)
        if Fault.TEXT_500 in self.faults and scope["method"] in ("POST", "PUT"):
            body, receive = await _buffered(receive)
            if _has_non_ascii_name(body):
                await _send(send, 500, b"Internal Server Error", b"text/plain; charset=utf-8")
                return
        start: Message = {}

        async def rewrite(message: Message) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                start = message
                return
            if message["type"] != "http.response.body" or not start:
                await send(message)
                return
            status, payload = self._rewrite(operation, start["status"], message.get("body", b""))
            headers = [(k, v) for k, v in start.get("headers", []) if k.lower() not in (b"content-length",)]
            headers.append((b"content-length", str(len(payload)).encode()))
            await send({**start, "status": status, "headers": headers})
            await send({"type": "http.response.body", "body": payload})

        await self.app(scope, receive, rewrite)

    def _rewrite(self, operation: str | None, status: int, raw: bytes) -> tuple[int, bytes]:
        try:
            body = json.loads(raw) if raw else None
        except ValueError:
            return status, raw
        if not isinstance(body, dict):
            return status, raw
        if status == 201:
            if Fault.CREATED_200 in self.faults:
                status = 200
            if Fault.JOB_ID_MISSING in self.faults:
                body.pop("jobId", None)
            if Fault.JOB_ID_NOT_UUID in self.faults and isinstance(body.get("jobId"), str):
                body["jobId"] = "job-" + body["jobId"].replace("-", "")[:12]
        elif status == 200 and operation is not None and "status" in body and "id" in body:
            if Fault.CREATED_JOB_404 in self.faults:
                status, body = 404, {"statusCode": 404, "message": self.not_found(operation)}
            elif Fault.STATUS_OUTSIDE_ENUM in self.faults:
                body["status"] = "done"
        if status >= 400 and Fault.ERROR_BODY_SHAPE in self.faults and "message" in body:
            body = {"error": body["message"]}
        return status, json.dumps(body, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


async def _buffered(receive: Receive) -> tuple[bytes, Receive]:
    """The whole request body, and a ``receive`` that hands it to the app as if it had not been read."""
    chunks = []
    while True:
        message = await receive()
        if message["type"] != "http.request":
            break
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            break
    body = b"".join(chunks)
    replayed = False

    async def replay() -> Message:
        nonlocal replayed
        if replayed:
            return await receive()
        replayed = True
        return {"type": "http.request", "body": body, "more_body": False}

    return body, replay


def _has_non_ascii_name(body: bytes) -> bool:
    try:
        value = json.loads(body)
    except ValueError:
        return False
    name = value.get("name") if isinstance(value, dict) else None
    return isinstance(name, str) and not name.isascii()


async def _send(send: Send, status: int, body: bytes, content_type: bytes) -> None:
    headers = [(b"content-type", content_type), (b"content-length", str(len(body)).encode())]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})
