"""``mock_process``: the mock in a child process. Secrets never reach its command line, a failed start says
why, and stopping it leaves nothing behind."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

import httpx
import pytest

from symbl_mock import MockConfig, MockStartError, mock_process

UNKNOWN_JOB = "/v1/job/9b1deb4d-3b7d-4bad-9bdd-2b0d7b3dcb6d"


class _Recorder:
    """Records the processes ``subprocess.Popen`` starts (the module ``mock_process`` starts the mock with)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.started: list[subprocess.Popen[str]] = []
        real_popen = subprocess.Popen

        def recording_popen(*args: Any, **kwargs: Any) -> subprocess.Popen[str]:
            process: subprocess.Popen[str] = real_popen(*args, **kwargs)
            self.started.append(process)
            return process

        monkeypatch.setattr(subprocess, "Popen", recording_popen)


def test_the_token_reaches_the_child_but_not_its_command_line(monkeypatch: pytest.MonkeyPatch) -> None:
    # A token that looks like an option (secrets.token_urlsafe() starts with "-" one time in 64) and secrets
    # that `ps` would show every user of the machine if they were arguments.
    token, secret = "-looks-like-an-option", "app-secret-value"
    recorder = _Recorder(monkeypatch)
    config = MockConfig(tokens=(token,), app_id="app", app_secret=secret, job_duration=0.01)
    with mock_process(config) as url:
        (process,) = recorder.started
        command_line = Path(f"/proc/{process.pid}/cmdline").read_bytes()
        authorised = httpx.get(url + UNKNOWN_JOB, headers={"Authorization": f"Bearer {token}"}, timeout=5)
        refused = httpx.get(url + UNKNOWN_JOB, headers={"Authorization": "Bearer other"}, timeout=5)
    assert authorised.status_code == 404
    assert refused.status_code == 401
    assert b"symbl_mock.process" in command_line
    assert token.encode() not in command_line
    assert secret.encode() not in command_line


def test_the_child_serves_the_configuration_it_was_given() -> None:
    with mock_process(MockConfig(tokens=("t",), concurrency_limit=1, job_duration=30)) as url:
        client = httpx.Client(base_url=url, headers={"Authorization": "Bearer t"}, timeout=5)
        first = client.post("/v1/process/audio/url", json={"url": "https://example.com/a.wav"})
        second = client.post("/v1/process/audio/url", json={"url": "https://example.com/a.wav"})
    assert first.status_code == 201
    assert second.status_code == 429
    assert "`1`" in second.json()["message"]


def test_a_failed_start_carries_the_childs_own_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(MockConfig, "to_json", lambda self: '{"no_such_field": 1}')
    with (
        pytest.raises(MockStartError, match=r"exited with code 2 before listening: .*no_such_field"),
        mock_process(MockConfig(tokens=("t",))),
    ):
        pass


def test_the_child_is_stopped_and_its_output_pipe_closed(monkeypatch: pytest.MonkeyPatch) -> None:
    recorder = _Recorder(monkeypatch)
    with mock_process(MockConfig(tokens=("t",))):
        pass
    (process,) = recorder.started
    assert process.poll() is not None
    assert process.stdout is not None
    assert process.stdout.closed
