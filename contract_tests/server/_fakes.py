"""Small fake servers for the rows of issue 9's table the mock cannot play: on 127.0.0.1, free ports, stopped.

- ``hanging_server``: answers GET (404, the document's error body: an unknown job) and never answers
  POST or PUT — a server stuck on writes.
- ``static_server``: answers every submit and append with the same IDs and every job as ``in_progress``
  forever — what a mock serving its examples does (Prism without ``--dynamic``).
- ``accounts_server``: two accounts (a token each), each seeing only its own conversations and jobs — or,
  ``leaky=True``, answering 403 for the other's (the mistake the isolation check catches).
- ``DyingProxy``: a TCP proxy in front of a real server that can be killed mid-run: its port then refuses
  connections and the live ones are cut, as when a server process dies.
"""

from __future__ import annotations

import json
import socket
import struct
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from http.server import BaseHTTPRequestHandler
from typing import Any

from symbl_conformance.receiver import LoopbackHTTPServer

__all__ = ["DyingProxy", "accounts_server", "hanging_server", "static_server"]

JOB_ID = "9b1deb4d-3b7d-4bad-9bdd-2b0d7b3dcb6d"
CONVERSATION_ID = "5815170693595136"


def _serve(handler: type[BaseHTTPRequestHandler], release: threading.Event) -> Iterator[str]:
    server = LoopbackHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        release.set()
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


class _Json(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # headers and body go in two writes: without it, each answer waits ~40 ms

    def reply(self, status: int, body: Any) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def read_body(self) -> bytes:
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length > 0 else b""

    def log_message(self, format: str, *args: Any) -> None:
        """Silent."""


@contextmanager
def hanging_server() -> Iterator[str]:
    release = threading.Event()

    class Handler(_Json):
        def do_GET(self) -> None:
            self.reply(404, {"statusCode": 404, "message": "The job you asked for could not be found"})

        def hang(self) -> None:
            self.read_body()
            release.wait(600)

        do_POST = do_PUT = hang

    yield from _serve(Handler, release)


@contextmanager
def static_server() -> Iterator[str]:
    release = threading.Event()

    class Handler(_Json):
        def created(self) -> None:
            self.read_body()
            self.reply(201, {"conversationId": CONVERSATION_ID, "jobId": JOB_ID})

        do_POST = do_PUT = created

        def do_GET(self) -> None:
            self.reply(200, {"id": JOB_ID, "status": "in_progress"})

    yield from _serve(Handler, release)


@contextmanager
def accounts_server(tokens: tuple[str, str], *, leaky: bool = False) -> Iterator[str]:
    """Submit, append and job status for two accounts; nothing else of the API."""
    release = threading.Event()
    lock = threading.Lock()
    conversations: dict[str, str] = {}  # conversation -> owner
    jobs: dict[str, str] = {}  # job -> owner

    class Handler(_Json):
        def account(self) -> str | None:
            kind, _, token = (self.headers.get("Authorization") or "").partition(" ")
            return token if kind.lower() == "bearer" and token in tokens else None

        def refuse(self, owner: str, account: str) -> bool:
            """Answer for a resource of another account: 404 (isolated) or 403 (leaky). True when answered."""
            if owner == account:
                return False
            if leaky:
                self.reply(403, {"statusCode": 403, "message": "Forbidden"})
            else:
                self.reply(404, {"statusCode": 404, "message": "Not found"})
            return True

        def create(self, account: str, conversation: str) -> None:
            job = str(uuid.uuid4())
            with lock:
                conversations.setdefault(conversation, account)
                jobs[job] = account
            self.reply(201, {"conversationId": conversation, "jobId": job})

        def do_POST(self) -> None:
            self.read_body()
            account = self.account()
            if account is None:
                self.reply(401, {"statusCode": 401, "message": "Unauthorized"})
            else:
                self.create(account, str(uuid.uuid4().int)[:16])

        def do_PUT(self) -> None:
            self.read_body()
            account = self.account()
            conversation = self.path.rsplit("/", 1)[-1]
            if account is None:
                self.reply(401, {"statusCode": 401, "message": "Unauthorized"})
            elif conversation not in conversations:
                self.reply(404, {"statusCode": 404, "message": "Not found"})
            elif not self.refuse(conversations[conversation], account):
                self.create(account, conversation)

        def do_GET(self) -> None:
            account = self.account()
            job = self.path.rsplit("/", 1)[-1]
            if account is None:
                self.reply(401, {"statusCode": 401, "message": "Unauthorized"})
            elif job not in jobs:
                self.reply(404, {"statusCode": 404, "message": "Not found"})
            elif not self.refuse(jobs[job], account):
                self.reply(200, {"id": job, "status": "completed"})

    yield from _serve(Handler, release)


class DyingProxy:
    """Forwards 127.0.0.1:<port> to ``upstream`` until ``kill()``: then nothing listens and live connections end."""

    def __init__(self, upstream: str) -> None:
        host, _, port = upstream.removeprefix("http://").partition(":")
        self.upstream = (host, int(port))
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self.listener.getsockname()[1]}"
        self.killed = threading.Event()
        self._lock = threading.Lock()
        self._live: list[socket.socket] = []
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while not self.killed.is_set():
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            try:
                server = socket.create_connection(self.upstream, timeout=5)
            except OSError:
                client.close()
                continue
            server.settimeout(None)
            with self._lock:
                self._live += [client, server]
            for source, sink in ((client, server), (server, client)):
                threading.Thread(target=self._pump, args=(source, sink), daemon=True).start()

    def _pump(self, source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for end in (source, sink):
                with suppress(OSError):
                    end.shutdown(socket.SHUT_RDWR)

    def kill(self) -> None:
        self.killed.set()
        with suppress(OSError):  # stops listening at once (a close alone leaves accept() blocked, the port open)
            self.listener.shutdown(socket.SHUT_RDWR)
        self.listener.close()
        with self._lock:
            for end in self._live:
                try:
                    end.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                    end.close()  # with a zero linger: a reset, as when a process dies
                except OSError:
                    pass
