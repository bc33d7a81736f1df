"""The webhook POST client: one write per request, any framing of the answer, httpx's names for failures."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

import pytest

from symbl_mock.webhook_client import REPLY_LIMIT, DeliveryError, Target, connect

Answer = Callable[[asyncio.StreamReader, asyncio.StreamWriter], Awaitable[None]]


async def _read_request(reader: asyncio.StreamReader) -> bytes:
    head = await reader.readuntil(b"\r\n\r\n")
    [length] = [line.split(b":")[1] for line in head.split(b"\r\n") if line.lower().startswith(b"content-length")]
    return head + await reader.readexactly(int(length))


def _post_twice(answer: Answer) -> tuple[list[int | str], list[bytes], int]:
    """Two POSTs on (if it stays open) one connection to a server answering with ``answer``: the outcomes
    (status or failure name), the requests as received, and how many connections were made."""
    received: list[bytes] = []
    connections = [0]

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        connections[0] += 1
        try:
            while True:
                received.append(await _read_request(reader))
                await answer(reader, writer)
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            writer.close()

    async def run() -> list[int | str]:
        server = await asyncio.start_server(handle, "127.0.0.1", 0)
        port = server.sockets[0].getsockname()[1]
        target = Target.parse(f"http://127.0.0.1:{port}/hook?x=1")
        outcomes: list[int | str] = []
        connection = None
        async with server:
            for body in (b'{"jobId":"a","status":"scheduled"}', b'{"jobId":"a","status":"completed"}'):
                if connection is None or connection.closed:
                    connection = await connect(target, None)
                try:
                    outcomes.append(await asyncio.wait_for(connection.post(target.request(body)), 5))
                except DeliveryError as exc:
                    outcomes.append(exc.name)
            if connection is not None:
                connection.close()
        return outcomes

    outcomes = asyncio.run(run())
    return outcomes, received, connections[0]


def _writes(*chunks: bytes, close: bool = False) -> Answer:
    async def answer(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        for chunk in chunks:
            writer.write(chunk)
            await writer.drain()
        if close:
            writer.close()
            raise ConnectionError

    return answer


def test_a_request_is_exact_and_a_kept_alive_connection_is_reused() -> None:
    outcomes, received, connections = _post_twice(_writes(b"HTTP/1.1 204 No Content\r\n\r\n"))
    assert outcomes == [204, 204]
    assert connections == 1
    head, body = received[0].split(b"\r\n\r\n")
    lines = head.split(b"\r\n")
    assert lines[0] == b"POST /hook?x=1 HTTP/1.1"
    assert b"Content-Type: application/json" in lines
    assert body == b'{"jobId":"a","status":"scheduled"}'


@pytest.mark.parametrize(
    ("answer", "expected", "connections"),
    [
        (_writes(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nok\r\n0\r\n\r\n"), [200, 200], 1),
        (_writes(b"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 202 Accepted\r\nContent-Length: 0\r\n\r\n"), [202, 202], 1),
        (_writes(b"HTTP/1.1 500 Oops\r\nContent-Length: 3\r\n\r\nbad"), [500, 500], 1),
        (_writes(b"HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 0\r\n\r\n"), [200, 200], 2),
        (_writes(b"HTTP/1.0 200 OK\r\n\r\nuntil the end", close=True), [200, 200], 2),  # framed by the close
        (_writes(b"HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nshort", close=True), ["RemoteProtocolError"] * 2, 2),
        (_writes(b"", close=True), ["ReadError", "ReadError"], 2),
        (_writes(b"NOT HTTP AT ALL\r\n\r\n"), ["RemoteProtocolError"] * 2, 2),
    ],
    ids=["chunked", "interim-100", "error-status", "connection-close", "until-eof", "cut-short", "no-answer", "junk"],
)
def test_answers_of_any_framing(answer: Answer, expected: list[int | str], connections: int) -> None:
    outcomes, received, made = _post_twice(answer)
    assert outcomes == expected
    assert made == connections
    assert len(received) == 2


def test_an_overlong_answer_is_cut_at_the_limit_and_its_connection_not_reused() -> None:
    body = b"x" * (REPLY_LIMIT * 4)
    outcomes, _, connections = _post_twice(_writes(b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n" % len(body), body))
    assert outcomes == [200, 200]
    assert connections == 2


def test_a_refused_connection_is_a_connect_error() -> None:
    async def run() -> None:
        server = await asyncio.start_server(lambda r, w: None, "127.0.0.1", 0)
        port = server.sockets[0].getsockname()[1]
        server.close()
        await server.wait_closed()
        with pytest.raises(DeliveryError) as caught:
            await connect(Target.parse(f"http://127.0.0.1:{port}/"), None)
        assert caught.value.name == "ConnectError"

    asyncio.run(run())


@pytest.mark.parametrize(
    ("url", "host", "port", "host_header"),
    [
        ("http://127.0.0.1:8080/a", "127.0.0.1", 8080, b"127.0.0.1:8080"),
        ("https://hooks.example/a", "hooks.example", 443, b"hooks.example"),
        ("http://[::1]:9000/a", "::1", 9000, b"[::1]:9000"),
        ("http://b\u00fccher.example/a", "xn--bcher-kva.example", 80, b"xn--bcher-kva.example"),
    ],
)
def test_targets_are_parsed_by_httpx_rules(url: str, host: str, port: int, host_header: bytes) -> None:
    target = Target.parse(url)
    assert (target.host, target.port) == (host, port)
    assert b"\r\nHost: " + host_header + b"\r\n" in target.request(b"{}")


@pytest.mark.parametrize("url", ["http://xn--a.example/hook", "ftp://example.com/x", "http:///etc/passwd"])
def test_unusable_urls_are_value_errors(url: str) -> None:
    with pytest.raises(ValueError, match=r"."):
        Target.parse(url)
