"""Documented refusals (401, 413, 429) prove nothing either way: a check that meets one instead of what it needed
is inconclusive, never failed (docs/conformance.md); and the 429 that is the limit check's pass."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import httpx

from symbl_conformance.checks import CheckContext, LimitTarget, SemanticSettings
from symbl_conformance.checks.isolation import ACCOUNT_ISOLATION
from symbl_conformance.checks.limit import CONCURRENCY_LIMIT_429
from symbl_conformance.checks.run import run_checks
from symbl_conformance.credentials import Credentials
from symbl_conformance.http import Session
from symbl_conformance.results import Verdict
from symbl_conformance.spec import facts

JOB_ID = "9b1deb4d-3b7d-4bad-9bdd-2b0d7b3dcb6d"


def _session(handler: httpx.MockTransport, token: str) -> Session:
    session = Session("http://127.0.0.1:9", Credentials(token=token), request_timeout=1)
    session.client = httpx.Client(base_url="http://127.0.0.1:9", transport=handler)
    return session


@contextmanager
def _no_limit() -> Iterator[LimitTarget]:
    raise AssertionError("not used")
    yield  # pragma: no cover


def test_account_isolation_is_not_failed_by_a_documented_refusal() -> None:
    """A stranger at its own job limit may be told 429 before the server looks the conversation up (the document
    fixes no order between 404 and 429, and ``unknown_conversation_404`` takes a 429 as inconclusive): the appends
    are not judged, the reads still are."""
    api = facts()
    created = {"conversationId": "5815170693595136", "jobId": JOB_ID}

    def server(request: httpx.Request) -> httpx.Response:
        if request.method == "POST":
            return httpx.Response(201, json=created)
        if request.method == "PUT":  # the account already runs as many jobs as it may
            return httpx.Response(429, json={"statusCode": 429, "message": "Too many concurrent jobs"})
        return httpx.Response(404, json={"statusCode": 404, "message": "not found"})

    transport = httpx.MockTransport(server)

    settings = SemanticSettings(
        job_timeout=0.2,  # how long a 429 is retried
        poll_interval=0,
        webhook_timeout=1,
        concurrency_limit=None,
        max_limit_jobs=1,
    )
    ctx = CheckContext(
        api, _session(transport, "mine"), settings, None, _no_limit, other_session=_session(transport, "theirs")
    )
    [result] = run_checks([ACCOUNT_ISOLATION], ctx, {}, lambda _line: None)
    assert result.verdict is Verdict.PASSED, result.failures
    assert result.detail == (
        "2 cross-account requests answered 404; not judged, a documented refusal instead: "
        "appendAudioUrl 429, appendAudioUrl 429"
    )


def test_account_isolation_still_fails_a_403() -> None:
    def server(request: httpx.Request) -> httpx.Response:
        if request.method == "POST":
            return httpx.Response(201, json={"conversationId": "5815170693595136", "jobId": JOB_ID})
        return httpx.Response(403, json={"statusCode": 403, "message": "Forbidden"})

    transport = httpx.MockTransport(server)
    settings = SemanticSettings(
        job_timeout=1, poll_interval=0, webhook_timeout=1, concurrency_limit=None, max_limit_jobs=1
    )
    ctx = CheckContext(
        facts(), _session(transport, "mine"), settings, None, _no_limit, other_session=_session(transport, "theirs")
    )
    [result] = run_checks([ACCOUNT_ISOLATION], ctx, {}, lambda _line: None)
    assert result.verdict is Verdict.FAILED
    assert "403, not 404" in result.failures[0].title


def test_a_401_while_filling_the_job_limit_is_not_the_limit_checks_failure() -> None:
    """docs/conformance.md: "Any 401 to such a request fails [credentials_accepted]; a check that meets one is
    inconclusive, not failed" (a static token that expired mid-run, while the limit was being filled)."""

    def server(request: httpx.Request) -> httpx.Response:
        return httpx.Response(401, json={"statusCode": 401, "message": "Token expired"})

    session = _session(httpx.MockTransport(server), "expired")

    @contextmanager
    def limit() -> Iterator[LimitTarget]:
        yield LimitTarget(session, 2)

    settings = SemanticSettings(
        job_timeout=1, poll_interval=0, webhook_timeout=1, concurrency_limit=2, max_limit_jobs=5
    )
    ctx = CheckContext(facts(), session, settings, None, limit)
    [result] = run_checks([CONCURRENCY_LIMIT_429], ctx, {}, lambda _line: None)
    assert session.credentials.check_result().verdict is Verdict.FAILED  # the 401 is blamed there
    assert result.verdict is Verdict.INCONCLUSIVE, (result.verdict, result.detail)


def test_a_429_after_one_job_is_counted_in_the_singular() -> None:
    """A server whose limit is 1: the second job gets the documented 429, and the detail reads as English."""
    jobs: list[str] = []

    def server(request: httpx.Request) -> httpx.Response:
        if jobs:
            return httpx.Response(429, json={"statusCode": 429, "message": "Too many concurrent jobs"})
        jobs.append(JOB_ID)
        return httpx.Response(201, json={"conversationId": "5815170693595136", "jobId": JOB_ID})

    session = _session(httpx.MockTransport(server), "mine")

    @contextmanager
    def limit() -> Iterator[LimitTarget]:
        yield LimitTarget(session, 1)

    settings = SemanticSettings(
        job_timeout=1, poll_interval=0, webhook_timeout=1, concurrency_limit=1, max_limit_jobs=5
    )
    [result] = run_checks(
        [CONCURRENCY_LIMIT_429], CheckContext(facts(), session, settings, None, limit), {}, lambda _line: None
    )
    assert (result.verdict, result.detail) == (Verdict.PASSED, "429 after 1 job (limit 1)")
