"""The server under test, for the server-side contract tests.

``--base-url`` / ``TEST_API_BASE_URL`` (see ``contract_tests/conftest.py``) picks a server; without it
the embedded mock is started for the session on a free 127.0.0.1 port and always stopped — as
``symbl-conformance`` starts it: a child process of this one (``symbl_conformance.embedded``), with the
same settings. A child rather than a thread: it gets the other core, and it can be stopped at once even
while its event loop waits on DNS lookups of the made-up webhook hosts schemathesis sends (an in-process
uvicorn waits for those before its thread ends). The mode (embedded, full, safe) is decided exactly as
``symbl-conformance`` decides it.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass

import pytest
import schemathesis
from schemathesis.schemas import BaseSchema

from symbl_conformance.conformance import (
    DEFAULT_MAX_EXAMPLES,
    ConformanceOptions,
    UsageError,
    embedded_mock,
    limit_mock_factory,
    obtain_token,
    probe_target,
    semantic_settings,
    validate_url,
    webhook_receiver,
)
from symbl_conformance.embedded import embedded_config
from symbl_conformance.results import SemanticOutcome
from symbl_conformance.runner import ALL_PHASES, RunnerSettings, schemathesis_config
from symbl_conformance.safety import ModeDecision, decide_mode
from symbl_conformance.semantic import run_semantic_checks
from symbl_spec import spec_path

DEFAULT_SEED = 1


@dataclass(frozen=True, slots=True)
class Target:
    """The server the session checks, the credentials to use, and what the mode allows."""

    url: str
    token: str
    decision: ModeDecision
    options: ConformanceOptions
    seed: int
    embedded: bool

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


@contextmanager
def _embedded(token: str) -> Iterator[str]:
    """The embedded mock exactly as ``symbl-conformance`` starts it; yields its base URL."""
    try:
        with embedded_mock(embedded_config(token)) as url:
            yield url
    except UsageError as error:
        pytest.fail(f"embedded mock: {error}", pytrace=False)


def pytest_report_header(config: pytest.Config) -> str:
    url = _option(config, "base_url", "TEST_API_BASE_URL")
    return f"contract server target: {url or 'embedded mock (in-process, free 127.0.0.1 port)'}"


@pytest.fixture(scope="session")
def target(pytestconfig: pytest.Config) -> Iterator[Target]:
    base_url = _option(pytestconfig, "base_url", "TEST_API_BASE_URL")
    options = ConformanceOptions(
        base_url=base_url,
        token=_option(pytestconfig, "api_token", "TEST_API_TOKEN"),
        app_id=os.environ.get("TEST_API_APP_ID") or None,
        app_secret=os.environ.get("TEST_API_APP_SECRET") or None,
        allow_side_effects=_flag(pytestconfig, "allow_side_effects", "TEST_API_ALLOW_SIDE_EFFECTS"),
        force_safe=_flag(pytestconfig, "safe", "TEST_API_SAFE"),
        max_examples=_int(pytestconfig, "api_max_examples", "TEST_API_MAX_EXAMPLES", DEFAULT_MAX_EXAMPLES),
        seed=_int(pytestconfig, "api_seed", "TEST_API_SEED", DEFAULT_SEED),
    )
    assert options.seed is not None
    with ExitStack() as stack:
        try:
            if options.base_url is None:
                decision = decide_mode(None, allow_side_effects=True, force_safe=False)
                token = secrets.token_urlsafe(24)
                url = stack.enter_context(_embedded(token))
                embedded = True
            else:
                url = validate_url(options.base_url)
                decision = decide_mode(
                    url, allow_side_effects=options.allow_side_effects, force_safe=options.force_safe
                )
                embedded = False
                if options.app_id and options.app_secret:
                    token = obtain_token(url, options.app_id, options.app_secret, options.request_timeout)
                elif options.token:
                    token = options.token
                else:
                    raise UsageError(
                        "TEST_API_BASE_URL needs credentials: TEST_API_TOKEN, "
                        "or TEST_API_APP_ID and TEST_API_APP_SECRET"
                    )
            probe_target(url, token, options.request_timeout)
        except UsageError as error:
            pytest.fail(f"contract target unusable: {error}", pytrace=False)
        yield Target(url, token, decision, options, options.seed, embedded)


def _schema(target: Target, token: str | None) -> BaseSchema:
    settings = RunnerSettings(
        base_url=target.url,
        token=token,
        max_examples=target.options.max_examples,
        phases=ALL_PHASES,
        seed=target.seed,
    )
    config = schemathesis.Config.from_dict(schemathesis_config(settings))
    return schemathesis.openapi.from_path(spec_path(), config=config)


@pytest.fixture(scope="session")
def api_schema(target: Target) -> BaseSchema:
    """The document, configured as ``symbl-conformance`` configures schemathesis, with valid credentials."""
    return _schema(target, target.token)


@pytest.fixture(scope="session")
def creating_schema(target: Target, api_schema: BaseSchema) -> BaseSchema:
    """For the operations that create jobs: with credentials, or in safe mode without (all must be 401)."""
    return api_schema if target.side_effects else _schema(target, None)


@pytest.fixture(scope="session")
def public_schema(target: Target, api_schema: BaseSchema) -> BaseSchema:
    """For the operations without security (the token call): not in safe mode."""
    if not target.side_effects:
        pytest.skip("safe mode: the token call is only made to obtain the session's token")
    return api_schema


@pytest.fixture(scope="session")
def semantic_outcomes(target: Target) -> dict[str, SemanticOutcome]:
    """One run of ``symbl_conformance.semantic`` against the target, by check name."""
    with ExitStack() as stack:
        receiver, skip_reason = webhook_receiver(stack, target.decision, target.url, target.options)
        settings = semantic_settings(target.options, target.decision, target.url, target.token)
        factory = limit_mock_factory(target.decision, settings, target.token)
        try:
            outcomes = run_semantic_checks(settings, receiver, skip_reason, factory)
        except UsageError as error:  # the 429 check's own mock did not start
            pytest.fail(f"embedded mock: {error}", pytrace=False)
    return {outcome.check: outcome for outcome in outcomes}
