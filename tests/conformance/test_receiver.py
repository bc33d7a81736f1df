"""The run's webhook receiver records each delivery whole, however the server's HTTP client frames the body."""

from __future__ import annotations

import json
import socket
from collections.abc import Iterator

import httpx

from symbl_conformance.receiver import running_receiver

JOB_BODY = {"jobId": "9b1deb4d-3b7d-4bad-9bdd-2b0d7b3dcb6d", "status": "completed"}


def test_a_chunked_delivery_is_recorded_whole_and_the_connection_stays_usable() -> None:
    """Node's http.request without a Content-Length, and Go with an io.Reader body, send ``Transfer-Encoding:
    chunked``: a correct server whose payload the receiver must not take for empty (``webhook_payload``)."""
    text = json.dumps(JOB_BODY).encode()

    def body() -> Iterator[bytes]:
        yield text[:10]
        yield text[10:]

    with running_receiver() as receiver, httpx.Client(timeout=5) as client:
        first = client.post(receiver.url, content=body(), headers={"Content-Type": "application/json"})
        assert first.request.headers["Transfer-Encoding"] == "chunked"
        second = client.post(receiver.url, json=JOB_BODY)  # on the same kept-alive connection
        assert (first.status_code, second.status_code) == (200, 200)
        deliveries = receiver.deliveries()
    assert [delivery.json() for delivery in deliveries] == [JOB_BODY, JOB_BODY]


def _raw(url: str, request: bytes) -> bytes:
    host, port = url.removeprefix("http://").split("/", 1)[0].split(":")
    with socket.create_connection((host, int(port)), timeout=5) as sock:
        sock.sendall(request)
        answer = b""
        while chunk := sock.recv(4096):  # the receiver closes the connection after an error
            answer += chunk
    return answer


def test_chunk_extensions_and_trailers_are_read_past() -> None:
    with running_receiver() as receiver:
        path = receiver.url.split("/", 3)[3]
        answer = _raw(
            receiver.url,
            f"POST /{path} HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n".encode()
            + b'5;ext=1\r\n{"a":\r\n2\r\n1}\r\n0\r\nX-Trailer: y\r\n\r\n',
        )
        assert answer.startswith(b"HTTP/1.1 200"), answer
        assert [delivery.json() for delivery in receiver.deliveries()] == [{"a": 1}]


def test_a_body_it_cannot_read_is_refused_and_the_connection_closed() -> None:
    with running_receiver() as receiver:
        path = receiver.url.split("/", 3)[3]
        head = f"POST /{path} HTTP/1.1\r\nHost: x\r\n"
        bad_length = _raw(receiver.url, (head + "Content-Length: 1e3\r\n\r\n").encode())
        too_long = _raw(receiver.url, (head + "Content-Length: 99999999\r\n\r\n").encode())
        bad_chunk = _raw(receiver.url, (head + "Transfer-Encoding: chunked\r\n\r\nzz\r\n").encode())
        assert receiver.deliveries() == []
    assert bad_length.startswith(b"HTTP/1.1 400")
    assert too_long.startswith(b"HTTP/1.1 413")
    assert bad_chunk.startswith(b"HTTP/1.1 400")
    assert all(b"Connection: close" in answer for answer in (bad_length, too_long, bad_chunk))
