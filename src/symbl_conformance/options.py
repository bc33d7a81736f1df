"""The options of a conformance run: one frozen dataclass, the one place of their defaults.

The command line (``symbl_conformance.cli``) and the pytest options (``contract_tests/conftest.py``) read
their defaults from :data:`DEFAULTS`; ``docs/conformance.md``'s option table is checked against ``--help``
by a test.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

__all__ = [
    "ALL_PHASES",
    "DEFAULTS",
    "LOOPBACK_POLL_INTERVAL",
    "REMOTE_POLL_INTERVAL",
    "ConformanceOptions",
    "UsageError",
]

ALL_PHASES = ("examples", "coverage", "fuzzing", "stateful")

LOOPBACK_POLL_INTERVAL = 0.005
"""Seconds between job-status polls of a server on loopback (the default when --poll-interval is not given)."""
REMOTE_POLL_INTERVAL = 1.0
"""Seconds between job-status polls of any other server."""


class UsageError(Exception):
    """A problem with how the command was called or with the target at start; exit code 2, one line."""


@dataclass(frozen=True, slots=True)
class ConformanceOptions:
    # target
    base_url: str | None = None
    """The server to check; ``None``: the embedded mock."""
    token: str | None = None
    app_id: str | None = None
    """With ``app_secret``: exchanged for tokens by generateToken, renewed before they expire."""
    app_secret: str | None = None
    other_token: str | None = None
    """A second account's credential, for the account-isolation check."""
    other_app_id: str | None = None
    other_app_secret: str | None = None
    # safety
    allow_side_effects: bool = False
    force_safe: bool = False
    # generation
    max_examples: int = 25
    phases: tuple[str, ...] = ALL_PHASES
    seed: int | None = None
    """``None``: a random seed, printed."""
    max_failures: int | None = None
    """Stop schemathesis after this many failures; ``None``: never (every distinct failure is listed)."""
    # network
    rate_limit: str | None = None
    request_timeout: float = 10.0
    # semantic checks
    job_timeout: float = 30.0
    """Seconds each job may take from its turn in its conversation (queueing behind earlier jobs not counted)."""
    poll_interval: float | None = None
    """``None``: LOOPBACK_POLL_INTERVAL on loopback, REMOTE_POLL_INTERVAL otherwise."""
    webhook_timeout: float = 15.0
    """Seconds to wait for the webhooks of jobs that finished."""
    webhook_url: str | None = None
    webhook_port: int = 0
    concurrency_limit: int | None = None
    """The concurrent-job limit the server promises; no 429 once this many jobs are unfinished is a failure."""
    max_limit_jobs: int = 60
    semantic: bool = True
    # output
    junit_xml: Path | None = None
    report_json: Path | None = None
    quiet: bool = False

    def poll_interval_for(self, loopback: bool) -> float:
        if self.poll_interval is not None:
            return self.poll_interval
        return LOOPBACK_POLL_INTERVAL if loopback else REMOTE_POLL_INTERVAL

    @property
    def has_other_account(self) -> bool:
        return self.other_token is not None or self.other_app_id is not None


DEFAULTS = ConformanceOptions()
