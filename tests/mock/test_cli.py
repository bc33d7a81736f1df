"""The ``symbl-mock`` command: prints its URL, serves, stops cleanly on SIGINT/SIGTERM; bad flags exit 2."""

from __future__ import annotations

import queue
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import IO

import httpx
import pytest

from tests.mock.helpers import AUDIO, free_port, wait_for

SCRIPT = shutil.which("symbl-mock", path=str(Path(sys.executable).parent)) or "symbl-mock"
URL_LINE = re.compile(r"^symbl-mock listening on (http://127\.0\.0\.1:(\d+))$")


class Started:
    def __init__(self, *args: str) -> None:
        self.process = subprocess.Popen(  # noqa: S603 - our own console script
            [SCRIPT, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        self.lines: queue.Queue[str] = queue.Queue()
        assert self.process.stdout is not None
        threading.Thread(target=self._pump, args=(self.process.stdout,), daemon=True).start()

    def _pump(self, stream: object) -> None:
        for line in stream:  # type: ignore[attr-defined]
            self.lines.put(line.rstrip("\n"))

    def read_line(self, timeout: float = 20.0) -> str:
        return self.lines.get(timeout=timeout)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait(timeout=10)


@pytest.fixture
def started() -> Iterator[list[Started]]:
    processes: list[Started] = []
    yield processes
    for process in processes:
        process.stop()


@pytest.mark.parametrize("stop_signal", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_prints_url_serves_and_stops_on_signal(started: list[Started], stop_signal: signal.Signals) -> None:
    mock = Started("--port", "0", "--token", "cli-token", "--job-duration", "0", "--log-level", "warning")
    started.append(mock)
    match = URL_LINE.match(mock.read_line())
    assert match, "first line must be the URL"
    url = match.group(1)
    headers = {"Authorization": "Bearer cli-token"}
    response = httpx.post(f"{url}/v1/process/audio/url", json={"url": AUDIO}, headers=headers, timeout=5)
    assert response.status_code == 201
    assert httpx.get(f"{url}/v1/job/{response.json()['jobId']}", headers=headers, timeout=5).status_code == 200
    assert httpx.get(f"{url}/__mock__/conversations", timeout=5).json()["conversations"]

    mock.process.send_signal(stop_signal)
    assert mock.process.wait(timeout=15) == 0
    assert mock.process.stderr is not None
    errors = mock.process.stderr.read()
    assert "Traceback" not in errors
    with pytest.raises(httpx.ConnectError):
        httpx.get(f"{url}/v1/job/x", timeout=2)


def test_generates_and_prints_a_token_when_none_given(started: list[Started]) -> None:
    mock = Started("--port", "0", "--log-level", "warning")
    started.append(mock)
    match = URL_LINE.match(mock.read_line())
    assert match
    token_line = mock.read_line()
    token = token_line.rsplit(" ", 1)[-1]
    assert len(token) >= 20
    assert "cli-token" not in token_line
    response = httpx.post(
        f"{match.group(1)}/v1/process/audio/url", json={"url": AUDIO}, headers={"x-api-key": token}, timeout=5
    )
    assert response.status_code == 201
    mock.process.send_signal(signal.SIGINT)
    assert mock.process.wait(timeout=15) == 0


@pytest.mark.parametrize(
    "args",
    [
        ["--port", "abc"],
        ["--port", "70000"],
        ["--concurrency-limit", "0"],
        ["--job-duration", "nan"],
        ["--job-duration", "-1"],
        ["--audio-timeout", "0"],
        ["--webhook-timeout", "0"],
        ["--fault", "no_such_fault"],
        ["--app-id", "only-the-id"],
        ["--token", "has space"],
        ["--no-such-flag"],
        ["--log-level", "loud"],
        ["--allow-private-urls"],  # audio options without --fetch-audio would be ignored
        ["--max-audio-bytes", "10", "--audio-timeout", "2"],
    ],
    ids=lambda a: " ".join(a),
)
def test_bad_flags_exit_2_with_one_line(args: list[str]) -> None:
    completed = subprocess.run([SCRIPT, *args], capture_output=True, text=True, timeout=30, check=False)  # noqa: S603
    assert completed.returncode == 2, completed
    assert completed.stdout == ""
    lines = completed.stderr.strip().splitlines()
    assert len(lines) == 1, completed.stderr
    assert lines[0].startswith("symbl-mock: error: ")


def test_port_in_use_is_a_one_line_error(started: list[Started]) -> None:
    first = Started("--port", "0", "--log-level", "warning")
    started.append(first)
    match = URL_LINE.match(first.read_line())
    assert match
    completed = subprocess.run(  # noqa: S603
        [SCRIPT, "--port", match.group(2)], capture_output=True, text=True, timeout=30, check=False
    )
    assert completed.returncode == 1
    assert completed.stderr.strip().startswith("symbl-mock: error: cannot listen")
    assert len(completed.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize("job_duration", ["0", "60"])
def test_a_second_sigint_ends_the_wait_for_webhook_deliveries(started: list[Started], job_duration: str) -> None:
    """docs/limits.md: a second SIGINT exits at once, even while the shutdown waits for webhook deliveries, or
    (a job still running, ``--job-duration 60``) for a job with a webhook to finish."""
    receiver = socket.socket()  # listens but never answers: every delivery hangs
    receiver.bind(("127.0.0.1", 0))
    receiver.listen(16)
    try:
        mock = Started(
            "--port", "0", "--token", "t", "--job-duration", job_duration, "--log-level", "info",
            "--shutdown-timeout", "30", "--webhook-timeout", "60",
        )  # fmt: skip
        started.append(mock)
        match = URL_LINE.match(mock.read_line())
        assert match
        url = match.group(1)
        hook = f"http://127.0.0.1:{receiver.getsockname()[1]}/hook"
        body = {"url": AUDIO, "webhookUrl": hook}
        assert httpx.post(f"{url}/v1/process/audio/url", json=body, headers={"x-api-key": "t"}).status_code == 201
        wait_for(lambda: httpx.get(f"{url}/__mock__/webhooks").json()["pending"] > 0)
        assert mock.process.stderr is not None
        errors: queue.Queue[str] = queue.Queue()
        threading.Thread(target=_pump_into, args=(mock.process.stderr, errors), daemon=True).start()
        mock.process.send_signal(signal.SIGINT)
        while "Waiting for application shutdown" not in errors.get(timeout=10):
            pass  # the first SIGINT's shutdown now waits for the hanging deliveries, up to 30 s
        mock.process.send_signal(signal.SIGINT)
        assert mock.process.wait(timeout=5) == 0
    finally:
        receiver.close()


def _pump_into(stream: IO[str], lines: queue.Queue[str]) -> None:
    for line in stream:
        lines.put(line)


@pytest.mark.parametrize(("level", "shown"), [("error", False), ("warning", True)])
def test_log_level_governs_the_mocks_own_messages(started: list[Started], level: str, shown: bool) -> None:
    """--log-level error silences the mock's warnings (a webhook given up); they were printed at every level."""
    mock = Started(
        "--port", "0", "--token", "t", "--job-duration", "0", "--log-level", level, "--webhook-max-attempts", "1",
    )  # fmt: skip
    started.append(mock)
    match = URL_LINE.match(mock.read_line())
    assert match
    url = match.group(1)
    body = {"url": AUDIO, "webhookUrl": f"http://127.0.0.1:{free_port()}/hook"}  # nobody listens: given up at once
    assert httpx.post(f"{url}/v1/process/audio/url", json=body, headers={"x-api-key": "t"}).status_code == 201
    wait_for(lambda: httpx.get(f"{url}/__mock__/webhooks").json()["pending"] == 0)
    mock.process.send_signal(signal.SIGTERM)
    assert mock.process.wait(timeout=15) == 0
    assert mock.process.stderr is not None
    assert ("given up after 1 attempts" in mock.process.stderr.read()) is shown
