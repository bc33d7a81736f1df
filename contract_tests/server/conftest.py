"""The server under test, for the server-side contract tests.

``--base-url`` / ``TEST_API_BASE_URL`` (see ``contract_tests/conftest.py``) picks a server; without it the
embedded mock is started for the session on a free 127.0.0.1 port and always stopped — exactly as
``symbl-conformance`` starts it (``symbl_conformance.target.open_target``): a child process of this one,
with the same settings, the same credentials provider and the same probe. The mode (embedded, full, safe)
is decided as ``symbl-conformance`` decides it, and the options' defaults are ``ConformanceOptions``'.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass

import pytest
from schemathesis.schemas import BaseSchema

from symbl_conformance.credentials import Credentials
from symbl_conformance.options import DEFAULTS, ConformanceOptions, UsageError
from symbl_conformance.results import CheckResult
from symbl_conformance.run import generated_webhook_target, semantic_checks
from symbl_conformance.runner import RunnerSettings, load_schema
from symbl_conformance.safety import ModeDecision, decide_mode
from symbl_conformance.target import Target, open_target, webhook_receiver
from symbl_conformance.webhook_urls import rewriting_webhook_urls

DEFAULT_SEED = 1


@dataclass(frozen=True, slots=True)
class Session:
    """The server the session checks, its credentials, and what the mode allows."""

    target: Target
    decision: ModeDecision
    options: ConformanceOptions
    seed: int

    @property
    def url(self) -> str:
        return self.target.url

    @property
    def credentials(self) -> Credentials:
        return self.target.credentials

    @property
    def side_effects(self) -> bool:
        return self.decision.side_effects


def _option(config: pytest.Config, name: str, env: str) -> str | None:
    value = config.getoption(name)
    if value is None or value is False:
        value = os.environ.get(env) or None
    return None if value is None else str(value)


def _flag(config: pytest.Config, name: str, env: str) -> bool:
    return bool(config.getoption(name)) or os.environ.get(env, "").strip().lower() in ("1", "true", "yes", "on")


def _int(config: pytest.Config, name: str, env: str, default: int) -> int:
    text = _option(config, name, env)
    if text is None:
        return default
    try:
        return int(text)
    except ValueError:
        raise pytest.UsageError(f"{env} / --{name.replace('_', '-')} must be an integer, not {text!r}") from None


def pytest_report_header(config: pytest.Config) -> str:
    url = _option(config, "base_url", "TEST_API_BASE_URL")
    return f"contract server target: {url or 'embedded mock (child process, free 127.0.0.1 port)'}"


@pytest.fixture(scope="session")
def server(pytestconfig: pytest.Config) -> Iterator[Session]:
    options = ConformanceOptions(
        base_url=_option(pytestconfig, "base_url", "TEST_API_BASE_URL"),
        token=_option(pytestconfig, "api_token", "TEST_API_TOKEN"),
        app_id=os.environ.get("TEST_API_APP_ID") or None,
        app_secret=os.environ.get("TEST_API_APP_SECRET") or None,
        allow_side_effects=_flag(pytestconfig, "allow_side_effects", "TEST_API_ALLOW_SIDE_EFFECTS"),
        force_safe=_flag(pytestconfig, "safe", "TEST_API_SAFE"),
        max_examples=_int(pytestconfig, "api_max_examples", "TEST_API_MAX_EXAMPLES", DEFAULTS.max_examples),
        seed=_int(pytestconfig, "api_seed", "TEST_API_SEED", DEFAULT_SEED),
    )
    assert options.seed is not None
    decision = decide_mode(
        options.base_url, allow_side_effects=options.allow_side_effects, force_safe=options.force_safe
    )
    with ExitStack() as stack:
        try:
            target = open_target(stack, options, decision)
        except UsageError as error:
            pytest.fail(f"contract target unusable: {error}", pytrace=False)
        yield Session(target, decision, options, options.seed)


def _schema(server: Session, credentials: Credentials | None) -> BaseSchema:
    return load_schema(RunnerSettings.from_options(server.options, server.url, credentials, server.seed))


@pytest.fixture(scope="session")
def generated_webhooks_stay_home(server: Session) -> Iterator[None]:
    """Webhook URLs in generated data point at loopback, as in a ``symbl-conformance`` run."""
    with rewriting_webhook_urls(generated_webhook_target(server.decision, None)):
        yield


@pytest.fixture(scope="session")
def api_schema(server: Session, generated_webhooks_stay_home: None) -> BaseSchema:
    """The document, configured as ``symbl-conformance`` configures schemathesis, with the run's credentials."""
    return _schema(server, server.credentials)


@pytest.fixture(scope="session")
def creating_schema(server: Session, api_schema: BaseSchema) -> BaseSchema:
    """For the operations that create jobs: with credentials, or in safe mode without (all must be 401)."""
    return api_schema if server.side_effects else _schema(server, None)


@pytest.fixture(scope="session")
def public_schema(server: Session, api_schema: BaseSchema) -> BaseSchema:
    """For the operations without security (the token call): not in safe mode."""
    if not server.side_effects:
        pytest.skip("safe mode: the token call is only made to obtain the session's token")
    return api_schema


@pytest.fixture(scope="session")
def semantic_results(server: Session) -> dict[str, CheckResult]:
    """One run of the semantic checks against the server, by check name."""
    with ExitStack() as stack:
        try:
            webhooks = webhook_receiver(stack, server.decision, server.url, server.options)
            results = list(
                semantic_checks(server.options, server.decision, server.target, webhooks, stack, lambda _line: None)
            )
        except UsageError as error:  # the 429 check's own mock did not start
            pytest.fail(f"embedded mock: {error}", pytrace=False)
    return {result.name: result for result in results}
