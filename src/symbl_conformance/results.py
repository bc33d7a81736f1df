"""The results of a conformance run, shared by the runner, the semantic checks and the reports."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from enum import StrEnum

__all__ = ["CheckStatus", "FailureRecord", "RunResults", "SemanticOutcome"]


class CheckStatus(StrEnum):
    PASSED = "passed"
    FAILED = "failed"
    SKIPPED = "skipped"
    ERROR = "error"


@dataclass(frozen=True, slots=True)
class FailureRecord:
    """One distinct failure: which check, on which operation, what went wrong and how to reproduce it."""

    check: str
    operation: str
    title: str
    message: str
    curl: str | None
    source: str
    """``schemathesis`` or ``semantic``."""


@dataclass(slots=True)
class SemanticOutcome:
    check: str
    status: CheckStatus
    detail: str = ""
    failures: list[FailureRecord] = field(default_factory=list)
    elapsed: float = 0.0


@dataclass(slots=True)
class RunResults:
    mode: str = ""
    base_url: str = ""
    seed: int = 0
    cases: int = 0
    cases_per_operation: Counter[str] = field(default_factory=Counter)
    check_passes: Counter[str] = field(default_factory=Counter)
    check_failures: Counter[str] = field(default_factory=Counter)
    operation_failures: Counter[str] = field(default_factory=Counter)
    failures: list[FailureRecord] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    semantic: list[SemanticOutcome] = field(default_factory=list)
    schemathesis_seconds: float = 0.0
    semantic_seconds: float = 0.0
    total_seconds: float = 0.0

    @property
    def failed(self) -> bool:
        return bool(self.failures or self.errors) or any(
            outcome.status in (CheckStatus.FAILED, CheckStatus.ERROR) for outcome in self.semantic
        )

    @property
    def failing_checks(self) -> list[str]:
        names = {failure.check for failure in self.failures}
        names.update(o.check for o in self.semantic if o.status in (CheckStatus.FAILED, CheckStatus.ERROR))
        return sorted(names)

    def all_failures(self) -> list[FailureRecord]:
        found = list(self.failures)
        for outcome in self.semantic:
            found.extend(outcome.failures)
        return found
