"""Serving the mock: the one uvicorn set-up, used by the command line, the child process and ``running_mock``."""

from __future__ import annotations

import asyncio
import contextlib
import math
import socket
import threading
import time
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass
from types import FrameType
from typing import Any, TypeVar

import uvicorn
from starlette.applications import Starlette

from symbl_mock.app import create_app
from symbl_mock.config import MockConfig
from symbl_mock.limits import limited_protocol
from symbl_mock.state import MockState

__all__ = [
    "READY_PREFIX",
    "RunningMock",
    "base_url",
    "bind_socket",
    "ready_lines",
    "running_mock",
    "uvicorn_server",
]

T = TypeVar("T")

READY_PREFIX = "symbl-mock listening on "
"""The first line the mock prints once it accepts connections, followed by its base URL."""


def ready_lines(url: str, config: MockConfig, generated_token: str | None = None) -> list[str]:
    """What the mock prints once it listens: its URL first (scripts wait for it), then what a user needs."""
    lines = [READY_PREFIX + url]
    if generated_token:
        lines.append(f"symbl-mock token (send as 'Authorization: Bearer <token>'): {generated_token}")
    if config.faults:
        lines.append(f"symbl-mock faults injected: {', '.join(sorted(config.faults))}")
    return lines


class _MockServer(uvicorn.Server):
    """uvicorn's server, whose shutdown starts the mock's shutdown clock (``MockConfig.shutdown_timeout``)."""

    def __init__(self, config: uvicorn.Config, state: MockState) -> None:
        super().__init__(config)
        self.state = state

    async def shutdown(self, sockets: list[socket.socket] | None = None) -> None:
        # uvicorn stops accepting, waits up to timeout_graceful_shutdown for the requests in flight, then runs
        # the lifespan shutdown, where the webhook sender waits for the rest of the same deadline.
        budget = self.state.config.shutdown_timeout
        self.state.webhooks.begin_shutdown(asyncio.get_running_loop().time() + budget)
        await super().shutdown(sockets)

    def handle_exit(self, sig: int, frame: FrameType | None) -> None:
        super().handle_exit(sig, frame)
        if self.force_exit:  # a second Ctrl-C: stop waiting for webhook deliveries too (what is left is logged)
            self.state.webhooks.begin_shutdown(-math.inf)


def uvicorn_server(
    app: Starlette, *, log_level: str = "warning", access_log: bool = False, http: str = "auto"
) -> uvicorn.Server:
    """uvicorn (uvloop and httptools when installed) as every way of running the mock configures it, with the
    input limits of ``symbl_mock.limits``. ``http``: "auto", or "httptools"/"h11" to choose the parser."""
    state: MockState = app.state.mock
    return _MockServer(
        uvicorn.Config(
            app,
            http=limited_protocol(state.config, http),
            timeout_keep_alive=state.config.keep_alive_timeout,  # type: ignore[arg-type]  # a float works
            log_level=log_level,
            access_log=access_log,
            proxy_headers=False,  # a local mock behind no proxy: skip uvicorn's per-request header rewriting
            lifespan="on",
            # (uvicorn takes 0 as "no time at all" and logs an error each time: 0.1 s is its shortest sleep anyway)
            timeout_graceful_shutdown=max(state.config.shutdown_timeout, 0.1),  # type: ignore[arg-type]
        ),
        state,
    )


def bind_socket(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError:
        sock.close()
        raise
    sock.set_inheritable(True)
    return sock


def base_url(host: str, port: int) -> str:
    return f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"


@dataclass(frozen=True, slots=True)
class RunningMock:
    """A started mock. ``url`` is its base URL; the methods read or change its state from any thread."""

    url: str
    host: str
    port: int
    config: MockConfig
    app: Starlette
    state: MockState
    _loop: asyncio.AbstractEventLoop

    def call(self, function: Callable[[], T], timeout: float = 10.0) -> T:
        """Run ``function`` on the server's event loop (where the state lives) and return its result."""

        async def run() -> T:
            return function()

        return asyncio.run_coroutine_threadsafe(run(), self._loop).result(timeout)

    def await_(self, awaitable_factory: Callable[[], Awaitable[T]], timeout: float = 10.0) -> T:
        async def run() -> T:
            return await awaitable_factory()

        return asyncio.run_coroutine_threadsafe(run(), self._loop).result(timeout)

    def conversations(self) -> dict[str, Any]:
        """The same document as ``GET /__mock__/conversations``."""
        return self.call(self.state.conversations_json)

    def webhooks(self) -> dict[str, Any]:
        """The same document as ``GET /__mock__/webhooks``."""
        return self.call(self.state.webhooks_json)

    def reset(self) -> None:
        """The same as ``POST /__mock__/reset``."""
        self.await_(self.state.reset)

    def expire_tokens(self, account: str | None = None) -> int:
        """The same as ``POST /__mock__/tokens/expire``: issued tokens (of ``account``, if given) expire now; how
        many were live."""
        return self.call(lambda: self.state.tokens.expire(account))

    def wait_idle(self, timeout: float = 30.0) -> bool:
        """Wait until no job is unfinished and no webhook delivery is pending; False on timeout."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.call(self.state.idle):
                return True
            time.sleep(0.02)
        return False


@contextlib.contextmanager
def running_mock(
    config: MockConfig | None = None,
    host: str = "127.0.0.1",
    port: int = 0,
    *,
    startup_timeout: float = 15.0,
    log_level: str = "warning",
    http: str = "auto",
) -> Iterator[RunningMock]:
    """Start the mock in a thread of this process; stop it on exit. ``http``: as ``uvicorn_server``'s."""
    config = config if config is not None else MockConfig()
    app = create_app(config)
    state: MockState = app.state.mock
    sock = bind_socket(host, port)
    actual_port = sock.getsockname()[1]
    server = uvicorn_server(app, log_level=log_level, http=http)
    errors: list[BaseException] = []

    def serve() -> None:
        try:
            server.run(sockets=[sock])
        except BaseException as exc:  # reported to the starting thread
            errors.append(exc)

    thread = threading.Thread(target=serve, name=f"symbl-mock:{actual_port}", daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + startup_timeout
        while not server.started:
            if errors or not thread.is_alive():
                raise RuntimeError(f"symbl-mock failed to start: {errors[0] if errors else 'server exited'}")
            if time.monotonic() > deadline:
                raise RuntimeError(f"symbl-mock did not start within {startup_timeout} s")
            time.sleep(0.01)
        assert state.loop is not None
        yield RunningMock(
            url=base_url(host, actual_port),
            host=host,
            port=actual_port,
            config=config,
            app=app,
            state=state,
            _loop=state.loop,
        )
    finally:
        server.should_exit = True
        thread.join(timeout=15)
        sock.close()
