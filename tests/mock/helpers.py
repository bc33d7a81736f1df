"""Helpers of the mock tests: spec response checking, polling with deadlines, loopback HTTP receivers."""

from __future__ import annotations

import contextlib
import json
import re
import socket
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx

from symbl_spec import Operation, default_spec

TOKEN = "mock-test-token"  # noqa: S105 - a test token, not a secret
AUTH = {"Authorization": f"Bearer {TOKEN}"}
AUDIO = "https://example.com/audio.wav"
FAILING_AUDIO = "https://audio.example.invalid/audio.wav"
FINAL = default_spec().lifecycle(default_spec().schema_pointer("JobStatusValue")).final
LIFECYCLE = ["scheduled", "in_progress", "completed"]


def wait_for(condition: Callable[[], bool], timeout: float = 20.0, interval: float = 0.02) -> None:
    """Poll ``condition`` until it holds; fail the test at the deadline."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"condition not met within {timeout} s")
        time.sleep(interval)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def submit(client: httpx.Client, url: str = AUDIO, **body: Any) -> httpx.Response:
    return client.post("/v1/process/audio/url", json={"url": url, **body}, headers=AUTH)


def created(client: httpx.Client, url: str = AUDIO, **body: Any) -> dict[str, str]:
    response = submit(client, url, **body)
    assert response.status_code == 201, response.text
    payload: dict[str, str] = response.json()
    return payload


def assert_error(response: httpx.Response, status: int, *fragments: str) -> None:
    """The spec's error body with this status, its message containing each fragment (case-insensitive)."""
    assert response.status_code == status, (response.status_code, response.text)
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert body["statusCode"] == status
    assert isinstance(body["message"], str)
    assert body["message"]
    for fragment in fragments:
        assert fragment.lower() in body["message"].lower(), (fragment, body["message"])


class SpecResponses:
    """Validates a response against the spec: declared status, JSON content type, body schema."""

    def __init__(self) -> None:
        self.spec = default_spec()
        self.routes = [
            (re.compile("^" + re.sub(r"\\\{[^/]+?\\\}", "[^/]+", re.escape(op.path)) + "$"), op)
            for op in self.spec.operations.values()
        ]

    def operation(self, method: str, raw_path: str) -> Operation | None:
        for pattern, operation in self.routes:
            if operation.method == method.lower() and pattern.match(raw_path):
                return operation
        return None

    def problems(self, response: httpx.Response) -> list[str]:
        request = response.request
        raw_path = request.url.raw_path.decode("ascii").split("?", 1)[0]
        where = f"{request.method} {raw_path} -> {response.status_code}"
        if raw_path.startswith("/__mock__/"):
            return []
        operation = self.operation(request.method, raw_path)
        if operation is None:  # no operation: unknown path (404) or method (405); still the error body
            return self._check_body(where, response, self.spec.schema_pointer("Error"))
        declared = operation.responses.get(str(response.status_code))
        if declared is None:
            return [f"{where}: status not declared for {request.method} {operation.path}"]
        pointer = declared.json_schema_pointer
        return [] if pointer is None else self._check_body(where, response, pointer)

    def _check_body(self, where: str, response: httpx.Response, pointer: str) -> list[str]:
        content_type = response.headers.get("content-type", "")
        if not content_type.startswith("application/json"):
            return [f"{where}: content-type {content_type!r}, expected application/json"]
        try:
            body = json.loads(response.content)
        except ValueError as exc:
            return [f"{where}: body is not JSON: {exc}"]
        return [f"{where}: {error.message}" for error in self.spec.validator(pointer).iter_errors(body)]


# -- loopback HTTP servers ------------------------------------------------------------------------------

Responder = Callable[[BaseHTTPRequestHandler, bytes], None]


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False
    responder: Responder


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:  # quiet
        pass

    def _handle(self) -> None:
        length = int(self.headers.get("content-length") or 0)
        body = self.rfile.read(length) if length else b""
        self.server.responder(self, body)

    do_GET = _handle
    do_POST = _handle


def reply(handler: BaseHTTPRequestHandler, status: int, body: bytes = b"", content_type: str = "text/plain") -> None:
    with contextlib.suppress(OSError):
        handler.send_response(status)
        handler.send_header("content-type", content_type)
        handler.send_header("content-length", str(len(body)))
        handler.end_headers()
        handler.wfile.write(body)


@contextlib.contextmanager
def loopback_server(responder: Responder, port: int = 0) -> Iterator[str]:
    """A threaded HTTP server on 127.0.0.1 calling ``responder(handler, body)``; yields its base URL."""
    server = _Server(("127.0.0.1", port), _Handler)
    server.responder = responder
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def raw_request(base_url: str, request: bytes, timeout: float = 10.0) -> tuple[int, dict[str, str], bytes]:
    """Send exact bytes (paths httpx would normalise, bodies it would refuse); status, headers, body."""
    host, port = base_url.removeprefix("http://").rsplit(":", 1)
    with socket.create_connection((host, int(port)), timeout=timeout) as sock:
        sock.sendall(request)
        data = b""
        while True:
            chunk = sock.recv(65536)
            if not chunk:
                break
            data += chunk
            head, sep, rest = data.partition(b"\r\n\r\n")
            if sep:
                lines = head.decode("latin-1").split("\r\n")
                headers = {k.strip().lower(): v.strip() for k, _, v in (line.partition(":") for line in lines[1:])}
                length = int(headers.get("content-length", "-1"))
                if 0 <= length <= len(rest):
                    return int(lines[0].split()[1]), headers, rest[:length]
    raise AssertionError(f"incomplete response: {data[:200]!r}")


def raw_http(
    method: str, target: str, *, body: bytes = b"", headers: Mapping[str, str] | None = None, token: bool = True
) -> bytes:
    """An HTTP/1.1 request as bytes, closing the connection after the answer."""
    lines = [f"{method} {target} HTTP/1.1", "Host: 127.0.0.1", "Connection: close"]
    if token:
        lines.append(f"Authorization: Bearer {TOKEN}")
    for name, value in (headers or {}).items():
        lines.append(f"{name}: {value}")
    if body or method in ("POST", "PUT"):
        lines.append(f"Content-Length: {len(body)}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body
