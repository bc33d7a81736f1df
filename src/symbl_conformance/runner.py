"""Schemathesis, driven through its engine: all checks, the chosen phases, reproducible from a seed.

The configuration is built as the dictionary a ``schemathesis.toml`` would hold, so that the benchmark can
hand exactly the same settings to a bare ``schemathesis run`` (``--config-file``). On top of it, a run gets
the run's credentials through schemathesis' auth extension point (one provider, shared with the semantic
checks: a token renewed before it expires), and every answer to a request that carried one is counted.

- Keep going: ``continue-on-failure``, so that every distinct failure is found. ``--max-failures N`` stops the
  phase once N *distinct* failures are known (schemathesis' own setting counts failing scenarios instead).
- Documented refusals are not wrong answers: a documented 4xx that does not say "your data is invalid"
  (413, 429, …) is accepted by ``positive_data_acceptance``, and every documented 4xx by
  ``negative_data_rejection``.
- A server that goes away is schemathesis' own verdict (``ServerUnavailable``); one that stops answering is
  ours: after ``UNANSWERED_LIMIT`` requests in a row without an answer the phase stops, and says so.
"""

from __future__ import annotations

import signal
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from types import FrameType
from typing import Any

import schemathesis
from schemathesis.config._checks import (
    NEGATIVE_DATA_REJECTION_EXPECTED_STATUSES,
    POSITIVE_DATA_ACCEPTANCE_EXPECTED_STATUSES,
)
from schemathesis.engine import events, from_schema
from schemathesis.engine.errors import ServerUnavailable
from schemathesis.engine.recorder import ScenarioRecorder
from schemathesis.hooks import GLOBAL_HOOK_DISPATCHER
from schemathesis.schemas import BaseSchema

from symbl_conformance.credentials import Credentials, schemathesis_provider
from symbl_conformance.options import ALL_PHASES, ConformanceOptions
from symbl_conformance.results import CheckResult, Failure, RunError, Source, Verdict
from symbl_conformance.spec import ApiFacts, facts
from symbl_spec import spec_path

__all__ = [
    "RunnerSettings",
    "SchemathesisTally",
    "load_schema",
    "run_schemathesis",
    "schemathesis_config",
    "static_auth_config",
]

Progress = Callable[[str], None]

UNANSWERED_LIMIT = 5
"""Requests in a row without an answer (timeouts, resets) after which the server is taken to have stopped
answering and the schemathesis phase ends."""
_INVALID_INPUT = frozenset({400, 415, 422})
"""Documented statuses that say the request broke the document: never an answer to valid data."""


@dataclass(frozen=True, slots=True)
class RunnerSettings:
    base_url: str
    credentials: Credentials | None
    """The run's credentials; ``None`` sends none (schemathesis then makes up invalid ones)."""
    max_examples: int
    phases: tuple[str, ...]
    seed: int
    request_timeout: float
    max_failures: int | None
    rate_limit: str | None = None
    operation_ids: tuple[str, ...] | None = None
    """Only these operations; ``None`` for all."""

    @classmethod
    def from_options(
        cls, options: ConformanceOptions, base_url: str, credentials: Credentials | None, seed: int
    ) -> RunnerSettings:
        """A run's settings for all operations against ``base_url``: the rest from ``options``."""
        return cls(
            base_url=base_url,
            credentials=credentials,
            max_examples=options.max_examples,
            phases=options.phases,
            seed=seed,
            request_timeout=options.request_timeout,
            max_failures=options.max_failures,
            rate_limit=options.rate_limit,
        )


@dataclass(slots=True)
class SchemathesisTally:
    """What the schemathesis runs of one conformance run saw, until it becomes check results."""

    cases: int = 0
    cases_per_operation: Counter[str] = field(default_factory=Counter)
    failures_per_operation: Counter[str] = field(default_factory=Counter)
    statuses: Counter[int] = field(default_factory=Counter)
    """Answers by status code."""
    passes: Counter[str] = field(default_factory=Counter)
    fails: Counter[str] = field(default_factory=Counter)
    failures: list[Failure] = field(default_factory=list)
    errors: list[RunError] = field(default_factory=list)
    gone: str | None = None
    """Why the server is taken to be gone (it refuses connections), if it is."""
    unresponsive: str | None = None
    """Why the server is taken to have stopped answering (requests time out), if it has."""
    notes: list[str] = field(default_factory=list)
    interrupted: bool = False
    """A Ctrl-C came during the phase (schemathesis' own Interrupted event also follows our stops: not used)."""
    seconds: float = 0.0
    _seen: set[tuple[str, str, str]] = field(default_factory=set)

    def check_results(self) -> list[CheckResult]:
        results = []
        for name in sorted(set(self.passes) | set(self.fails)):
            found = [failure for failure in self.failures if failure.check == name]
            verdict = Verdict.FAILED if found else Verdict.PASSED
            detail = f"{self.passes[name]} passed, {self.fails[name]} failed"
            results.append(
                CheckResult(name, Source.SCHEMATHESIS, verdict, detail, self.passes[name], self.fails[name], found)
            )
        for failure in self.failures:  # failures of the run as a whole (``after_run``), not of a check result
            if failure.check not in self.passes and failure.check not in self.fails:
                results.append(CheckResult(failure.check, Source.SCHEMATHESIS, Verdict.FAILED, failure.title))
                results[-1].failures.append(failure)
        return results


def _expected(defaults: list[str], extra: set[int]) -> list[str]:
    return [*defaults, *sorted(str(status) for status in extra if str(status) not in defaults)]


def schemathesis_config(settings: RunnerSettings, api: ApiFacts | None = None) -> dict[str, Any]:
    """The run's configuration, in ``schemathesis.toml`` form (credentials are added by ``run_schemathesis``)."""
    api = api or facts()
    documented_4xx = {s for op in api.operations.values() for s in op.statuses if 400 <= s < 500}
    config: dict[str, Any] = {
        "base-url": settings.base_url,
        "seed": settings.seed,
        "workers": 1,
        "request-timeout": settings.request_timeout,
        "continue-on-failure": True,
        "checks": {
            "enabled": True,
            "positive_data_acceptance": {
                "expected-statuses": _expected(
                    POSITIVE_DATA_ACCEPTANCE_EXPECTED_STATUSES, documented_4xx - _INVALID_INPUT
                )
            },
            "negative_data_rejection": {
                "expected-statuses": _expected(NEGATIVE_DATA_REJECTION_EXPECTED_STATUSES, documented_4xx)
            },
        },
        "generation": {"max-examples": settings.max_examples, "database": "none"},
        "phases": {phase: {"enabled": phase in settings.phases} for phase in ALL_PHASES},
    }
    if settings.rate_limit:
        config["rate-limit"] = settings.rate_limit
    return config


def static_auth_config(token: str, api: ApiFacts | None = None) -> dict[str, Any]:
    """A fixed token for every security scheme, in ``schemathesis.toml`` form (for a bare schemathesis run)."""
    api = api or facts()
    schemes = {
        name: {"bearer": token} if scheme.bearer else {"api_key": token}
        for name, scheme in api.spec.security_schemes.items()
    }
    return {"auth": {"openapi": schemes}}


def _label(api: ApiFacts, method: str, path: str) -> str:
    operation = api.spec.operation_at(method, path)
    return operation.label if operation is not None else f"{method.upper()} {path}"


def _absorb(tally: SchemathesisTally, recorder: ScenarioRecorder, credentials: Credentials | None) -> None:
    """Add a scenario's cases and check results, and count the answers to requests that carried credentials."""
    api = facts()
    for case_id, interaction in recorder.interactions.items():
        if interaction.response is None:
            continue
        tally.statuses[interaction.response.status_code] += 1
        node = recorder.cases.get(case_id)
        if credentials is None or node is None:
            continue
        operation = api.spec.operation_at(interaction.request.method, node.value.operation.path)
        if operation is not None and operation.needs_auth:
            request = interaction.request
            credentials.observe_headers(
                request.headers, interaction.response.status_code, (request.method, request.uri)
            )
    for case_id, node in recorder.cases.items():
        case = node.value
        label = _label(api, case.method, case.operation.path)
        tally.cases += 1
        tally.cases_per_operation[label] += 1
        for check in recorder.checks.get(case_id, []):
            info = check.failure_info
            if info is None:
                if check.status == "success":
                    tally.passes[check.name] += 1
                continue
            tally.fails[check.name] += 1
            tally.failures_per_operation[label] += 1
            key = (check.name, label, info.failure.title)
            if key not in tally._seen:
                tally._seen.add(key)
                tally.failures.append(
                    Failure(check.name, label, info.failure.title, info.failure.message, info.code_sample)
                )


def load_schema(settings: RunnerSettings) -> BaseSchema:
    """The document as schemathesis sees it for this run: its configuration and the run's credentials."""
    config = schemathesis.Config.from_dict(schemathesis_config(settings))
    schema: BaseSchema = schemathesis.openapi.from_path(spec_path(), config=config)
    if settings.operation_ids is not None:
        schema = schema.include(operation_id=list(settings.operation_ids))
    if settings.credentials is not None:
        schema.auth(refresh_interval=None)(schemathesis_provider(settings.credentials))
    return schema


class _Watchdog:
    """Hooks on every request schemathesis sends: the current token put in as it goes out, and the engine stopped
    once ``UNANSWERED_LIMIT`` requests in a row got no answer.

    Schemathesis reports a request without an answer only when the operation's test ends, and hypothesis may
    first shrink the failing example, one request timeout per attempt, for as long as the server hangs: the
    run must be stopped from the requests themselves."""

    def __init__(self, tally: SchemathesisTally, timeout: float, credentials: Credentials | None) -> None:
        self.tally = tally
        self.timeout = timeout
        self.credentials = credentials
        self.unanswered = 0
        self.stop: Callable[[], None] = lambda: None

    def sending(self, context: Any, case: Any, kwargs: dict[str, Any]) -> None:
        """The token current when the request goes out, not when it was generated."""
        if self.credentials is not None and isinstance(case.headers, dict):
            self.credentials.refresh_headers(case.headers)

    def answered(self, context: Any, case: Any, response: Any) -> None:
        self.unanswered = 0

    def unanswered_request(self, context: Any, case: Any, request: Any) -> None:
        self.unanswered += 1
        if self.unanswered >= UNANSWERED_LIMIT and self.tally.unresponsive is None:
            self.tally.unresponsive = (
                f"the server stopped answering: {self.unanswered} requests in a row got no answer "
                f"within {self.timeout:g}s"
            )
            self.tally.errors.append(RunError("server", self.tally.unresponsive + "; the schemathesis phase stopped"))
            self.stop()

    def interrupt(self, signum: int, frame: FrameType | None) -> None:
        """Ctrl-C: stop the engine and remember it (schemathesis may take the KeyboardInterrupt for the end of
        one phase and go on with the next)."""
        self.tally.interrupted = True
        self.stop()

    @contextmanager
    def watching(self) -> Iterator[None]:
        hooks = {
            "before_call": self.sending,
            "after_call": self.answered,
            "after_network_error": self.unanswered_request,
        }
        for name, hook in hooks.items():
            GLOBAL_HOOK_DISPATCHER.register_hook_with_name(hook, name)
        main = threading.current_thread() is threading.main_thread()
        previous = signal.signal(signal.SIGINT, self.interrupt) if main else None
        try:
            yield
        finally:
            if main:
                signal.signal(signal.SIGINT, previous)
            for hook in hooks.values():
                GLOBAL_HOOK_DISPATCHER.unregister(hook)


def run_schemathesis(settings: RunnerSettings, tally: SchemathesisTally, progress: Progress) -> None:
    """Run schemathesis and add what it found to ``tally``; never raises for what the server does."""
    schema = load_schema(settings)
    started = time.perf_counter()
    last_report = started
    phase_cases = 0
    watchdog = _Watchdog(tally, settings.request_timeout, settings.credentials)
    stream = from_schema(schema).execute()
    watchdog.stop = stream.stop
    with watchdog.watching():
        for event in stream:
            if isinstance(event, events.ScenarioFinished):
                before = tally.cases
                _absorb(tally, event.recorder, settings.credentials)
                phase_cases += tally.cases - before
                if settings.max_failures is not None and len(tally.failures) >= settings.max_failures:
                    if not tally.notes:
                        tally.notes.append(
                            f"schemathesis stopped at --max-failures {settings.max_failures}: "
                            "later failures were not looked for"
                        )
                    stream.stop()
                now = time.perf_counter()
                if now - last_report >= 2.0:
                    last_report = now
                    progress(f"  … {tally.cases} cases, {len(tally.failures)} distinct failures")
            elif isinstance(event, events.PhaseStarted) and event.phase.name.value in ALL_PHASES:
                phase_cases = 0
                progress(f"  phase {event.phase.name.value} …")
            elif isinstance(event, events.PhaseFinished) and event.phase.name.value in ALL_PHASES:
                progress(f"  phase {event.phase.name.value}: {phase_cases} cases ({event.status.value})")
            elif isinstance(event, events.NonFatalError):
                _non_fatal(tally, event)
            elif isinstance(event, events.FatalError):
                tally.errors.append(RunError("schemathesis", f"schemathesis stopped: {event.exception}"))
            elif isinstance(event, events.EngineFinished):
                _finished(tally, event)
    tally.seconds += time.perf_counter() - started


def _non_fatal(tally: SchemathesisTally, event: events.NonFatalError) -> None:
    if isinstance(event.value, ServerUnavailable):
        tally.gone = "the server went away during the schemathesis phase (connections refused)"
        tally.errors.append(RunError("server", str(event.value)))
    else:
        message = f"{event.label}: {event.info.title}: {event.info.message}".strip()
        tally.errors.append(RunError("schemathesis", message, event.info.code_sample))


def _finished(tally: SchemathesisTally, event: events.EngineFinished) -> None:
    for failure in getattr(event, "failures", ()):
        tally.failures.append(Failure("after_run", failure.operation or "", failure.title, failure.message, None))
