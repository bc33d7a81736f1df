"""Shared helpers of the client tests: a client on an `httpx.MockTransport` and fake time."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import httpx
from symbl_async_audio_client import Client, RetryPolicy
from symbl_async_audio_client.models import AudioUrlRequest

BASE_URL = "https://api.symbl.test"
JOB_ID = "9b1deb4d-3b7d-4bad-9bdd-2b0d7b3dcb6d"
CONVERSATION_ID = "5815170693595136"
CREATED = {"conversationId": CONVERSATION_ID, "jobId": JOB_ID}
BODY = AudioUrlRequest(url="https://example.com/audio.wav")

Handler = Callable[[httpx.Request], httpx.Response]


class FakeTime:
    """A clock that only moves when something sleeps, recording the sleeps."""

    def __init__(self, start: datetime | None = None) -> None:
        self.now_monotonic = 1000.0
        self.wall = start or datetime(2025, 1, 1, 12, 0, 0, tzinfo=UTC)
        self.sleeps: list[float] = []

    def clock(self) -> float:
        return self.now_monotonic

    def now(self) -> datetime:
        return self.wall

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now_monotonic += seconds

    async def async_sleep(self, seconds: float) -> None:
        self.sleep(seconds)


def policy(time: FakeTime, **overrides: Any) -> RetryPolicy:
    """A retry policy on fake time, with jitter pinned to its ceiling (random() == 1.0) unless overridden."""
    args: dict[str, Any] = {
        "sleep": time.sleep,
        "async_sleep": time.async_sleep,
        "clock": time.clock,
        "now": time.now,
        "random": lambda: 1.0,
    }
    args.update(overrides)
    return RetryPolicy(**args)


class Recorder:
    """A MockTransport handler that answers from a script of responses (or exceptions) and records requests."""

    def __init__(self, *answers: httpx.Response | Exception | Handler) -> None:
        self.answers = list(answers)
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        index = min(len(self.requests), len(self.answers)) - 1
        answer = self.answers[index]
        if isinstance(answer, Exception):
            raise answer
        if isinstance(answer, httpx.Response):
            return httpx.Response(answer.status_code, headers=answer.headers, content=answer.content)
        return answer(request)


def json_response(status: int, body: Any, headers: dict[str, str] | None = None) -> httpx.Response:
    return httpx.Response(status, json=body, headers=headers)


def error_response(status: int, headers: dict[str, str] | None = None) -> httpx.Response:
    return json_response(status, {"statusCode": status, "message": f"error {status}"}, headers)


def make_client(handler: Handler, time: FakeTime | None = None, **client_args: Any) -> Client:
    args: dict[str, Any] = {"retry": policy(time or FakeTime())}
    args.update(client_args)
    return Client(base_url=BASE_URL, httpx_args={"transport": httpx.MockTransport(handler)}, **args)
