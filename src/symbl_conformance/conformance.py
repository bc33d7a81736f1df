"""One conformance run: decide the mode, check the target is usable, run schemathesis, then the semantic checks."""

from __future__ import annotations

import os
import random
import secrets
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, ExitStack, contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import schemathesis

from symbl_conformance.embedded import EmbeddedStartError, embedded_config, limit_config, running_embedded
from symbl_conformance.report import render_summary, write_junit
from symbl_conformance.results import RunResults
from symbl_conformance.runner import ALL_PHASES, RunnerSettings, run_schemathesis
from symbl_conformance.safety import Mode, ModeDecision, decide_mode, is_loopback_url
from symbl_conformance.semantic import SemanticSettings, run_semantic_checks
from symbl_conformance.spec import facts
from symbl_conformance.webhooks import WebhookReceiver, running_receiver
from symbl_mock import MockConfig
from symbl_spec import spec_path

__all__ = [
    "DEFAULT_MAX_EXAMPLES",
    "ConformanceOptions",
    "UsageError",
    "embedded_mock",
    "limit_mock_factory",
    "obtain_token",
    "operation_groups",
    "probe_target",
    "run_conformance",
    "semantic_settings",
    "validate_url",
    "webhook_receiver",
]

DEFAULT_MAX_EXAMPLES = 25

Write = Callable[[str], None]


class UsageError(Exception):
    """A problem with how the command was called or with the target; exit code 2, one line."""


@dataclass(frozen=True, slots=True)
class ConformanceOptions:
    base_url: str | None = None
    token: str | None = None
    app_id: str | None = None
    app_secret: str | None = None
    allow_side_effects: bool = False
    force_safe: bool = False
    max_examples: int = DEFAULT_MAX_EXAMPLES
    phases: tuple[str, ...] = ALL_PHASES
    seed: int | None = None
    rate_limit: str | None = None
    request_timeout: float = 10.0
    job_timeout: float | None = None
    poll_interval: float | None = None
    webhook_url: str | None = None
    webhook_port: int = 0
    max_limit_jobs: int = 60
    semantic: bool = True
    junit_xml: Path | None = None
    quiet: bool = False


def validate_url(url: str) -> str:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise UsageError(f"--base-url must be an http(s) URL with a host, not {url!r}")
    try:
        _ = parts.port
    except ValueError:
        raise UsageError(f"--base-url has an invalid port: {url!r}") from None
    return url.rstrip("/")


def _min_interval(rate_limit: str | None) -> float:
    if not rate_limit:
        return 0.0
    count, unit = rate_limit.split("/")
    return {"s": 1.0, "m": 60.0, "h": 3600.0}[unit] / int(count)


def obtain_token(base_url: str, app_id: str, app_secret: str, timeout: float) -> str:
    """The token call, through the generated client (whose request shape comes from the document)."""
    from symbl_async_audio_client import Client
    from symbl_async_audio_client.api.authentication import generate_token
    from symbl_async_audio_client.models import TokenRequest, TokenRequestType, TokenResponse

    body = TokenRequest(type_=next(iter(TokenRequestType)), app_id=app_id, app_secret=app_secret)
    try:
        with Client(base_url=base_url, timeout=httpx.Timeout(timeout)) as client:
            response = generate_token.sync_detailed(client=client, body=body)
    except httpx.HTTPError as error:
        raise UsageError(f"cannot reach {base_url}: {error}") from None
    except Exception as error:  # an answer the client cannot parse
        raise UsageError(f"bad credentials: the token call failed ({type(error).__name__}: {error})") from None
    if not isinstance(response.parsed, TokenResponse):
        raise UsageError(f"bad credentials: the token call answered {int(response.status_code)}")
    return str(response.parsed.access_token)


def probe_target(base_url: str, token: str, timeout: float) -> None:
    """Reachable, and the token accepted: a read-only request for a job that does not exist."""
    api = facts()
    path = api.job_status.url_path(**{api.job_param: str(uuid.uuid4())})
    try:
        response = httpx.request(
            api.job_status.method.upper(),
            base_url + path,
            headers={"Authorization": f"Bearer {token}"},
            timeout=timeout,
        )
    except httpx.ConnectError:
        raise UsageError(f"cannot reach {base_url}: connection refused or host unknown") from None
    except httpx.TimeoutException:
        raise UsageError(f"cannot reach {base_url}: no answer within {timeout:g}s") from None
    except httpx.HTTPError as error:
        raise UsageError(f"cannot reach {base_url}: {error}") from None
    if response.status_code in (401, 403):
        raise UsageError(f"bad credentials: {base_url} answered {response.status_code} to the token given")


@contextmanager
def embedded_mock(config: MockConfig) -> Iterator[str]:
    """The embedded mock (a child process on a free loopback port); yields its base URL. UsageError if it fails."""
    try:
        with running_embedded(config) as url:
            yield url
    except EmbeddedStartError as error:
        raise UsageError(str(error)) from None


def run_conformance(options: ConformanceOptions, write: Write) -> int:
    """Run everything; returns the exit code (0 passed, 1 failed). Raises UsageError (exit 2)."""
    started = time.perf_counter()
    base_url = validate_url(options.base_url) if options.base_url is not None else None
    if options.webhook_url is not None:
        validate_url(options.webhook_url)
    if (options.app_id is None) != (options.app_secret is None):
        raise UsageError("--app-id and --app-secret go together")
    if options.junit_xml is not None:
        _check_writable(options.junit_xml)
    decision = decide_mode(base_url, allow_side_effects=options.allow_side_effects, force_safe=options.force_safe)
    seed = options.seed if options.seed is not None else random.SystemRandom().randrange(2**31)
    progress: Write = (lambda _line: None) if options.quiet else write

    with ExitStack() as stack:
        if decision.mode is Mode.EMBEDDED:
            token = secrets.token_urlsafe(24)
            url = stack.enter_context(embedded_mock(embedded_config(token)))
        else:
            assert base_url is not None
            url = base_url
            if options.app_id is not None and options.app_secret is not None:
                token = obtain_token(url, options.app_id, options.app_secret, options.request_timeout)
            elif options.token:
                token = options.token
            else:
                raise UsageError("a remote server needs credentials: --token T, or --app-id ID --app-secret S")
        probe_target(url, token, options.request_timeout)
        receiver, skip_reason = webhook_receiver(stack, decision, url, options) if options.semantic else (None, "")
        _header(write, decision, url, seed, options)
        results = RunResults(mode=decision.mode.value, base_url=url, seed=seed)
        _run_schemathesis(options, decision, url, token, seed, results, progress)
        if options.semantic:
            semantic_started = time.perf_counter()
            write("[semantic] checks schemathesis cannot express")
            settings = semantic_settings(options, decision, url, token)
            factory = limit_mock_factory(decision, settings, token)
            results.semantic = run_semantic_checks(settings, receiver, skip_reason, factory, progress)
            results.semantic_seconds = time.perf_counter() - semantic_started
    results.total_seconds = time.perf_counter() - started
    render_summary(results, write)
    if options.junit_xml is not None:
        try:
            write_junit(results, options.junit_xml)
        except OSError as error:
            raise UsageError(f"cannot write --junit-xml {options.junit_xml}: {error.strerror or error}") from None
        write(f"JUnit XML written to {options.junit_xml}")
    return 1 if results.failed else 0


def _check_writable(path: Path) -> None:
    """Fail before the run, not after it, when the report cannot be written."""
    if path.is_dir():
        raise UsageError(f"--junit-xml {path} is a directory")
    parent = path.absolute().parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise UsageError(f"--junit-xml {path}: cannot create {parent}: {error.strerror or error}") from None
    if not os.access(parent, os.W_OK):
        raise UsageError(f"--junit-xml {path}: {parent} is not writable")


def semantic_settings(options: ConformanceOptions, decision: ModeDecision, url: str, token: str) -> SemanticSettings:
    """The semantic checks' settings for a run with these options against ``url``."""
    local = decision.mode is Mode.EMBEDDED or is_loopback_url(url)
    return SemanticSettings(
        base_url=url,
        token=token,
        side_effects=decision.side_effects,
        limit_check=decision.limit_check,
        job_timeout=options.job_timeout if options.job_timeout is not None else 30.0,
        poll_interval=options.poll_interval if options.poll_interval is not None else (0.005 if local else 1.0),
        max_jobs_for_limit=options.max_limit_jobs,
        min_request_interval=_min_interval(options.rate_limit),
        request_timeout=options.request_timeout,
    )


def limit_mock_factory(
    decision: ModeDecision, settings: SemanticSettings, token: str
) -> Callable[[], AbstractContextManager[SemanticSettings]] | None:
    """In embedded mode, the 429 check's own mock (a limit of 2, so the run's mock is never full); else None."""
    if decision.mode is not Mode.EMBEDDED:
        return None

    @contextmanager
    def small_mock() -> Iterator[SemanticSettings]:
        with embedded_mock(limit_config(token)) as small:
            yield replace(settings, base_url=small, max_jobs_for_limit=5)

    return small_mock


def operation_groups() -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
    """Operation IDs: read-only with credentials, job-creating with credentials, and those without security.

    Safe mode sends the first group with credentials and the second without (the spec says 401).
    """
    api = facts()
    read_only = tuple(op.operation_id for op in api.operations.values() if op.method == "get" and op.needs_auth)
    creating = tuple(op.operation_id for op in api.operations.values() if op.method != "get" and op.needs_auth)
    public = tuple(op.operation_id for op in api.operations.values() if not op.needs_auth)
    return read_only, creating, public


def _header(write: Write, decision: ModeDecision, url: str, seed: int, options: ConformanceOptions) -> None:
    write(f"symbl-conformance — {spec_path().name}, schemathesis {schemathesis.__version__}")
    write(f"Mode: {decision.mode.value.upper()} — {decision.reason}")
    write(f"Target: {url}")
    write(f"Seed: {seed}   max-examples: {options.max_examples}   phases: {','.join(options.phases)}")
    if options.rate_limit:
        write(f"Rate limit: {options.rate_limit}")


def _run_schemathesis(
    options: ConformanceOptions,
    decision: ModeDecision,
    url: str,
    token: str,
    seed: int,
    results: RunResults,
    progress: Write,
) -> None:
    base = RunnerSettings(
        base_url=url,
        token=token,
        max_examples=options.max_examples,
        phases=options.phases,
        seed=seed,
        rate_limit=options.rate_limit,
        request_timeout=options.request_timeout,
    )
    if decision.side_effects:
        progress("[schemathesis] all operations, all checks")
        run_schemathesis(base, results, progress)
        return
    read_only, creating, _public = operation_groups()
    progress(f"[schemathesis] safe mode: {', '.join(read_only)} with credentials")
    # The read-only operations link nowhere: no stateful phase for them (schemathesis would report an error).
    stateless = tuple(phase for phase in base.phases if phase != "stateful")
    if stateless:
        run_schemathesis(replace(base, operation_ids=read_only, phases=stateless), results, progress)
    progress(f"[schemathesis] safe mode: {', '.join(creating)} without valid credentials (all must be rejected)")
    run_schemathesis(replace(base, token=None, operation_ids=creating), results, progress)


def webhook_receiver(
    stack: ExitStack, decision: ModeDecision, url: str, options: ConformanceOptions
) -> tuple[WebhookReceiver | None, str]:
    """The webhook receiver for the run (entered on ``stack``), or ``None`` and why the webhook checks skip."""
    if not decision.side_effects:
        return None, "safe mode"
    public_url = options.webhook_url
    if public_url is None and not (decision.mode is Mode.EMBEDDED or is_loopback_url(url)):
        return None, "a remote server cannot reach a loopback receiver: pass --webhook-url PUBLIC_URL"
    try:
        return stack.enter_context(running_receiver(options.webhook_port, public_url)), ""
    except OSError as error:
        raise UsageError(
            f"cannot listen for webhooks on 127.0.0.1:{options.webhook_port}: {error.strerror or error}"
        ) from None
