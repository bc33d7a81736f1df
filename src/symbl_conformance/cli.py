"""``symbl-conformance``: check a server — the embedded mock or any base URL — against the spec.

Exit codes: 0 nothing failed; 1 a check failed (or the run hit errors); 2 usage error (bad option, bad
URL, unreachable server, bad credentials), explained on one line.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from collections.abc import Sequence
from pathlib import Path

import httpx

from symbl_cli import OneLineParser, port, positive_int, positive_seconds
from symbl_conformance.conformance import DEFAULT_MAX_EXAMPLES, ConformanceOptions, UsageError, run_conformance
from symbl_conformance.runner import ALL_PHASES

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


def build_parser() -> argparse.ArgumentParser:
    parser = OneLineParser(
        prog="symbl-conformance",
        description=(
            "Check a server against the Symbl.ai Async Audio OpenAPI document: schemathesis (all checks, all "
            "phases) plus the semantic checks (jobs retrievable, lifecycle, append order, 404s, webhooks, 429). "
            "Without --base-url the embedded mock is started for the run."
        ),
        epilog="Exit codes: 0 passed, 1 a check failed, 2 usage error (bad option, URL, unreachable server, "
        "bad credentials).",
    )
    target = parser.add_argument_group("target")
    target.add_argument("--base-url", help="server to check (default: the embedded mock on a free loopback port)")
    target.add_argument("--token", default=os.environ.get("SYMBL_TOKEN"), help="bearer token (env SYMBL_TOKEN)")
    target.add_argument(
        "--app-id",
        default=os.environ.get("SYMBL_APP_ID"),
        help="app ID, exchanged for a token by generateToken (env SYMBL_APP_ID)",
    )
    target.add_argument(
        "--app-secret", default=os.environ.get("SYMBL_APP_SECRET"), help="app secret (env SYMBL_APP_SECRET)"
    )
    safety = parser.add_argument_group("safety")
    safety.add_argument(
        "--allow-side-effects",
        action="store_true",
        help=(
            "create jobs on the server (needed for a non-loopback URL to run the semantic checks; "
            "enables the 429 check)"
        ),
    )
    safety.add_argument("--safe", action="store_true", help="safe mode even on loopback: never create a job")
    gen = parser.add_argument_group("generation")
    gen.add_argument(
        "--max-examples",
        type=positive_int,
        default=DEFAULT_MAX_EXAMPLES,
        help=f"per operation and phase (default {DEFAULT_MAX_EXAMPLES})",
    )
    gen.add_argument(
        "--phases", type=_phases, default=ALL_PHASES, help=f"comma-separated (default {','.join(ALL_PHASES)})"
    )
    gen.add_argument("--seed", type=int, default=None, help="reproduce a run (default: random, printed)")
    net = parser.add_argument_group("network")
    net.add_argument("--rate-limit", type=_rate, default=None, help="at most N requests per s/m/h, e.g. 10/s")
    net.add_argument("--request-timeout", type=positive_seconds, default=10.0, help="seconds per request (default 10)")
    jobs = parser.add_argument_group("semantic checks")
    jobs.add_argument("--job-timeout", type=positive_seconds, default=None, help="seconds a job may take (default 30)")
    jobs.add_argument(
        "--poll-interval",
        type=positive_seconds,
        default=None,
        help="seconds between status polls (default 0.005 on loopback, 1 otherwise)",
    )
    jobs.add_argument("--webhook-url", help="public URL that forwards to the local receiver (remote servers)")
    jobs.add_argument(
        "--webhook-port", type=port, default=0, help="port of the loopback webhook receiver (default: a free one)"
    )
    jobs.add_argument(
        "--max-limit-jobs", type=positive_int, default=60, help="jobs created looking for the 429 (default 60)"
    )
    jobs.add_argument("--no-semantic", action="store_true", help="skip the semantic checks")
    out = parser.add_argument_group("output")
    out.add_argument("--junit-xml", type=Path, default=None, help="write a JUnit XML report here")
    out.add_argument("--quiet", action="store_true", help="no progress lines")
    return parser


def parse_options(argv: Sequence[str] | None = None) -> ConformanceOptions:
    args = build_parser().parse_args(argv)
    return ConformanceOptions(
        base_url=args.base_url,
        token=args.token,
        app_id=args.app_id,
        app_secret=args.app_secret,
        allow_side_effects=args.allow_side_effects,
        force_safe=args.safe,
        max_examples=args.max_examples,
        phases=tuple(args.phases),
        seed=args.seed,
        rate_limit=args.rate_limit,
        request_timeout=args.request_timeout,
        job_timeout=args.job_timeout,
        poll_interval=args.poll_interval,
        webhook_url=args.webhook_url,
        webhook_port=args.webhook_port,
        max_limit_jobs=args.max_limit_jobs,
        semantic=not args.no_semantic,
        junit_xml=args.junit_xml,
        quiet=args.quiet,
    )


def main(argv: Sequence[str] | None = None) -> int:
    options = parse_options(argv)

    def write(line: str) -> None:
        print(line, flush=True)

    try:
        return run_conformance(options, write)
    except UsageError as error:
        print(f"symbl-conformance: error: {error}", file=sys.stderr)
        return 2
    except httpx.TransportError as error:  # the server went away during the run
        print(f"symbl-conformance: error: lost the server: {type(error).__name__}: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("symbl-conformance: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
