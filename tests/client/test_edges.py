"""The client's promises at the edges: hostile bodies give the documented errors, total_timeout is a hard bound,
wait_for_job takes no other job's status, and one token request serves every concurrent request.

All on httpx.MockTransport and fake clocks: no sockets, no sleeps.
"""

from __future__ import annotations

import asyncio
import json
import threading
from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any
from uuid import UUID

import httpx
import pytest
from symbl_async_audio_client import (
    AuthenticatedClient,
    InvalidResponseBody,
    InvalidWebhookPayload,
    TokenAuth,
    async_wait_for_job,
    parse_webhook,
    wait_for_job,
)
from symbl_async_audio_client.api.async_audio import append_audio_url
from symbl_async_audio_client.api.jobs import get_job_status
from symbl_async_audio_client.limits import MAX_WEBHOOK_BYTES
from symbl_async_audio_client.models import AudioJobCreated

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

DEEP = 100_000
OTHER_JOB = "0b5c8c45-6d8a-4b1e-9d3f-3a4f2f0e7c11"
TOKEN_PATH = "/oauth2/token:generate"  # noqa: S105 (a path)


def _deeply_nested(depth: int = DEEP) -> bytes:
    return b'{"a":' * depth + b"1" + b"}" * depth


# -- deep and huge JSON -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "body",
    [b"[" * DEEP + b"]" * DEEP, _deeply_nested(), ("[" * DEEP + "]" * DEEP), b'{"jobId": ' + b"[" * DEEP],
    ids=["array-bytes", "object-bytes", "array-str", "unclosed"],
)
def test_deeply_nested_webhook_bodies_are_invalid_payloads(body: bytes | str) -> None:
    with pytest.raises(InvalidWebhookPayload):
        parse_webhook(body)


def test_a_huge_webhook_body_is_refused_unparsed() -> None:
    huge = b'{"jobId": "' + b"9" * MAX_WEBHOOK_BYTES + b'", "status": "completed"}'
    with pytest.raises(InvalidWebhookPayload, match=f"larger than {MAX_WEBHOOK_BYTES} bytes"):
        parse_webhook(huge)
    assert parse_webhook(json.dumps({"jobId": JOB_ID, "status": "completed"})).job_id == UUID(JOB_ID)


@pytest.mark.parametrize("status", [201, 400, 429, 500])
@pytest.mark.parametrize("body", [b"[" * DEEP + b"]" * DEEP, _deeply_nested()], ids=["array", "object"])
def test_a_deeply_nested_response_body_is_an_invalid_response_body(status: int, body: bytes) -> None:
    handler = Recorder(httpx.Response(status, content=body, headers={"Content-Type": "application/json"}))
    with pytest.raises(InvalidResponseBody) as caught:
        append_audio_url.sync_detailed(CONVERSATION_ID, client=make_client(handler, retry=None), body=BODY)
    assert caught.value.status_code == status
    assert isinstance(caught.value.__cause__, RecursionError)
    assert len(str(caught.value)) < 1000  # the message quotes the cause, not the body


def test_a_deeply_nested_response_body_is_an_invalid_response_body_async() -> None:
    handler = Recorder(httpx.Response(201, content=_deeply_nested()))

    async def run() -> None:
        async with make_client(handler, retry=None) as client:
            await append_audio_url.asyncio_detailed(CONVERSATION_ID, client=client, body=BODY)

    with pytest.raises(InvalidResponseBody):
        asyncio.run(run())


class _Endless(httpx.SyncByteStream, httpx.AsyncByteStream):
    """A body that never ends; counts the bytes taken from it."""

    def __init__(self, chunk: int = 4096) -> None:
        self.chunk = b"[" * chunk
        self.taken = 0

    def __iter__(self) -> Iterator[bytes]:
        while True:
            self.taken += len(self.chunk)
            yield self.chunk

    async def __aiter__(self) -> AsyncIterator[bytes]:
        while True:
            self.taken += len(self.chunk)
            yield self.chunk


def test_an_endless_response_body_is_cut_at_max_response_bytes() -> None:
    body = _Endless()
    client = make_client(lambda request: httpx.Response(201, stream=body), retry=None, max_response_bytes=100_000)
    with pytest.raises(InvalidResponseBody, match="larger than 100000 bytes") as caught:
        append_audio_url.sync_detailed(CONVERSATION_ID, client=client, body=BODY)
    assert caught.value.status_code == 201
    assert caught.value.content == b""
    assert 100_000 < body.taken <= 100_000 + 4096  # read up to the bound, not further


def test_an_endless_response_body_is_cut_at_max_response_bytes_async() -> None:
    body = _Endless()

    async def run() -> None:
        handler = Recorder(lambda request: httpx.Response(201, stream=body))
        async with make_client(handler, retry=None, max_response_bytes=50_000) as client:
            await append_audio_url.asyncio_detailed(CONVERSATION_ID, client=client, body=BODY)

    with pytest.raises(InvalidResponseBody):
        asyncio.run(run())
    assert body.taken <= 50_000 + 4096


@pytest.mark.parametrize(
    "response",
    [
        httpx.Response(201, headers={"Content-Length": "999999999"}, stream=_Endless()),  # declared too long
        httpx.Response(201, content=b" " * 2000),  # already in memory (a mock's)
    ],
    ids=["declared", "in-memory"],
)
def test_a_response_over_the_bound_is_refused_before_parsing(response: httpx.Response) -> None:
    client = make_client(lambda request: response, retry=None, max_response_bytes=1000)
    with pytest.raises(InvalidResponseBody, match="larger than 1000 bytes"):
        append_audio_url.sync_detailed(CONVERSATION_ID, client=client, body=BODY)


def test_a_response_within_the_bound_is_parsed() -> None:
    client = make_client(Recorder(json_response(201, CREATED)), retry=None, max_response_bytes=len(json.dumps(CREATED)))
    assert isinstance(append_audio_url.sync(CONVERSATION_ID, client=client, body=BODY), AudioJobCreated)


# -- total_timeout, a hard bound ----------------------------------------------------------------------------


class _Hang:
    """A server that never answers: each attempt takes its whole read timeout (on the fake clock), then times out."""

    def __init__(self, time: FakeTime) -> None:
        self.time = time
        self.started: list[float] = []
        self.read_timeouts: list[float] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.started.append(self.time.clock())
        read = request.extensions["timeout"]["read"]
        self.read_timeouts.append(read)
        self.time.now_monotonic += read
        raise httpx.ReadTimeout("no answer", request=request)


def test_total_timeout_cuts_the_last_attempt_to_the_time_left() -> None:
    # The case: total_timeout=3 s and a 2 s read timeout gave up after 4.2 s.
    time = FakeTime()
    hang = _Hang(time)
    start = time.clock()
    client = make_client(hang, time, retry=policy(time, total_timeout=3.0), timeout=httpx.Timeout(2.0))
    with pytest.raises(httpx.ReadTimeout):
        get_job_status.sync_detailed(UUID(JOB_ID), client=client)
    assert time.clock() - start <= 3.0
    assert hang.read_timeouts == [2.0, 0.5]  # the second starts after 2 s + a 0.5 s wait: 0.5 s left
    assert all(started - start < 3.0 for started in hang.started)


def test_total_timeout_below_the_read_timeout_cuts_the_first_attempt() -> None:
    time = FakeTime()
    hang = _Hang(time)
    client = make_client(hang, time, retry=policy(time, total_timeout=1.0))  # the default read timeout is 30 s
    with pytest.raises(httpx.ReadTimeout):
        get_job_status.sync_detailed(UUID(JOB_ID), client=client)
    assert hang.read_timeouts == [1.0]


def test_no_attempt_starts_when_the_wait_overran_the_deadline() -> None:
    time = FakeTime()

    def late_sleep(seconds: float) -> None:  # a sleep that oversleeps (a busy machine)
        time.sleep(seconds + 10)

    handler = Recorder(error_response(503), json_response(200, {"id": JOB_ID, "status": "completed"}))
    client = make_client(handler, time, retry=policy(time, total_timeout=5.0, sleep=late_sleep))
    response = get_job_status.sync_detailed(UUID(JOB_ID), client=client)
    assert response.status_code == 503  # the last answer, whole
    assert json.loads(response.content)["statusCode"] == 503
    assert len(handler.requests) == 1


def test_total_timeout_cuts_the_attempts_of_the_async_client_too() -> None:
    time = FakeTime()
    hang = _Hang(time)

    async def run() -> None:
        retry = policy(time, total_timeout=3.0)
        async with make_client(hang, time, retry=retry, timeout=httpx.Timeout(2.0)) as client:
            await get_job_status.asyncio_detailed(UUID(JOB_ID), client=client)

    with pytest.raises(httpx.ReadTimeout):
        asyncio.run(run())
    assert hang.read_timeouts == [2.0, 0.5]


# -- wait_for_job: the job's own status only ----------------------------------------------------------------


def test_wait_for_job_rejects_the_status_of_another_job() -> None:
    time = FakeTime()
    handler = Recorder(json_response(200, {"id": OTHER_JOB, "status": "completed"}))
    with pytest.raises(InvalidResponseBody, match=f"the status is of job {OTHER_JOB}, not {JOB_ID}"):
        wait_for_job(make_client(handler), JOB_ID, sleep=time.sleep, clock=time.clock)


def test_async_wait_for_job_rejects_the_status_of_another_job() -> None:
    time = FakeTime()
    handler = Recorder(
        json_response(200, {"id": JOB_ID, "status": "in_progress"}),
        json_response(200, {"id": OTHER_JOB, "status": "completed"}),
    )

    async def run() -> None:
        await async_wait_for_job(make_client(handler), JOB_ID, sleep=time.async_sleep, clock=time.clock)

    with pytest.raises(InvalidResponseBody, match=OTHER_JOB):
        asyncio.run(run())


# -- one token request at a time ----------------------------------------------------------------------------


class _CountingAuth(TokenAuth):
    """A TokenAuth that counts the requests that entered its flows (so that the token endpoint can wait for them)."""

    def __init__(self) -> None:
        super().__init__("app", "secret")
        self.entered = 0
        self.changed = threading.Condition()

    def _enter(self) -> None:
        with self.changed:
            self.entered += 1
            self.changed.notify_all()

    def sync_auth_flow(self, request: httpx.Request) -> Any:
        self._enter()
        return super().sync_auth_flow(request)

    def async_auth_flow(self, request: httpx.Request) -> Any:
        self._enter()
        return super().async_auth_flow(request)

    def wait_for(self, count: int) -> None:
        with self.changed:
            assert self.changed.wait_for(lambda: self.entered >= count, timeout=10), "requests did not start"


class _Api:
    """The token endpoint (whose answer waits until ``wait()`` returns) and an API taking the latest token only."""

    def __init__(self, wait: Callable[[], None]) -> None:
        self.wait = wait
        self.tokens: list[str] = []
        self.lock = threading.Lock()
        self.api_auth: list[str | None] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        if request.url.path == TOKEN_PATH:
            self.wait()
            with self.lock:
                self.tokens.append(f"token-{len(self.tokens) + 1}")
                return json_response(200, {"accessToken": self.tokens[-1], "expiresIn": 600})
        with self.lock:
            self.api_auth.append(request.headers.get("Authorization"))
            ok = request.headers.get("Authorization") == f"Bearer {self.tokens[-1]}"
        return json_response(201, CREATED) if ok else error_response(401)


def _client(handler: Callable[[httpx.Request], Any], auth: TokenAuth) -> AuthenticatedClient:
    transport = httpx.MockTransport(handler)
    return AuthenticatedClient(
        base_url=BASE_URL, token="", retry=None, httpx_args={"transport": transport, "auth": auth}
    )


def test_threads_share_one_token_request() -> None:
    threads = 8
    auth = _CountingAuth()
    api = _Api(lambda: auth.wait_for(threads))  # the first token request answers once every thread is waiting
    client = _client(api, auth)
    results: list[object] = []

    def call() -> None:
        results.append(append_audio_url.sync(CONVERSATION_ID, client=client, body=BODY))

    workers = [threading.Thread(target=call) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=20)
    assert api.tokens == ["token-1"]
    assert api.api_auth == ["Bearer token-1"] * threads
    assert all(isinstance(r, AudioJobCreated) for r in results)


def test_tasks_share_one_token_request() -> None:
    tasks = 8
    auth = _CountingAuth()
    everyone_waits = asyncio.Event()

    async def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == TOKEN_PATH:
            await everyone_waits.wait()
        return api(request)

    api = _Api(lambda: None)

    async def run() -> list[object]:
        client = _client(handler, auth)

        async def call() -> object:
            return await append_audio_url.asyncio(CONVERSATION_ID, client=client, body=BODY)

        async def release_when_all_wait() -> None:
            while auth.entered < tasks:  # noqa: ASYNC110 - polling the flows of the other tasks
                await asyncio.sleep(0)
            everyone_waits.set()

        results = await asyncio.gather(*(call() for _ in range(tasks)), release_when_all_wait())
        return list(results[:tasks])

    results = asyncio.run(run())
    assert api.tokens == ["token-1"]
    assert api.api_auth == ["Bearer token-1"] * tasks
    assert all(isinstance(r, AudioJobCreated) for r in results)


def test_a_thread_and_tasks_share_one_token_request() -> None:
    auth = _CountingAuth()
    tasks = 4
    api = _Api(lambda: auth.wait_for(1 + tasks))  # the thread's token request answers once the tasks wait too
    sync_client = _client(api, auth)
    thread = threading.Thread(target=lambda: append_audio_url.sync(CONVERSATION_ID, client=sync_client, body=BODY))
    thread.start()
    auth.wait_for(1)
    holding = threading.Event()
    for _ in range(10_000):  # until the thread holds the token lock (it takes it right after entering its flow)
        if auth._lock.locked():
            break
        holding.wait(0.001)
    assert auth._lock.locked()

    async def run() -> None:
        client = _client(api, auth)
        await asyncio.gather(
            *(append_audio_url.asyncio(CONVERSATION_ID, client=client, body=BODY) for _ in range(tasks))
        )

    asyncio.run(run())
    thread.join(timeout=20)
    assert api.tokens == ["token-1"]
    assert api.api_auth == ["Bearer token-1"] * (1 + tasks)


def test_concurrent_401s_refresh_the_token_once() -> None:
    auth = _CountingAuth()
    api = _Api(lambda: None)
    client = _client(api, auth)
    append_audio_url.sync(CONVERSATION_ID, client=client, body=BODY)  # token-1
    refused = threading.Barrier(2, timeout=10)

    def revoking(request: httpx.Request) -> httpx.Response:
        if request.url.path != TOKEN_PATH and request.headers.get("Authorization") == "Bearer token-1":
            refused.wait()  # both requests are refused before either refreshes
            with api.lock:
                api.api_auth.append(request.headers.get("Authorization"))
            return error_response(401)
        return api(request)

    client = _client(revoking, auth)
    workers = [
        threading.Thread(target=lambda: append_audio_url.sync(CONVERSATION_ID, client=client, body=BODY))
        for _ in range(2)
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=20)
    assert api.tokens == ["token-1", "token-2"]
    assert api.api_auth.count("Bearer token-1") == 3  # the first call, then the two refused ones
    assert api.api_auth.count("Bearer token-2") == 2
