"""The readable summary and the JUnit XML report."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path

from symbl_conformance.results import CheckStatus, FailureRecord, RunResults

__all__ = ["render_summary", "write_junit"]

_MAX_MESSAGE_LINES = 12


def _indent(text: str, prefix: str) -> str:
    lines = text.strip().splitlines()
    if len(lines) > _MAX_MESSAGE_LINES:
        lines = [*lines[:_MAX_MESSAGE_LINES], f"… ({len(lines) - _MAX_MESSAGE_LINES} more lines)"]
    return "\n".join(prefix + line for line in lines)


def _failure_block(number: int, failure: FailureRecord) -> list[str]:
    where = f" {failure.operation}" if failure.operation else ""
    lines = [f"  {number}. [{failure.check}]{where}: {failure.title}"]
    if failure.message.strip():
        lines.append(_indent(failure.message, "       "))
    if failure.curl:
        lines.append("     Reproduce with:")
        lines.append(_indent(failure.curl, "       "))
    return lines


def render_summary(results: RunResults, write: Callable[[str], None]) -> None:
    write("")
    write("Operations (schemathesis)")
    width = max((len(label) for label in results.cases_per_operation), default=10)
    for label in sorted(results.cases_per_operation):
        cases = results.cases_per_operation[label]
        failed = results.operation_failures[label]
        verdict = "ok" if not failed else f"{failed} failing check results"
        write(f"  {label:<{width}}  {cases:>6} cases  {verdict}")
    if not results.cases_per_operation:
        write("  (no cases run)")
    write("")
    write("Checks")
    names = sorted(set(results.check_passes) | set(results.check_failures))
    width = max([len(name) for name in names] + [len(o.check) for o in results.semantic] + [10])
    for name in names:
        failed = results.check_failures[name]
        status = "FAILED" if failed else "passed"
        write(f"  {name:<{width}}  {status:<7}  {results.check_passes[name]} passed, {failed} failed (schemathesis)")
    for outcome in results.semantic:
        status = {
            CheckStatus.PASSED: "passed",
            CheckStatus.FAILED: "FAILED",
            CheckStatus.SKIPPED: "skipped",
            CheckStatus.ERROR: "ERROR",
        }[outcome.status]
        write(f"  {outcome.check:<{width}}  {status:<7}  {outcome.detail}")
    failures = results.all_failures()
    if failures:
        write("")
        write(f"Failures ({len(failures)} distinct)")
        for number, failure in enumerate(failures, 1):
            for line in _failure_block(number, failure):
                write(line)
    if results.errors:
        write("")
        write(f"Errors ({len(results.errors)})")
        for error in results.errors:
            write(_indent(error, "  "))
    write("")
    rate = results.cases / results.schemathesis_seconds if results.schemathesis_seconds > 0 else 0.0
    timing = (
        f"{results.cases} cases in {results.schemathesis_seconds:.1f}s ({rate:.1f} cases/s); "
        f"semantic checks {results.semantic_seconds:.1f}s; total {results.total_seconds:.1f}s"
    )
    if results.failed:
        failing = ", ".join(results.failing_checks) or "errors during the run"
        write(f"RESULT: FAILED — failing checks: {failing}")
    else:
        write("RESULT: PASSED — no check failed")
    write(f"  {timing}")
    write(f"  reproduce with --seed {results.seed}")


def write_junit(results: RunResults, path: Path) -> None:
    """One suite for schemathesis (a test case per operation and check), one for the semantic checks."""
    root = ET.Element("testsuites", name="symbl-conformance")
    suite = ET.SubElement(root, "testsuite", name="schemathesis")
    by_key: dict[tuple[str, str], list[FailureRecord]] = {}
    for failure in results.failures:
        by_key.setdefault((failure.operation, failure.check), []).append(failure)
    tests = failures = 0
    names = sorted(set(results.check_passes) | set(results.check_failures))
    operations = sorted(results.cases_per_operation) or [""]
    keys = sorted({(op, name) for op in operations for name in names} | set(by_key))
    for operation, check in keys:
        tests += 1
        case = ET.SubElement(suite, "testcase", classname=operation or "schemathesis", name=check)
        found = by_key.get((operation, check), [])
        if found:
            failures += 1
            element = ET.SubElement(case, "failure", message=found[0].title, type=check)
            element.text = "\n\n".join(f"{f.title}\n{f.message}\n{f.curl or ''}".strip() for f in found)
    errors = 0
    for message in results.errors:
        tests += 1
        errors += 1
        case = ET.SubElement(suite, "testcase", classname="schemathesis", name="error")
        ET.SubElement(case, "error", message=message.splitlines()[0] if message else "error").text = message
    suite.set("tests", str(tests))
    suite.set("failures", str(failures))
    suite.set("errors", str(errors))
    suite.set("time", f"{results.schemathesis_seconds:.3f}")
    semantic = ET.SubElement(root, "testsuite", name="semantic")
    s_failures = s_errors = s_skipped = 0
    for outcome in results.semantic:
        case = ET.SubElement(
            semantic, "testcase", classname="semantic", name=outcome.check, time=f"{outcome.elapsed:.3f}"
        )
        if outcome.status == CheckStatus.FAILED:
            s_failures += 1
            element = ET.SubElement(case, "failure", message=outcome.detail, type=outcome.check)
            element.text = "\n\n".join(f"{f.title}\n{f.message}\n{f.curl or ''}".strip() for f in outcome.failures)
        elif outcome.status == CheckStatus.ERROR:
            s_errors += 1
            ET.SubElement(case, "error", message=outcome.detail)
        elif outcome.status == CheckStatus.SKIPPED:
            s_skipped += 1
            ET.SubElement(case, "skipped", message=outcome.detail)
    semantic.set("tests", str(len(results.semantic)))
    semantic.set("failures", str(s_failures))
    semantic.set("errors", str(s_errors))
    semantic.set("skipped", str(s_skipped))
    semantic.set("time", f"{results.semantic_seconds:.3f}")
    root.set("tests", str(tests + len(results.semantic)))
    root.set("failures", str(failures + s_failures))
    root.set("errors", str(errors + s_errors))
    root.set("time", f"{results.total_seconds:.3f}")
    tree = ET.ElementTree(root)
    ET.indent(tree)
    path.parent.mkdir(parents=True, exist_ok=True)
    tree.write(path, encoding="utf-8", xml_declaration=True)
