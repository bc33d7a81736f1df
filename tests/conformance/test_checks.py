"""The semantic checks as units: names once, what they need as data, verdicts from one rule."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import httpx
import pytest

from symbl_conformance.checks import (
    CHECK_NAMES,
    CHECKS,
    CheckContext,
    Judgement,
    LimitTarget,
    Need,
    SemanticCheck,
    SemanticSettings,
    Unavailable,
    run_checks,
)
from symbl_conformance.checks.limit import _unfinished
from symbl_conformance.http import ServerTrouble
from symbl_conformance.results import CheckResult, Source, Verdict, describe_exception
from symbl_conformance.spec import facts


def test_every_check_has_a_unique_name_and_says_what_it_proves() -> None:
    assert len(CHECK_NAMES) == len(set(CHECK_NAMES))
    for check in CHECKS:
        assert check.proves.endswith(".")
        if Need.SCENARIO in check.needs:
            assert Need.JOBS in check.needs, f"{check.name}: the scenario creates jobs"


@pytest.mark.parametrize(
    ("passed", "failures", "verdict"),
    [(2, 0, Verdict.PASSED), (0, 0, Verdict.INCONCLUSIVE), (2, 1, Verdict.FAILED), (0, 1, Verdict.FAILED)],
)
def test_the_verdict_rule(passed: int, failures: int, verdict: Verdict) -> None:
    judgement = Judgement(passed=passed, inconclusive="nothing overlapped")
    for _ in range(failures):
        judgement.fail("wrong", "message", None)
    assert judgement.verdict is verdict


def test_the_same_failure_is_listed_once_and_counted_each_time() -> None:
    judgement = Judgement()
    judgement.fail("wrong", "first", None, "op")
    judgement.fail("wrong", "second", None, "op")
    judgement.fail("wrong", "third", None, "other op")
    assert len(judgement.failures) == 2
    assert judgement.failed_count == 3


class _Session:
    gone: str | None = None


def _ctx(gone: str | None = None) -> CheckContext:
    session: Any = _Session()
    session.gone = gone

    @contextmanager
    def no_limit() -> Iterator[LimitTarget]:
        raise AssertionError("not used")
        yield  # pragma: no cover

    settings = SemanticSettings(
        job_timeout=1, poll_interval=0, webhook_timeout=1, concurrency_limit=None, max_limit_jobs=1
    )
    return CheckContext(facts(), session, settings, None, no_limit)


def _check(name: str, needs: frozenset[Need], outcome: Any) -> SemanticCheck:
    def judge(ctx: CheckContext) -> Judgement:
        if isinstance(outcome, BaseException):
            raise outcome
        judgement: Judgement = outcome
        return judgement

    return SemanticCheck(name, "Proves it.", needs, judge)


def test_unmet_needs_skip_with_their_reason_in_the_order_of_needs() -> None:
    checks = [
        _check("a", frozenset({Need.WEBHOOKS, Need.JOBS}), Judgement(passed=1)),
        _check("b", frozenset(), Judgement(passed=1, detail="fine")),
    ]
    unmet = {Need.JOBS: "safe mode", Need.WEBHOOKS: "no receiver"}
    results = list(run_checks(checks, _ctx(), unmet, lambda _line: None))
    assert [(r.name, r.verdict, r.detail) for r in results] == [
        ("a", Verdict.SKIPPED, "safe mode"),
        ("b", Verdict.PASSED, "fine"),
    ]
    assert all(r.source is Source.SEMANTIC and r.proves == "Proves it." for r in results)


def test_what_a_check_cannot_judge_is_its_verdict() -> None:
    checks = [
        _check("unavailable", frozenset(), Unavailable(Verdict.INCONCLUSIVE, "answered 429")),
        _check("trouble", frozenset(), ServerTrouble("POST /x: no answer within 1s")),
        _check("bug", frozenset(), ZeroDivisionError("oops")),
    ]
    results = list(run_checks(checks, _ctx(), {}, lambda _line: None))
    assert [(r.verdict, r.detail.split(":")[0]) for r in results] == [
        (Verdict.INCONCLUSIVE, "answered 429"),
        (Verdict.ERROR, "POST /x"),
        (Verdict.ERROR, "internal error"),
    ]


def test_once_the_server_is_gone_checks_are_not_run() -> None:
    results = list(run_checks([_check("a", frozenset(), Judgement(passed=1))], _ctx("the server went away"), {}, print))
    assert results[0].verdict is Verdict.ERROR
    assert results[0].detail == "not run: the server went away"


def test_failures_carry_the_name_of_their_check() -> None:
    judgement = Judgement()
    judgement.fail("wrong", "message", "curl -X GET x", "getJobStatus (GET /v1/job/{jobId})")
    (result,) = run_checks([_check("named_once", frozenset(), judgement)], _ctx(), {}, print)
    assert result.verdict is Verdict.FAILED
    assert [failure.check for failure in result.failures] == ["named_once"]
    assert (result.failed, result.detail) == (1, "wrong")


def test_results_come_one_by_one_so_a_ctrl_c_keeps_the_finished_checks() -> None:
    kept: list[CheckResult] = []
    checks = [
        _check("finished", frozenset(), Judgement(passed=1)),
        _check("stopped", frozenset(), KeyboardInterrupt()),
    ]
    with pytest.raises(KeyboardInterrupt):
        kept.extend(run_checks(checks, _ctx(), {}, lambda _line: None))  # list.extend keeps what came before
    assert [result.name for result in kept] == ["finished"]


class _StatusSession:
    """Answers getJobStatus from a table (job ID → status, or ``None`` for a 500) and records what was asked."""

    def __init__(self, statuses: dict[str, str | None]) -> None:
        self.statuses = statuses
        self.asked: list[str] = []

    def request(self, method: str, path: str) -> httpx.Response:
        job_id = path.rsplit("/", 1)[-1]
        self.asked.append(job_id)
        status = self.statuses[job_id]
        if status is None:
            return httpx.Response(500, text="oops")
        return httpx.Response(200, json={"jobId": job_id, facts().status_field: status})


def test_the_limit_check_polls_only_jobs_not_yet_seen_finished() -> None:
    api = facts()
    unfinished, final = api.statuses[0], sorted(api.terminal_statuses)[0]
    session: Any = _StatusSession({"a": final, "b": unfinished, "c": None, "d": "not-a-status"})
    not_finished = ["a", "b", "c", "d"]
    assert _unfinished(api, session, not_finished) == 1  # only b is unfinished; c and d count as finished
    assert not_finished == ["b", "c", "d"]  # a is final; c and d are not known to be
    session.statuses.update(b=final, c=unfinished)
    session.asked.clear()
    assert _unfinished(api, session, not_finished) == 1
    assert session.asked == ["b", "c", "d"]
    assert not_finished == ["c", "d"]


def test_an_internal_error_is_said_in_one_line_with_where_it_was_raised() -> None:
    def broken() -> None:
        raise ValueError("no such thing")

    try:
        broken()
    except ValueError as error:
        text = describe_exception(error)
    line = broken.__code__.co_firstlineno + 1
    assert text == f"ValueError: no such thing ({__file__}:{line})"
