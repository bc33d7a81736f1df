"""``symbl-mock``: run the reference mock from the command line."""

from __future__ import annotations

import argparse
import secrets
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from symbl_cli import OneLineParser, port, positive_int, positive_seconds, seconds
from symbl_mock.accounts import Account, load_accounts_file, parse_account_option
from symbl_mock.config import MockConfig
from symbl_mock.faults import Fault
from symbl_mock.process import serve

__all__ = ["build_parser", "config_from_args", "main"]


def _fault(text: str) -> Fault:
    try:
        return Fault(text)
    except ValueError:
        names = ", ".join(f.value for f in Fault)
        raise argparse.ArgumentTypeError(f"unknown fault {text!r} (known: {names})") from None


def _account(text: str) -> Account:
    try:
        return parse_account_option(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc).removeprefix(f"--account {text!r}: ")) from None


def build_parser() -> argparse.ArgumentParser:
    d = MockConfig()  # every default below is MockConfig's
    p = OneLineParser(
        prog="symbl-mock",
        description="Reference mock of Symbl.ai's Async Audio URL API, driven by openapi/symbl-async-audio.yaml.",
    )
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default: %(default)s)")
    p.add_argument("--port", type=port, default=8080, help="port to listen on; 0 picks a free one (default: 8080)")
    p.add_argument(
        "--token", action="append", default=[], metavar="T", help="static token of the default account (repeatable)"
    )
    p.add_argument("--app-id", help="the default account's appId for POST /oauth2/token:generate (with --app-secret)")
    p.add_argument("--app-secret", help="the default account's appSecret (with --app-id)")
    p.add_argument(
        "--account",
        action="append",
        type=_account,
        default=[],
        metavar="SPEC",
        help="another account, each with its own conversations, jobs and limit (repeatable): "
        "name=N,token=T[,token=T2][,app-id=I,app-secret=S][,concurrency-limit=L]",
    )
    p.add_argument(
        "--accounts-file",
        type=Path,
        metavar="PATH",
        help="YAML or JSON file of more accounts: {accounts: [{name, tokens, app_id, app_secret, concurrency_limit}]}",
    )
    p.add_argument(
        "--token-ttl",
        type=positive_int,
        default=d.token_ttl,
        help="expiresIn of generated tokens, s (default: %(default)s)",
    )
    p.add_argument(
        "--concurrency-limit",
        type=positive_int,
        default=d.concurrency_limit,
        help="unfinished jobs of an account before 429, unless the account sets its own (default: %(default)s)",
    )
    p.add_argument(
        "--reject-unknown-properties",
        action="store_true",
        help="refuse request-body properties the spec does not declare (400); the spec accepts them",
    )
    p.add_argument(
        "--cors-origin",
        action="append",
        default=None,
        metavar="ORIGIN",
        help="a browser origin allowed to call the API (CORS), repeatable; '*' for any (default: *)",
    )
    p.add_argument("--no-cors", action="store_true", help="no CORS: OPTIONS is 405 and no CORS headers are sent")
    p.add_argument(
        "--job-duration",
        type=seconds,
        default=d.job_duration,
        help="seconds a job is in_progress (default: %(default)s)",
    )
    p.add_argument("--fetch-audio", action="store_true", help="download each job's audio and check it is audio")
    p.add_argument("--allow-private-urls", action="store_true", help="let --fetch-audio use private/loopback hosts")
    p.add_argument(
        "--max-audio-bytes",
        type=positive_int,
        default=d.max_audio_bytes,
        help="audio download limit (default: %(default)s)",
    )
    p.add_argument(
        "--audio-timeout",
        type=positive_seconds,
        default=d.audio_timeout,
        help="audio download time limit, s (default: %(default)s)",
    )
    p.add_argument(
        "--max-body-bytes",
        type=positive_int,
        default=d.max_body_bytes,
        help="request body limit, 413 above it (default: %(default)s)",
    )
    p.add_argument("--no-webhooks", action="store_true", help="record webhook notifications without sending them")
    p.add_argument(
        "--webhooks-loopback-only",
        action="store_true",
        help="send webhooks only to localhost/127.0.0.0/8/::1; record others as refused, without a name lookup",
    )
    p.add_argument(
        "--webhook-max-attempts",
        type=positive_int,
        default=d.webhook_max_attempts,
        help="attempts per notification (default: %(default)s)",
    )
    p.add_argument(
        "--webhook-backoff",
        type=seconds,
        default=d.webhook_backoff,
        help="first retry delay, doubled each time, s (default: %(default)s)",
    )
    p.add_argument(
        "--webhook-backoff-max",
        type=seconds,
        default=d.webhook_backoff_max,
        help="longest retry delay, s (default: %(default)s)",
    )
    p.add_argument(
        "--webhook-timeout",
        type=positive_seconds,
        default=d.webhook_timeout,
        help="per-attempt timeout, s (default: %(default)s)",
    )
    _add_load_options(p, d)
    p.add_argument("--fault", action="append", type=_fault, default=[], metavar="NAME", help="inject a bug")
    p.add_argument("--log-level", default="info", choices=["critical", "error", "warning", "info", "debug"])
    p.add_argument("--access-log", action="store_true", help="log every request (off by default, for speed)")
    _short_metavars(p)
    return p


_METAVARS = {seconds: "S", positive_seconds: "S", positive_int: "N", port: "PORT"}


def _short_metavars(p: argparse.ArgumentParser) -> None:
    """``--job-duration S`` rather than ``--job-duration JOB_DURATION``, in --help and the generated docs."""
    for action in p._actions:
        if action.metavar is None and action.type in _METAVARS:
            action.metavar = _METAVARS[action.type]


def _add_load_options(p: argparse.ArgumentParser, d: MockConfig) -> None:
    """Webhook delivery under load, input limits and shutdown (docs/limits.md)."""
    p.add_argument(
        "--webhook-workers-per-host",
        type=positive_int,
        default=d.webhook_workers_per_host,
        help="deliveries in flight at once per receiver, over reused connections (default: %(default)s)",
    )
    p.add_argument(
        "--webhook-queue-limit",
        type=positive_int,
        default=d.webhook_queue_limit,
        help="notifications waiting at once; past it new ones are dropped and logged (default: %(default)s)",
    )
    p.add_argument(
        "--shutdown-timeout",
        type=seconds,
        default=d.shutdown_timeout,
        help="on SIGTERM, seconds for requests in flight and pending webhooks before exiting (default: %(default)s)",
    )
    p.add_argument(
        "--max-header-bytes",
        type=positive_int,
        default=d.max_header_bytes,
        help="request line + headers, 431 above it (default: %(default)s)",
    )
    p.add_argument(
        "--max-target-bytes",
        type=positive_int,
        default=d.max_target_bytes,
        help="request target (path + query), 414 above it (default: %(default)s)",
    )
    for name, what in (("header", "first byte to end of headers"), ("body", "end of headers to end of body")):
        p.add_argument(
            f"--{name}-timeout",
            type=positive_seconds,
            default=getattr(d, f"{name}_timeout"),
            help=f"seconds from {what}, 408 after it (default: %(default)s)",
        )
    p.add_argument(
        "--keep-alive-timeout",
        type=positive_seconds,
        default=d.keep_alive_timeout,
        help="seconds an idle connection is kept open (default: %(default)s)",
    )


def _load_settings(args: argparse.Namespace) -> dict[str, Any]:
    return {
        "webhook_workers_per_host": args.webhook_workers_per_host,
        "webhook_queue_limit": args.webhook_queue_limit,
        "shutdown_timeout": args.shutdown_timeout,
        "max_header_bytes": args.max_header_bytes,
        "max_target_bytes": args.max_target_bytes,
        "header_timeout": args.header_timeout,
        "body_timeout": args.body_timeout,
        "keep_alive_timeout": args.keep_alive_timeout,
    }


def config_from_args(args: argparse.Namespace) -> tuple[MockConfig, str | None]:
    """The configuration, and the token generated for the user when no credential at all was configured."""
    generated: str | None = None
    d = MockConfig()
    audio_only = [
        flag
        for flag, given in (
            ("--allow-private-urls", args.allow_private_urls),
            ("--max-audio-bytes", args.max_audio_bytes != d.max_audio_bytes),
            ("--audio-timeout", args.audio_timeout != d.audio_timeout),
        )
        if given
    ]
    if audio_only and not args.fetch_audio:  # accepted and then ignored would look like a mock that ignores them
        raise ValueError(f"{', '.join(audio_only)}: only with --fetch-audio (the mock downloads no audio without it)")
    if args.no_cors and args.cors_origin:
        raise ValueError("--no-cors and --cors-origin contradict each other")
    cors_origins = () if args.no_cors else tuple(args.cors_origin) if args.cors_origin else d.cors_origins
    tokens = tuple(args.token)
    accounts: tuple[Account, ...] = tuple(args.account)
    if args.accounts_file is not None:
        accounts += load_accounts_file(args.accounts_file)
    if not tokens and args.app_id is None and not accounts:
        generated = secrets.token_urlsafe(24)
        tokens = (generated,)
    config = MockConfig(
        tokens=tokens,
        app_id=args.app_id,
        app_secret=args.app_secret,
        token_ttl=args.token_ttl,
        concurrency_limit=args.concurrency_limit,
        accounts=accounts,
        reject_unknown_properties=args.reject_unknown_properties,
        cors_origins=cors_origins,
        job_duration=args.job_duration,
        fetch_audio=args.fetch_audio,
        allow_private_urls=args.allow_private_urls,
        max_audio_bytes=args.max_audio_bytes,
        audio_timeout=args.audio_timeout,
        max_body_bytes=args.max_body_bytes,
        deliver_webhooks=not args.no_webhooks,
        webhooks_loopback_only=args.webhooks_loopback_only,
        webhook_max_attempts=args.webhook_max_attempts,
        webhook_backoff=args.webhook_backoff,
        webhook_backoff_max=args.webhook_backoff_max,
        webhook_timeout=args.webhook_timeout,
        faults=frozenset(args.fault),
        **_load_settings(args),
    )
    return config, generated


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        config, generated = config_from_args(args)
    except ValueError as exc:
        parser.error(str(exc))
    return serve(
        config, args.host, args.port, log_level=args.log_level, access_log=args.access_log, generated_token=generated
    )


if __name__ == "__main__":
    raise SystemExit(main())
