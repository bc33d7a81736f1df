"""Retries with exponential backoff and jitter, as an httpx transport.

Hand-written module of the generator (``generator/extras/``), copied into the package by ``scripts/regenerate``.

What is retried, and why:

* ``429 Too Many Requests``, for every method. Symbl answers 429 when the account already runs as many jobs as
  it may; nothing was created, and the request can be sent again once a job has finished.
* Connection failures that happen before the request was sent (``httpx.ConnectError``, ``httpx.ConnectTimeout``,
  ``httpx.PoolTimeout``), for every method: the server never saw the request.
* ``5xx`` responses and failures after the request may have been sent (read/write errors and timeouts, a
  dropped connection), only for the methods in ``idempotent_methods`` (``GET``, ``HEAD``, ``OPTIONS`` by
  default). ``POST /v1/process/audio/url`` and ``PUT /v1/process/audio/url/{conversationId}`` each start a
  processing job, so sending one again after a 500 or a lost answer may start the job twice; add ``"PUT"`` /
  ``"POST"`` to ``idempotent_methods`` to accept that risk.
* Never any other ``4xx``.

The wait before a retry is the response's ``Retry-After`` (delay-seconds or HTTP-date) when it has one and it is
at most ``retry_after_max``; a longer ``Retry-After`` ends the retries and returns that response. Otherwise the
wait is exponential backoff with full jitter: ``uniform(0, min(backoff_max, backoff_base * 2**retry))``.

``total_timeout`` bounds the whole call, from the first attempt to the last answer: a retry is not made when its
wait would end at or past it (nor when the wait overran it), and each attempt's timeouts (connect, write, read,
pool) are cut to the time left, so that the last attempt gives up at the deadline rather than a full read timeout
after it. (httpx's timeouts apply to each network operation: a server that keeps trickling bytes can still stretch
the reading of a body past the deadline, by less than the time left when that attempt started.)
"""

from __future__ import annotations

import asyncio
import random
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

import httpx
from attrs import define, field

#: Failures of a request that the server cannot have seen.
NOT_SENT_ERRORS: tuple[type[Exception], ...] = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)
#: Failures of a request that the server may have seen (retried for idempotent methods only).
MAYBE_SENT_ERRORS: tuple[type[Exception], ...] = (
    httpx.ReadTimeout,
    httpx.WriteTimeout,
    httpx.ReadError,
    httpx.WriteError,
    httpx.RemoteProtocolError,
)


def _utcnow() -> datetime:
    return datetime.now(UTC)


@define(frozen=True)
class RetryPolicy:
    """How the client retries a request. ``RetryPolicy(max_retries=0)`` turns retries off.

    Attributes:
        max_retries: Retries after the first attempt (so at most ``max_retries + 1`` attempts).
        backoff_base: The first backoff ceiling, in seconds; it doubles at every retry.
        backoff_max: The largest backoff ceiling, in seconds.
        retry_after_max: The longest ``Retry-After`` honoured, in seconds; a longer one stops the retries.
        total_timeout: The most time, in seconds, that one call may spend across attempts and waits; None for no
            bound. A retry whose wait would end past it is not made, and each attempt's timeouts are cut to the
            time left.
        idempotent_methods: Methods also retried on 5xx and on failures after the request may have been sent.
        retry_statuses: Statuses retried (429 for every method, the others for idempotent methods only).
        sleep, async_sleep, clock, now, random: Injectable time and randomness, for tests.
    """

    max_retries: int = 3
    backoff_base: float = 0.5
    backoff_max: float = 8.0
    retry_after_max: float = 60.0
    total_timeout: float | None = 120.0
    idempotent_methods: frozenset[str] = frozenset({"GET", "HEAD", "OPTIONS"})
    retry_statuses: frozenset[int] = frozenset({429, 500, 502, 503, 504})
    sleep: Callable[[float], None] = field(default=time.sleep, repr=False)
    async_sleep: Callable[[float], Awaitable[None]] = field(default=asyncio.sleep, repr=False)
    clock: Callable[[], float] = field(default=time.monotonic, repr=False)
    now: Callable[[], datetime] = field(default=_utcnow, repr=False)
    random: Callable[[], float] = field(default=random.random, repr=False)

    def retry_after(self, response: httpx.Response) -> float | None:
        """The wait, in seconds, that the response's ``Retry-After`` asks for; None when absent or unreadable."""
        value = response.headers.get("Retry-After", "").strip()
        if not value:
            return None
        if value.isascii() and value.isdigit():
            return float(value)
        try:
            when = parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            return None
        if when.tzinfo is None:
            when = when.replace(tzinfo=UTC)
        return max(0.0, (when - self.now()).total_seconds())

    def backoff(self, retry: int) -> float:
        """The wait before retry number ``retry`` (0 for the first retry) when the server gives none."""
        ceiling = min(self.backoff_max, self.backoff_base * 2.0**retry)
        return ceiling * self.random()

    def _wait_for_response(self, method: str, response: httpx.Response, retry: int) -> float | None:
        """The wait before retrying after ``response``, or None when it must not be retried."""
        status = response.status_code
        if status not in self.retry_statuses:
            return None
        if status != 429 and method.upper() not in self.idempotent_methods:
            return None
        asked = self.retry_after(response)
        if asked is None:
            return self.backoff(retry)
        if asked > self.retry_after_max:
            return None
        return asked

    def _wait_for_error(self, method: str, error: Exception, retry: int) -> float | None:
        """The wait before retrying after ``error``, or None when it must not be retried."""
        if isinstance(error, NOT_SENT_ERRORS) or (
            isinstance(error, MAYBE_SENT_ERRORS) and method.upper() in self.idempotent_methods
        ):
            return self.backoff(retry)
        return None

    def _time_left(self, started: float) -> float:
        """Seconds left before ``total_timeout`` (infinite without one)."""
        if self.total_timeout is None:
            return float("inf")
        return self.total_timeout - (self.clock() - started)

    def _within_budget(self, started: float, wait: float) -> bool:
        return wait < self._time_left(started)

    def _cut_timeouts(self, request: httpx.Request, timeouts: dict[str, float | None], started: float) -> None:
        """Set the request's timeouts to the client's own (``timeouts``), each cut to the time left."""
        if self.total_timeout is None:
            return
        left = max(self._time_left(started), 0.0)
        request.extensions["timeout"] = {
            name: left if timeouts.get(name) is None else min(timeouts[name] or 0.0, left)
            for name in ("connect", "read", "write", "pool")
        }

    def _next_wait(self, method: str, outcome: httpx.Response | Exception, retry: int, started: float) -> float | None:
        """The wait before retry number ``retry`` after ``outcome``, or None when the call ends with it."""
        if retry >= self.max_retries:
            return None
        if isinstance(outcome, Exception):
            wait = self._wait_for_error(method, outcome, retry)
        else:
            wait = self._wait_for_response(method, outcome, retry)
        if wait is None or not self._within_budget(started, wait):
            return None
        return wait


def _returned(outcome: httpx.Response | Exception) -> httpx.Response:
    """The call's result: the last response, or the last error raised again."""
    if isinstance(outcome, Exception):
        raise outcome
    return outcome


class RetryTransport(httpx.BaseTransport):
    """A synchronous transport that retries requests on ``wrapped`` according to ``policy``."""

    def __init__(self, wrapped: httpx.BaseTransport, policy: RetryPolicy) -> None:
        self.wrapped = wrapped
        self.policy = policy

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        policy = self.policy
        started = policy.clock()
        timeouts = dict(request.extensions.get("timeout") or {})
        retry = 0
        while True:
            policy._cut_timeouts(request, timeouts, started)
            outcome: httpx.Response | Exception
            try:
                outcome = self.wrapped.handle_request(request)
            except Exception as error:
                outcome = error
            wait = policy._next_wait(request.method, outcome, retry, started)
            if wait is None:
                return _returned(outcome)
            if isinstance(outcome, httpx.Response):
                outcome.read()  # (a short error body) kept whole, in case the wait overruns the deadline
            policy.sleep(wait)
            if policy._time_left(started) <= 0:  # the wait overran the deadline: no attempt could finish
                return _returned(outcome)
            retry += 1

    def close(self) -> None:
        self.wrapped.close()


class AsyncRetryTransport(httpx.AsyncBaseTransport):
    """An asynchronous transport that retries requests on ``wrapped`` according to ``policy``."""

    def __init__(self, wrapped: httpx.AsyncBaseTransport, policy: RetryPolicy) -> None:
        self.wrapped = wrapped
        self.policy = policy

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        policy = self.policy
        started = policy.clock()
        timeouts = dict(request.extensions.get("timeout") or {})
        retry = 0
        while True:
            policy._cut_timeouts(request, timeouts, started)
            outcome: httpx.Response | Exception
            try:
                outcome = await self.wrapped.handle_async_request(request)
            except Exception as error:
                outcome = error
            wait = policy._next_wait(request.method, outcome, retry, started)
            if wait is None:
                return _returned(outcome)
            if isinstance(outcome, httpx.Response):
                await outcome.aread()  # (a short error body) kept whole, in case the wait overruns the deadline
            await policy.async_sleep(wait)
            if policy._time_left(started) <= 0:  # the wait overran the deadline: no attempt could finish
                return _returned(outcome)
            retry += 1

    async def aclose(self) -> None:
        await self.wrapped.aclose()


__all__ = ["AsyncRetryTransport", "RetryPolicy", "RetryTransport"]
