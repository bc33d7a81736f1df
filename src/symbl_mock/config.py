"""Configuration of the mock: one frozen dataclass, the one place of its defaults.

Shared by the command line (whose option defaults are these), ``create_app``, ``running_mock`` and the child
process of ``mock_process`` (which receives it as JSON on its standard input, never on its command line).
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field, fields, replace
from typing import Any
from urllib.parse import urlsplit

from symbl_mock.accounts import DEFAULT_ACCOUNT, Account
from symbl_mock.faults import Fault

__all__ = ["DEFAULT_TEST_TOKEN", "MockConfig"]

DEFAULT_TEST_TOKEN = "symbl-mock-test-token"  # noqa: S105 - a well-known token for local tests, not a secret


@dataclass(frozen=True, slots=True)
class MockConfig:
    """How the mock behaves. The defaults are those of ``symbl-mock``; tests pass faster timings explicitly.

    Timing: a job is ``scheduled`` until it is the oldest unfinished job of its conversation, then
    ``in_progress`` for ``job_duration`` seconds (plus the audio download when ``fetch_audio``), then
    ``completed`` or ``failed``. A job fails, deterministically, when the host of its ``url`` ends in
    ``.invalid`` (RFC 2606's reserved TLD), or when ``fetch_audio`` is on and the download or the
    audio sniffing fails.
    """

    tokens: tuple[str, ...] = (DEFAULT_TEST_TOKEN,)
    """Static tokens of the ``default`` account, valid forever (``Authorization: Bearer T`` or ``x-api-key: T``)."""
    app_id: str | None = None
    """Application credentials of the ``default`` account, accepted by generateToken (both or neither)."""
    app_secret: str | None = None
    token_ttl: int = 86400
    """Lifetime of generated tokens, in seconds; a token is refused (401) once it has expired. A token request
    while the app's token is live returns it with its remaining lifetime (see ``symbl_mock.tokens``)."""
    concurrency_limit: int = 50
    """Unfinished jobs allowed at once per account (unless an account sets its own); beyond it, 429."""
    accounts: tuple[Account, ...] = ()
    """Accounts beside ``default``, each with its own credentials, conversations, jobs and limit."""
    reject_unknown_properties: bool = False
    """Refuse request-body properties the spec does not declare (400). The spec accepts them (its reading 12)."""
    cors_origins: tuple[str, ...] = ("*",)
    """Browser origins allowed to call the API (CORS), as Symbl's browser demos do: ``*`` for any. Preflight
    ``OPTIONS`` requests get ``204`` and every answer to an allowed ``Origin`` the CORS headers. Empty: no CORS
    (``OPTIONS`` is ``405``, as any method the document does not declare)."""
    job_duration: float = 1.0
    """Seconds each job spends ``in_progress`` (its processing time, once its turn in the conversation comes)."""
    fetch_audio: bool = False
    """Download each job's audio and fail the job unless it is WAV/MP3/FLAC/OGG/M4A."""
    allow_private_urls: bool = False
    """Let ``fetch_audio`` download from private, loopback and link-local addresses (tests serve audio locally)."""
    max_audio_bytes: int = 50 * 1024 * 1024
    """Larger downloads fail the job."""
    audio_timeout: float = 10.0
    """Seconds allowed for one whole audio download."""
    max_body_bytes: int = 1024 * 1024
    """Request bodies above this get 413."""
    deliver_webhooks: bool = True
    """POST job status notifications to webhookUrl. When False, they are only recorded (outcome ``skipped``)."""
    webhooks_loopback_only: bool = False
    """Deliver only to loopback hosts (``localhost``, 127.0.0.0/8, ``::1``); others are recorded as ``refused``
    without a name lookup. For a mock fed generated data (the conformance run's), which must not reach off the
    machine."""
    webhook_max_attempts: int = 5
    """Attempts per notification (first try included) before it is given up on."""
    webhook_backoff: float = 1.0
    """Delay before the first retry, in seconds; doubled after each failed attempt."""
    webhook_backoff_max: float = 30.0
    """Upper bound of the retry delay, in seconds."""
    webhook_timeout: float = 5.0
    """Seconds allowed for one delivery attempt: connecting, sending and the answer, all of it."""
    # -- load, input limits and shutdown (see docs/limits.md) --
    webhook_workers_per_host: int = 16
    """Deliveries in flight at once to one receiver (scheme, host and port), over as many reused connections."""
    webhook_queue_limit: int = 100_000
    """Notifications waiting at once, all receivers together. Past it new ones are dropped: recorded as
    ``dropped`` in ``/__mock__/webhooks``, counted there and logged."""
    shutdown_timeout: float = 3.0
    """On SIGTERM/SIGINT the mock stops accepting connections, then gives requests in flight and pending
    webhook deliveries this many seconds in all; it logs what is left undelivered and exits."""
    max_header_bytes: int = 320 * 1024
    """Request line and headers together (the target's limit and 64 KiB); a longer head gets 431, read no
    further than this."""
    max_target_bytes: int = 256 * 1024
    """Request target (path and query); a longer one gets 414. The longest the spec bounds is about 120 KiB:
    its query strings, up to 8,192 and 2,048 characters, may be 4-byte characters, 12 bytes percent-encoded."""
    header_timeout: float = 10.0
    """Seconds from a request's first byte to the end of its headers; later gets 408."""
    body_timeout: float = 10.0
    """Seconds from the end of a request's headers to the end of its body; later gets 408."""
    keep_alive_timeout: float = 5.0
    """Seconds a connection may stay open with no request begun (after it opened or after an answer)."""
    faults: frozenset[Fault] = field(default_factory=frozenset)
    """Deliberate bugs (see ``symbl_mock.faults``). Empty by default."""

    def __post_init__(self) -> None:
        problems: list[str] = []
        if (self.app_id is None) != (self.app_secret is None):
            problems.append("app_id and app_secret must be given together")
        if self.app_id == "" or self.app_secret == "":
            problems.append("app_id and app_secret must not be empty")
        if any(not t or any(c.isspace() for c in t) for t in self.tokens):
            problems.append("tokens must be non-empty and contain no whitespace")
        problems.extend(_account_problems(self.accounts, self.tokens, self.app_id))
        if self.token_ttl < 1:
            problems.append("token_ttl must be at least 1 second")
        if self.concurrency_limit < 1:
            problems.append("concurrency_limit must be at least 1")
        if not self.job_duration >= 0:  # also refuses NaN
            problems.append("job_duration must be a number of seconds >= 0")
        if self.max_body_bytes < 1 or self.max_audio_bytes < 1:
            problems.append("byte limits must be at least 1")
        if self.webhook_max_attempts < 1:
            problems.append("webhook_max_attempts must be at least 1")
        if not (self.webhook_backoff >= 0 and self.webhook_backoff_max >= 0):
            problems.append("webhook backoff delays must be >= 0")
        if not (self.webhook_timeout > 0 and self.audio_timeout > 0):
            problems.append("timeouts must be > 0")
        if self.webhook_workers_per_host < 1 or self.webhook_queue_limit < 1:
            problems.append("webhook_workers_per_host and webhook_queue_limit must be at least 1")
        if not self.shutdown_timeout >= 0:
            problems.append("shutdown_timeout must be a number of seconds >= 0")
        if not 0 < self.max_target_bytes < self.max_header_bytes:
            problems.append("max_target_bytes must be at least 1 and below max_header_bytes")
        if not (self.header_timeout > 0 and self.body_timeout > 0 and self.keep_alive_timeout > 0):
            problems.append("header, body and keep-alive timeouts must be > 0")
        if any(not _is_origin(origin) for origin in self.cors_origins):
            problems.append("cors_origins must be '*' or origins such as 'https://app.example:3000'")
        unknown = [f for f in self.faults if not isinstance(f, Fault)]
        if unknown:
            problems.append(f"unknown faults: {unknown!r}")
        if problems:
            raise ValueError("; ".join(problems))

    def has(self, fault: Fault) -> bool:
        return fault in self.faults

    def all_accounts(self) -> tuple[Account, ...]:
        """Every account, ``default`` first, each with its limit resolved."""
        default = Account(DEFAULT_ACCOUNT, self.tokens, self.app_id, self.app_secret, self.concurrency_limit)
        return (
            default,
            *(replace(a, concurrency_limit=a.concurrency_limit or self.concurrency_limit) for a in self.accounts),
        )

    def to_json(self) -> str:
        data = asdict(self)
        data["faults"] = sorted(self.faults)
        return json.dumps(data)

    @classmethod
    def from_json(cls, text: str) -> MockConfig:
        """The configuration ``to_json`` wrote; ValueError for unknown fields or values."""
        data: dict[str, Any] = json.loads(text)
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(data) - known)
        if unknown:
            raise ValueError(f"unknown MockConfig fields: {unknown}")
        for name in ("tokens", "cors_origins"):
            if name in data:
                data[name] = tuple(data[name])
        if "accounts" in data:
            data["accounts"] = tuple(
                Account.from_mapping(item, f"accounts[{index}]") for index, item in enumerate(data["accounts"])
            )
        if "faults" in data:
            data["faults"] = frozenset(Fault(name) for name in data["faults"])
        return cls(**data)


def _account_problems(accounts: tuple[Account, ...], tokens: tuple[str, ...], app_id: str | None) -> list[str]:
    """Names unique and not ``default``; no token or appId acting for two accounts."""
    problems: list[str] = []
    names = [a.name for a in accounts]
    if DEFAULT_ACCOUNT in names:
        problems.append(f"account name {DEFAULT_ACCOUNT!r} is reserved for tokens/app_id/app_secret")
    if len(set(names)) != len(names):
        problems.append("account names must be unique")
    seen_tokens = set(tokens)
    seen_apps = {app_id} - {None}
    for account in accounts:
        problems.extend(account.problems())
        if seen_tokens & set(account.tokens):
            problems.append(f"account {account.name!r}: a token may act for one account only")
        seen_tokens |= set(account.tokens)
        if account.app_id is not None and account.app_id in seen_apps:
            problems.append(f"account {account.name!r}: an appId may belong to one account only")
        seen_apps.add(account.app_id)
    return problems


def _is_origin(text: str) -> bool:
    """``*``, or a serialized origin: scheme, host and optional port, nothing else (RFC 6454)."""
    if text == "*":
        return True
    try:
        parts = urlsplit(text)
        parts.port  # noqa: B018 - raises ValueError for a bad port
    except ValueError:
        return False
    return parts.scheme in ("http", "https") and bool(parts.hostname) and text == f"{parts.scheme}://{parts.netloc}"
