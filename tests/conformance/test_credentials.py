"""The run's credentials provider: renewal before expiry, the current token at send time, 401 accounting."""

from __future__ import annotations

import pytest

from symbl_conformance.credentials import CREDENTIALS_ACCEPTED, Credentials, RenewalFailed, TokenGrant, sent_token
from symbl_conformance.options import UsageError
from symbl_conformance.results import Source, Verdict


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def _renewing(lifetime: float, clock: Clock) -> tuple[Credentials, list[str]]:
    issued: list[str] = []

    def fetch() -> TokenGrant:
        issued.append(f"token-{len(issued)}")
        return TokenGrant(issued[-1], lifetime)

    return Credentials(fetch=fetch, clock=clock), issued


@pytest.mark.parametrize(
    ("lifetime", "renewed_after"),
    [(86400.0, 86340.0), (8.0, 4.0), (2.0, 1.0)],
)
def test_a_token_is_renewed_before_it_expires(lifetime: float, renewed_after: float) -> None:
    """60 s before expiry, or half-way through a life shorter than two minutes (the generated client's rule)."""
    clock = Clock()
    credentials, _issued = _renewing(lifetime, clock)
    assert credentials.token() == "token-0"
    clock.now += renewed_after - 0.001
    assert credentials.token() == "token-0"
    clock.now += 0.002
    assert credentials.token() == "token-1"
    assert credentials.stats.renewals == 1
    assert clock.now < 100.0 + lifetime, "renewed while the old token was still valid"


def test_a_401_to_the_current_token_renews_it_and_is_counted() -> None:
    clock = Clock()
    credentials, _issued = _renewing(3600.0, clock)
    first = credentials.token()
    credentials.observe(first, 200)
    credentials.observe(first, 401, ("GET", "http://127.0.0.1:1/v1/job/x"))
    assert credentials.token() == "token-1"
    assert (credentials.stats.requests, credentials.stats.refused) == (2, 1)
    result = credentials.check_result()
    assert result.name == CREDENTIALS_ACCEPTED
    assert result.source is Source.RUN
    assert result.verdict is Verdict.FAILED
    assert (result.passed, result.failed) == (1, 1)
    assert result.failures[0].curl is not None
    assert "/v1/job/x" in result.failures[0].curl


def test_answers_to_other_tokens_are_not_counted() -> None:
    credentials = Credentials(token="ours")  # noqa: S106 - a made-up token
    credentials.observe("not-ours", 401)
    credentials.observe(None, 401)
    assert credentials.stats.requests == 0
    assert credentials.check_result().verdict is Verdict.INCONCLUSIVE
    credentials.observe("ours", 201)
    assert credentials.check_result().verdict is Verdict.PASSED


def test_an_older_token_is_replaced_as_the_request_goes_out() -> None:
    clock = Clock()
    credentials, _issued = _renewing(10.0, clock)
    old = credentials.token()
    clock.now += 6.0
    headers = {"Authorization": f"Bearer {old}", "x-api-key": old, "Other": old}
    credentials.refresh_headers(headers)
    assert headers["Authorization"] == "Bearer token-1"
    assert headers["x-api-key"] == "token-1"
    untouched = {"Authorization": "Bearer made-up-by-schemathesis"}
    credentials.refresh_headers(untouched)
    assert untouched == {"Authorization": "Bearer made-up-by-schemathesis"}


def test_sent_token_reads_every_scheme_of_the_document() -> None:
    assert sent_token({"Authorization": ["Bearer abc"]}) == "abc"
    assert sent_token({"x-api-key": "abc"}) == "abc"
    assert sent_token({"Authorization": "Basic abc"}) is None
    assert sent_token({}) is None


def test_a_failed_renewal_during_the_run_is_not_a_usage_error() -> None:
    clock = Clock()
    calls = iter([TokenGrant("t0", 2.0)])

    def fetch() -> TokenGrant:
        try:
            return next(calls)
        except StopIteration:
            raise UsageError("cannot reach the server") from None

    credentials = Credentials(fetch=fetch, clock=clock)
    assert credentials.token() == "t0"
    clock.now += 5.0
    with pytest.raises(RenewalFailed, match="cannot reach"):
        credentials.token()
