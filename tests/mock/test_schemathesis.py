"""Schemathesis against the in-process mock: all checks, all phases (stateful included), no example database.

Schemathesis runs as a subprocess (its own core on this 2-core box) against a mock served by this process,
and reports through its JSON run report, which counts the generated cases exactly.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from symbl_spec import spec_path
from tests.mock.conftest import MockFactory
from tests.mock.helpers import TOKEN

MIN_CASES = 5000
MAX_EXAMPLES = 380  # per operation and phase: ~5,700 cases in ~65 s on the 2-core reference box
SEED = 20261125
# The spec's own example credentials, so that generateToken's examples succeed and its 200 is checked too.
EXAMPLE_APP_ID = "your-app-id"
EXAMPLE_APP_SECRET = "your-app-secret"  # noqa: S105 - the spec's example value


@pytest.mark.slow  # about 5,650 cases, all phases: a minute of one core
def test_schemathesis_finds_no_server_error_and_no_spec_violation(start_mock: MockFactory, tmp_path: Path) -> None:
    mock = start_mock(
        app_id=EXAMPLE_APP_ID,
        app_secret=EXAMPLE_APP_SECRET,
        concurrency_limit=1_000_000,  # 429 is tested on its own; here it would only hide the success paths
        deliver_webhooks=False,  # generated webhookUrls point anywhere: record the notifications, send none
    )
    config = tmp_path / "schemathesis.toml"
    config.write_text(
        f'[auth.openapi.bearerAuth]\nbearer = "{TOKEN}"\n[auth.openapi.apiKeyAuth]\napi_key = "{TOKEN}"\n'
    )
    report = tmp_path / "report.json"
    command = [
        *(sys.executable, "-m", "schemathesis.cli", "--config-file", str(config), "run", str(spec_path())),
        *("--url", mock.url, "--checks", "all", "--phases", "examples,coverage,fuzzing,stateful"),
        *("--generation-database", "none", "--max-examples", str(MAX_EXAMPLES), "--seed", str(SEED)),
        # One worker: with two, hypothesis' lambda descriptions race in CPython 3.11's ast.parse (SystemError).
        *("--workers", "1", "--request-timeout", "10", "--no-color"),
        *("--report", "json", "--report-json-path", str(report)),
    ]
    env = {**os.environ, "NO_COLOR": "1"}
    completed = subprocess.run(command, capture_output=True, text=True, timeout=900, env=env, check=False)  # noqa: S603
    output = completed.stdout[-6000:] + completed.stderr[-3000:]
    assert report.is_file(), output
    result = json.loads(report.read_text())

    assert result["failures"] == [], output
    assert result["errors"] == [], output
    assert result["test_cases"]["with_failures"] == 0, output
    assert result["test_cases"]["errored"] == 0, output
    assert result["complete"], output
    assert all(phase["status"] == "success" for phase in result["phases"].values()), result["phases"]
    assert result["operations"]["tested"] == result["operations"]["total"] == 4
    print(f"schemathesis: {result['test_cases']} in {result['running_time']:.0f} s")  # shown with pytest -s/-rP
    assert result["test_cases"]["generated"] >= MIN_CASES, result["test_cases"]
    assert completed.returncode == 0, output
