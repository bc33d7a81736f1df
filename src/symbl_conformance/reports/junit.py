"""The JUnit XML report: a suite per source of checks (schemathesis, run, semantic). A schemathesis check has a
test case per operation (which operation failed it); any other check has one test case. Inconclusive and skipped
checks are ``<skipped>`` (the message says which), errors ``<error>``; the run's errors, and a run that stopped
early, are error test cases of the ``run`` suite."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path

from symbl_conformance.results import CheckResult, Failure, RunReport, Source, Verdict

__all__ = ["write_junit"]

_COUNTED = ("tests", "failures", "errors", "skipped")


def _text(failures: list[Failure]) -> str:
    return "\n\n".join(f"{f.title}\n{f.message}\n{f.curl or ''}".strip() for f in failures)


def _case(suite: ET.Element, classname: str, check: CheckResult, verdict: Verdict, failures: list[Failure]) -> str:
    """Add a test case; which counter it adds to (``passed`` is not one)."""
    case = ET.SubElement(suite, "testcase", classname=classname, name=check.name, time=f"{check.seconds:.3f}")
    if verdict is Verdict.FAILED:
        ET.SubElement(case, "failure", message=failures[0].title, type=check.name).text = _text(failures)
        return "failures"
    if verdict is Verdict.ERROR:
        ET.SubElement(case, "error", message=check.detail, type=check.name)
        return "errors"
    if verdict in (Verdict.SKIPPED, Verdict.INCONCLUSIVE):
        ET.SubElement(case, "skipped", message=f"{verdict.value}: {check.detail}")
        return "skipped"
    return "passed"


def _suite(root: ET.Element, report: RunReport, source: Source) -> Counter[str]:
    suite = ET.SubElement(root, "testsuite", name=source.value)
    counts: Counter[str] = Counter()
    for check in (c for c in report.checks if c.source is source):
        if source is Source.SCHEMATHESIS:
            operations = sorted(set(report.cases_per_operation) | {f.operation for f in check.failures}) or [""]
            for operation in operations:
                found = [f for f in check.failures if f.operation == operation]
                verdict = Verdict.FAILED if found else Verdict.PASSED
                counts[_case(suite, operation or source.value, check, verdict, found)] += 1
                counts["tests"] += 1
        else:
            counts[_case(suite, source.value, check, check.verdict, check.failures)] += 1
            counts["tests"] += 1
    if source is Source.RUN:
        if report.interrupted:  # a run that did not finish must not read as green
            case = ET.SubElement(suite, "testcase", classname="run", name="completed")
            ET.SubElement(case, "error", message=report.interrupted, type="interrupted")
            counts["errors"] += 1
            counts["tests"] += 1
        for error in report.errors:
            case = ET.SubElement(suite, "testcase", classname="run", name=f"error ({error.kind})")
            first = error.message.splitlines()[0] if error.message else error.kind
            ET.SubElement(case, "error", message=first, type=error.kind).text = error.message
            counts["errors"] += 1
            counts["tests"] += 1
    for key in _COUNTED:
        suite.set(key, str(counts[key]))
    return counts


def write_junit(report: RunReport, path: Path) -> None:
    root = ET.Element("testsuites", name="symbl-conformance")
    totals: Counter[str] = Counter()
    for source in Source:
        totals.update(_suite(root, report, source))
    for key in _COUNTED:
        root.set(key, str(totals[key]))
    root.set("time", f"{report.total_seconds:.3f}")
    tree = ET.ElementTree(root)
    ET.indent(tree)
    path.parent.mkdir(parents=True, exist_ok=True)
    tree.write(path, encoding="utf-8", xml_declaration=True)
