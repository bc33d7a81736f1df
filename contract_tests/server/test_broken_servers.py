"""The suite is proven to catch bugs: ``symbl-conformance`` against the mock with each deliberate bug.

For every ``symbl_mock.faults.Fault``, a mock with that one fault is started (``symbl-mock --fault NAME``,
child process, free loopback port) and the real console script is run against it as a child process:
it must exit 1 and name the check that catches the fault. Against the correct mock, with the same
options, it must exit 0 (no false positives).

The runs use a fixed seed, so they are reproducible; they run three at a time (they wait on jobs and
webhooks as much as they compute), which keeps the whole matrix within a few minutes on two cores.
"""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import pytest

from contract_tests.server._cli import OTHER_TOKEN, TOKEN, CliRun, fault_mock, run_cli
from symbl_conformance.checks import CHECK_NAMES
from symbl_mock.faults import Fault

SEED = "1"
MAX_EXAMPLES = "10"
"""Enough for every fault (each is caught by the examples, coverage or stateful phase, or a semantic check)."""
ARGS = ("--seed", SEED, "--max-examples", MAX_EXAMPLES, "--job-timeout", "10", "--quiet")
WORKERS = max(2, min(3, (os.cpu_count() or 2) + 1))
CORRECT = "correct"


@dataclass(frozen=True, slots=True)
class Expect:
    must: frozenset[str]
    """Checks that must be named as failing: the ones that catch this fault."""
    may: frozenset[str] = frozenset()
    """Checks that may fail as well, as a consequence (e.g. a job that cannot be read cannot be followed)."""


def expect(must: set[str], may: set[str] | None = None) -> Expect:
    return Expect(frozenset(must), frozenset(may or ()))


FAULT_CHECKS: dict[Fault, Expect] = {
    Fault.CREATED_200: expect({"status_code_conformance"}),
    Fault.JOB_ID_MISSING: expect({"response_schema_conformance"}, {"job_retrievable", "account_isolation"}),
    Fault.JOB_ID_NOT_UUID: expect(
        {"response_schema_conformance"},
        {"job_retrievable", "job_lifecycle", "positive_data_acceptance", "webhook_payload", "webhook_order"},
    ),
    Fault.ACCEPT_INVALID_INPUT: expect({"negative_data_rejection"}),
    Fault.IGNORE_AUTH: expect({"ignored_auth"}),
    Fault.TEXT_500: expect({"not_a_server_error"}, {"content_type_conformance", "response_schema_conformance"}),
    Fault.ERROR_BODY_SHAPE: expect({"response_schema_conformance"}),
    # A server that appends to any conversation also lets a stranger append to yours.
    Fault.APPEND_UNKNOWN_SUCCEEDS: expect({"unknown_conversation_404"}, {"account_isolation"}),
    Fault.CREATED_JOB_404: expect({"job_retrievable"}, {"job_lifecycle", "ensure_resource_availability"}),
    Fault.STATUS_OUTSIDE_ENUM: expect({"response_schema_conformance", "job_lifecycle"}),
    Fault.APPENDS_OUT_OF_ORDER: expect({"append_order"}),
    Fault.WEBHOOK_FIELD_NAME: expect({"webhook_payload"}, {"webhook_order"}),
    Fault.WEBHOOK_OUT_OF_ORDER: expect({"webhook_order"}),
    Fault.ACCOUNTS_SHARED: expect({"account_isolation"}),
}


def _run_against(key: str) -> CliRun:
    faults = () if key == CORRECT else (key,)
    with fault_mock(*faults) as url:
        return run_cli(["--base-url", url, "--token", TOKEN, "--other-token", OTHER_TOKEN, *ARGS])


@pytest.fixture(scope="module")
def matrix(request: pytest.FixtureRequest) -> dict[str, CliRun]:
    """Every selected run of this module, three at a time; by fault name (or ``correct``)."""
    keys: list[str] = []
    for item in request.session.items:
        if getattr(item, "module", None) is not request.module:
            continue
        callspec = getattr(item, "callspec", None)
        if callspec is not None and "fault" in callspec.params:
            keys.append(Fault(callspec.params["fault"]).value)
        elif item.name == "test_correct_mock_passes":
            keys.append(CORRECT)
    keys = sorted(set(keys), key=lambda k: (k != CORRECT, k))
    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        return dict(zip(keys, pool.map(_run_against, keys), strict=True))


def test_every_fault_has_an_expected_check() -> None:
    assert set(FAULT_CHECKS) == set(Fault)
    known = set(CHECK_NAMES) | {
        "status_code_conformance",
        "response_schema_conformance",
        "negative_data_rejection",
        "positive_data_acceptance",
        "ignored_auth",
        "not_a_server_error",
        "content_type_conformance",
        "ensure_resource_availability",
    }
    for expected in FAULT_CHECKS.values():
        assert expected.must
        assert expected.must <= known
        assert expected.may <= known


@pytest.mark.slow  # the matrix: a full run of the command per fault, three at a time
def test_correct_mock_passes(matrix: dict[str, CliRun]) -> None:
    run = matrix[CORRECT]
    assert run.returncode == 0, run.explain()
    assert run.report is not None, run.explain()
    assert run.report["result"] == "passed", run.explain()
    assert not run.failing_checks
    verdicts = run.verdicts
    assert set(CHECK_NAMES) <= set(verdicts), run.explain()
    assert "failed" not in verdicts.values()
    assert "error" not in verdicts.values()
    assert "inconclusive" not in verdicts.values(), run.explain()


@pytest.mark.slow
@pytest.mark.parametrize("fault", list(Fault), ids=[fault.value for fault in Fault])
def test_broken_server_is_caught(fault: Fault, matrix: dict[str, CliRun]) -> None:
    run = matrix[fault.value]
    expected = FAULT_CHECKS[fault]
    assert run.returncode == 1, run.explain()
    assert "Traceback" not in run.output, run.explain()
    failing = run.failing_checks
    assert expected.must <= failing, f"{fault.value}: expected {sorted(expected.must)} named\n{run.explain()}"
    unexpected = failing - expected.must - expected.may
    assert not unexpected, f"{fault.value}: checks blamed wrongly: {sorted(unexpected)}\n{run.explain()}"
    for check in expected.must:
        assert run.verdicts.get(check) == "failed", f"{check} is {run.verdicts.get(check)}\n{run.explain()}"
        # Every failure comes with a way to reproduce it.
        curls = [failure["curl"] for failure in run.check(check)["failures"] if failure["curl"]]
        assert curls, run.explain()
        assert all(curl.startswith("curl ") for curl in curls), run.explain()
    assert "Reproduce with:" in run.stdout, run.explain()
