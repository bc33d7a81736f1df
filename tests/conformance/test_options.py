"""Defaults live once: ``ConformanceOptions``. The command line and the schemathesis configuration read them."""

from __future__ import annotations

import pytest

from symbl_conformance.cli import main, parse_options
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


def test_a_malformed_ipv6_base_url_is_a_one_line_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--base-url", "http://[::1", "--token", "t"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("symbl-conformance: error: --base-url"), err
    assert len(err.strip().splitlines()) == 1


def test_a_webhook_url_without_a_base_url_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    """The embedded mock delivers only to loopback: a public --webhook-url made every job's deliveries refused and
    ``webhook_order`` fail the reference mock."""
    assert main(["--webhook-url", "https://hooks.example.net/forward"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("symbl-conformance: error: --webhook-url needs --base-url"), err


@pytest.mark.parametrize(
    ("flags", "message"),
    [
        (["--safe"], "--safe needs --base-url"),
        (["--concurrency-limit", "5"], "--concurrency-limit needs --base-url"),
    ],
)
def test_options_the_embedded_run_would_ignore_are_usage_errors(
    flags: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(flags) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"symbl-conformance: error: {message}"), err
    assert len(err.strip().splitlines()) == 1
