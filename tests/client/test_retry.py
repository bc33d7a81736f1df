"""Retries and timeouts of the generated client (no sockets: httpx.MockTransport, fake time)."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from email.utils import format_datetime
from uuid import UUID

import httpx
import pytest
from symbl_async_audio_client import DEFAULT_TIMEOUT, Client, RetryPolicy
from symbl_async_audio_client.api.async_audio import append_audio_url, submit_audio_url
from symbl_async_audio_client.api.jobs import get_job_status
from symbl_async_audio_client.models import AudioJobCreated, Error, JobStatus
from symbl_async_audio_client.types import Response

from .helpers import (
    BASE_URL,
    BODY,
    CONVERSATION_ID,
    CREATED,
    JOB_ID,
    FakeTime,
    Recorder,
    error_response,
    json_response,
    make_client,
    policy,
)

JOB = {"id": JOB_ID, "status": "completed"}


def test_429_is_retried_for_a_put_after_exponential_backoff() -> None:
    time = FakeTime()
    handler = Recorder(error_response(429), error_response(429), json_response(201, CREATED))
    created = append_audio_url.sync(CONVERSATION_ID, client=make_client(handler, time), body=BODY)
    assert isinstance(created, AudioJobCreated)
    assert created.job_id == UUID(JOB_ID)
    assert [request.method for request in handler.requests] == ["PUT", "PUT", "PUT"]
    assert time.sleeps == [0.5, 1.0]
    # The body is sent again, unchanged.
    assert len({request.content for request in handler.requests}) == 1


def test_5xx_is_retried_for_a_get() -> None:
    time = FakeTime()
    handler = Recorder(error_response(503), error_response(500), json_response(200, JOB))
    status = get_job_status.sync(UUID(JOB_ID), client=make_client(handler, time))
    assert isinstance(status, JobStatus)
    assert len(handler.requests) == 3


@pytest.mark.parametrize("status", [500, 502, 503])
def test_5xx_is_not_retried_for_a_job_creating_put_or_post(status: int) -> None:
    def append(client: Client) -> Response[AudioJobCreated | Error]:
        return append_audio_url.sync_detailed(CONVERSATION_ID, client=client, body=BODY)

    def submit(client: Client) -> Response[AudioJobCreated | Error]:
        return submit_audio_url.sync_detailed(client=client, body=BODY)

    for call in (append, submit):
        handler = Recorder(error_response(status), json_response(201, CREATED))
        response = call(make_client(handler))
        assert response.status_code == status
        # 500 is documented (an Error body); 502 and 503 are not, so their parsed value is None.
        assert isinstance(response.parsed, Error) if status == 500 else response.parsed is None
        assert len(handler.requests) == 1


def test_5xx_on_put_is_retried_when_put_is_declared_idempotent() -> None:
    time = FakeTime()
    handler = Recorder(error_response(500), json_response(201, CREATED))
    retry = policy(time, idempotent_methods=frozenset({"GET", "PUT"}))
    created = append_audio_url.sync(CONVERSATION_ID, client=make_client(handler, time, retry=retry), body=BODY)
    assert isinstance(created, AudioJobCreated)
    assert len(handler.requests) == 2


@pytest.mark.parametrize("status", [400, 401, 403, 404, 413, 415, 422])
def test_other_4xx_are_never_retried(status: int) -> None:
    handler = Recorder(error_response(status), json_response(200, JOB))
    response = get_job_status.sync_detailed(UUID(JOB_ID), client=make_client(handler))
    assert response.status_code == status
    assert len(handler.requests) == 1


def test_a_connection_error_is_retried_for_every_method() -> None:
    handler = Recorder(httpx.ConnectError("refused"), httpx.ConnectTimeout("slow"), json_response(201, CREATED))
    created = submit_audio_url.sync(client=make_client(handler), body=BODY)
    assert isinstance(created, AudioJobCreated)
    assert len(handler.requests) == 3


def test_a_read_timeout_is_retried_for_a_get_but_not_for_a_post() -> None:
    handler = Recorder(httpx.ReadTimeout("slow"), json_response(200, JOB))
    assert isinstance(get_job_status.sync(UUID(JOB_ID), client=make_client(handler)), JobStatus)
    assert len(handler.requests) == 2

    handler = Recorder(httpx.ReadTimeout("slow"), json_response(201, CREATED))
    with pytest.raises(httpx.ReadTimeout):
        submit_audio_url.sync(client=make_client(handler), body=BODY)
    assert len(handler.requests) == 1


def test_retry_after_in_seconds_is_honoured() -> None:
    time = FakeTime()
    handler = Recorder(error_response(429, {"Retry-After": "7"}), json_response(201, CREATED))
    append_audio_url.sync(CONVERSATION_ID, client=make_client(handler, time), body=BODY)
    assert time.sleeps == [7.0]


def test_retry_after_as_an_http_date_is_honoured() -> None:
    time = FakeTime()
    when = format_datetime(time.wall + timedelta(seconds=12), usegmt=True)
    handler = Recorder(error_response(503, {"Retry-After": when}), json_response(200, JOB))
    get_job_status.sync(UUID(JOB_ID), client=make_client(handler, time))
    assert time.sleeps == [12.0]


def test_an_unreadable_retry_after_falls_back_to_backoff() -> None:
    time = FakeTime()
    handler = Recorder(error_response(429, {"Retry-After": "soon"}), json_response(201, CREATED))
    append_audio_url.sync(CONVERSATION_ID, client=make_client(handler, time), body=BODY)
    assert time.sleeps == [0.5]


def test_a_retry_after_beyond_the_cap_returns_the_response_at_once() -> None:
    time = FakeTime()
    handler = Recorder(error_response(429, {"Retry-After": "3600"}), json_response(201, CREATED))
    response = append_audio_url.sync_detailed(CONVERSATION_ID, client=make_client(handler, time), body=BODY)
    assert response.status_code == 429
    assert response.headers["Retry-After"] == "3600"
    assert len(handler.requests) == 1
    assert time.sleeps == []


def test_retries_stop_after_max_retries_and_backoff_is_capped() -> None:
    time = FakeTime()
    handler = Recorder(error_response(503))
    retry = policy(time, max_retries=4, backoff_base=1.0, backoff_max=3.0)
    response = get_job_status.sync_detailed(UUID(JOB_ID), client=make_client(handler, time, retry=retry))
    assert response.status_code == 503
    assert len(handler.requests) == 5
    assert time.sleeps == [1.0, 2.0, 3.0, 3.0]


def test_the_last_connection_error_is_raised_when_retries_run_out() -> None:
    handler = Recorder(httpx.ConnectError("refused"))
    with pytest.raises(httpx.ConnectError):
        get_job_status.sync(UUID(JOB_ID), client=make_client(handler))
    assert len(handler.requests) == 4  # the default: 3 retries


def test_jitter_draws_below_the_backoff_ceiling() -> None:
    time = FakeTime()
    handler = Recorder(error_response(429), error_response(429), json_response(201, CREATED))
    retry = policy(time, random=lambda: 0.25)
    append_audio_url.sync(CONVERSATION_ID, client=make_client(handler, time, retry=retry), body=BODY)
    assert time.sleeps == [0.125, 0.25]


def test_total_timeout_bounds_the_retries() -> None:
    time = FakeTime()
    handler = Recorder(error_response(429, {"Retry-After": "30"}))
    retry = policy(time, total_timeout=45.0)
    response = append_audio_url.sync_detailed(
        CONVERSATION_ID, client=make_client(handler, time, retry=retry), body=BODY
    )
    assert response.status_code == 429
    assert time.sleeps == [30.0]  # a second 30 s wait would end 60 s after the start, past 45 s
    assert len(handler.requests) == 2


@pytest.mark.parametrize("retry", [None, RetryPolicy(max_retries=0)])
def test_retries_can_be_turned_off(retry: RetryPolicy | None) -> None:
    handler = Recorder(error_response(503), json_response(200, JOB))
    response = get_job_status.sync_detailed(UUID(JOB_ID), client=make_client(handler, retry=retry))
    assert response.status_code == 503
    assert len(handler.requests) == 1


def test_retries_are_on_by_default() -> None:
    client = Client(base_url=BASE_URL)
    assert client.retry is not None
    assert 1 <= client.retry.max_retries <= 5


def test_async_client_retries_too() -> None:
    time = FakeTime()
    handler = Recorder(error_response(429, {"Retry-After": "2"}), json_response(201, CREATED))

    async def run() -> object:
        async with make_client(handler, time) as client:
            return await append_audio_url.asyncio(CONVERSATION_ID, client=client, body=BODY)

    assert isinstance(asyncio.run(run()), AudioJobCreated)
    assert time.sleeps == [2.0]
    assert len(handler.requests) == 2


def test_default_timeouts_are_set_on_every_request() -> None:
    seen: list[dict[str, float]] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request.extensions["timeout"])
        return json_response(200, JOB)

    get_job_status.sync(UUID(JOB_ID), client=make_client(handler))
    assert seen == [{"connect": 5.0, "read": 30.0, "write": 30.0, "pool": 30.0}]
    assert DEFAULT_TIMEOUT.connect == 5.0


def test_a_custom_timeout_reaches_the_request() -> None:
    seen: list[dict[str, float]] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request.extensions["timeout"])
        return json_response(200, JOB)

    client = make_client(handler, timeout=httpx.Timeout(2.0, connect=1.0))
    get_job_status.sync(UUID(JOB_ID), client=client)
    assert seen == [{"connect": 1.0, "read": 2.0, "write": 2.0, "pool": 2.0}]
