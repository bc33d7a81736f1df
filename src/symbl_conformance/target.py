"""The server a run checks, made ready before the run: the embedded mock started, or the URL validated; the
credentials obtained; the server probed; the webhook receiver listening. Every problem here is a usage
error (exit 2): nothing has been checked yet."""

from __future__ import annotations

import secrets
import uuid
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import httpx

from symbl_conformance.credentials import Credentials
from symbl_conformance.embedded import EmbeddedStartError, embedded_config, running_embedded
from symbl_conformance.options import ConformanceOptions, UsageError
from symbl_conformance.receiver import WebhookReceiver, running_receiver
from symbl_conformance.safety import SAFE_MODE_CREATES_NO_JOB, Mode, ModeDecision
from symbl_conformance.spec import facts
from symbl_mock import MockConfig

__all__ = [
    "Target",
    "check_writable",
    "embedded_mock",
    "open_target",
    "probe_target",
    "validate_options",
    "validate_url",
    "webhook_receiver",
]


@dataclass(frozen=True, slots=True)
class Target:
    url: str
    credentials: Credentials
    other: Credentials | None
    """The second account's credentials (account isolation), if given."""
    embedded_token: str | None
    """The embedded mock's token (embedded mode), for the 429 check's own small mock."""


def validate_url(url: str, option: str = "--base-url") -> str:
    try:
        parts = urlsplit(url)
    except ValueError as error:  # an unbalanced "[" of an IPv6 host, say
        raise UsageError(f"{option} is not a valid URL ({error}): {url!r}") from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise UsageError(f"{option} must be an http(s) URL with a host, not {url!r}")
    try:
        _ = parts.port
    except ValueError:
        raise UsageError(f"{option} has an invalid port: {url!r}") from None
    return url.rstrip("/")


def check_writable(path: Path, option: str) -> None:
    """Fail before the run, not after it, when a report cannot be written."""
    if path.is_dir():
        raise UsageError(f"{option} {path} is a directory")
    parent = path.absolute().parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise UsageError(f"{option} {path}: cannot create {parent}: {error.strerror or error}") from None
    # Opening it is the only real test (root passes os.access; /proc, read-only mounts and full quotas do not).
    existed = path.exists()
    try:
        with path.open("a", encoding="utf-8"):
            pass
    except OSError as error:
        raise UsageError(f"{option} {path}: cannot be written: {error.strerror or error}") from None
    if not existed:
        path.unlink(missing_ok=True)


def validate_options(options: ConformanceOptions) -> None:
    """UsageError for options that cannot work together, before anything starts."""
    if options.base_url is not None:
        validate_url(options.base_url)
    if options.webhook_url is not None:
        validate_url(options.webhook_url, "--webhook-url")
    if (options.app_id is None) != (options.app_secret is None):
        raise UsageError("--app-id and --app-secret go together")
    if (options.other_app_id is None) != (options.other_app_secret is None):
        raise UsageError("--other-app-id and --other-app-secret go together")
    if options.webhook_url is not None and options.base_url is None:
        # The embedded mock delivers only to loopback: every job's webhooks would be refused, failing webhook_order.
        raise UsageError("--webhook-url needs --base-url: the embedded mock delivers to its loopback receiver")
    if options.base_url is None and options.force_safe:
        raise UsageError("--safe needs --base-url: the embedded mock is a mock, every check runs against it")
    if options.base_url is None and options.concurrency_limit is not None:
        raise UsageError("--concurrency-limit needs --base-url: the embedded run checks 429 on a mock of its own")
    if options.has_other_account and options.base_url is None:
        raise UsageError("a second account (--other-token, --other-app-id) needs --base-url: the embedded mock has one")
    for path, option in ((options.junit_xml, "--junit-xml"), (options.report_json, "--report-json")):
        if path is not None:
            check_writable(path, option)


def probe_target(base_url: str, token: str, timeout: float) -> None:
    """Reachable, and the token accepted: a read-only request for a job that does not exist."""
    api = facts()
    path = api.job_status_path(str(uuid.uuid4()))
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


def _credentials(url: str, token: str | None, app: tuple[str | None, str | None], timeout: float) -> Credentials | None:
    app_id, app_secret = app
    if app_id is not None and app_secret is not None:
        return Credentials.from_app(url, app_id, app_secret, timeout)
    if token:
        return Credentials(token=token)
    return None


def open_target(stack: ExitStack, options: ConformanceOptions, decision: ModeDecision) -> Target:
    """The embedded mock or the base URL, with working credentials (probed); UsageError otherwise."""
    timeout = options.request_timeout
    embedded_token = None
    other: Credentials | None = None
    if decision.mode is Mode.EMBEDDED:  # two accounts, so that the isolation check runs too
        embedded_token, other_token = secrets.token_urlsafe(24), secrets.token_urlsafe(24)
        url = stack.enter_context(embedded_mock(embedded_config(embedded_token, other_token)))
        credentials: Credentials | None = Credentials(token=embedded_token)
        other = Credentials(token=other_token)
    else:
        assert options.base_url is not None
        url = validate_url(options.base_url)
        credentials = _credentials(url, options.token, (options.app_id, options.app_secret), timeout)
        if credentials is None:
            raise UsageError("a remote server needs credentials: --token T, or --app-id ID --app-secret S")
    assert credentials is not None
    probe_target(url, credentials.token(), timeout)
    if other is None:
        other = _credentials(url, options.other_token, (options.other_app_id, options.other_app_secret), timeout)
    if other is not None:
        probe_target(url, other.token(), timeout)
    return Target(url, credentials, other, embedded_token)


def webhook_receiver(
    stack: ExitStack, decision: ModeDecision, url: str, options: ConformanceOptions
) -> tuple[WebhookReceiver | None, str]:
    """The webhook receiver for the run (entered on ``stack``), or ``None`` and why the webhook checks skip."""
    if not decision.side_effects:
        # Never shown (every check that needs webhooks needs jobs, skipped first with this same reason), but the
        # webhooks need stays unmet.
        return None, SAFE_MODE_CREATES_NO_JOB
    public_url = options.webhook_url
    if public_url is None and not decision.on_loopback(url):
        return None, "a remote server cannot reach a loopback receiver: pass --webhook-url PUBLIC_URL"
    try:
        return stack.enter_context(running_receiver(options.webhook_port, public_url)), ""
    except OSError as error:
        raise UsageError(
            f"cannot listen for webhooks on 127.0.0.1:{options.webhook_port}: {error.strerror or error}"
        ) from None
