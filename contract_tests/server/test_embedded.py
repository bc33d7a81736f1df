"""The embedded mock's launcher: any token survives the command line, a failed start says why, and stopping
it leaves nothing behind."""

from __future__ import annotations

import subprocess
from typing import Any

import httpx
import pytest

from symbl_conformance.embedded import MockStartError, mock_process

UNKNOWN_JOB = "/v1/job/9b1deb4d-3b7d-4bad-9bdd-2b0d7b3dcb6d"


def test_a_token_that_looks_like_an_option_is_passed_whole() -> None:
    # secrets.token_urlsafe() starts with "-" one time in 64; "--token -x" would be a usage error.
    token = "-looks-like-an-option"  # noqa: S105 - a made-up token
    with mock_process(token, job_duration=0.01, concurrency_limit=2) as url:
        authorised = httpx.get(url + UNKNOWN_JOB, headers={"Authorization": f"Bearer {token}"}, timeout=5)
        refused = httpx.get(url + UNKNOWN_JOB, headers={"Authorization": "Bearer other"}, timeout=5)
    assert authorised.status_code == 404
    assert refused.status_code == 401


def test_a_failed_start_carries_the_mocks_own_error() -> None:
    with (
        pytest.raises(MockStartError, match=r"exited with code 2 before listening: .*--no-such-flag"),
        mock_process("t", job_duration=0.01, concurrency_limit=2, extra=["--no-such-flag"]),
    ):
        pass


def test_the_child_is_stopped_and_its_output_pipe_closed(monkeypatch: pytest.MonkeyPatch) -> None:
    started: list[subprocess.Popen[str]] = []
    real_popen = subprocess.Popen

    def recording_popen(*args: Any, **kwargs: Any) -> subprocess.Popen[str]:
        process: subprocess.Popen[str] = real_popen(*args, **kwargs)
        started.append(process)
        return process

    monkeypatch.setattr(subprocess, "Popen", recording_popen)  # the module embedded.py starts the mock with
    with mock_process("t", job_duration=0.01, concurrency_limit=2):
        pass
    (process,) = started
    assert process.poll() is not None
    assert process.stdout is not None
    assert process.stdout.closed
