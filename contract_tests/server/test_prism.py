"""A real server no one here wrote: Prism 5.16.0 serving the document, static and ``--dynamic``.

The suite must fail Prism on exactly what Prism gets wrong and on nothing else. Every finding — a distinct
failure, a run error, a check in error — must match a row of ``prism_findings.json`` (the committed
classification, shown in docs/conformance.md), and every row Prism is known to get wrong must be found. Also:
the run keeps going past failures (every distinct failure is listed), and no callback Prism made left the
machine (the run points generated webhook URLs at its own receiver).
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from contract_tests.server._cli import CliRun, run_cli
from contract_tests.server._prism import npx_missing, running_prism

TABLE = json.loads(Path(__file__).with_name("prism_findings.json").read_text())
MODES = ("static", "dynamic")


def findings(run: CliRun) -> list[dict[str, str]]:
    """What the run found wrong: distinct failures, run errors, checks in error."""
    assert run.report is not None, run.explain()
    found: list[dict[str, str]] = []
    for check in run.report["checks"]:
        for failure in check["failures"]:
            found.append(
                {
                    "check": check["name"],
                    "title": failure["title"],
                    "operation": failure["operation"],
                    "message": failure["message"],
                }
            )
        if check["verdict"] == "error":
            found.append({"verdict": "error", "check": check["name"], "detail": check["detail"]})
    for error in run.report["errors"]:
        found.append({"error": error["kind"], "message": error["message"], "curl": error["curl"] or ""})
    return found


def _kind(entry: dict[str, str]) -> str:
    return "error" if "error" in entry else "verdict" if "verdict" in entry else "failure"


def matches(pattern: dict[str, str], finding: dict[str, str]) -> bool:
    """Same kind of finding; names (check, error kind, verdict) equal, texts matched by the pattern's regexes."""
    if _kind(pattern) != _kind(finding):
        return False
    for key, expected in pattern.items():
        if key in ("check", "error", "verdict"):
            if finding.get(key) != expected:
                return False
        elif re.search(expected, finding.get(key, "")) is None:
            return False
    return True


def classify(mode: str, found: list[dict[str, str]]) -> tuple[dict[str, list[dict[str, str]]], list[dict[str, str]]]:
    """Findings by row id, and the findings no row of this mode explains."""
    rows = [row for row in TABLE["rows"] if mode in row["modes"]]
    by_row: dict[str, list[dict[str, str]]] = {row["id"]: [] for row in rows}
    unexplained = []
    for finding in found:
        row = next((r for r in rows if any(matches(p, finding) for p in r["match"])), None)
        if row is None:
            unexplained.append(finding)
        else:
            by_row[row["id"]].append(finding)
    return by_row, unexplained


def test_the_table_is_well_formed() -> None:
    ids = [row["id"] for row in TABLE["rows"]]
    assert len(ids) == len(set(ids))
    for row in TABLE["rows"]:
        assert row["class"] in ("prism", "spec"), row
        assert set(row["modes"]) <= set(MODES), row
        assert row["what"], row
        assert row["match"], row
        if row["class"] == "spec":
            assert row.get("required") is False, "what the document allows is tolerated, never required"


def test_matching_is_strict() -> None:
    """A row matches its own kind of finding only, on every field it names."""
    pattern = {"check": "ignored_auth", "title": "^API accepts invalid authentication$"}
    assert matches(pattern, {"check": "ignored_auth", "title": "API accepts invalid authentication", "operation": "x"})
    assert not matches(pattern, {"check": "ignored_auth", "title": "Something else", "operation": "x"})
    assert not matches(
        pattern, {"check": "unknown_job_404", "title": "API accepts invalid authentication", "operation": ""}
    )
    assert not matches(pattern, {"error": "schemathesis", "message": "API accepts invalid authentication", "curl": ""})


@pytest.fixture(scope="module", params=MODES)
def prism_run(request: pytest.FixtureRequest) -> tuple[str, CliRun, list[str]]:
    missing = npx_missing()
    if missing:
        pytest.skip(missing)
    mode = str(request.param)
    with running_prism(dynamic=mode == "dynamic") as prism:
        run = run_cli(["--base-url", prism.url, *TABLE["args"], "--quiet"], timeout=600)
        callbacks = prism.callback_targets()
    return mode, run, callbacks


@pytest.mark.slow
def test_prism_fails_on_exactly_what_it_gets_wrong(prism_run: tuple[str, CliRun, list[str]]) -> None:
    mode, run, _callbacks = prism_run
    assert run.returncode == 1, run.explain()
    by_row, unexplained = classify(mode, findings(run))
    assert not unexplained, f"{mode} Prism: findings no row of prism_findings.json explains: {unexplained}"
    required = {row["id"] for row in TABLE["rows"] if mode in row["modes"] and row.get("required", True)}
    missed = sorted(row for row in required if not by_row[row])
    assert not missed, f"{mode} Prism: departures the suite no longer finds: {missed}\n{run.explain()}"


@pytest.mark.slow
def test_every_distinct_failure_is_listed(prism_run: tuple[str, CliRun, list[str]]) -> None:
    """Each operation keeps going past its first failure: the coverage phase runs in full (11 cases when it
    stopped at the first failure), and each undeclared method on each path is its own failure."""
    _mode, run, _callbacks = prism_run
    report: dict[str, Any] = run.report or {}
    assert report["cases"]["total"] > 1000, report["cases"]
    unsupported = run.check("unsupported_method")["failures"]
    paths = {failure["operation"].split(" ", 1)[1] for failure in unsupported}
    assert len(paths) == 4, f"every path's 405 without Allow, not only the first: {sorted(paths)}"
    assert len(unsupported) >= 4 * 5


@pytest.mark.slow
def test_no_callback_left_the_machine(prism_run: tuple[str, CliRun, list[str]]) -> None:
    _mode, _run, callbacks = prism_run
    urls = [target for target in callbacks if "://" in target]
    assert urls, "Prism made no callback to a URL: the proof would be empty"
    hosts = {urlsplit(url.rstrip(".")).hostname for url in urls}
    assert hosts == {"127.0.0.1"}, f"callbacks went to {sorted(str(h) for h in hosts)}"
