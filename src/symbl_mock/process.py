"""The mock in a process of its own: the command line's serving loop, and a child process for other programs.

``mock_process(config)`` starts ``python -m symbl_mock.process``, hands it the configuration as JSON on its
standard input (tokens and app secrets never appear on a command line, where ``ps`` shows them to every
user), waits for its ready line and yields its base URL; the child is stopped when the block ends. A child
rather than a thread: the mock gets the machine's other core instead of sharing the interpreter lock with
the caller, and stopping it cannot hang the caller (SIGTERM, then SIGKILL after a short grace).
"""

from __future__ import annotations

import asyncio
import gc
import logging
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType
from typing import IO

from uvicorn.logging import DefaultFormatter

from symbl_mock.app import create_app
from symbl_mock.config import MockConfig
from symbl_mock.server import READY_PREFIX, base_url, bind_socket, ready_lines, uvicorn_server

__all__ = ["MockStartError", "mock_process", "serve"]


def serve(
    config: MockConfig,
    host: str,
    port: int,
    *,
    log_level: str = "info",
    access_log: bool = False,
    generated_token: str | None = None,
) -> int:
    """Serve until SIGINT or SIGTERM; print the ready lines once listening. The exit status (1: cannot listen)."""
    try:
        sock = bind_socket(host, port)
    except OSError as exc:
        print(f"symbl-mock: error: cannot listen on {host}:{port}: {exc.strerror or exc}", file=sys.stderr)
        return 1
    url = base_url(host, sock.getsockname()[1])
    server = uvicorn_server(create_app(config), log_level=log_level, access_log=access_log)
    _log_like_uvicorn(log_level)

    async def run() -> None:
        task = asyncio.create_task(server.serve(sockets=[sock]))
        while not server.started and not task.done():  # noqa: ASYNC110 - uvicorn offers no started event
            await asyncio.sleep(0.01)
        if server.started:
            for line in ready_lines(url, config, generated_token):
                print(line, flush=True)
        await task

    # uvicorn handles SIGINT/SIGTERM (stops accepting, finishes in-flight requests, returns), then re-raises
    # the signal under the handler that was installed before it started. Installed here, that handler lets
    # a SIGTERM end the process with status 0 like a SIGINT, instead of the default kill (status -15).
    def stop(signum: int, frame: FrameType | None) -> None:  # also covers a SIGTERM before uvicorn took over
        server.should_exit = True

    previous = signal.signal(signal.SIGTERM, stop)
    _freeze_survivors_of_full_collections()
    try:
        with asyncio.Runner(loop_factory=server.config.get_loop_factory()) as runner:
            runner.run(run())
    except KeyboardInterrupt:
        pass
    finally:
        signal.signal(signal.SIGTERM, previous)
        sock.close()
    return 0 if server.started else 1


def _log_like_uvicorn(log_level: str) -> None:
    """The mock's own messages (webhooks given up, the shutdown's summary) at ``log_level``, as uvicorn's look.

    Without this they reach Python's last-resort handler: printed at every level, with no level prefix.
    """
    logger = logging.getLogger("symbl_mock")
    logger.setLevel(log_level.upper())
    if not logger.handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(DefaultFormatter("%(levelprefix)s %(message)s"))
        logger.addHandler(handler)
        logger.propagate = False


def _freeze_survivors_of_full_collections() -> None:
    """Keep the mock's long-lived records (every job it ever took) out of later full GC passes.

    A full collection scans every tracked object, so its pause grows with the jobs kept in memory (tens of
    milliseconds after ~100k jobs, which showed as the benchmark's p99). What survives a full collection is
    long-lived; freezing it after each one means the next only scans what is newer. Done only where the mock
    owns its process: ``running_mock`` leaves the host process's GC alone.
    """
    gc.freeze()

    def after(phase: str, info: dict[str, int]) -> None:
        if phase == "stop" and info.get("generation") == 2:
            gc.freeze()

    gc.callbacks.append(after)


# -- the child process ------------------------------------------------------------------------------------


class MockStartError(RuntimeError):
    """The child process did not come up (it exited, or did not listen in time); the message says why."""


_GRACE = 0.5
"""Seconds the child gets to stop after SIGTERM: it holds nothing worth saving."""


@contextmanager
def mock_process(config: MockConfig, *, startup_timeout: float = 30.0, log_level: str = "critical") -> Iterator[str]:
    """Run the mock with ``config`` in a child process on a free 127.0.0.1 port; yields its base URL."""
    command = [sys.executable, "-m", "symbl_mock.process", "--log-level", log_level]
    with tempfile.TemporaryFile("w+") as errors:  # the child's stderr, to explain a failed start
        process = subprocess.Popen(  # noqa: S603 - our own interpreter and module, fixed arguments
            command,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=errors,
            text=True,
        )
        assert process.stdin is not None
        assert process.stdout is not None
        try:
            process.stdin.write(config.to_json())
            process.stdin.close()
        except OSError:  # the child died at once; its stderr says why
            pass
        found: list[str] = []
        reader = threading.Thread(target=_read_url, args=(process.stdout, found), daemon=True)
        reader.start()
        try:
            try:
                url = _wait_for_url(process, found, startup_timeout)
            except MockStartError as exc:
                errors.seek(0)
                last = [line.strip() for line in errors.read().splitlines() if line.strip()][-1:]
                raise MockStartError(f"{exc}: {last[0]}" if last else str(exc)) from None
            yield url
        finally:
            _stop(process)
            reader.join(timeout=5)  # the child is gone: the reader sees the end of its output
            if not reader.is_alive():
                process.stdout.close()


def _read_url(stream: IO[str], found: list[str]) -> None:
    for line in stream:
        if line.startswith(READY_PREFIX):
            found.append(line.removeprefix(READY_PREFIX).strip())
            break
    for _ in stream:  # keep draining, so that the child never blocks on a full pipe
        pass


def _wait_for_url(process: subprocess.Popen[str], found: list[str], timeout: float) -> str:
    deadline = time.monotonic() + timeout
    while not found:
        if process.poll() is not None:
            raise MockStartError(f"the mock process exited with code {process.returncode} before listening")
        if time.monotonic() > deadline:
            raise MockStartError(f"the mock process did not start within {timeout:g}s")
        time.sleep(0.01)
    return found[0].rstrip("/")


def _stop(process: subprocess.Popen[str]) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=_GRACE)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)


def _child_main(argv: list[str]) -> int:
    log_level = argv[argv.index("--log-level") + 1] if "--log-level" in argv else "critical"
    try:
        config = MockConfig.from_json(sys.stdin.read())
    except (ValueError, TypeError) as exc:
        print(f"symbl-mock: error: bad configuration on standard input: {exc}", file=sys.stderr)
        return 2
    return serve(config, "127.0.0.1", 0, log_level=log_level)


if __name__ == "__main__":
    sys.exit(_child_main(sys.argv[1:]))
