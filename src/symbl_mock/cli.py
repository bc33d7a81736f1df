"""``symbl-mock``: run the reference mock from the command line."""

from __future__ import annotations

import argparse
import asyncio
import gc
import secrets
import signal
import sys
from collections.abc import Sequence
from types import FrameType

import uvicorn

from symbl_cli import OneLineParser, port, positive_int, positive_seconds, seconds
from symbl_mock.app import create_app
from symbl_mock.config import MockConfig
from symbl_mock.faults import Fault
from symbl_mock.server import base_url, bind_socket

__all__ = ["build_parser", "config_from_args", "main"]


def _fault(text: str) -> Fault:
    try:
        return Fault(text)
    except ValueError:
        names = ", ".join(f.value for f in Fault)
        raise argparse.ArgumentTypeError(f"unknown fault {text!r} (known: {names})") from None


def build_parser() -> argparse.ArgumentParser:
    d = MockConfig()
    p = OneLineParser(
        prog="symbl-mock",
        description="Reference mock of Symbl.ai's Async Audio URL API, driven by openapi/symbl-async-audio.yaml.",
    )
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default: %(default)s)")
    p.add_argument("--port", type=port, default=8080, help="port to listen on; 0 picks a free one (default: 8080)")
    p.add_argument("--token", action="append", default=[], metavar="T", help="static bearer token (repeatable)")
    p.add_argument("--app-id", help="appId accepted by POST /oauth2/token:generate (with --app-secret)")
    p.add_argument("--app-secret", help="appSecret accepted by POST /oauth2/token:generate (with --app-id)")
    p.add_argument("--token-ttl", type=positive_int, default=d.token_ttl, help="expiresIn of generated tokens, s")
    p.add_argument(
        "--concurrency-limit", type=positive_int, default=d.concurrency_limit, help="unfinished jobs before 429"
    )
    p.add_argument("--job-duration", type=seconds, default=1.0, help="seconds a job is in_progress (default: 1.0)")
    p.add_argument("--fetch-audio", action="store_true", help="download each job's audio and check it is audio")
    p.add_argument("--allow-private-urls", action="store_true", help="let --fetch-audio use private/loopback hosts")
    p.add_argument("--max-audio-bytes", type=positive_int, default=d.max_audio_bytes, help="audio download limit")
    p.add_argument(
        "--audio-timeout", type=positive_seconds, default=d.audio_timeout, help="audio download time limit, s"
    )
    p.add_argument("--max-body-bytes", type=positive_int, default=d.max_body_bytes, help="request body limit (413)")
    p.add_argument("--no-webhooks", action="store_true", help="record webhook notifications without sending them")
    p.add_argument("--webhook-max-attempts", type=positive_int, default=d.webhook_max_attempts)
    p.add_argument("--webhook-backoff", type=seconds, default=1.0, help="first retry delay, doubled each time")
    p.add_argument("--webhook-backoff-max", type=seconds, default=30.0, help="longest retry delay, s")
    p.add_argument("--webhook-timeout", type=positive_seconds, default=d.webhook_timeout, help="per-attempt timeout, s")
    p.add_argument("--fault", action="append", type=_fault, default=[], metavar="NAME", help="inject a bug")
    p.add_argument("--log-level", default="info", choices=["critical", "error", "warning", "info", "debug"])
    p.add_argument("--access-log", action="store_true", help="log every request (off by default, for speed)")
    return p


def config_from_args(args: argparse.Namespace) -> tuple[MockConfig, str | None]:
    """The configuration, and the token generated for the user when none was configured."""
    generated: str | None = None
    tokens = tuple(args.token)
    if not tokens and args.app_id is None:
        generated = secrets.token_urlsafe(24)
        tokens = (generated,)
    config = MockConfig(
        tokens=tokens,
        app_id=args.app_id,
        app_secret=args.app_secret,
        token_ttl=args.token_ttl,
        concurrency_limit=args.concurrency_limit,
        job_duration=args.job_duration,
        fetch_audio=args.fetch_audio,
        allow_private_urls=args.allow_private_urls,
        max_audio_bytes=args.max_audio_bytes,
        audio_timeout=args.audio_timeout,
        max_body_bytes=args.max_body_bytes,
        deliver_webhooks=not args.no_webhooks,
        webhook_max_attempts=args.webhook_max_attempts,
        webhook_backoff=args.webhook_backoff,
        webhook_backoff_max=args.webhook_backoff_max,
        webhook_timeout=args.webhook_timeout,
        faults=frozenset(args.fault),
    )
    return config, generated


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        config, generated = config_from_args(args)
    except ValueError as exc:
        parser.error(str(exc))
    try:
        sock = bind_socket(args.host, args.port)
    except OSError as exc:
        print(f"symbl-mock: error: cannot listen on {args.host}:{args.port}: {exc.strerror or exc}", file=sys.stderr)
        return 1
    url = base_url(args.host, sock.getsockname()[1])
    app = create_app(config)
    server = uvicorn.Server(
        uvicorn.Config(
            app,
            log_level=args.log_level,
            access_log=args.access_log,
            proxy_headers=False,  # a local mock behind no proxy: skip uvicorn's per-request header rewriting
            timeout_graceful_shutdown=5,
        )
    )

    async def serve() -> None:
        task = asyncio.create_task(server.serve(sockets=[sock]))
        while not server.started and not task.done():  # noqa: ASYNC110 - uvicorn offers no started event
            await asyncio.sleep(0.01)
        if server.started:
            print(f"symbl-mock listening on {url}", flush=True)
            if generated:
                print(f"symbl-mock token (send as 'Authorization: Bearer <token>'): {generated}", flush=True)
            if config.faults:
                print(f"symbl-mock faults injected: {', '.join(sorted(config.faults))}", flush=True)
        await task

    # uvicorn handles SIGINT/SIGTERM (stops accepting, finishes in-flight requests, returns), then re-raises
    # the signal under the handler that was installed before it started. Installed here, that handler lets
    # a SIGTERM end the process with status 0 like a SIGINT, instead of the default kill (status -15).
    def stop(signum: int, frame: FrameType | None) -> None:  # also covers a SIGTERM before uvicorn took over
        server.should_exit = True

    previous = signal.signal(signal.SIGTERM, stop)
    _freeze_survivors_of_full_collections()
    try:
        # uvicorn's loop (uvloop when installed).
        with asyncio.Runner(loop_factory=server.config.get_loop_factory()) as runner:
            runner.run(serve())
    except KeyboardInterrupt:
        pass
    finally:
        signal.signal(signal.SIGTERM, previous)
        sock.close()
    return 0 if server.started else 1


def _freeze_survivors_of_full_collections() -> None:
    """Keep the mock's long-lived records (every job it ever took) out of later full GC passes.

    A full collection scans every tracked object, so its pause grows with the jobs kept in memory (tens of
    milliseconds after ~100k jobs, which showed as the benchmark's p99). What survives a full collection is
    long-lived; freezing it after each one means the next only scans what is newer. Done only by the command,
    which owns its process: ``running_mock`` leaves the host process's GC alone.
    """
    gc.freeze()

    def after(phase: str, info: dict[str, int]) -> None:
        if phase == "stop" and info.get("generation") == 2:
            gc.freeze()

    gc.callbacks.append(after)


if __name__ == "__main__":
    raise SystemExit(main())
