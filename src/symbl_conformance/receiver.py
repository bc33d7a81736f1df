"""A webhook receiver on loopback: records every POST it gets and answers 200.

Two addresses: ``url`` for the semantic checks' own jobs (their deliveries are recorded and judged), and
``generated_url``, the sink for the webhook URLs in schemathesis' generated data (counted only).
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
        self.generated = 0
        """Deliveries to ``generated_url``."""

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
            length = min(int(self.headers.get("Content-Length") or 0), _MAX_BODY)
            body = self.rfile.read(length) if length > 0 else b""
            if self.path.startswith(f"/hooks/{receiver.token}"):
                receiver.record(Delivery(time.monotonic(), self.path, body))
            elif self.path.startswith(f"/generated/{receiver.token}"):
                with receiver._lock:
                    receiver.generated += 1
            self.send_response(200)
            self.send_header("Content-Length", "0")
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
