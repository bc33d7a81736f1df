"""Limits on every input kind, each answered with the spec's JSON error body, and the server stays up for others.

Raw sockets against ``running_mock`` (both of uvicorn's HTTP/1.1 parsers: httptools, the default, and h11), with
short timeouts. The timing cases wait on the server's deadlines (half a second each), never on fixed sleeps.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import select
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

import pytest
import uvicorn
from uvicorn.server import ServerState

from symbl_mock import MockConfig, RunningMock, running_mock
from symbl_mock.limits import limited_protocol
from symbl_spec import default_spec
from tests.mock.helpers import AUDIO, TOKEN, raw_http

TIMEOUT = 0.5  # the header, body and keep-alive timeouts of these mocks
HEAD_LIMIT = MockConfig().max_header_bytes
TARGET_LIMIT = MockConfig().max_target_bytes
PARSERS = ["httptools", "h11"]
EMOJI = "\U0001f600"  # 4 bytes in UTF-8


@pytest.fixture(params=PARSERS)
def mock(request: pytest.FixtureRequest) -> Iterator[RunningMock]:
    config = MockConfig(
        tokens=(TOKEN,),
        job_duration=0,
        deliver_webhooks=False,
        header_timeout=TIMEOUT,
        body_timeout=TIMEOUT,
        keep_alive_timeout=TIMEOUT,
    )
    with running_mock(config, http=request.param) as running:
        yield running


@dataclass
class Answer:
    status: int | None = None
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""
    closed: bool = False
    """The server closed the connection (EOF or reset) after its answer, or without one."""
    elapsed: float = 0.0

    def json(self) -> Any:
        return json.loads(self.body)


def _read_answer(sock: socket.socket, started: float, deadline: float, *, eof: bool = True) -> Answer:
    """The first answer on ``sock``; with ``eof``, also whether the server then closed (read until EOF or
    ``deadline``), else read until the answer is complete."""
    answer, data = Answer(), b""
    while time.monotonic() < deadline:
        if not eof and answer.status is not None and len(answer.body) >= int(answer.headers["content-length"]):
            break
        sock.settimeout(max(0.01, deadline - time.monotonic()))
        try:
            chunk = sock.recv(65536)
        except (ConnectionResetError, BrokenPipeError):
            chunk = b""
        except TimeoutError:
            break
        if not chunk:
            answer.closed = True
            break
        data += chunk
        head, sep, rest = data.partition(b"\r\n\r\n")
        if sep and answer.status is None:
            lines = head.decode("latin-1").split("\r\n")
            answer.status = int(lines[0].split()[1])
            answer.headers = {k.strip().lower(): v.strip() for k, _, v in (line.partition(":") for line in lines[1:])}
            answer.elapsed = time.monotonic() - started
        if answer.status is not None:
            answer.body = rest[: int(answer.headers.get("content-length", len(rest)))]
    if answer.status is None:
        answer.elapsed = time.monotonic() - started
    return answer


def _exchange(mock: RunningMock, data: bytes, *, trickle: float = 0.0, wait: float = 10.0, eof: bool = True) -> Answer:
    """Send ``data`` (in one go, or a byte every ``trickle`` seconds until the server answers or closes); the
    answer (with ``eof``: and whether the server closed the connection after it)."""
    with socket.create_connection((mock.host, mock.port), timeout=wait) as sock:
        started = time.monotonic()
        if trickle:
            for byte in data:
                readable, _, _ = select.select([sock], [], [], trickle)  # paced by the wait for an answer
                if readable:
                    break
                with contextlib.suppress(OSError):
                    sock.sendall(bytes([byte]))
        else:
            with contextlib.suppress(OSError):  # the server may close before reading it all: its answer counts
                sock.sendall(data)
        return _read_answer(sock, started, started + wait, eof=eof)


def _assert_refused(answer: Answer, status: int, *fragments: str) -> None:
    assert answer.status == status, answer
    assert answer.headers["content-type"] == "application/json"
    assert answer.headers["connection"] == "close"
    body = answer.json()
    assert body["statusCode"] == status
    assert isinstance(body["message"], str)
    for fragment in fragments:
        assert fragment in body["message"]
    assert answer.closed


def _get(path: str = "/v1/job/9b1deb4d-3b7d-4bad-9bdd-2b0d7b3dcb6d", extra: bytes = b"") -> bytes:
    return f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {TOKEN}\r\n".encode() + extra + b"\r\n"


# -- sizes ------------------------------------------------------------------------------------------------------


def test_a_head_over_the_limit_is_431(mock: RunningMock) -> None:
    answer = _exchange(mock, _get(extra=b"X-Big: " + b"a" * (HEAD_LIMIT + 1024) + b"\r\n"))
    _assert_refused(answer, 431, f"larger than {HEAD_LIMIT} bytes")


def test_many_headers_over_the_limit_in_small_writes_are_431(mock: RunningMock) -> None:
    headers = b"".join(b"X-Header-%05d: %s\r\n" % (i, b"v" * 80) for i in range(HEAD_LIMIT // 96 + 100))
    with socket.create_connection((mock.host, mock.port), timeout=10) as sock:
        started = time.monotonic()
        data = _get(extra=headers)
        with contextlib.suppress(OSError):
            for offset in range(0, len(data), 500):
                sock.sendall(data[offset : offset + 500])
        answer = _read_answer(sock, started, started + 10)
    _assert_refused(answer, 431)


def test_a_head_just_within_the_limit_is_served(mock: RunningMock) -> None:
    request = _get(extra=b"X-Pad: ")
    padding = HEAD_LIMIT - len(request) - len(b"\r\n") - 1
    answer = _exchange(mock, _get(extra=b"X-Pad: " + b"p" * padding + b"\r\n"), eof=False)
    assert answer.status == 404  # the API's own answer (an unknown job): the head passed


def test_a_target_over_the_limit_is_414(mock: RunningMock) -> None:
    path = "/v1/job/" + "a" * (TARGET_LIMIT + 1 - len("/v1/job/"))
    _assert_refused(_exchange(mock, _get(path)), 414, f"longer than {TARGET_LIMIT} bytes")


def _longest_query(operation_id: str) -> str:
    """Each query parameter of the operation at the longest its schema allows, in 4-byte characters (12 bytes
    each, percent-encoded). A parameter this does not know fails the test: the limit must be checked anew."""
    values = {}
    for parameter in default_spec().operations[operation_id].parameters:
        if parameter.location != "query":
            continue
        schema = parameter.schema
        if parameter.name == "webhookUrl":
            values[parameter.name] = "https://" + EMOJI * (schema["maxLength"] - len("https://"))
        elif parameter.name == "customVocabulary":
            values[parameter.name] = EMOJI * schema["maxLength"]
        elif parameter.name == "diarizationSpeakerCount":
            longest = "9" * 9 + "." + "0" * (schema["anyOf"][1]["maxLength"] - 10)  # the pattern's 9 digits, then zeros
            assert default_spec().validator(parameter.schema_pointer).is_valid(longest), longest
            values[parameter.name] = longest
        elif parameter.name in ("enableSpeakerDiarization", "enableSummary", "detectActionPhraseForMessages"):
            values[parameter.name] = "False"
        else:
            raise AssertionError(f"no longest value known for the query parameter {parameter.name!r}")
    return "&".join(f"{name}={quote(value, safe='')}" for name, value in values.items())


def test_the_longest_target_the_spec_allows_is_not_refused(mock: RunningMock) -> None:
    target = f"/v1/process/audio/url/{'1' * 64}?{_longest_query('appendAudioUrl')}"
    assert 100_000 < len(target) <= TARGET_LIMIT  # past httptools' 64 KiB parse_url limit, within ours
    body = json.dumps({"url": AUDIO}).encode()
    request = raw_http("PUT", target, body=body, headers={"Content-Type": "application/json"})
    answer = _exchange(mock, request, eof=False)
    assert answer.status == 404, answer  # an unknown conversation: the API decided, the limits let it through


def test_a_long_query_reaches_the_application_whole(mock: RunningMock) -> None:
    query = _longest_query("submitAudioUrl")
    request = raw_http("POST", f"/v1/process/audio/url?{query}", body=json.dumps({"url": AUDIO}).encode())
    request = request.replace(b"Connection: close\r\n", b"Connection: close\r\nContent-Type: application/json\r\n")
    answer = _exchange(mock, request, eof=False)
    assert answer.status == 201, answer.body[:300]
    [conversation] = mock.conversations()["conversations"]
    [job] = conversation["jobs"]
    assert len(job["webhookUrl"]) == 2048
    assert job["options"]["customVocabulary"] == EMOJI * 8192


def test_a_request_the_parser_refuses_is_400_json(mock: RunningMock) -> None:
    _assert_refused(_exchange(mock, b"GET / HTTP/1.1\r\nBad Header Line\r\n\r\n"), 400, "HTTP/1.1")


# -- time -------------------------------------------------------------------------------------------------------


def test_headers_trickled_past_the_header_timeout_are_408(mock: RunningMock) -> None:
    answer = _exchange(mock, _get(extra=b"X-Slow: " + b"s" * 200 + b"\r\n"), trickle=0.05)
    _assert_refused(answer, 408, "headers", f"{TIMEOUT:g} s")
    assert answer.elapsed >= TIMEOUT * 0.9  # a deadline from the first byte, not extended by each one


def test_a_body_trickled_past_the_body_timeout_is_408_and_logs_no_error(
    mock: RunningMock, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING)
    body = json.dumps({"url": AUDIO, "name": "x" * 200}).encode()
    head = raw_http("POST", "/v1/process/audio/url", body=b"", headers={"Content-Type": "application/json"})
    head = head.replace(b"Content-Length: 0", b"Content-Length: %d" % len(body))
    with socket.create_connection((mock.host, mock.port), timeout=10) as sock:
        sock.sendall(head)
        started = time.monotonic()
        for byte in body:
            if select.select([sock], [], [], 0.05)[0]:
                break
            with contextlib.suppress(OSError):
                sock.sendall(bytes([byte]))
        answer = _read_answer(sock, started, started + 10)
    _assert_refused(answer, 408, "body")
    assert answer.elapsed >= TIMEOUT * 0.9
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR], caplog.text
    assert mock.conversations()["conversations"] == []  # nothing was created from half a body


def test_a_connection_that_sends_nothing_is_closed_after_the_keep_alive_timeout(mock: RunningMock) -> None:
    with socket.create_connection((mock.host, mock.port), timeout=10) as sock:
        started = time.monotonic()
        answer = _read_answer(sock, started, started + 10)
    assert answer.status is None
    assert answer.closed
    assert answer.elapsed >= TIMEOUT * 0.9


def test_an_idle_kept_alive_connection_is_closed_after_the_keep_alive_timeout(mock: RunningMock) -> None:
    with socket.create_connection((mock.host, mock.port), timeout=10) as sock:
        sock.sendall(_get())
        first = _read_answer(sock, time.monotonic(), time.monotonic() + 10, eof=False)
        answered = time.monotonic()
        assert first.status == 404
        after = _read_answer(sock, answered, answered + 10)
    assert after.closed
    assert time.monotonic() - answered >= TIMEOUT * 0.9


def test_bare_line_ends_do_not_keep_a_connection_open(mock: RunningMock) -> None:
    # httptools skips them (the idle timer keeps running); h11 refuses them at once.
    answer = _exchange(mock, b"\r\n" * 200, trickle=0.05)
    assert answer.closed
    assert answer.status in (None, 400)
    assert answer.elapsed < 5


def test_kept_alive_requests_split_across_reads_are_served(mock: RunningMock) -> None:
    request = _get()
    with socket.create_connection((mock.host, mock.port), timeout=10) as sock:
        for _ in range(3):
            sock.sendall(request[:20])
            sock.sendall(request[20:])
            answer = _read_answer(sock, time.monotonic(), time.monotonic() + 10, eof=False)
            assert answer.status == 404


# -- others are served meanwhile ----------------------------------------------------------------------------


def test_the_server_stays_up_for_others_during_oversized_and_slow_requests(mock: RunningMock) -> None:
    stop = threading.Event()

    def oversized() -> None:
        while not stop.is_set():
            with contextlib.suppress(OSError), socket.create_connection((mock.host, mock.port), timeout=5) as sock:
                sock.sendall(_get(extra=b"X-Big: "))
                for _ in range(64):  # 16 MiB per connection, unless the server cut it short (it does)
                    sock.sendall(b"a" * 256_000)

    def slow() -> None:
        with contextlib.ExitStack() as stack:
            for _ in range(20):
                sock = stack.enter_context(socket.create_connection((mock.host, mock.port), timeout=5))
                sock.sendall(b"GET / HTTP/1.1\r\n")
            stop.wait(10)

    attackers = [threading.Thread(target=oversized), threading.Thread(target=slow)]
    for attacker in attackers:
        attacker.start()
    try:
        worst = 0.0
        for _ in range(20):
            answer = _exchange(mock, _get(), wait=5, eof=False)
            assert answer.status == 404
            worst = max(worst, answer.elapsed)
        assert worst < 2.0, f"another client waited {worst:.2f} s"  # not stalled (the benchmark has figures)
    finally:
        stop.set()
        for attacker in attackers:
            attacker.join(timeout=10)


# -- CPU linear in what was read (no sockets) -------------------------------------------------------------------


class _Transport(asyncio.Transport):
    def __init__(self) -> None:
        super().__init__()
        self.written = bytearray()
        self.closing = False

    def get_extra_info(self, name: str, default: Any = None) -> Any:
        return {"peername": ("127.0.0.1", 5000), "sockname": ("127.0.0.1", 8000)}.get(name, default)

    def write(self, data: bytes | bytearray | memoryview) -> None:
        self.written += data

    def close(self) -> None:
        self.closing = True

    def is_closing(self) -> bool:
        return self.closing

    def pause_reading(self) -> None:
        pass

    def resume_reading(self) -> None:
        pass


async def _ok(scope: Any, receive: Any, send: Any) -> None:
    while (await receive()).get("more_body"):
        pass
    await send({"type": "http.response.start", "status": 200, "headers": [(b"content-length", b"2")]})
    await send({"type": "http.response.body", "body": b"ok"})


def _counting_protocol(parser: str) -> tuple[Any, _Transport, list[int]]:
    """A limited protocol on a fake transport (call within a running loop); ``[calls, bytes]`` given to its parser."""
    config = uvicorn.Config(_ok, http=limited_protocol(MockConfig(), parser), lifespan="off")
    config.load()
    protocol_class: Any = config.http_protocol_class
    protocol = protocol_class(config=config, server_state=ServerState(), app_state={})
    transport = _Transport()
    protocol.connection_made(transport)
    fed = [0, 0]
    if parser == "httptools":
        real_parser = protocol.parser

        class CountingParser:
            def __getattr__(self, name: str) -> Any:
                return getattr(real_parser, name)

            def feed_data(self, data: bytes) -> None:
                fed[0] += 1
                fed[1] += len(data)
                real_parser.feed_data(data)

        protocol.parser = CountingParser()
    else:
        real_receive = protocol.conn.receive_data

        def receive_data(data: bytes) -> None:
            fed[0] += 1
            fed[1] += len(data)
            real_receive(data)

        protocol.conn.receive_data = receive_data
    return protocol, transport, fed


@pytest.mark.parametrize("parser", PARSERS)
def test_a_100_mb_header_reaches_the_parser_only_up_to_the_limit(parser: str) -> None:
    async def run() -> tuple[int, bytes, bool]:
        protocol, transport, fed = _counting_protocol(parser)
        data = b"GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * (100 << 20)
        for offset in range(0, len(data), 256_000):  # uvloop's read size
            if transport.closing:  # a closed transport reads no more
                break
            protocol.data_received(data[offset : offset + 256_000])
        protocol.connection_lost(None)
        return fed[1], bytes(transport.written), transport.closing

    fed, written, closed = asyncio.run(run())
    assert fed == HEAD_LIMIT
    assert written.startswith(b"HTTP/1.1 431 ")
    assert json.loads(written.partition(b"\r\n\r\n")[2])["statusCode"] == 431
    assert closed


def test_a_long_header_trickled_in_small_reads_reaches_httptools_in_few_pieces() -> None:
    # httptools appends each piece of a header value to the previous ones: fed 100 bytes at a time, 200 KB would
    # cost 2,000 copies of up to 200 KB. The head is held until 16 KiB or a line end have come.
    head = b"GET / HTTP/1.1\r\nHost: x\r\nX-Long: " + b"a" * 200_000 + b"\r\n\r\n"

    async def run() -> tuple[int, bytes]:
        protocol, transport, fed = _counting_protocol("httptools")
        for offset in range(0, len(head), 100):
            protocol.data_received(head[offset : offset + 100])
        for _ in range(5):  # let the application answer
            await asyncio.sleep(0)
        protocol.connection_lost(None)
        return fed[0], bytes(transport.written)

    calls, written = asyncio.run(run())
    assert written.startswith(b"HTTP/1.1 200 ")
    assert calls <= len(head) // (16 * 1024) + 3
