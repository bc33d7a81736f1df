"""The readable summary, written line by line at the end of a run."""

from __future__ import annotations

from collections.abc import Callable

from symbl_conformance.results import Failure, RunReport, Source, Verdict

__all__ = ["write_text"]

_MAX_MESSAGE_LINES = 12
_SHOWN = {
    Verdict.PASSED: "passed",
    Verdict.FAILED: "FAILED",
    Verdict.INCONCLUSIVE: "inconclusive",
    Verdict.SKIPPED: "skipped",
    Verdict.ERROR: "ERROR",
}


def _indent(text: str, prefix: str) -> str:
    lines = text.strip().splitlines()
    if len(lines) > _MAX_MESSAGE_LINES:
        lines = [*lines[:_MAX_MESSAGE_LINES], f"… ({len(lines) - _MAX_MESSAGE_LINES} more lines)"]
    return "\n".join(prefix + line for line in lines)


def _failure_block(number: int, failure: Failure) -> list[str]:
    where = f" {failure.operation}" if failure.operation else ""
    lines = [f"  {number}. [{failure.check}]{where}: {failure.title}"]
    if failure.message.strip():
        lines.append(_indent(failure.message, "       "))
    if failure.curl:
        lines.append("     Reproduce with:")
        lines.append(_indent(failure.curl, "       "))
    return lines


def write_text(report: RunReport, write: Callable[[str], None]) -> None:
    write("")
    write("Operations (schemathesis)")
    width = max((len(label) for label in report.cases_per_operation), default=10)
    for label in sorted(report.cases_per_operation):
        failed = report.failures_per_operation[label]
        verdict = "ok" if not failed else f"{failed} failing check results"
        write(f"  {label:<{width}}  {report.cases_per_operation[label]:>6} cases  {verdict}")
    if not report.cases_per_operation:
        write("  (no cases run)")
    write("")
    write("Checks")
    width = max([len(check.name) for check in report.checks] + [10])
    for check in report.checks:
        source = " (schemathesis)" if check.source is Source.SCHEMATHESIS else ""
        write(f"  {check.name:<{width}}  {_SHOWN[check.verdict]:<12}  {check.detail}{source}")
    failures = report.all_failures()
    if failures:
        write("")
        write(f"Failures ({len(failures)} distinct)")
        for number, failure in enumerate(failures, 1):
            for line in _failure_block(number, failure):
                write(line)
    if report.errors:
        write("")
        write(f"Errors ({len(report.errors)})")
        for error in report.errors:
            write(_indent(f"[{error.kind}] {error.message}", "  "))
            if error.curl:
                write("     Reproduce with:")
                write(_indent(error.curl, "       "))
    for note in report.notes:
        write(f"Note: {note}")
    write("")
    if report.failing_checks:
        write(f"RESULT: FAILED — failing checks: {', '.join(report.failing_checks)}")
    elif report.failed:  # no check failed, but the run did not finish, or broke
        why = "the run did not finish" if report.interrupted else "the run had errors"
        write(f"RESULT: FAILED — {why}; no check failed before")
    else:
        write("RESULT: PASSED — no check failed")
    if report.interrupted:
        write(f"  stopped early: {report.interrupted}")
    inconclusive = report.by_verdict(Verdict.INCONCLUSIVE)
    if inconclusive:
        write(f"  inconclusive (proved nothing either way): {', '.join(inconclusive)}")
    if report.auth.refused:
        write(f"  {report.auth.refused} of {report.auth.requests} requests with valid credentials were refused (401)")
    rate = report.cases / report.schemathesis_seconds if report.schemathesis_seconds > 0 else 0.0
    write(
        f"  {report.cases} cases in {report.schemathesis_seconds:.1f}s ({rate:.1f} cases/s); "
        f"semantic checks {report.semantic_seconds:.1f}s; total {report.total_seconds:.1f}s"
    )
    write(f"  reproduce with --seed {report.seed}")
