"""The JSON report: the machine interface of a run (the project's tests and benchmark read it). Its shape is
``schema.json`` beside this module (JSON Schema 2020-12), checked by a test against real reports."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import schemathesis

from symbl_conformance.results import CheckResult, RunReport, Verdict
from symbl_spec import spec_path

__all__ = ["FORMAT", "SCHEMA_PATH", "VERSION", "report_document", "write_json"]

FORMAT = "symbl-conformance-report"
VERSION = 1
SCHEMA_PATH = Path(__file__).with_name("schema.json")


def _check(check: CheckResult) -> dict[str, Any]:
    return {
        "name": check.name,
        "source": check.source.value,
        "verdict": check.verdict.value,
        "detail": check.detail,
        "passed": check.passed,
        "failed": check.failed,
        "seconds": round(check.seconds, 3),
        "proves": check.proves,
        "failures": [
            {"operation": f.operation, "title": f.title, "message": f.message, "curl": f.curl} for f in check.failures
        ],
    }


def report_document(report: RunReport) -> dict[str, Any]:
    return {
        "format": FORMAT,
        "version": VERSION,
        "result": "failed" if report.failed else "passed",
        "tool": {"schemathesis": schemathesis.__version__, "spec": spec_path().name},
        "mode": report.mode,
        "mode_reason": report.mode_reason,
        "target": report.base_url,
        "seed": report.seed,
        "settings": report.settings,
        "timings": {
            "started_at": report.started_at,
            "schemathesis_seconds": round(report.schemathesis_seconds, 3),
            "semantic_seconds": round(report.semantic_seconds, 3),
            "total_seconds": round(report.total_seconds, 3),
        },
        "cases": {
            "total": report.cases,
            "statuses": {str(status): count for status, count in sorted(report.statuses.items())},
            "operations": [
                {
                    "operation": label,
                    "cases": report.cases_per_operation[label],
                    "failing_check_results": report.failures_per_operation[label],
                }
                for label in sorted(report.cases_per_operation)
            ],
        },
        "auth": {
            "credentials": report.auth.credentials,
            "requests": report.auth.requests,
            "refused": report.auth.refused,
            "renewals": report.auth.renewals,
        },
        "checks": [_check(check) for check in report.checks],
        "verdicts": {verdict.value: report.by_verdict(verdict) for verdict in Verdict},
        "errors": [{"kind": error.kind, "message": error.message, "curl": error.curl} for error in report.errors],
        "notes": list(report.notes),
        "interrupted": report.interrupted,
    }


def write_json(report: RunReport, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(report_document(report), indent=2) + "\n", encoding="utf-8")
