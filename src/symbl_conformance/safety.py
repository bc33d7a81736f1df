"""Which requests a run may send: the mode, decided from the base URL and the flags.

- **embedded**: no ``--base-url``; the mock is started for the run. Everything runs, the 429 check
  against a second, small mock of its own.
- **full**: the base URL is on loopback (``localhost``, ``127.0.0.0/8``, ``::1``) — a local mock or
  development server, not a billed API — or ``--allow-side-effects`` was given. Every check runs; the 429
  check (which creates jobs until the limit) only with ``--allow-side-effects``.
- **safe**: any other base URL without ``--allow-side-effects``, or ``--safe``. Only requests that cannot
  create a job: operations that create jobs are sent without valid credentials (the spec requires a
  401), read-only operations are sent with them, plus one token call when ``--app-id``/``--app-secret``
  are given. No semantic check that needs a job runs.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from symbl_cli import is_loopback_url

__all__ = ["SAFE_MODE_CREATES_NO_JOB", "Mode", "ModeDecision", "decide_mode", "is_loopback_url"]

SAFE_MODE_CREATES_NO_JOB = "safe mode: it would create jobs (pass --allow-side-effects)"
"""Why a check that needs jobs (or the webhook receiver, which only jobs would use) is skipped in safe mode."""


class Mode(StrEnum):
    EMBEDDED = "embedded"
    FULL = "full"
    SAFE = "safe"


@dataclass(frozen=True, slots=True)
class ModeDecision:
    mode: Mode
    reason: str
    limit_check: bool

    @property
    def side_effects(self) -> bool:
        return self.mode is not Mode.SAFE

    def on_loopback(self, url: str) -> bool:
        """The run's server at ``url`` is on this machine: the embedded mock, or a loopback base URL."""
        return self.mode is Mode.EMBEDDED or is_loopback_url(url)


def decide_mode(base_url: str | None, *, allow_side_effects: bool, force_safe: bool) -> ModeDecision:
    if base_url is None:
        return ModeDecision(Mode.EMBEDDED, "no --base-url: the embedded mock, started for this run", limit_check=True)
    if force_safe:
        return ModeDecision(Mode.SAFE, "--safe: nothing that could create a job is sent", limit_check=False)
    if allow_side_effects:
        return ModeDecision(
            Mode.FULL, "--allow-side-effects: this run creates jobs (billed on a real account)", limit_check=True
        )
    if is_loopback_url(base_url):
        return ModeDecision(
            Mode.FULL,
            "loopback base URL: creates jobs on the local server (429 check only with --allow-side-effects; "
            "--safe forces safe mode)",
            limit_check=False,
        )
    return ModeDecision(
        Mode.SAFE,
        "remote base URL without --allow-side-effects: only requests the spec says must be rejected, "
        "plus the token call — no job is created",
        limit_check=False,
    )
