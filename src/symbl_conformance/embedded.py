"""The embedded mock, started as a child process on a free loopback port.

A child process rather than a thread: the mock gets the machine's other core instead of sharing the
interpreter lock with schemathesis, and stopping it cannot hang the run (SIGTERM, then SIGKILL after a
short grace).
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import IO

__all__ = ["MockStartError", "mock_process"]

_LAUNCH = "import sys; from symbl_mock.cli import main; sys.exit(main())"
_READY = "symbl-mock listening on "


class MockStartError(RuntimeError):
    pass


@contextmanager
def mock_process(
    token: str,
    *,
    job_duration: float,
    concurrency_limit: int,
    extra: Sequence[str] = (),
    startup_timeout: float = 30.0,
) -> Iterator[str]:
    """Run ``symbl-mock`` with a static token until the block ends; yields its base URL."""
    command = [
        sys.executable,
        "-c",
        _LAUNCH,
        "--host",
        "127.0.0.1",
        "--port",
        "0",
        f"--token={token}",  # one argument: a urlsafe token may start with "-"
        "--job-duration",
        str(job_duration),
        "--concurrency-limit",
        str(concurrency_limit),
        "--log-level",
        "critical",
        *extra,
    ]
    with tempfile.TemporaryFile("w+") as errors:  # the child's stderr, to explain a failed start
        process = subprocess.Popen(  # noqa: S603 - our own interpreter and module, fixed arguments
            command,
            stdout=subprocess.PIPE,
            stderr=errors,
            stdin=subprocess.DEVNULL,
            text=True,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )
        assert process.stdout is not None
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
        if line.startswith(_READY):
            found.append(line.removeprefix(_READY).strip())
            break
    # Keep draining so that the child never blocks on a full pipe.
    for _ in stream:
        pass


def _wait_for_url(process: subprocess.Popen[str], found: list[str], timeout: float) -> str:
    deadline = time.monotonic() + timeout
    while not found:
        if process.poll() is not None:
            raise MockStartError(f"the embedded mock exited with code {process.returncode} before listening")
        if time.monotonic() > deadline:
            raise MockStartError(f"the embedded mock did not start within {timeout:g}s")
        time.sleep(0.01)
    return found[0].rstrip("/")


_GRACE = 0.5
"""Seconds the mock gets to stop after SIGTERM. Short: it holds nothing worth saving, and its event loop can
wait many seconds on DNS lookups of made-up webhook hosts before it closes."""


def _stop(process: subprocess.Popen[str]) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=_GRACE)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)
