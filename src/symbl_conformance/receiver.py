"""A webhook receiver on loopback: records every POST it gets and answers 200.

Two addresses: ``url`` for the semantic checks' own jobs (their deliveries are recorded and judged), and
``generated_url``, the sink for the webhook URLs in schemathesis' generated data (answered, not recorded).
"""

from __future__ import annotations

import json
import secrets
import socketserver
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

__all__ = ["Delivery", "LoopbackHTTPServer", "WebhookReceiver", "running_receiver"]

_MAX_BODY = 64 * 1024


@dataclass(frozen=True, slots=True)
class Delivery:
    received_at: float
    path: str
    body: bytes

    def json(self) -> Any:
        """The parsed body, or ``None`` when it is not JSON."""
        try:
            return json.loads(self.body)
        except ValueError:
            return None


class WebhookReceiver:
    """Deliveries received so far, in arrival order. ``url`` is where to send them."""

    def __init__(self, local_url: str, public_url: str | None) -> None:
        self.token = secrets.token_hex(8)
        self.local_url = local_url
        self._public_url = public_url
        self._lock = threading.Lock()
        self._deliveries: list[Delivery] = []

    @property
    def _base(self) -> str:
        return (self._public_url if self._public_url is not None else self.local_url).rstrip("/")

    @property
    def url(self) -> str:
        return f"{self._base}/hooks/{self.token}"

    @property
    def generated_url(self) -> str:
        return f"{self._base}/generated/{self.token}"

    def record(self, delivery: Delivery) -> None:
        with self._lock:
            self._deliveries.append(delivery)

    def deliveries(self) -> list[Delivery]:
        with self._lock:
            return list(self._deliveries)


def _handler(receiver: WebhookReceiver) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        disable_nagle_algorithm = True  # answer at once (headers and body are two writes)

        def do_POST(self) -> None:
            body = self._body()
            if body is None:
                return
            if self.path.startswith(f"/hooks/{receiver.token}"):
                receiver.record(Delivery(time.monotonic(), self.path, body))
            self._answer(200)  # generated_url's deliveries too, unrecorded

        def _body(self) -> bytes | None:
            """The request body, whole: by Content-Length, or chunked (as Node's and Go's clients may send a
            webhook). None, once answered with an error and the connection closed, when it cannot be read."""
            if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
                return self._chunked()
            declared = self.headers.get("Content-Length") or "0"
            if not declared.isascii() or not declared.isdigit():
                self._refuse(400)
                return None
            if int(declared) > _MAX_BODY:
                self._refuse(413)
                return None
            return self.rfile.read(int(declared))

        def _chunked(self) -> bytes | None:
            body = bytearray()
            while True:
                size_line = self.rfile.readline(1026).split(b";", 1)[0].strip()
                try:
                    size = int(size_line, 16)
                except ValueError:
                    size = -1
                if size < 0 or len(body) + size > _MAX_BODY:
                    self._refuse(400 if size < 0 else 413)
                    return None
                if size == 0:
                    break
                chunk = self.rfile.read(size + 2)  # the data and its CRLF
                if len(chunk) != size + 2 or not chunk.endswith(b"\r\n"):
                    self._refuse(400)
                    return None
                body += chunk[:-2]
            while self.rfile.readline(1026) not in (b"\r\n", b"\n", b""):  # trailer fields, if any
                pass
            return bytes(body)

        def _refuse(self, status: int) -> None:
            self.close_connection = True  # what is left of the body must not be read as the next request
            self._answer(status)

        def _answer(self, status: int) -> None:
            self.send_response(status)
            self.send_header("Content-Length", "0")
            if self.close_connection:
                self.send_header("Connection", "close")
            self.end_headers()

        def log_message(self, format: str, *args: Any) -> None:
            """Silent: the summary reports what was received."""

    return Handler


class LoopbackHTTPServer(ThreadingHTTPServer):
    """A threading HTTP server that makes no name lookup when it binds."""

    daemon_threads = True

    def server_bind(self) -> None:
        # HTTPServer.server_bind asks socket.getfqdn(host): a reverse name lookup (nscd, /etc/hosts, DNS) that
        # a receiver on 127.0.0.1 has no use for, and that a run must not make.
        socketserver.TCPServer.server_bind(self)
        host, port = self.server_address[:2]
        self.server_name, self.server_port = str(host), int(port)


@contextmanager
def running_receiver(port: int = 0, public_url: str | None = None) -> Iterator[WebhookReceiver]:
    """Listen on 127.0.0.1 (a free port unless ``port`` is given) until the block ends."""
    server = LoopbackHTTPServer(("127.0.0.1", port), BaseHTTPRequestHandler)
    host, bound = server.server_address[:2]
    receiver = WebhookReceiver(f"http://{host!s}:{bound}", public_url)
    server.RequestHandlerClass = _handler(receiver)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield receiver
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
