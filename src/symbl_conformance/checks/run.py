"""Running the semantic checks: skip what the run cannot give a check, run the rest, turn what each found into a
``CheckResult``. The one place where a check's needs become skips and its judgement a verdict."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import replace

from symbl_conformance.checks.base import Need, SemanticCheck, Unavailable
from symbl_conformance.checks.context import CheckContext
from symbl_conformance.http import ServerTrouble
from symbl_conformance.results import CheckResult, Source, Verdict, describe_exception

__all__ = ["run_checks"]


def _result(check: SemanticCheck, verdict: Verdict, detail: str, started: float) -> CheckResult:
    return CheckResult(
        check.name, Source.SEMANTIC, verdict, detail, seconds=time.perf_counter() - started, proves=check.proves
    )


def _run_one(check: SemanticCheck, ctx: CheckContext) -> CheckResult:
    started = time.perf_counter()
    try:
        judgement = check.judge(ctx)
    except Unavailable as unavailable:
        return _result(check, unavailable.verdict, unavailable.reason, started)
    except ServerTrouble as trouble:
        return _result(check, Verdict.ERROR, str(trouble), started)
    except Exception as error:  # a bug in the check: reported as its error, the other checks still run
        return _result(check, Verdict.ERROR, f"internal error: {describe_exception(error)}", started)
    result = _result(check, judgement.verdict, judgement.summary, started)
    result.passed = judgement.passed
    result.failed = judgement.failed_count
    result.failures = [replace(failure, check=check.name) for failure in judgement.failures]
    return result


def run_checks(
    checks: Iterable[SemanticCheck],
    ctx: CheckContext,
    unmet: Mapping[Need, str],
    progress: Callable[[str], None],
) -> Iterator[CheckResult]:
    """Every check, in order, each result as soon as it is known (a run stopped by Ctrl-C keeps those before):
    skipped when one of its needs is unmet (with that need's reason), not run once the server is gone (an error,
    with why), otherwise judged."""
    for check in checks:
        missing = [unmet[need] for need in Need if need in check.needs and need in unmet]
        if missing:
            yield _result(check, Verdict.SKIPPED, missing[0], time.perf_counter())
            continue
        if ctx.session.gone is not None:
            yield _result(check, Verdict.ERROR, f"not run: {ctx.session.gone}", time.perf_counter())
            continue
        progress(f"  {check.name} …")
        yield _run_one(check, ctx)
