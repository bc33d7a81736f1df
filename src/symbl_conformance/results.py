"""The one results model of a run. Checks fill it, reporters render it (text, JUnit XML, JSON); neither does the
other's job.
"""

from __future__ import annotations

import traceback
from collections import Counter
from dataclasses import dataclass, field
from enum import StrEnum

__all__ = ["CheckResult", "Failure", "RunError", "RunReport", "Source", "Verdict", "describe_exception"]


class Verdict(StrEnum):
    PASSED = "passed"
    """Checked, and nothing was wrong."""
    FAILED = "failed"
    """The server broke the contract (the failures say how)."""
    INCONCLUSIVE = "inconclusive"
    """Ran, but what it saw proves nothing either way (the detail says why)."""
    SKIPPED = "skipped"
    """Not run: the mode or the options do not allow it, or it needs something the run does not have."""
    ERROR = "error"
    """Could not be carried out: the server went away, stopped answering, or the check itself broke."""

    @property
    def failing(self) -> bool:
        return self in (Verdict.FAILED, Verdict.ERROR)


class Source(StrEnum):
    SCHEMATHESIS = "schemathesis"
    SEMANTIC = "semantic"
    RUN = "run"
    """Facts about the run as a whole (credentials accepted), checked over every request it sent."""


@dataclass(frozen=True, slots=True)
class Failure:
    """One distinct failure: which check, on which operation, what went wrong and how to reproduce it."""

    check: str
    operation: str
    title: str
    message: str
    curl: str | None


@dataclass(slots=True)
class CheckResult:
    name: str
    source: Source
    verdict: Verdict
    detail: str = ""
    """One line: what was shown, or why it was skipped, inconclusive or in error."""
    passed: int = 0
    """Evaluations that passed (schemathesis: check results; semantic: the check's own unit, e.g. jobs)."""
    failed: int = 0
    failures: list[Failure] = field(default_factory=list)
    """Distinct failures (the same check, operation and title once)."""
    seconds: float = 0.0
    proves: str = ""


@dataclass(frozen=True, slots=True)
class RunError:
    kind: str
    """``server`` (the server went away or stopped answering), ``schemathesis`` or ``internal``."""
    message: str
    curl: str | None = None
    """The request that met the error, when there was one."""


def describe_exception(error: BaseException) -> str:
    """``Type: message (file:line)`` of a caught exception, the line where it was raised: an internal error, said
    in one line."""
    where = traceback.extract_tb(error.__traceback__)[-1]
    return f"{type(error).__name__}: {error} ({where.filename}:{where.lineno})"


@dataclass(slots=True)
class AuthStats:
    credentials: str = "none"
    """``token``, ``app`` (app ID and secret, renewed) or ``none``."""
    requests: int = 0
    """Requests sent with a token the run held to be valid."""
    refused: int = 0
    """Of those, answered 401."""
    renewals: int = 0
    """Tokens obtained after the first one."""


@dataclass(slots=True)
class RunReport:
    mode: str = ""
    mode_reason: str = ""
    base_url: str = ""
    seed: int = 0
    settings: dict[str, object] = field(default_factory=dict)
    started_at: str = ""
    cases: int = 0
    cases_per_operation: Counter[str] = field(default_factory=Counter)
    failures_per_operation: Counter[str] = field(default_factory=Counter)
    statuses: Counter[int] = field(default_factory=Counter)
    """Schemathesis' answers by status code."""
    checks: list[CheckResult] = field(default_factory=list)
    errors: list[RunError] = field(default_factory=list)
    auth: AuthStats = field(default_factory=AuthStats)
    notes: list[str] = field(default_factory=list)
    """Facts about the run worth a line that are not failures (schemathesis stopped at --max-failures)."""
    interrupted: str | None = None
    """Why the run stopped early (the server went away, Ctrl-C), or ``None``."""
    schemathesis_seconds: float = 0.0
    semantic_seconds: float = 0.0
    total_seconds: float = 0.0

    @property
    def failed(self) -> bool:
        return bool(self.errors) or self.interrupted is not None or any(c.verdict.failing for c in self.checks)

    @property
    def failing_checks(self) -> list[str]:
        return sorted({check.name for check in self.checks if check.verdict.failing})

    def by_verdict(self, verdict: Verdict) -> list[str]:
        return [check.name for check in self.checks if check.verdict is verdict]

    def all_failures(self) -> list[Failure]:
        return [failure for check in self.checks for failure in check.failures]

    @property
    def exit_code(self) -> int:
        return 1 if self.failed else 0
