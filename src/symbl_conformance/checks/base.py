"""What a semantic check is: a name, what it needs, what it proves, and a function that judges.

A check never prints and never decides whether it may run: it declares its :class:`Need` s, and the
runner (``symbl_conformance.checks.run``) skips it, with the reason, when the run cannot meet one. What it
returns is a :class:`Judgement`; the verdict follows from it in one place (:meth:`Judgement.verdict`):
failures make it *failed*; nothing judged sound (and nothing wrong) makes it *inconclusive*, with the reason;
otherwise *passed*.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING

from symbl_conformance.results import Failure, Verdict

if TYPE_CHECKING:
    from symbl_conformance.checks.context import CheckContext

__all__ = ["Judgement", "Need", "SemanticCheck", "Unavailable"]


class Need(StrEnum):
    """What a check needs from the run. The runner knows, per run, which needs it cannot meet, and why."""

    JOBS = "jobs"
    """Creating jobs on the server (not in safe mode)."""
    SCENARIO = "scenario"
    """The run's conversation: a submit and appends sent back to back, every job followed to its end."""
    WEBHOOKS = "webhooks"
    """A webhook receiver the server can reach (loopback, or --webhook-url)."""
    LIMIT = "limit"
    """Creating jobs until the concurrent-job limit (embedded mode, --allow-side-effects or --concurrency-limit)."""
    OTHER_ACCOUNT = "other-account"
    """A second account's credentials (--other-token, or --other-app-id/--other-app-secret)."""


class Unavailable(Exception):
    """Something a check relies on could not be had at run time: the check gets this verdict and reason."""

    def __init__(self, verdict: Verdict, reason: str) -> None:
        super().__init__(reason)
        self.verdict = verdict
        self.reason = reason


@dataclass(slots=True)
class Judgement:
    """What a check found: its failures, how many things it judged sound, and what it could not judge. (It does
    not know the check's name: the runner puts it on the failures, so that a name is written only once.)"""

    failures: list[Failure] = field(default_factory=list)
    passed: int = 0
    """Units judged and found sound (jobs, deliveries, requests: the check's own unit)."""
    detail: str = ""
    """One line shown when it passed: what was shown."""
    inconclusive: str = ""
    """Why nothing was proved, when nothing was judged sound and nothing failed."""
    failed_count: int = 0
    """Units found wrong (a distinct failure may be found more than once)."""
    _seen: set[tuple[str, str]] = field(default_factory=set)

    def fail(self, title: str, message: str, curl: str | None, operation: str = "") -> None:
        """Record a failure; the same title on the same operation is one distinct failure (counted again)."""
        key = (operation, title)
        if key not in self._seen:
            self._seen.add(key)
            self.failures.append(Failure("", operation, title, message, curl))
        self.failed_count += 1

    @property
    def verdict(self) -> Verdict:
        if self.failures:
            return Verdict.FAILED
        if not self.passed:
            return Verdict.INCONCLUSIVE
        return Verdict.PASSED

    @property
    def summary(self) -> str:
        if self.failures:
            extra = f" (+{len(self.failures) - 1} more)" if len(self.failures) > 1 else ""
            return self.failures[0].title + extra
        if self.verdict is Verdict.INCONCLUSIVE:
            return self.inconclusive or "nothing could be judged"
        return self.detail


@dataclass(frozen=True, slots=True)
class SemanticCheck:
    name: str
    proves: str
    """What a pass proves, in one sentence (shown by the docs and the JSON report)."""
    needs: frozenset[Need]
    judge: Callable[[CheckContext], Judgement]
    """Raises ``Unavailable`` (or lets ``ServerTrouble`` through) when it cannot judge at all."""
