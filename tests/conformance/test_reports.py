"""One results model, three renderers: the JSON report has the documented shape, the JUnit XML counts what it
holds, and inconclusive is shown as such in all three."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path

import jsonschema_rs
import pytest

from symbl_conformance.reports import SCHEMA_PATH, report_document, write_json, write_junit, write_text
from symbl_conformance.results import CheckResult, Failure, RunError, RunReport, Source, Verdict

SCHEMA = jsonschema_rs.validator_for(json.loads(SCHEMA_PATH.read_text()))


def _report() -> RunReport:
    failure = Failure("unknown_job_404", "getJobStatus (GET /v1/job/{jobId})", "answered 200, not 404", "{}", "curl x")
    return RunReport(
        mode="full",
        mode_reason="loopback",
        base_url="http://127.0.0.1:1",
        seed=7,
        settings={"max_examples": 3, "phases": ["examples"], "request_timeout": 1.0, "job_timeout": 2.0}
        | {"max_failures": None, "concurrency_limit": None, "token": "***"},
        started_at="2026-11-29T00:00:00+00:00",
        cases=3,
        cases_per_operation=Counter({"getJobStatus (GET /v1/job/{jobId})": 3}),
        failures_per_operation=Counter({"getJobStatus (GET /v1/job/{jobId})": 1}),
        statuses=Counter({404: 2, 200: 1}),
        checks=[
            CheckResult("not_a_server_error", Source.SCHEMATHESIS, Verdict.PASSED, "3 passed, 0 failed", 3, 0),
            CheckResult("credentials_accepted", Source.RUN, Verdict.PASSED, "3 requests", 3, 0),
            CheckResult("unknown_job_404", Source.SEMANTIC, Verdict.FAILED, failure.title, 0, 1, [failure]),
            CheckResult("append_order", Source.SEMANTIC, Verdict.INCONCLUSIVE, "never overlapped"),
            CheckResult("account_isolation", Source.SEMANTIC, Verdict.SKIPPED, "no second account"),
            CheckResult("job_lifecycle", Source.SEMANTIC, Verdict.ERROR, "not run: the server went away"),
        ],
        errors=[RunError("server", "the server went away"), RunError("schemathesis", "timed out", "curl y")],
        interrupted="the server went away",
    )


def test_the_json_report_has_the_documented_shape(tmp_path: Path) -> None:
    path = tmp_path / "deep" / "report.json"
    write_json(_report(), path)
    document = json.loads(path.read_text())
    SCHEMA.validate(document)
    assert document["result"] == "failed"
    assert document["verdicts"]["inconclusive"] == ["append_order"]
    assert document["verdicts"]["error"] == ["job_lifecycle"]
    assert document["cases"]["statuses"] == {"200": 1, "404": 2}
    assert document["checks"][2]["failures"][0]["curl"] == "curl x"


def test_the_schema_refuses_what_it_does_not_describe() -> None:
    document = report_document(_report())
    document["checks"][0]["verdict"] = "maybe"
    with pytest.raises(jsonschema_rs.ValidationError):
        SCHEMA.validate(document)


def test_junit_counts_match_its_cases(tmp_path: Path) -> None:
    path = tmp_path / "junit.xml"
    write_junit(_report(), path)
    root = ET.parse(path).getroot()  # noqa: S314 - our own report
    suites = {suite.get("name"): suite for suite in root.findall("testsuite")}
    assert list(suites) == ["schemathesis", "semantic", "run"]
    for suite in suites.values():
        cases = suite.findall("testcase")
        assert int(suite.get("tests", "-1")) == len(cases)
        for kind in ("failure", "error", "skipped"):
            counted = int(suite.get(f"{kind}s" if kind != "skipped" else "skipped", "-1"))
            assert counted == sum(1 for case in cases if case.find(kind) is not None), (suite.get("name"), kind)
    skipped = {case.get("name"): case.find("skipped") for case in suites["semantic"].findall("testcase")}
    inconclusive = skipped["append_order"]
    assert inconclusive is not None
    assert inconclusive.get("message") == "inconclusive: never overlapped"
    run_cases = [case.get("name") for case in suites["run"].findall("testcase")]
    assert run_cases == ["credentials_accepted", "completed", "error (server)", "error (schemathesis)"]
    [stopped] = [case for case in suites["run"].findall("testcase") if case.get("name") == "completed"]
    assert stopped.find("error") is not None  # the run stopped early: not green on a CI dashboard


def test_a_run_interrupted_before_any_check_failed_is_not_green(tmp_path: Path) -> None:
    report = RunReport(mode="embedded", interrupted="interrupted (Ctrl-C)")
    path = tmp_path / "junit.xml"
    write_junit(report, path)
    root = ET.parse(path).getroot()  # noqa: S314 - our own report
    assert (root.get("errors"), root.get("failures")) == ("1", "0")
    lines: list[str] = []
    write_text(report, lines.append)
    assert "RESULT: FAILED — the run did not finish; no check failed before" in lines
    assert report.exit_code == 1


def test_the_text_shows_every_verdict_and_why_the_run_stopped() -> None:
    lines: list[str] = []
    write_text(_report(), lines.append)
    text = "\n".join(lines)
    assert "RESULT: FAILED — failing checks: job_lifecycle, unknown_job_404" in text
    assert "stopped early: the server went away" in text
    assert "inconclusive (proved nothing either way): append_order" in text
    for shown in ("passed", "FAILED", "inconclusive", "skipped", "ERROR"):
        assert f"  {shown}" in text
    assert "Reproduce with:" in text
