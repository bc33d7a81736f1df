"""Issue 9's table: each server on which ``symbl-conformance`` once gave a wrong or lost verdict, started here, and
the right verdict asserted from the JSON report (static Prism is in ``test_prism.py``).

Every run is the real console script (a child process) against a server of its own on 127.0.0.1, kept as short
as its scenario allows: few examples, short token lives, short timeouts.
"""

from __future__ import annotations

import threading
import xml.etree.ElementTree as ET
from dataclasses import replace
from pathlib import Path
from typing import Any

import httpx
import pytest

from contract_tests.server._cli import TOKEN, CliRun, mock, run_cli
from contract_tests.server._fakes import DyingProxy, accounts_server, hanging_server, static_server
from symbl_conformance.checks import CHECK_NAMES
from symbl_conformance.embedded import embedded_config
from symbl_mock import Fault, MockConfig

pytestmark = pytest.mark.slow  # each test starts a server of its own and the command (two processes, 4-40 s)

QUICK = ("--seed", "1", "--max-examples", "3", "--phases", "examples", "--quiet")
APP_ID, APP_SECRET = "A1", "S1"


def _config(**changes: Any) -> MockConfig:
    """The embedded mock's settings (loopback-only webhooks, quick retries) with these changes."""
    return replace(embedded_config(TOKEN), **changes)


def _run(url: str, *args: str, **kwargs: Any) -> CliRun:
    """``symbl-conformance --base-url URL ARGS`` (``--token`` the mock's unless ARGS give credentials)."""
    credentials = () if {"--token", "--app-id"} & set(args) else ("--token", TOKEN)
    return run_cli(["--base-url", url, *credentials, *args], **kwargs)


def _semantic(run: CliRun) -> dict[str, str]:
    return {name: run.verdicts[name] for name in CHECK_NAMES}


# -- tokens from --app-id/--app-secret ---------------------------------------------------------------


def test_tokens_are_renewed_before_they_expire() -> None:
    """``--app-id/--app-secret`` against a mock whose tokens live 2 s: renewed, never refused, the run passes."""
    with mock(_config(app_id=APP_ID, app_secret=APP_SECRET, token_ttl=2)) as url:
        run = _run(
            url,
            *("--app-id", APP_ID, "--app-secret", APP_SECRET, "--seed", "1", "--max-examples", "5"),
            *("--concurrency-limit", "100000", "--max-limit-jobs", "3"),
        )
    assert run.report is not None, run.explain()
    auth = run.report["auth"]
    assert auth["credentials"] == "app"
    assert auth["refused"] == 0, run.explain()
    assert auth["renewals"] >= 2, f"a run of {run.report['timings']['total_seconds']}s renewed {auth}"
    assert run.verdicts["credentials_accepted"] == "passed", run.explain()
    for check in ("unknown_job_404", "unknown_conversation_404", "job_lifecycle"):
        assert run.verdicts[check] == "passed", run.explain()
    assert run.returncode == 0, run.explain()


def test_requests_refused_for_auth_fail_the_run() -> None:
    """A token that expires during the run (given as ``--token``: the run cannot renew it) is refused; each 401 is
    counted, ``credentials_accepted`` fails, the run fails, and no check is blamed for the 401s."""
    with mock(_config(app_id=APP_ID, app_secret=APP_SECRET)) as url:
        body = {"type": "application", "appId": APP_ID, "appSecret": APP_SECRET}
        token = httpx.post(f"{url}/oauth2/token:generate", json=body, timeout=10).json()["accessToken"]
        expired: list[int] = []

        def expire_once_checked(line: str, _process: object) -> None:
            # The run has checked the token (this is its first line after that) and is starting its cases: the
            # token ends during the run whatever the machine's speed (a 3 s --token-ttl once ran out before the
            # check, on a slow start).
            if line.startswith("[schemathesis]") and not expired:
                expired.append(httpx.post(f"{url}/__mock__/tokens/expire", timeout=10).json()["expired"])

        run = _run(url, "--token", token, "--seed", "1", "--max-examples", "5", on_line=expire_once_checked)
    assert expired == [1], run.explain()
    assert run.returncode == 1, run.explain()
    assert run.report is not None
    assert run.report["auth"]["refused"] > 0, run.explain()
    result = run.check("credentials_accepted")
    assert result["verdict"] == "failed", run.explain()
    assert result["failed"] == run.report["auth"]["refused"]
    assert "401" in result["failures"][0]["title"]
    # The 404 checks met 401s: they proved nothing either way, they did not fail.
    for check in ("unknown_job_404", "unknown_conversation_404"):
        assert run.verdicts[check] == "inconclusive", run.explain()


# -- honest verdicts -----------------------------------------------------------------------------------


def test_each_queued_job_gets_its_own_deadline() -> None:
    """``--job-duration 8``: the conversation's four jobs take 32 s in all; each gets the default --job-timeout
    from its turn, so all finish in time."""
    with mock(_config(job_duration=8.0)) as url:
        run = _run(url, "--seed", "1", "--max-examples", "1", "--phases", "examples", "--quiet")
    assert run.verdicts["job_lifecycle"] == "passed", run.explain()
    assert run.verdicts["append_order"] == "passed", run.explain()
    assert run.returncode == 0, run.explain()


def test_documented_413_is_not_a_wrong_answer() -> None:
    """``--max-body-bytes 400``: large valid bodies get the documented 413, which no check holds against it."""
    with mock(_config(max_body_bytes=400)) as url:
        run = _run(url, "--seed", "1", "--max-examples", "10", "--phases", "examples,coverage,fuzzing", "--quiet")
    assert run.report is not None, run.explain()
    assert run.report["cases"]["statuses"].get("413", 0) > 0, "the run met no 413: the row is not exercised"
    for check in ("positive_data_acceptance", "negative_data_rejection"):
        assert run.verdicts[check] == "passed", run.explain()
    assert run.returncode == 0, run.explain()


def test_a_promised_limit_without_429_fails() -> None:
    """``--concurrency-limit 3`` against a server with no limit: a 4th job accepted while 3 run is a failure."""
    with mock(_config(concurrency_limit=100_000, job_duration=1.0)) as url:
        run = _run(url, "--concurrency-limit", "3", *QUICK)
    result = run.check("concurrency_limit_429")
    assert result["verdict"] == "failed", run.explain()
    assert "promised limit is 3" in result["failures"][0]["title"]
    assert run.returncode == 1


def test_a_kept_limit_passes() -> None:
    with mock(_config(concurrency_limit=3, job_duration=1.0)) as url:
        run = _run(url, "--concurrency-limit", "3", *QUICK)
    assert run.verdicts["concurrency_limit_429"] == "passed", run.explain()


def test_without_a_promise_no_429_is_inconclusive_not_a_pass() -> None:
    with mock(_config(concurrency_limit=100_000, job_duration=1.0)) as url:
        run = _run(url, "--allow-side-effects", "--max-limit-jobs", "5", *QUICK)
    assert run.verdicts["concurrency_limit_429"] == "inconclusive", run.explain()
    assert "--concurrency-limit" in run.check("concurrency_limit_429")["detail"]


def test_same_job_ids_fail_distinct_job_ids_and_prove_no_order() -> None:
    """A server answering its examples (one jobId for every job, never finishing): ``distinct_job_ids`` fails,
    ``append_order`` and ``webhook_order`` are inconclusive, ``job_lifecycle`` fails on the job that never ends."""
    with static_server() as url:
        run = _run(url, "--job-timeout", "1", *QUICK)
    semantic = _semantic(run)
    assert semantic["distinct_job_ids"] == "failed", run.explain()
    assert semantic["job_lifecycle"] == "failed", run.explain()
    assert semantic["append_order"] == "inconclusive", run.explain()
    assert "distinct" in run.check("append_order")["detail"]
    assert run.returncode == 1


def test_append_order_is_inconclusive_when_jobs_never_overlap(tmp_path: Path) -> None:
    """Jobs that finish at once were never seen queued: the order check proved nothing, and says so (in the JSON
    report, the text and the JUnit XML), and the run still passes."""
    junit = tmp_path / "junit.xml"
    with mock(_config(job_duration=0.0)) as url:
        run = _run(url, *QUICK, "--junit-xml", str(junit))
    xml = ET.parse(junit).getroot()  # noqa: S314 - our own report
    assert run.verdicts["append_order"] == "inconclusive", run.explain()
    assert run.verdicts["job_lifecycle"] == "passed", run.explain()
    assert "inconclusive" in run.stdout
    assert run.returncode == 0, run.explain()
    case = next(c for c in xml.iter("testcase") if c.get("name") == "append_order")
    skipped = case.find("skipped")
    assert skipped is not None
    assert skipped.get("message", "").startswith("inconclusive: ")


def test_webhooks_are_judged_even_when_jobs_cannot_be_followed() -> None:
    """Jobs whose status is 404 cannot be followed; the deliveries that arrive for them are judged all the same."""
    with mock(_config(faults=frozenset({Fault.CREATED_JOB_404}))) as url:
        run = _run(url, *QUICK)
    assert run.verdicts["job_retrievable"] == "failed", run.explain()
    payload = run.check("webhook_payload")
    assert payload["verdict"] == "passed", run.explain()
    assert payload["passed"] > 0
    assert run.verdicts["webhook_order"] in ("passed", "inconclusive"), run.explain()


# -- partial reports -----------------------------------------------------------------------------------


def _assert_partial_report(run: CliRun, junit: Path) -> None:
    assert run.returncode == 1, run.explain()
    assert "Traceback" not in run.output, run.explain()
    assert run.report is not None, "the JSON report is written when the server fails mid-run"
    assert run.report["result"] == "failed"
    assert run.report["interrupted"], run.explain()
    assert any(error["kind"] == "server" for error in run.report["errors"]), run.explain()
    assert run.report["cases"]["total"] > 0, "what was seen before is kept"
    assert "RESULT: FAILED" in run.stdout
    assert junit.is_file(), "the JUnit report is written when the server fails mid-run"
    root = ET.parse(junit).getroot()  # noqa: S314 - our own report
    assert int(root.get("errors", "0")) >= 1


def test_a_server_that_dies_mid_run_gets_a_full_report(tmp_path: Path) -> None:
    junit = tmp_path / "junit.xml"
    with mock(_config()) as url:
        proxy = DyingProxy(url)
        killed = threading.Event()

        def kill_at_coverage(line: str, _process: object) -> None:
            if "phase coverage" in line and not killed.is_set():
                killed.set()
                proxy.kill()

        run = _run(proxy.url, "--seed", "1", "--max-examples", "5", "--junit-xml", str(junit), on_line=kill_at_coverage)
    assert killed.is_set(), run.explain()
    _assert_partial_report(run, junit)
    assert "went away" in str((run.report or {}).get("interrupted")), run.explain()
    semantic = _semantic(run)
    assert all(verdict in ("error", "skipped") for verdict in semantic.values()), semantic


def test_a_server_that_hangs_on_writes_gets_a_full_report(tmp_path: Path) -> None:
    junit = tmp_path / "junit.xml"
    with hanging_server() as url:
        run = _run(
            url,
            *("--seed", "1", "--max-examples", "3", "--request-timeout", "0.5"),
            *("--junit-xml", str(junit), "--quiet"),
        )
    _assert_partial_report(run, junit)
    assert "stopped answering" in str((run.report or {}).get("interrupted")), run.explain()
    assert run.verdicts["unknown_job_404"] == "passed", "the reads still answered: judged"
    assert run.verdicts["job_retrievable"] == "error", run.explain()


# -- account isolation -----------------------------------------------------------------------------------


@pytest.mark.parametrize(("leaky", "verdict"), [(False, "passed"), (True, "failed")])
def test_account_isolation(leaky: bool, verdict: str) -> None:
    tokens = ("account-one", "account-two")
    with accounts_server(tokens, leaky=leaky) as url:
        run = _run(url, "--token", tokens[0], "--other-token", tokens[1], "--webhook-timeout", "1", *QUICK)
    result = run.check("account_isolation")
    assert result["verdict"] == verdict, run.explain()
    if leaky:
        assert "403" in result["failures"][0]["title"]
    else:
        assert result["passed"] == 4


def test_max_failures_bounds_the_listing() -> None:
    """Every distinct failure is listed unless ``--max-failures N`` says to stop once N are known."""
    with static_server() as url:
        bounded = _run(url, "--max-failures", "2", "--no-semantic", "--seed", "1", "--phases", "examples,coverage")
        full = _run(url, "--no-semantic", "--seed", "1", "--phases", "examples,coverage")
    assert bounded.report is not None, bounded.explain()
    assert full.report is not None, full.explain()

    def listed(run: CliRun) -> int:
        assert run.report is not None
        return sum(len(check["failures"]) for check in run.report["checks"] if check["source"] == "schemathesis")

    assert 2 <= listed(bounded) < listed(full), (listed(bounded), listed(full))
    assert any("--max-failures 2" in note for note in bounded.report["notes"]), bounded.report["notes"]
    assert not full.report["notes"]
