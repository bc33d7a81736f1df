"""Defaults live once: ``ConformanceOptions``. The command line and the schemathesis configuration read them."""

from __future__ import annotations

import pytest

from symbl_conformance.cli import parse_options
from symbl_conformance.options import DEFAULTS
from symbl_conformance.runner import RunnerSettings, schemathesis_config


def test_the_command_line_defaults_are_the_options(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("SYMBL_TOKEN", "SYMBL_APP_ID", "SYMBL_APP_SECRET", "SYMBL_OTHER_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.delenv("SYMBL_OTHER_APP_ID", raising=False)
    monkeypatch.delenv("SYMBL_OTHER_APP_SECRET", raising=False)
    assert parse_options([]) == DEFAULTS


def test_documented_refusals_are_answers_to_valid_data() -> None:
    """413 and 429 are documented (not "invalid input"): positive_data_acceptance accepts them, with its own
    defaults kept; the statuses that say "invalid input" it does not."""
    settings = RunnerSettings("http://127.0.0.1:1", None, 1, ("examples",), 1, 1.0, None)
    checks = schemathesis_config(settings)["checks"]
    positive = checks["positive_data_acceptance"]["expected-statuses"]
    negative = checks["negative_data_rejection"]["expected-statuses"]
    assert {"413", "429", "2xx", "404", "401"} <= set(positive)
    assert not {"400", "415", "422"} & set(positive)
    assert {"413", "400", "415"} <= set(negative)
    assert schemathesis_config(settings)["continue-on-failure"] is True
