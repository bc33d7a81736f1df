"""A lean HTTP/1.1 client for webhook POSTs: one write per request, httptools' parser for the answer.

httpx costs the mock about a millisecond of CPU per delivery (its pool, anyio's streams, and httpcore's
per-request ``import sniffio``, a failing import that searches ``sys.path`` each time since sniffio is not
installed). A webhook POST needs little of it: a small JSON body, no redirects, no proxies, no cookies, the
status code of the answer. What this client keeps: TLS with httpx's CA bundle, keep-alive connections reused
by the same receiver's next deliveries, answers of any framing (length, chunked, until close) read up to a
bound, and httpx's URL parsing and error names (``ConnectError``, ``ReadError``, ``RemoteProtocolError``).
"""

from __future__ import annotations

import asyncio
import base64
import ssl
from dataclasses import dataclass
from typing import cast
from urllib.parse import unquote_to_bytes

import httptools
import httpx

__all__ = ["Connection", "ConnectionPool", "DeliveryError", "Target", "connect"]

REPLY_LIMIT = 64 * 1024
"""Bytes of an answer's body read (and dropped); past them the connection is closed instead."""
IDLE_LIMIT = 10.0
"""Seconds an unused connection is kept open for the next delivery to the same receiver."""


class DeliveryError(Exception):
    """An attempt failed below HTTP; ``name`` is httpx's name for the same failure."""

    def __init__(self, name: str, detail: str = "") -> None:
        super().__init__(f"{name}: {detail}" if detail else name)
        self.name = name


@dataclass(frozen=True, slots=True)
class Target:
    """Where a webhook URL's POSTs go, parsed once by httpx's rules (ValueError when it cannot be used)."""

    https: bool
    host: str
    port: int
    head: bytes
    """The request line and headers, up to the Content-Length value."""

    @classmethod
    def parse(cls, url: str) -> Target:
        try:
            parsed = httpx.URL(url)
            host_text = parsed.host  # decodes IDNA: an invalid label raises a ValueError here, as in httpx
        except httpx.InvalidURL as exc:
            raise ValueError(str(exc)) from None
        if parsed.scheme not in ("http", "https"):
            raise ValueError(f"unsupported scheme {parsed.scheme!r}")
        if not host_text:
            raise ValueError("no host")
        https = parsed.scheme == "https"
        host = parsed.raw_host
        host_header = b"[" + host + b"]" if b":" in host else host  # an IPv6 literal goes in brackets
        if parsed.port is not None:
            host_header += b":%d" % parsed.port
        lines = [b"POST " + parsed.raw_path + b" HTTP/1.1", b"Host: " + host_header]
        if parsed.userinfo:
            lines.append(b"Authorization: Basic " + base64.b64encode(unquote_to_bytes(parsed.userinfo)))
        lines += [b"User-Agent: symbl-mock", b"Content-Type: application/json", b"Content-Length: "]
        return cls(https, host.decode("ascii"), parsed.port or (443 if https else 80), b"\r\n".join(lines))

    def request(self, body: bytes) -> bytes:
        return self.head + b"%d\r\n\r\n" % len(body) + body


class Connection(asyncio.Protocol):
    """One connection to a receiver; one request at a time."""

    def __init__(self) -> None:
        self.transport: asyncio.Transport | None = None
        self.closed = False
        self._parser = httptools.HttpResponseParser(self)
        self._answer: asyncio.Future[int] | None = None
        self._status = 0
        self._body_bytes = 0
        self._complete = False
        self._framed = False  # the answer has a Content-Length or Transfer-Encoding (else it ends with the connection)

    # -- asyncio.Protocol --

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = cast(asyncio.Transport, transport)  # uvloop's are not asyncio.Transport subclasses

    def data_received(self, data: bytes) -> None:
        if self._answer is None:  # bytes nobody asked for: the connection cannot be trusted any more
            self.close()
            return
        try:
            self._parser.feed_data(data)
        except httptools.HttpParserError as exc:
            self._fail(DeliveryError("RemoteProtocolError", str(exc)))

    def eof_received(self) -> bool | None:
        self.closed = True
        return None

    def connection_lost(self, exc: Exception | None) -> None:
        self.closed = True
        if self._answer is not None and not self._answer.done():
            if self._status and not self._framed:  # an answer whose body ends with the connection: complete
                self._complete = True
                self._answer.set_result(self._status)
            elif self._status:
                self._answer.set_exception(DeliveryError("RemoteProtocolError", "the answer was cut short"))
            else:
                self._answer.set_exception(DeliveryError("ReadError", "the receiver closed the connection"))

    # -- httptools callbacks --

    def on_header(self, name: bytes, value: bytes) -> None:
        if name.lower() in (b"content-length", b"transfer-encoding"):
            self._framed = True

    def on_headers_complete(self) -> None:
        self._status = self._parser.get_status_code()

    def on_body(self, body: bytes) -> None:
        self._body_bytes += len(body)
        if self._body_bytes > REPLY_LIMIT and self._answer is not None and not self._answer.done():
            self._answer.set_result(self._status)  # enough: the status is known, the rest is dropped
            self.close()

    def on_message_complete(self) -> None:
        self._complete = True
        if not self._parser.should_keep_alive():
            self.closed = True  # answered, but not reusable
        if self._answer is not None and not self._answer.done():
            if 100 <= self._status < 200:  # an interim answer: the final one follows
                self._complete, self._status, self._framed = False, 0, False
                return
            self._answer.set_result(self._status)

    # -- use --

    async def post(self, request: bytes) -> int:
        """Send one request; the answer's status code."""
        assert self.transport is not None
        self._answer = asyncio.get_running_loop().create_future()
        self._status, self._body_bytes, self._complete, self._framed = 0, 0, False, False
        self.transport.write(request)
        try:
            return await self._answer
        finally:
            self._answer = None
            if not self._complete:  # cut short (timeout, cancellation, overlong answer): not reusable
                self.close()

    def _fail(self, error: DeliveryError) -> None:
        if self._answer is not None and not self._answer.done():
            self._answer.set_exception(error)
        self.close()

    def close(self) -> None:
        self.closed = True
        if self.transport is not None:
            self.transport.abort()


async def connect(target: Target, tls: ssl.SSLContext | None) -> Connection:
    """A new connection to the target (TLS for https); DeliveryError("ConnectError") when it cannot be made."""
    loop = asyncio.get_running_loop()
    try:
        _, protocol = await loop.create_connection(
            Connection,
            target.host,
            target.port,
            ssl=tls if target.https else None,
            server_hostname=target.host if target.https else None,
        )
    except (OSError, ssl.SSLError) as exc:
        raise DeliveryError("ConnectError", str(exc) or type(exc).__name__) from None
    return protocol


class ConnectionPool:
    """Open connections no delivery is using, per receiver (scheme, host, port), each closed after IDLE_LIMIT.

    Never more open connections to a receiver than deliveries in flight to it at once: a delivery takes an idle
    one or opens one, and gives it back when its answer is complete.
    """

    def __init__(self) -> None:
        self._idle: dict[tuple[bool, str, int], list[tuple[Connection, asyncio.TimerHandle]]] = {}
        self._tls: ssl.SSLContext | None = None

    async def acquire(self, target: Target) -> Connection:
        idle = self._idle.get((target.https, target.host, target.port))
        while idle:
            connection, timer = idle.pop()
            timer.cancel()
            if not connection.closed:
                return connection
        return await connect(target, self._tls_context() if target.https else None)

    def release(self, target: Target, connection: Connection) -> None:
        if connection.closed:
            return
        key = (target.https, target.host, target.port)
        timer = asyncio.get_running_loop().call_later(IDLE_LIMIT, self._expire, key, connection)
        self._idle.setdefault(key, []).append((connection, timer))

    def _expire(self, key: tuple[bool, str, int], connection: Connection) -> None:
        idle = self._idle.get(key, [])
        idle[:] = [entry for entry in idle if entry[0] is not connection]
        if not idle:
            self._idle.pop(key, None)
        connection.close()

    def _tls_context(self) -> ssl.SSLContext:
        if self._tls is None:  # one for every receiver: building one costs milliseconds
            self._tls = httpx.create_ssl_context()
        return self._tls

    def close(self) -> None:
        for idle in self._idle.values():
            for connection, timer in idle:
                timer.cancel()
                connection.close()
        self._idle.clear()
