"""Limits on what a client may send, enforced in uvicorn's HTTP/1.1 protocols, answered with the spec's error body.

``uvicorn_server`` passes ``limited_protocol(config)`` as ``uvicorn.Config(http=...)``: a subclass of uvicorn's
httptools protocol (or of its h11 one, on request). Every refusal is
``{"statusCode": N, "message": "..."}`` with ``Content-Type: application/json`` and ``Connection: close``; the
connection is closed right after it. See docs/limits.md for the figures.

* ``max_header_bytes``: a request line + headers not complete within this many bytes is answered 431. The
  parser is never given more than this many bytes of one head, and a head arriving in small reads is given to
  it in pieces of 16 KiB or whole lines, so the CPU a head costs is linear in what was read (httptools appends
  each piece of a header value to the previous ones: given a 100 MB header read by read, it spent 12 s).
* ``max_target_bytes``: a request target (path and query) longer than this is answered 414 as soon as that
  many bytes of it were read. (httptools' URL parser stops at 64 KiB, which uvicorn answers with a text/plain
  400; longer targets are parsed here without it.)
* ``header_timeout``: a head not complete this many seconds after its first byte is answered 408.
* ``body_timeout``: a body not complete this many seconds after its head is answered 408 (or, if the
  application has started its answer already, the connection is closed). Both are deadlines, not
  inactivity timers: trickling a byte at a time does not extend them.
* ``keep_alive_timeout`` (uvicorn's ``timeout_keep_alive``): a connection with no request begun this many
  seconds after it opened or after its last answer is closed (uvicorn alone arms that timer only after an
  answer, and any byte, a bare CRLF say, cancels it).
* A request the parser refuses gets the JSON 400 rather than uvicorn's text/plain one.

This relies on internals of uvicorn 0.54.0 (pinned): the protocols' ``parser``/``conn``, ``url``, ``scope``,
``cycle``, ``timeout_keep_alive_task``, ``_unset_keepalive_if_required`` and ``send_400_response``;
``data_received`` of both is replaced, not extended. tests/mock/test_input_limits.py fails loudly if one of them moves.
"""

from __future__ import annotations

import asyncio
import http
import json
from dataclasses import dataclass
from typing import Any, ClassVar

import h11
import httptools  # uvicorn[standard]'s, as is uvloop
from uvicorn.protocols.http.h11_impl import H11Protocol
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from symbl_mock.config import MockConfig

__all__ = ["Limits", "limited_protocol"]


@dataclass(frozen=True, slots=True)
class Limits:
    max_header_bytes: int
    max_target_bytes: int
    header_timeout: float
    body_timeout: float

    @classmethod
    def of(cls, config: MockConfig) -> Limits:
        return cls(config.max_header_bytes, config.max_target_bytes, config.header_timeout, config.body_timeout)


_IDLE, _HEAD, _BODY = 0, 1, 2  # where the request being read is
_FEED_BYTES = 16 * 1024
"""A head arriving in small reads is given to httptools in pieces of at least this size (or at a line end)."""
_PARSE_URL_MAX = 65535
"""httptools.parse_url's longest URL (offsets of 16 bits); uvicorn parses the target with it."""


class _Rejected(Exception):
    """Raised from a parser callback to stop the parser; httptools turns it into HttpParserCallbackError."""


def error_response(status: int, message: str, default_headers: list[tuple[bytes, bytes]]) -> bytes:
    """A whole HTTP/1.1 answer with the spec's error body, closing the connection."""
    body = json.dumps({"statusCode": status, "message": message}, separators=(",", ":")).encode()
    lines = [b"HTTP/1.1 %d %s\r\n" % (status, http.HTTPStatus(status).phrase.encode())]
    lines += [name + b": " + value + b"\r\n" for name, value in default_headers]
    lines += [b"content-type: application/json\r\n", b"content-length: %d\r\n" % len(body), b"connection: close\r\n"]
    return b"".join(lines) + b"\r\n" + body


class _LimitsMixin:
    """The timers and the JSON refusal, shared by both protocol classes (``limits`` is set by limited_protocol)."""

    limits: ClassVar[Limits]

    # uvicorn's protocol classes provide these.
    loop: asyncio.AbstractEventLoop
    transport: asyncio.Transport
    cycle: Any
    server_state: Any
    timeout_keep_alive: int  # (a float in fact: uvicorn only hands it to call_later)
    timeout_keep_alive_task: asyncio.TimerHandle | None

    _deadline: asyncio.TimerHandle | None = None  # the header or the body timer (never both)
    _deadline_kind = ""
    _rejected = False

    def _arm(self, kind: str) -> None:
        """Start the header or the body timer, unless it runs already (the other one is stopped)."""
        if self._deadline is not None:
            if self._deadline_kind == kind:
                return
            self._deadline.cancel()
        delay = self.limits.header_timeout if kind == "header" else self.limits.body_timeout
        self._deadline_kind = kind
        self._deadline = self.loop.call_later(delay, self._on_deadline, kind, delay)

    def _disarm(self) -> None:
        if self._deadline is not None:
            self._deadline.cancel()
            self._deadline = None

    def _arm_idle_timer(self) -> None:
        if self.timeout_keep_alive_task is None:
            handler = self.timeout_keep_alive_handler  # type: ignore[attr-defined]
            self.timeout_keep_alive_task = self.loop.call_later(self.timeout_keep_alive, handler)

    def _on_deadline(self, kind: str, delay: float) -> None:
        self._deadline = None
        what = "headers" if kind == "header" else "body"
        # A late body belongs to the request being handled (self.cycle); late headers to one never handed over.
        self._reject(408, f"request {what} not received within {delay:g} s", current=kind == "body")

    def _reject(self, status: int, message: str, *, current: bool = False) -> None:
        """Answer ``status`` with the JSON error body and close. ``current``: the request refused is
        ``self.cycle`` (a late body); otherwise it never reached the application."""
        if self._rejected or self.transport.is_closing():
            return
        self._rejected = True
        self._disarm()
        self._unset_keepalive_if_required()  # type: ignore[attr-defined]
        cycle = self.cycle
        in_flight = cycle is not None and not cycle.response_complete
        # No answer while one to an earlier (pipelined) request is or may yet be on the wire: just close.
        if not in_flight or (current and not cycle.response_started):
            self.transport.write(error_response(status, message, self.server_state.default_headers))
        if in_flight:  # the application's receive() now says http.disconnect, and its send() is ignored
            cycle.disconnected = True
            cycle.message_event.set()
        self.transport.close()

    def send_400_response(self, msg: str) -> None:  # replaces uvicorn's text/plain 400
        self._reject(400, "invalid HTTP request: it could not be parsed as HTTP/1.1")

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)  # type: ignore[misc]


def _split(data: bytes | memoryview, room: int) -> tuple[bytes | memoryview, bytes | memoryview]:
    """At most ``room`` bytes of ``data``, and the rest (sliced without copying, and only when needed)."""
    if len(data) <= room:
        return data, b""
    view = memoryview(data)
    return view[:room], view[room:]


class LimitedHttpToolsProtocol(_LimitsMixin, HttpToolsProtocol):
    _phase = _IDLE
    _head_bytes = 0  # bytes of the current request's head given to the parser so far
    _rejection: tuple[int, str] | None = None
    _held: bytearray | None = None  # bytes of a begun head, not yet given to the parser

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._arm_idle_timer()  # uvicorn arms it only after an answer

    def data_received(self, data: bytes) -> None:
        # Replaces uvicorn's: gives the parser at most max_header_bytes of a head, and leaves the idle timer
        # to on_message_begin (uvicorn cancels it at every read, even of bytes that begin no request).
        if self._rejected:
            return
        limit = self.limits.max_header_bytes
        if self._phase == _HEAD:
            # httptools appends each piece of a header value (and uvicorn each piece of the target) to the
            # previous ones: fed a byte at a time, a long one costs the square of its length. Pieces of a begun
            # head are held until there are enough of them, or a line ends.
            held = self._held = self._held or bytearray()
            held += data
            if len(held) < _FEED_BYTES and b"\n" not in data and self._head_bytes + len(held) < limit:
                self._arm("header")
                return
            data, self._held = bytes(held), None
        rest: bytes | memoryview = data
        while rest:
            if self._phase == _BODY:
                chunk, rest = rest, b""
            else:  # bytes that may belong to a request head
                chunk, rest = _split(rest, limit - self._head_bytes)
                self._head_bytes += len(chunk)
            try:
                self.parser.feed_data(chunk)
            except httptools.HttpParserUpgrade:
                if self._should_upgrade():
                    self.handle_websocket_upgrade()
                else:
                    self._unsupported_upgrade_warning()
                return
            except httptools.HttpParserError:
                if self._rejection is not None:  # set by on_url, which stopped the parser
                    self._reject(*self._rejection)
                else:
                    self.logger.warning("Invalid HTTP request received.")
                    self.send_400_response("Invalid HTTP request received.")
                return
            if self.transport.is_closing():
                return
            if self._phase != _BODY and self._head_bytes >= limit:
                self._reject(431, f"request line and headers larger than {limit} bytes")
                return
        if self._phase == _HEAD:
            self._arm("header")
        elif self._phase == _BODY:
            self._arm("body")

    def on_message_begin(self) -> None:
        super().on_message_begin()
        self._phase = _HEAD
        self._unset_keepalive_if_required()

    def on_url(self, url: bytes) -> None:
        super().on_url(url)
        if len(self.url) > self.limits.max_target_bytes:
            self._rejection = (414, f"request target longer than {self.limits.max_target_bytes} bytes")
            raise _Rejected

    def on_headers_complete(self) -> None:
        self._disarm()  # the header timer
        self._phase = _BODY
        if len(self.url) <= _PARSE_URL_MAX:
            super().on_headers_complete()
            return
        # A target httptools.parse_url cannot take (the spec allows ~120 KiB of query): uvicorn parses the path,
        # and the query is set on the scope before the application runs (its task is only created here).
        path, _, query = self.url.partition(b"?")
        self.url = path
        super().on_headers_complete()
        self.scope["query_string"] = query

    def on_message_complete(self) -> None:
        self._disarm()  # the body timer
        self._phase = _IDLE
        self._head_bytes = 0
        super().on_message_complete()

    def on_response_complete(self) -> None:
        super().on_response_complete()  # arms the keep-alive timer when nothing is pipelined
        if self._phase != _IDLE:  # the next request is being read: its own timer is in charge
            self._unset_keepalive_if_required()


class LimitedH11Protocol(_LimitsMixin, H11Protocol):
    _head_bytes = 0  # bytes received while h11 waited for a request head
    _line: bytearray | None = None  # the request line so far, while it arrives
    _in_request = False  # h11 has seen the current request's head

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # h11's own check (its 400) comes after data_received's 431.
        self.conn = h11.Connection(h11.SERVER, max_incomplete_event_size=self.limits.max_header_bytes)

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._line = bytearray()
        self._arm_idle_timer()

    def data_received(self, data: bytes) -> None:
        # Replaces uvicorn's. h11's max_incomplete_event_size alone is no limit: h11 checks it only when a read
        # leaves the head incomplete, so a 200 KiB head in one read would pass. h11 never gets more of a head.
        if self._rejected:
            return
        limit = self.limits.max_header_bytes
        rest: bytes | memoryview = data
        while rest:
            if self.conn.their_state is h11.IDLE:  # bytes of a request head
                chunk, rest = _split(rest, limit - self._head_bytes)
                self._head_bytes += len(chunk)
                if self._line is not None and self._request_line_too_long(bytes(chunk)):
                    self._reject(414, f"request target longer than {self.limits.max_target_bytes} bytes")
                    return
                self._unset_keepalive_if_required()
            else:
                chunk, rest = rest, b""
            self.conn.receive_data(bytes(chunk))
            self.handle_events()
            if self.transport.is_closing():
                return
            if self.conn.their_state is h11.IDLE and self._head_bytes >= limit:
                self._reject(431, f"request line and headers larger than {limit} bytes")
                return
        if self.conn.their_state is h11.IDLE and self._head_bytes:  # a head is incomplete
            self._arm("header")

    def _request_line_too_long(self, data: bytes) -> bool:
        """Whether the target is over max_target_bytes, judged on the request line as it arrives (h11 shows the
        target only once the whole head is in)."""
        assert self._line is not None
        cap = self.limits.max_target_bytes + 64  # room for the method and the version around the target
        need = cap + 1 - len(self._line)
        end = data.find(b"\n", 0, need)
        if end < 0:
            self._line += data[:need]
            return len(self._line) > cap
        self._line += data[:end]
        line, self._line = self._line.strip(), None  # complete: no more checks for this request
        parts = line.split(b" ")
        return len(parts) == 3 and len(parts[1]) > self.limits.max_target_bytes

    def handle_events(self) -> None:
        super().handle_events()
        state = self.conn.their_state
        if state is h11.IDLE:
            if self._in_request:  # a new cycle (keep-alive): the next head is awaited
                self._in_request = False
                self._head_bytes = 0
                self._line = bytearray()
            return
        self._in_request = True
        if state is h11.SEND_BODY:
            self._arm("body")  # replaces the header timer
        else:
            self._disarm()


def limited_protocol(config: MockConfig, base: str = "auto") -> type[asyncio.Protocol]:
    """The protocol class for ``uvicorn.Config(http=...)``: httptools' for "auto" (as uvicorn's "auto" chooses
    when it is installed), or h11's. A class per configuration, so that two mocks in one process keep theirs."""
    parent: type[asyncio.Protocol] = LimitedH11Protocol if base == "h11" else LimitedHttpToolsProtocol
    return type(parent.__name__, (parent,), {"limits": Limits.of(config)})
