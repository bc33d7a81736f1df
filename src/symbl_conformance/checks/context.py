"""What the semantic checks are given: the API's facts, a session, the run's settings, and shared observations
(the scenario, built once by the first check that needs it)."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass, field

from symbl_conformance.http import Session
from symbl_conformance.receiver import WebhookReceiver
from symbl_conformance.spec import ApiFacts

__all__ = ["CheckContext", "LimitTarget", "SemanticSettings"]


@dataclass(frozen=True, slots=True)
class SemanticSettings:
    """The semantic checks' settings for one run (from ``ConformanceOptions``; no defaults of their own)."""

    job_timeout: float
    """Seconds each job may take from its turn (the moment the job ahead of it in its conversation finished)."""
    poll_interval: float
    webhook_timeout: float
    concurrency_limit: int | None
    """The limit the server promises, or ``None`` (then a 429 is looked for, not required)."""
    max_limit_jobs: int


@dataclass(frozen=True, slots=True)
class LimitTarget:
    """Where the 429 check fills the job limit: the run's server, or in embedded mode a small mock of its own."""

    session: Session
    concurrency_limit: int | None


@dataclass(slots=True)
class CheckContext:
    api: ApiFacts
    session: Session
    settings: SemanticSettings
    receiver: WebhookReceiver | None
    limit_target: Callable[[], AbstractContextManager[LimitTarget]]
    other_session: Session | None = None
    """The second account's session (account isolation), when one was given."""
    shared: dict[str, object] = field(default_factory=dict)
    """Observations several checks judge (the scenario), made once, by the first check that needs them."""
