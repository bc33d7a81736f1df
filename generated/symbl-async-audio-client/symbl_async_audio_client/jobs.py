"""Wait for a processing job to finish.

Hand-written module of the generator (``generator/extras/``), copied into the package by ``scripts/regenerate``.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from uuid import UUID

import httpx

from . import errors
from .api.jobs import get_job_status
from .client import AuthenticatedClient, Client
from .lifecycle import JOB_STATUS_VALUE_FINAL
from .models.error import Error
from .models.job_status import JobStatus
from .models.job_status_value import JobStatusValue

#: The statuses a job never leaves, as the OpenAPI document marks them (``x-final-values``).
FINAL_STATUSES = JOB_STATUS_VALUE_FINAL

DEFAULT_INTERVAL = 5.0
DEFAULT_TIMEOUT = 30 * 60.0


def _job_uuid(job_id: UUID | str) -> UUID:
    return job_id if isinstance(job_id, UUID) else UUID(str(job_id))


def _status_of(client: AuthenticatedClient | Client, response: httpx.Response, job_id: UUID) -> JobStatus:
    """The status of job ``job_id`` in ``response``; any other answer raises, whatever the client's flags."""
    parsed = get_job_status._parse_response(client=client, response=response)
    if isinstance(parsed, JobStatus):
        if parsed.id != job_id:  # a status, but of another job: a confused server or cache; never take it for ours
            raise errors.InvalidResponseBody(response, ValueError(f"the status is of job {parsed.id}, not {job_id}"))
        return parsed
    if isinstance(parsed, Error):
        raise errors.ErrorResponse(response, parsed)
    raise errors.UnexpectedStatus(response.status_code, response.content, response=response)


def _next_wait(
    job_id: UUID, status: JobStatus, raise_on_failure: bool, interval: float, timeout: float, remaining: float
) -> float | None:
    """The wait before the next poll after ``status``, or None when the job is final (and returned).

    Raises JobFailedError for a failed job when ``raise_on_failure`` is true, and JobTimeoutError when no time
    remains before the deadline; a wait never ends past it.
    """
    if status.status in FINAL_STATUSES:
        if raise_on_failure and status.status == JobStatusValue.FAILED:
            raise errors.JobFailedError(str(job_id), status)
        return None
    if remaining <= 0:
        raise errors.JobTimeoutError(str(job_id), timeout, status)
    return min(interval, remaining)


def wait_for_job(
    client: AuthenticatedClient | Client,
    job_id: UUID | str,
    *,
    interval: float = DEFAULT_INTERVAL,
    timeout: float = DEFAULT_TIMEOUT,
    raise_on_failure: bool = False,
    sleep: Callable[[float], None] = time.sleep,
    clock: Callable[[], float] = time.monotonic,
) -> JobStatus:
    """Poll `getJobStatus` every ``interval`` seconds until the job is `completed` or `failed`; return that status.

    Read a conversation's insights only once its job has completed: before that they may be incomplete.

    Raises:
        errors.JobTimeoutError: The job did not finish within ``timeout`` seconds (``last_status`` holds the last
            status seen).
        errors.JobFailedError: The job failed and ``raise_on_failure`` is true.
        errors.ErrorResponse: `getJobStatus` answered a documented error (such as 404 for an unknown job), after
            the client's retries.
        errors.UnexpectedStatus: `getJobStatus` answered an undocumented status.
        errors.InvalidResponseBody: `getJobStatus` answered a body that is not a job status, or the status of
            another job (its ``id`` is not ``job_id``).
        httpx.HTTPError: The request failed (after the client's retries).
    """
    job = _job_uuid(job_id)
    deadline = clock() + timeout
    kwargs = get_job_status._get_kwargs(job_id=job)
    while True:
        status = _status_of(client, client.get_httpx_client().request(**kwargs), job)
        wait = _next_wait(job, status, raise_on_failure, interval, timeout, deadline - clock())
        if wait is None:
            return status
        sleep(wait)


async def async_wait_for_job(
    client: AuthenticatedClient | Client,
    job_id: UUID | str,
    *,
    interval: float = DEFAULT_INTERVAL,
    timeout: float = DEFAULT_TIMEOUT,  # noqa: ASYNC109 (a polling deadline, the same as wait_for_job's)
    raise_on_failure: bool = False,
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    clock: Callable[[], float] = time.monotonic,
) -> JobStatus:
    """The asynchronous `wait_for_job`, on the client's `httpx.AsyncClient`."""
    job = _job_uuid(job_id)
    deadline = clock() + timeout
    kwargs = get_job_status._get_kwargs(job_id=job)
    while True:
        status = _status_of(client, await client.get_async_httpx_client().request(**kwargs), job)
        wait = _next_wait(job, status, raise_on_failure, interval, timeout, deadline - clock())
        if wait is None:
            return status
        await sleep(wait)


__all__ = ["FINAL_STATUSES", "async_wait_for_job", "wait_for_job"]
