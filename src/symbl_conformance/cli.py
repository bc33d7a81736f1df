"""``symbl-conformance``: check a server — the embedded mock or any base URL — against the spec.

Exit codes: 0 nothing failed; 1 a check failed, or the run met errors or stopped early (the reports are
written all the same); 2 usage error (bad option, bad URL, unreachable server, bad credentials), one line.
Every default comes from ``symbl_conformance.options.DEFAULTS``.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from collections.abc import Sequence
from pathlib import Path

from symbl_cli import OneLineParser, port, positive_int, positive_seconds
from symbl_conformance.options import (
    ALL_PHASES,
    DEFAULTS,
    LOOPBACK_POLL_INTERVAL,
    REMOTE_POLL_INTERVAL,
    ConformanceOptions,
    UsageError,
)
from symbl_conformance.run import run_conformance

__all__ = ["build_parser", "main", "parse_options"]

_RATE = re.compile(r"^\d+/[smh]$")


def _phases(text: str) -> tuple[str, ...]:
    phases = tuple(part.strip() for part in text.split(",") if part.strip())
    unknown = [p for p in phases if p not in ALL_PHASES]
    if unknown or not phases:
        raise argparse.ArgumentTypeError(f"phases are a comma-separated subset of {','.join(ALL_PHASES)}")
    return phases


def _rate(text: str) -> str:
    if not _RATE.match(text) or text.startswith("0"):
        raise argparse.ArgumentTypeError(f"rate limit is N/s, N/m or N/h with N >= 1, not {text!r}")
    return text


def _env(name: str) -> str | None:
    return os.environ.get(name) or None


def build_parser() -> argparse.ArgumentParser:
    """The command line; every default is ``DEFAULTS``', and every help text ends with ``(default: …)`` (the
    option table of docs/conformance.md is checked against these texts)."""
    d = DEFAULTS
    parser = OneLineParser(
        prog="symbl-conformance",
        description=(
            "Check a server against the Symbl.ai Async Audio OpenAPI document: schemathesis (all checks, all "
            "phases) plus the semantic checks (jobs retrievable and distinct, lifecycle, append order, 404s, "
            "webhooks, 429, account isolation). Without --base-url the embedded mock is started for the run."
        ),
        epilog="Exit codes: 0 passed; 1 a check failed, or the run met errors or stopped early (reports written "
        "all the same); 2 usage error (bad option, URL, unreachable server, bad credentials).",
    )
    target = parser.add_argument_group("target")
    target.add_argument(
        "--base-url", metavar="URL", help="server to check (default: the embedded mock on a free loopback port)"
    )
    for flag, metavar, env, what in (
        ("--token", "T", "SYMBL_TOKEN", "bearer token"),
        ("--app-id", "ID", "SYMBL_APP_ID", "app ID, exchanged for tokens by generateToken, renewed before they expire"),
        ("--app-secret", "S", "SYMBL_APP_SECRET", "app secret"),
        ("--other-token", "T", "SYMBL_OTHER_TOKEN", "a second account's token, for the account-isolation check"),
        ("--other-app-id", "ID", "SYMBL_OTHER_APP_ID", "a second account's app ID"),
        ("--other-app-secret", "S", "SYMBL_OTHER_APP_SECRET", "a second account's app secret"),
    ):
        target.add_argument(flag, metavar=metavar, default=_env(env), help=f"{what} (default: env {env})")
    safety = parser.add_argument_group("safety")
    safety.add_argument(
        "--allow-side-effects",
        action="store_true",
        help="create jobs on a non-loopback server (the semantic checks need them), and run the 429 check "
        "(default: off)",
    )
    safety.add_argument(
        "--safe", action="store_true", help="safe mode even on loopback: never create a job (default: off)"
    )
    gen = parser.add_argument_group("generation")
    gen.add_argument(
        "--max-examples",
        metavar="N",
        type=positive_int,
        default=d.max_examples,
        help=f"schemathesis examples per operation and phase (default: {d.max_examples})",
    )
    gen.add_argument(
        "--phases",
        metavar="P,...",
        type=_phases,
        default=d.phases,
        help=f"schemathesis phases, comma-separated (default: {','.join(d.phases)})",
    )
    gen.add_argument("--seed", metavar="N", type=int, default=d.seed, help="reproduce a run (default: random, printed)")
    gen.add_argument(
        "--max-failures",
        metavar="N",
        type=positive_int,
        default=d.max_failures,
        help="stop schemathesis after N failures (default: never; every distinct failure is listed)",
    )
    net = parser.add_argument_group("network")
    net.add_argument(
        "--rate-limit",
        metavar="N/s",
        type=_rate,
        default=d.rate_limit,
        help="at most N requests per second, minute or hour: N/s, N/m, N/h (default: none)",
    )
    net.add_argument(
        "--request-timeout",
        metavar="S",
        type=positive_seconds,
        default=d.request_timeout,
        help=f"seconds per request (default: {d.request_timeout:g})",
    )
    jobs = parser.add_argument_group("semantic checks")
    jobs.add_argument(
        "--job-timeout",
        metavar="S",
        type=positive_seconds,
        default=d.job_timeout,
        help=f"seconds each job may take from its turn in its conversation (default: {d.job_timeout:g})",
    )
    jobs.add_argument(
        "--poll-interval",
        metavar="S",
        type=positive_seconds,
        default=d.poll_interval,
        help=f"seconds between status polls (default: {LOOPBACK_POLL_INTERVAL:g} on loopback, "
        f"{REMOTE_POLL_INTERVAL:g} otherwise)",
    )
    jobs.add_argument(
        "--webhook-timeout",
        metavar="S",
        type=positive_seconds,
        default=d.webhook_timeout,
        help=f"seconds to wait for the webhooks of finished jobs (default: {d.webhook_timeout:g})",
    )
    jobs.add_argument(
        "--webhook-url",
        metavar="URL",
        help="public URL that forwards to the local webhook receiver, for a remote server (default: none)",
    )
    jobs.add_argument(
        "--webhook-port",
        metavar="P",
        type=port,
        default=d.webhook_port,
        help="port of the loopback webhook receiver (default: a free one)",
    )
    jobs.add_argument(
        "--concurrency-limit",
        metavar="N",
        type=positive_int,
        default=d.concurrency_limit,
        help="the concurrent-job limit the server promises: no 429 once N jobs are unfinished fails "
        "(default: none; a 429 is looked for, not required)",
    )
    jobs.add_argument(
        "--max-limit-jobs",
        metavar="N",
        type=positive_int,
        default=d.max_limit_jobs,
        help=f"jobs the 429 check may create (default: {d.max_limit_jobs})",
    )
    jobs.add_argument("--no-semantic", action="store_true", help="schemathesis only (default: off)")
    out = parser.add_argument_group("output")
    out.add_argument(
        "--junit-xml", metavar="PATH", type=Path, default=d.junit_xml, help="write a JUnit XML report (default: none)"
    )
    out.add_argument(
        "--report-json",
        metavar="PATH",
        type=Path,
        default=d.report_json,
        help="write the JSON report, described in docs/conformance.md (default: none)",
    )
    out.add_argument("--quiet", action="store_true", help="no progress lines (default: off)")
    return parser


def parse_options(argv: Sequence[str] | None = None) -> ConformanceOptions:
    args = build_parser().parse_args(argv)
    return ConformanceOptions(
        base_url=args.base_url,
        token=args.token,
        app_id=args.app_id,
        app_secret=args.app_secret,
        other_token=args.other_token,
        other_app_id=args.other_app_id,
        other_app_secret=args.other_app_secret,
        allow_side_effects=args.allow_side_effects,
        force_safe=args.safe,
        max_examples=args.max_examples,
        phases=tuple(args.phases),
        seed=args.seed,
        max_failures=args.max_failures,
        rate_limit=args.rate_limit,
        request_timeout=args.request_timeout,
        job_timeout=args.job_timeout,
        poll_interval=args.poll_interval,
        webhook_timeout=args.webhook_timeout,
        webhook_url=args.webhook_url,
        webhook_port=args.webhook_port,
        concurrency_limit=args.concurrency_limit,
        max_limit_jobs=args.max_limit_jobs,
        semantic=not args.no_semantic,
        junit_xml=args.junit_xml,
        report_json=args.report_json,
        quiet=args.quiet,
    )


def main(argv: Sequence[str] | None = None) -> int:
    options = parse_options(argv)

    def write(line: str) -> None:
        try:
            print(line, flush=True)
        except BrokenPipeError:
            # The reader went away (``| head``): the run goes on to its verdict, exit code and report files, and
            # what it would have printed goes nowhere (the interpreter's own flush at exit included).
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())

    try:
        return run_conformance(options, write)
    except UsageError as error:
        print(f"symbl-conformance: error: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("symbl-conformance: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
