"""Running the real ``symbl-conformance`` console script against a mock, and reading its output."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path

from symbl_conformance.embedded import embedded_config
from symbl_mock import Fault, mock_process

__all__ = ["COMMAND", "TOKEN", "CliRun", "fault_mock", "run_cli"]

COMMAND = Path(sys.executable).with_name("symbl-conformance")
"""The console script installed in this environment (what ``uv run symbl-conformance`` runs)."""
TOKEN = "contract-tests-token"  # noqa: S105 - a made-up token for a local mock
_RESULT = re.compile(r"^RESULT: (PASSED|FAILED)(?: — failing checks: (.*))?$", re.MULTILINE)
_CHECK_ROW = re.compile(r"^  (\w+)\s+(passed|FAILED|skipped|ERROR)\s", re.MULTILINE)


@dataclass(frozen=True, slots=True)
class CliRun:
    args: tuple[str, ...]
    returncode: int
    stdout: str
    stderr: str
    seconds: float

    @property
    def output(self) -> str:
        return self.stdout + self.stderr

    @property
    def failing_checks(self) -> set[str]:
        """The checks named on the ``RESULT: FAILED — failing checks: …`` line."""
        match = _RESULT.search(self.stdout)
        if match is None or match.group(2) is None:
            return set()
        return {name.strip() for name in match.group(2).split(",") if name.strip()}

    @property
    def check_table(self) -> dict[str, str]:
        """The ``Checks`` section: check name → passed / FAILED / skipped / ERROR."""
        section = self.stdout.split("\nChecks\n", 1)[-1].split("\n\n", 1)[0]
        return dict(_CHECK_ROW.findall(section))

    def explain(self) -> str:
        return f"$ symbl-conformance {' '.join(self.args)}\n(exit {self.returncode})\n{self.output[-6000:]}"


def _environment() -> dict[str, str]:
    """This environment without credentials or targets a developer may have exported."""
    skip = ("SYMBL_", "TEST_API_")
    env = {key: value for key, value in os.environ.items() if not key.startswith(skip)}
    env["PYTHONUNBUFFERED"] = "1"
    return env


def run_cli(args: Sequence[str], *, timeout: float = 300.0, cwd: Path | None = None) -> CliRun:
    """``symbl-conformance ARGS`` as a child process; its exit code and output."""
    started = time.perf_counter()
    completed = subprocess.run(  # noqa: S603 - our own console script, arguments from the tests
        [str(COMMAND), *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        env=_environment(),
        cwd=cwd,
        check=False,
    )
    return CliRun(tuple(args), completed.returncode, completed.stdout, completed.stderr, time.perf_counter() - started)


@contextmanager
def fault_mock(*faults: str, job_duration: float = 0.15, concurrency_limit: int = 100_000) -> Iterator[str]:
    """The embedded mock's set-up with these faults, on a free loopback port (child process, always stopped)."""
    config = replace(
        embedded_config(TOKEN),
        job_duration=job_duration,
        concurrency_limit=concurrency_limit,
        faults=frozenset(Fault(name) for name in faults),
    )
    with mock_process(config) as url:
        yield url
