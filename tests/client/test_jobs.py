"""wait_for_job: polling getJobStatus until the job is final, on fake time."""

from __future__ import annotations

import asyncio
from uuid import UUID

import httpx
import pytest
from symbl_async_audio_client import (
    ErrorResponse,
    JobFailedError,
    JobTimeoutError,
    SymblClientError,
    async_wait_for_job,
    wait_for_job,
)
from symbl_async_audio_client.models import JobStatusValue

from .helpers import JOB_ID, FakeTime, Recorder, error_response, json_response, make_client


def status(value: str) -> httpx.Response:
    return json_response(200, {"id": JOB_ID, "status": value})


def test_waits_until_completed_and_returns_the_final_status() -> None:
    time = FakeTime()
    handler = Recorder(status("scheduled"), status("in_progress"), status("in_progress"), status("completed"))
    final = wait_for_job(make_client(handler), JOB_ID, interval=2.0, timeout=60, sleep=time.sleep, clock=time.clock)
    assert final.status == JobStatusValue.COMPLETED
    assert final.id == UUID(JOB_ID)
    assert len(handler.requests) == 4
    assert {request.url.path for request in handler.requests} == {f"/v1/job/{JOB_ID}"}
    assert time.sleeps == [2.0, 2.0, 2.0]


def test_a_failed_job_is_returned_or_raised_when_asked() -> None:
    time = FakeTime()
    handler = Recorder(status("in_progress"), status("failed"))
    final = wait_for_job(make_client(handler), UUID(JOB_ID), sleep=time.sleep, clock=time.clock)
    assert final.status == JobStatusValue.FAILED

    with pytest.raises(JobFailedError) as caught:
        wait_for_job(
            make_client(Recorder(status("failed"))), JOB_ID, raise_on_failure=True, sleep=time.sleep, clock=time.clock
        )
    assert caught.value.job_id == JOB_ID


def test_a_job_that_never_finishes_times_out_with_a_clear_error() -> None:
    time = FakeTime()
    handler = Recorder(status("in_progress"))
    with pytest.raises(JobTimeoutError) as caught:
        wait_for_job(make_client(handler), JOB_ID, interval=3.0, timeout=10.0, sleep=time.sleep, clock=time.clock)
    error = caught.value
    assert isinstance(error, SymblClientError)
    assert isinstance(error, TimeoutError)
    assert error.job_id == JOB_ID
    assert error.timeout == 10.0
    assert error.last_status is not None
    assert error.last_status.status == JobStatusValue.IN_PROGRESS
    assert JOB_ID in str(error)
    assert "in_progress" in str(error)
    assert time.sleeps == [3.0, 3.0, 3.0, 1.0]  # never past the deadline
    assert len(handler.requests) == 5  # one last look at the deadline


def test_an_unknown_job_raises_error_response_whatever_the_client_flags() -> None:
    time = FakeTime()
    with pytest.raises(ErrorResponse) as caught:
        wait_for_job(make_client(Recorder(error_response(404))), JOB_ID, sleep=time.sleep, clock=time.clock)
    assert caught.value.status_code == 404
    assert caught.value.parsed is not None


def test_async_wait_for_job() -> None:
    time = FakeTime()
    handler = Recorder(status("scheduled"), status("completed"))

    async def run() -> JobStatusValue:
        async with make_client(handler) as client:
            final = await async_wait_for_job(client, JOB_ID, interval=1.5, sleep=time.async_sleep, clock=time.clock)
        return final.status

    assert asyncio.run(run()) == JobStatusValue.COMPLETED
    assert time.sleeps == [1.5]
