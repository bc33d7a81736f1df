"""One conformance run: decide the mode, make the target ready, run schemathesis, then the semantic checks, and
report — always. Once the target is ready nothing the server does (dying, hanging, refusing) stops the reports
from being written: what was seen is reported and the exit code is 1. Exit 2 is for usage errors only."""

from __future__ import annotations

import datetime
import random
import signal
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import asdict, replace
from types import FrameType

import schemathesis

from symbl_conformance.checks import CHECKS, CheckContext, LimitTarget, Need, SemanticSettings, run_checks
from symbl_conformance.credentials import Credentials
from symbl_conformance.embedded import limit_config
from symbl_conformance.http import Session
from symbl_conformance.options import ConformanceOptions, UsageError
from symbl_conformance.receiver import WebhookReceiver
from symbl_conformance.reports import write_json, write_junit, write_text
from symbl_conformance.results import CheckResult, RunError, RunReport, describe_exception
from symbl_conformance.runner import RunnerSettings, SchemathesisTally, run_schemathesis
from symbl_conformance.safety import SAFE_MODE_CREATES_NO_JOB, Mode, ModeDecision, decide_mode
from symbl_conformance.spec import facts
from symbl_conformance.target import Target, embedded_mock, open_target, validate_options, webhook_receiver
from symbl_conformance.webhook_urls import DISCARD_URL, rewriting_webhook_urls
from symbl_spec import spec_path

__all__ = [
    "generated_webhook_target",
    "operation_groups",
    "run_conformance",
    "semantic_checks",
    "semantic_context",
    "unmet_needs",
]

Write = Callable[[str], None]


def _min_interval(rate_limit: str | None) -> float:
    if not rate_limit:
        return 0.0
    count, unit = rate_limit.split("/")
    return {"s": 1.0, "m": 60.0, "h": 3600.0}[unit] / int(count)


def operation_groups() -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
    """Operation IDs: read-only with credentials, job-creating with credentials, and those without security.

    Safe mode sends the first group with credentials and the second without (the spec says 401).
    """
    api = facts()
    read_only = tuple(op.operation_id for op in api.operations.values() if op.method == "get" and op.needs_auth)
    creating = tuple(op.operation_id for op in api.operations.values() if op.method != "get" and op.needs_auth)
    public = tuple(op.operation_id for op in api.operations.values() if not op.needs_auth)
    return read_only, creating, public


def unmet_needs(
    options: ConformanceOptions, decision: ModeDecision, receiver_reason: str, other: bool
) -> dict[Need, str]:
    """The needs this run cannot meet, each with the reason the checks that have it are skipped."""
    unmet: dict[Need, str] = {}
    if not decision.side_effects:
        unmet[Need.JOBS] = SAFE_MODE_CREATES_NO_JOB
        unmet[Need.SCENARIO] = unmet[Need.JOBS]
    if receiver_reason:
        unmet[Need.WEBHOOKS] = receiver_reason
    if not (decision.limit_check or options.concurrency_limit is not None):
        unmet[Need.LIMIT] = "creates jobs until the limit: only with --allow-side-effects or --concurrency-limit N"
    if not other:
        unmet[Need.OTHER_ACCOUNT] = "needs a second account: --other-token, or --other-app-id and --other-app-secret"
    return unmet


def semantic_context(
    options: ConformanceOptions,
    decision: ModeDecision,
    target: Target,
    receiver: WebhookReceiver | None,
    stack: ExitStack,
) -> CheckContext:
    """The semantic checks' context for a run against ``target`` (its sessions closed by ``stack``)."""
    interval = _min_interval(options.rate_limit)

    def session(url: str, credentials: Credentials) -> Session:
        made = Session(url, credentials, request_timeout=options.request_timeout, min_interval=interval)
        stack.callback(made.close)
        return made

    main = session(target.url, target.credentials)
    settings = SemanticSettings(
        job_timeout=options.job_timeout,
        poll_interval=options.poll_interval_for(decision.on_loopback(target.url)),
        webhook_timeout=options.webhook_timeout,
        concurrency_limit=options.concurrency_limit,
        max_limit_jobs=options.max_limit_jobs,
    )

    @contextmanager
    def limit_target() -> Iterator[LimitTarget]:
        if target.embedded_token is None:
            yield LimitTarget(main, options.concurrency_limit)
            return
        # Embedded mode: a small mock of its own (the run's mock is never full), whose promised limit is known.
        config = limit_config(target.embedded_token)
        with embedded_mock(config) as url, ExitStack() as inner:
            small = Session(url, target.credentials, request_timeout=options.request_timeout)
            inner.callback(small.close)
            yield LimitTarget(small, config.concurrency_limit)

    other = session(target.url, target.other) if target.other is not None else None
    return CheckContext(facts(), main, settings, receiver, limit_target, other)


def semantic_checks(
    options: ConformanceOptions,
    decision: ModeDecision,
    target: Target,
    webhooks: tuple[WebhookReceiver | None, str],
    stack: ExitStack,
    say: Write,
    gone: str | None = None,
) -> Iterator[CheckResult]:
    """The semantic phase: every check's result, each as soon as it is known. ``webhooks`` is the receiver (or
    ``None``) and why there is none (``webhook_receiver``'s answer); ``gone`` is why the server is already known
    to be gone (then no check is run)."""
    receiver, receiver_reason = webhooks
    ctx = semantic_context(options, decision, target, receiver, stack)
    ctx.session.gone = gone
    unmet = unmet_needs(options, decision, receiver_reason, target.other is not None)
    yield from run_checks(CHECKS, ctx, unmet, say)


def _settings(options: ConformanceOptions) -> dict[str, object]:
    shown = asdict(options)
    for secret in ("token", "app_secret", "other_token", "other_app_secret"):
        shown[secret] = None if shown[secret] is None else "***"
    shown["phases"] = list(options.phases)
    for path in ("junit_xml", "report_json"):
        shown[path] = None if shown[path] is None else str(shown[path])
    return shown


def _header(write: Write, report: RunReport, options: ConformanceOptions) -> None:
    write(f"symbl-conformance — {spec_path().name}, schemathesis {schemathesis.__version__}")
    write(f"Mode: {report.mode.upper()} — {report.mode_reason}")
    write(f"Target: {report.base_url}")
    write(f"Seed: {report.seed}   max-examples: {options.max_examples}   phases: {','.join(options.phases)}")
    if options.rate_limit:
        write(f"Rate limit: {options.rate_limit}")


def generated_webhook_target(decision: ModeDecision, receiver: WebhookReceiver | None) -> str | None:
    """Where the webhook URLs of generated data are pointed: nowhere new for the embedded mock (it delivers only to
    loopback), else the receiver's sink, or a loopback discard address when the run has no receiver."""
    if decision.mode is Mode.EMBEDDED:
        return None
    return receiver.generated_url if receiver is not None else DISCARD_URL


def _schemathesis_phase(
    options: ConformanceOptions, decision: ModeDecision, target: Target, seed: int, tally: SchemathesisTally, say: Write
) -> None:
    base = RunnerSettings.from_options(options, target.url, target.credentials, seed)
    if decision.side_effects:
        say("[schemathesis] all operations, all checks")
        run_schemathesis(base, tally, say)
        return
    read_only, creating, _public = operation_groups()
    say(f"[schemathesis] safe mode: {', '.join(read_only)} with credentials")
    # The read-only operations link nowhere: no stateful phase for them (schemathesis would report an error).
    stateless = tuple(phase for phase in base.phases if phase != "stateful")
    if stateless:
        run_schemathesis(replace(base, operation_ids=read_only, phases=stateless), tally, say)
    if tally.gone is None and tally.unresponsive is None:
        say(f"[schemathesis] safe mode: {', '.join(creating)} without valid credentials (all must be rejected)")
        run_schemathesis(replace(base, credentials=None, operation_ids=creating), tally, say)


def _internal_error(report: RunReport, where: str, error: Exception) -> None:
    report.errors.append(RunError("internal", f"{where}: {describe_exception(error)}"))


class _CtrlC:
    """The first Ctrl-C stops the run; those that follow, or come once it is finishing, are ignored, so that the
    reports are still written (and the embedded mock still stopped)."""

    def __init__(self) -> None:
        self.ignoring = False

    def handler(self, signum: int, frame: FrameType | None) -> None:
        if not self.ignoring:
            self.ignoring = True
            raise KeyboardInterrupt

    @contextmanager
    def installed(self) -> Iterator[None]:
        if threading.current_thread() is not threading.main_thread():
            yield
            return
        previous = signal.signal(signal.SIGINT, self.handler)  # the runner's own, while schemathesis runs, is above it
        try:
            yield
        finally:
            signal.signal(signal.SIGINT, previous)


def run_conformance(options: ConformanceOptions, write: Write) -> int:
    """Run everything and write every report asked for; the exit code (0 passed, 1 failed, 130 interrupted).
    Raises UsageError (exit 2) for usage errors, before anything is checked."""
    started = time.perf_counter()
    validate_options(options)
    base_url = options.base_url.rstrip("/") if options.base_url is not None else None
    decision = decide_mode(base_url, allow_side_effects=options.allow_side_effects, force_safe=options.force_safe)
    seed = options.seed if options.seed is not None else random.SystemRandom().randrange(2**31)
    say: Write = (lambda _line: None) if options.quiet else write
    interrupted = False
    ctrl_c = _CtrlC()
    with ctrl_c.installed(), ExitStack() as stack:
        target = open_target(stack, options, decision)
        webhooks = webhook_receiver(stack, decision, target.url, options) if options.semantic else (None, "")
        receiver, _reason = webhooks
        report = RunReport(
            mode=decision.mode.value,
            mode_reason=decision.reason,
            base_url=target.url,
            seed=seed,
            settings=_settings(options),
            started_at=datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        )
        _header(write, report, options)
        tally = SchemathesisTally()
        try:
            try:
                with rewriting_webhook_urls(generated_webhook_target(decision, receiver)):
                    _schemathesis_phase(options, decision, target, seed, tally, say)
            except Exception as error:
                _internal_error(report, "the schemathesis phase", error)
            if tally.interrupted:  # the runner took the Ctrl-C (it stops schemathesis' engine)
                ctrl_c.ignoring = True
                raise KeyboardInterrupt
            if options.semantic:
                semantic_started = time.perf_counter()
                say("[semantic] checks schemathesis cannot express")
                try:
                    for result in semantic_checks(options, decision, target, webhooks, stack, say, tally.gone):
                        report.checks.append(result)  # one by one: a Ctrl-C keeps those finished
                except Exception as error:
                    _internal_error(report, "the semantic checks", error)
                report.semantic_seconds = time.perf_counter() - semantic_started
        except KeyboardInterrupt:
            interrupted = True
            report.interrupted = "interrupted (Ctrl-C)"
        finally:
            ctrl_c.ignoring = True
            _complete(report, tally, target)
            report.total_seconds = time.perf_counter() - started
        _write_reports(report, options, write)
    return 130 if interrupted else report.exit_code


def _complete(report: RunReport, tally: SchemathesisTally, target: Target) -> None:
    report.cases = tally.cases
    report.cases_per_operation = tally.cases_per_operation
    report.failures_per_operation = tally.failures_per_operation
    report.statuses = tally.statuses
    report.schemathesis_seconds = tally.seconds
    report.checks[:0] = [*tally.check_results(), target.credentials.check_result()]
    report.errors[:0] = tally.errors
    report.notes.extend(tally.notes)
    report.auth = target.credentials.stats
    stopped = tally.gone or tally.unresponsive
    if stopped is not None and report.interrupted is None:
        report.interrupted = stopped


def _write_reports(report: RunReport, options: ConformanceOptions, write: Write) -> None:
    write_text(report, write)
    failed: list[str] = []
    for path, writer, name in (
        (options.junit_xml, write_junit, "JUnit XML"),
        (options.report_json, write_json, "JSON"),
    ):
        if path is None:
            continue
        try:
            writer(report, path)
        except OSError as error:  # the other report is still written
            failed.append(f"cannot write the {name} report {path}: {error.strerror or error}")
            continue
        write(f"{name} report written to {path}")
    if failed:
        raise UsageError("; ".join(failed))
