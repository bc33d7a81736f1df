"""Running the real ``symbl-conformance`` console script as a child process, and reading its JSON report.

Every run is given ``--report-json`` (unless the test passes its own): the tests read verdicts from the
report, the machine interface, never from the text.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import jsonschema_rs

from symbl_conformance.embedded import embedded_config
from symbl_conformance.reports import SCHEMA_PATH
from symbl_mock import Fault, MockConfig, mock_process

__all__ = ["COMMAND", "OTHER_TOKEN", "TOKEN", "CliRun", "environment", "fault_mock", "mock", "run_cli"]

COMMAND = Path(sys.executable).with_name("symbl-conformance")
"""The console script installed in this environment (what ``uv run symbl-conformance`` runs)."""
TOKEN = "contract-tests-token"  # noqa: S105 - a made-up token for a local mock
OTHER_TOKEN = "contract-tests-other-token"  # noqa: S105 - the second account's, for the isolation check
OnLine = Callable[[str, "subprocess.Popen[str]"], None]
REPORT_SCHEMA = jsonschema_rs.validator_for(json.loads(SCHEMA_PATH.read_text()))


@dataclass(frozen=True, slots=True)
class CliRun:
    args: tuple[str, ...]
    returncode: int
    stdout: str
    stderr: str
    seconds: float
    report: dict[str, Any] | None
    """The JSON report, or ``None`` when none was written (usage errors)."""

    @property
    def output(self) -> str:
        return self.stdout + self.stderr

    @property
    def verdicts(self) -> dict[str, str]:
        """Check name → verdict (``passed``, ``failed``, ``inconclusive``, ``skipped``, ``error``)."""
        assert self.report is not None, self.explain()
        return {check["name"]: check["verdict"] for check in self.report["checks"]}

    @property
    def failing_checks(self) -> set[str]:
        """The checks that failed or erred."""
        assert self.report is not None, self.explain()
        return set(self.report["verdicts"]["failed"]) | set(self.report["verdicts"]["error"])

    def check(self, name: str) -> dict[str, Any]:
        assert self.report is not None, self.explain()
        found = [check for check in self.report["checks"] if check["name"] == name]
        assert found, f"no check {name} in the report\n{self.explain()}"
        return dict(found[0])

    def explain(self) -> str:
        return f"$ symbl-conformance {' '.join(self.args)}\n(exit {self.returncode})\n{self.output[-6000:]}"


def environment() -> dict[str, str]:
    """This environment without credentials or targets a developer may have exported."""
    skip = ("SYMBL_", "TEST_API_")
    env = {key: value for key, value in os.environ.items() if not key.startswith(skip)}
    env["PYTHONUNBUFFERED"] = "1"
    return env


def _communicate(command: list[str], timeout: float, cwd: Path | None, on_line: OnLine | None) -> tuple[int, str, str]:
    if on_line is None:
        done = subprocess.run(  # noqa: S603 - our own console script, arguments from the tests
            command, capture_output=True, text=True, timeout=timeout, env=environment(), cwd=cwd, check=False
        )
        return done.returncode, done.stdout, done.stderr
    with tempfile.TemporaryFile("w+") as errors:
        process = subprocess.Popen(  # noqa: S603 - our own console script, arguments from the tests
            command, stdout=subprocess.PIPE, stderr=errors, text=True, env=environment(), cwd=cwd
        )
        assert process.stdout is not None
        lines = []
        expired = threading.Event()

        def expire() -> None:
            if process.poll() is None:
                expired.set()
                process.kill()  # its stdout closes: the loop below ends

        timer = threading.Timer(timeout, expire)  # ``timeout`` bounds the whole run, a child silent and hung too
        timer.daemon = True
        timer.start()
        try:
            for line in process.stdout:
                lines.append(line)
                on_line(line, process)
            process.wait()
        finally:
            timer.cancel()
            if process.poll() is None:
                process.kill()
                process.wait()
        if expired.is_set():
            raise subprocess.TimeoutExpired(command, timeout, output="".join(lines))
        errors.seek(0)
        return process.returncode, "".join(lines), errors.read()


def run_cli(
    args: Sequence[str],
    *,
    timeout: float = 300.0,
    cwd: Path | None = None,
    prefix: Sequence[str] = (),
    on_line: OnLine | None = None,
) -> CliRun:
    """``symbl-conformance ARGS`` as a child process (under ``prefix``, e.g. a tracer); its exit code, output and
    JSON report. ``on_line`` sees each line of its output as it comes (and the process, to signal it)."""
    with tempfile.TemporaryDirectory(prefix="conformance-") as tmp:
        args = list(args)
        if "--report-json" in args:
            report_path = Path(args[args.index("--report-json") + 1])
        else:
            report_path = Path(tmp) / "report.json"
            args += ["--report-json", str(report_path)]
        started = time.perf_counter()
        returncode, stdout, stderr = _communicate([*prefix, str(COMMAND), *args], timeout, cwd, on_line)
        seconds = time.perf_counter() - started
        report = json.loads(report_path.read_text()) if report_path.is_file() else None
    if report is not None:
        REPORT_SCHEMA.validate(report)  # every report a test reads has the documented shape
    return CliRun(tuple(args), returncode, stdout, stderr, seconds, report)


@contextmanager
def mock(config: MockConfig) -> Iterator[str]:
    """The mock with ``config`` on a free loopback port (child process, always stopped); its base URL."""
    with mock_process(config) as url:
        yield url


@contextmanager
def fault_mock(*faults: str, job_duration: float = 0.15, concurrency_limit: int = 100_000) -> Iterator[str]:
    """The embedded mock's set-up (two accounts: TOKEN's and OTHER_TOKEN's) with these faults, on a free loopback
    port (child process, always stopped)."""
    config = replace(
        embedded_config(TOKEN, OTHER_TOKEN),
        job_duration=job_duration,
        concurrency_limit=concurrency_limit,
        faults=frozenset(Fault(name) for name in faults),
    )
    with mock(config) as url:
        yield url
