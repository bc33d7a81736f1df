"""Bounds on what the client reads, so that a hostile or broken server cannot exhaust its memory.

Hand-written module of the generator (``generator/extras/``), copied into the package by ``scripts/regenerate``.

* A response body larger than the client's ``max_response_bytes`` (`MAX_RESPONSE_BYTES` by default) is not read
  past that size: the call raises `errors.InvalidResponseBody` (its ``content`` empty, its ``response`` carrying
  the status and headers). The API's answers are small JSON objects; the bound only stops runaway bodies.
* `parse_webhook` refuses a body larger than `MAX_WEBHOOK_BYTES` with `errors.InvalidWebhookPayload`.
* JSON nested deeper than Python can decode (its recursion limit) is `InvalidResponseBody` or
  `InvalidWebhookPayload` too, never a `RecursionError` (see `errors.BODY_PARSE_ERRORS`).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import httpx

from .errors import InvalidResponseBody

#: The largest response body read, in bytes (the client's ``max_response_bytes`` default).
MAX_RESPONSE_BYTES = 10 * 1024 * 1024
#: The largest webhook body `parse_webhook` accepts, in bytes (characters for a ``str``).
MAX_WEBHOOK_BYTES = 1024 * 1024


def _too_large(response: httpx.Response, request: httpx.Request, limit: int) -> InvalidResponseBody:
    # The error carries the status and headers, not the oversized body.
    head = httpx.Response(response.status_code, headers=response.headers, request=request)
    return InvalidResponseBody(head, ValueError(f"the response body is larger than {limit} bytes"))


def _declared_length(response: httpx.Response) -> int | None:
    value = response.headers.get("Content-Length", "")
    return int(value) if value.isascii() and value.isdigit() else None


class _LimitedStream(httpx.SyncByteStream, httpx.AsyncByteStream):
    """The response's stream, cut with `InvalidResponseBody` once more than ``limit`` bytes came."""

    def __init__(self, response: httpx.Response, request: httpx.Request, limit: int) -> None:
        self._response = response
        self._request = request
        self._stream = response.stream
        self._limit = limit
        self._read = 0

    def _count(self, chunk: bytes) -> bytes:
        self._read += len(chunk)
        if self._read > self._limit:
            raise _too_large(self._response, self._request, self._limit)
        return chunk

    def __iter__(self) -> Iterator[bytes]:
        assert isinstance(self._stream, httpx.SyncByteStream)
        for chunk in self._stream:
            yield self._count(chunk)

    async def __aiter__(self) -> AsyncIterator[bytes]:
        assert isinstance(self._stream, httpx.AsyncByteStream)
        async for chunk in self._stream:
            yield self._count(chunk)

    def close(self) -> None:
        if isinstance(self._stream, httpx.SyncByteStream):
            self._stream.close()

    async def aclose(self) -> None:
        if isinstance(self._stream, httpx.AsyncByteStream):
            await self._stream.aclose()


def _limited(response: httpx.Response, request: httpx.Request, limit: int) -> httpx.Response:
    """The response, its body bounded: refused at once when its declared or already read length is over."""
    try:
        length: int | None = len(response.content)  # a body read already (an in-memory one, a mock's)
    except httpx.ResponseNotRead:
        length = _declared_length(response)
        response.stream = _LimitedStream(response, request, limit)
    if length is not None and length > limit:
        raise _too_large(response, request, limit)
    return response


class BodyLimitTransport(httpx.BaseTransport):
    """A transport whose responses' bodies are bounded to ``limit`` bytes."""

    def __init__(self, wrapped: httpx.BaseTransport, limit: int) -> None:
        self.wrapped = wrapped
        self.limit = limit

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        response = self.wrapped.handle_request(request)
        try:
            return _limited(response, request, self.limit)
        except InvalidResponseBody:
            response.close()
            raise

    def close(self) -> None:
        self.wrapped.close()


class AsyncBodyLimitTransport(httpx.AsyncBaseTransport):
    """An asynchronous transport whose responses' bodies are bounded to ``limit`` bytes."""

    def __init__(self, wrapped: httpx.AsyncBaseTransport, limit: int) -> None:
        self.wrapped = wrapped
        self.limit = limit

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        response = await self.wrapped.handle_async_request(request)
        try:
            return _limited(response, request, self.limit)
        except InvalidResponseBody:
            await response.aclose()
            raise

    async def aclose(self) -> None:
        await self.wrapped.aclose()


__all__ = ["MAX_RESPONSE_BYTES", "MAX_WEBHOOK_BYTES", "AsyncBodyLimitTransport", "BodyLimitTransport"]
