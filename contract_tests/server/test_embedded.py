"""The embedded mock's launcher: any token survives the command line, and a failed start says why."""

from __future__ import annotations

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
