"""Test-run settings shared by tests/ and contract_tests/: parallel workers, and the slow tests kept apart."""

from __future__ import annotations

import os

import pytest


def pytest_xdist_auto_num_workers(config: pytest.Config) -> int:
    # Many tests wait on child processes, sockets and job lifecycles rather than compute: one more worker than
    # cores keeps the cores busy (on 2 cores, 3 workers finish the suite about 15 % sooner than 2).
    return (os.cpu_count() or 1) + 1


def pytest_report_header(config: pytest.Config) -> str | None:
    if "not slow" in (config.getoption("markexpr") or ""):
        return "slow tests (marked slow) are deselected: `uv run pytest -m slow` runs them; .ci/run runs both"
    return None
