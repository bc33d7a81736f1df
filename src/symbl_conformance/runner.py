"""Schemathesis, driven through its engine: all checks, the chosen phases, reproducible from a seed.

The configuration is built as the dictionary a ``schemathesis.toml`` would hold, so that the benchmark
can hand exactly the same settings to a bare ``schemathesis run`` (``--config-file``).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import schemathesis
from schemathesis.engine import events, from_schema
from schemathesis.engine.recorder import ScenarioRecorder
from schemathesis.schemas import BaseSchema

from symbl_conformance.results import FailureRecord, RunResults
from symbl_conformance.spec import ApiFacts, facts
from symbl_spec import spec_path

__all__ = ["ALL_PHASES", "RunnerSettings", "run_schemathesis", "schemathesis_config"]

ALL_PHASES = ("examples", "coverage", "fuzzing", "stateful")

Progress = Callable[[str], None]


@dataclass(frozen=True, slots=True)
class RunnerSettings:
    base_url: str
    token: str | None
    """Valid credentials; ``None`` sends none (schemathesis then makes up invalid ones)."""
    max_examples: int
    phases: tuple[str, ...]
    seed: int
    rate_limit: str | None = None
    request_timeout: float = 10.0
    operation_ids: tuple[str, ...] | None = None
    """Only these operations; ``None`` for all."""


def _credential_schemes(api: ApiFacts, token: str) -> dict[str, dict[str, str]]:
    """The document's security schemes, each given the token in the form it expects."""
    return {
        name: {"bearer": token} if scheme.bearer else {"api_key": token}
        for name, scheme in api.spec.security_schemes.items()
    }


def schemathesis_config(settings: RunnerSettings) -> dict[str, Any]:
    """The run's configuration, in ``schemathesis.toml`` form."""
    config: dict[str, Any] = {
        "base-url": settings.base_url,
        "seed": settings.seed,
        "workers": 1,
        "request-timeout": settings.request_timeout,
        "checks": {"enabled": True},
        "generation": {"max-examples": settings.max_examples, "database": "none"},
        "phases": {phase: {"enabled": phase in settings.phases} for phase in ALL_PHASES},
    }
    if settings.token is not None:
        config["auth"] = {"openapi": _credential_schemes(facts(), settings.token)}
    if settings.rate_limit:
        config["rate-limit"] = settings.rate_limit
    return config


def _operation_label(api: ApiFacts, method: str, path: str) -> str:
    operation = api.spec.operation_at(method, path)
    return operation.label if operation is not None else f"{method.upper()} {path}"


def _absorb(results: RunResults, recorder: ScenarioRecorder, seen: set[tuple[str, str, str]], api: ApiFacts) -> None:
    for case_id, node in recorder.cases.items():
        case = node.value
        label = _operation_label(api, case.method, case.operation.path)
        results.cases += 1
        results.cases_per_operation[label] += 1
        for check in recorder.checks.get(case_id, []):
            info = check.failure_info
            if info is None:
                if check.status == "success":
                    results.check_passes[check.name] += 1
                continue
            results.check_failures[check.name] += 1
            results.operation_failures[label] += 1
            failure = info.failure
            key = (check.name, label, failure.title)
            if key in seen:
                continue
            seen.add(key)
            results.failures.append(
                FailureRecord(
                    check=check.name,
                    operation=label,
                    title=failure.title,
                    message=failure.message,
                    curl=info.code_sample,
                    source="schemathesis",
                )
            )


def run_schemathesis(settings: RunnerSettings, results: RunResults, progress: Progress | None = None) -> None:
    """Run schemathesis and add what it found to ``results``."""
    api = facts()
    config = schemathesis.Config.from_dict(schemathesis_config(settings))
    schema: BaseSchema = schemathesis.openapi.from_path(spec_path(), config=config)
    if settings.operation_ids is not None:
        schema = schema.include(operation_id=list(settings.operation_ids))
    seen: set[tuple[str, str, str]] = {
        (f.check, f.operation, f.title) for f in results.failures if f.source == "schemathesis"
    }
    started = time.perf_counter()
    last_report = started
    phase_cases = 0
    for event in from_schema(schema).execute():
        if isinstance(event, events.ScenarioFinished):
            before = results.cases
            _absorb(results, event.recorder, seen, api)
            phase_cases += results.cases - before
            now = time.perf_counter()
            if progress is not None and now - last_report >= 2.0:
                last_report = now
                progress(f"  … {results.cases} cases, {len(results.failures)} distinct failures")
        elif isinstance(event, events.PhaseStarted) and event.phase.name.value in ALL_PHASES:
            phase_cases = 0
            if progress is not None:
                progress(f"  phase {event.phase.name.value} …")
        elif isinstance(event, events.PhaseFinished) and event.phase.name.value in ALL_PHASES:
            if progress is not None:
                progress(f"  phase {event.phase.name.value}: {phase_cases} cases ({event.status.value})")
        elif isinstance(event, events.NonFatalError):
            results.errors.append(f"{event.label}: {event.info.title}: {event.info.message}".strip())
        elif isinstance(event, events.FatalError):
            results.errors.append(f"schemathesis stopped: {event.exception}")
        elif isinstance(event, events.EngineFinished):
            for failure in event.failures:
                results.failures.append(
                    FailureRecord(
                        check="after_run",
                        operation=failure.operation or "",
                        title=failure.title,
                        message=failure.message,
                        curl=None,
                        source="schemathesis",
                    )
                )
    results.schemathesis_seconds += time.perf_counter() - started
