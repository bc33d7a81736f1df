"""Benchmark the reference mock: ``PUT /v1/process/audio/url/{id}`` under wrk, beside its ceiling and Prism.

Three servers answer the same request (a valid body and token, appending to a conversation) in one run,
each in its own process on loopback, measured in interleaved rounds (the median round is kept, so that a
burst of load from elsewhere on the machine skews one round rather than one server). The appends go
round-robin to existing conversations (64 by default), so that the mock runs the jobs it takes while it
is measured:

  (a) ``bare``  - a Starlette route returning a fixed 201 on the mock's server stack (uvicorn, uvloop,
                  httptools, no access log): the ceiling for this design;
  (b) ``mock``  - ``symbl-mock`` with a concurrency limit high enough never to answer 429;
  (c) ``prism`` - ``npx @stoplight/prism-cli mock`` on the same spec, logging silent (skipped without npx).

wrk (Debian's ``apt-get install -y wrk``) sends the load; a Lua script sets the method, body and headers
and prints its own summary (requests, non-2xx count, latency percentiles). When the machine has two cores
or more, the server is pinned to one core and wrk to another, so that they do not share one.

    scripts/bench_mock [--duration 10] [--rounds 3] [--connections 64] [--conversations 64] [--no-prism]
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
SPEC = ROOT / "openapi" / "symbl-async-audio.yaml"
PRISM = "@stoplight/prism-cli@5.16.0"
TOKEN = "bench-token"  # noqa: S105 - a local benchmark token
BODY = {"url": "https://symbltestdata.s3.us-east-2.amazonaws.com/sample_audio_file.wav", "name": "Business Meeting"}
PRISM_CONVERSATION = "5815170693595136"
TARGET_BARE = 0.60
TARGET_PRISM = 3.0

LUA = r"""
wrk.method = "PUT"
wrk.body = [==[BODY]==]
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer TOKEN"

local paths = {PATHS}
local counter = 0

function request()
  counter = counter + 1
  return wrk.format(nil, paths[(counter % #paths) + 1])
end

function done(summary, latency, requests)
  io.write(string.format(
    'WRK_RESULT {"requests":%d,"duration_us":%d,"non_2xx_3xx":%d,"connect":%d,"read":%d,"write":%d,' ..
    '"timeout":%d,"p50_us":%d,"p90_us":%d,"p99_us":%d,"max_us":%d}\n',
    summary.requests, summary.duration, summary.errors.status, summary.errors.connect, summary.errors.read,
    summary.errors.write, summary.errors.timeout, latency:percentile(50), latency:percentile(90),
    latency:percentile(99), latency.max))
end
"""


@dataclass(frozen=True, slots=True)
class Result:
    name: str
    requests: int
    seconds: float
    non_2xx: int
    socket_errors: int
    p50_ms: float
    p99_ms: float
    cpu_seconds: float | None = None
    """CPU time the server's processes used during the measured load (None where /proc is unavailable)."""
    note: str = ""

    @property
    def cpu_us_per_request(self) -> float | None:
        """Server CPU per answered request (user + system time of the server's processes during the round)."""
        return self.cpu_seconds / self.requests * 1e6 if self.cpu_seconds is not None and self.requests else None

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


# -- the bare ceiling ---------------------------------------------------------------------------------------


def serve_bare(port: int) -> None:
    """The ceiling: one Starlette route with a fixed 201, on uvicorn + uvloop + httptools, no access log."""
    import uvicorn
    from starlette.applications import Starlette
    from starlette.requests import Request
    from starlette.responses import Response
    from starlette.routing import Route

    payload = json.dumps({"conversationId": PRISM_CONVERSATION, "jobId": "9b1deb4d-3b7d-4bad-9bdd-2b0d7b3dcb6d"})

    async def created(request: Request) -> Response:
        return Response(payload, status_code=201, media_type="application/json")

    app = Starlette(routes=[Route("/v1/process/audio/url/{conversationId}", created, methods=["PUT"])])
    uvicorn.run(
        app, host="127.0.0.1", port=port, loop="uvloop", http="httptools", access_log=False, log_level="warning"
    )


# -- plumbing -----------------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def pinned(command: list[str], core: int | None) -> list[str]:
    if core is None:
        return command
    return ["taskset", "-c", str(core), *command]


def cores() -> tuple[int | None, int | None]:
    """(server core, wrk core) when there are two or more cores and taskset exists, else no pinning."""
    available = sorted(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else []
    if len(available) >= 2 and shutil.which("taskset"):
        return available[0], available[1]
    return None, None


@contextlib.contextmanager
def server(
    command: list[str], ready_url: str, timeout: float = 120.0, log: Path | None = None
) -> Iterator[subprocess.Popen[bytes]]:
    """Start a server process group, wait until it answers HTTP, stop it (SIGINT, then SIGKILL) on exit.

    With ``log``, its output (both streams) goes to that file; otherwise stderr is kept to explain a failed start.
    """
    with contextlib.ExitStack() as files:
        sink = files.enter_context(log.open("wb")) if log is not None else None
        process = subprocess.Popen(  # noqa: S603 - our own commands
            command,
            stdout=sink if sink is not None else subprocess.DEVNULL,
            stderr=subprocess.STDOUT if sink is not None else subprocess.PIPE,
            start_new_session=True,
        )
    try:
        deadline = time.monotonic() + timeout
        while True:
            if process.poll() is not None:
                stream = process.stderr.read() if process.stderr else log.read_bytes() if log else b""
                error = stream.decode(errors="replace")
                raise RuntimeError(f"{command[0]} exited with {process.returncode}: {error[-2000:]}")
            with contextlib.suppress(httpx.HTTPError):
                httpx.get(ready_url, timeout=1.0)
                break
            if time.monotonic() > deadline:
                raise RuntimeError(f"{' '.join(command)} did not answer within {timeout:g} s")
            time.sleep(0.1)
        yield process
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGINT)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)


def group_cpu_seconds(pgid: int) -> float | None:
    """User + system CPU seconds of every live process in the process group (Linux /proc), or None."""
    proc = Path("/proc")
    if not proc.is_dir():
        return None
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for entry in proc.iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        # After the command name: state ppid pgrp session ... utime(12th) stime(13th) counted from state.
        if int(fields[2]) == pgid:
            total += int(fields[11]) + int(fields[12])
    return total / ticks


def run_wrk(
    name: str,
    url: str,
    conversations: Sequence[str],
    args: argparse.Namespace,
    core: int | None,
    *,
    pgid: int | None = None,
    note: str = "",
) -> Result:
    """wrk against ``url``, its requests spread round-robin over ``conversations``."""
    paths = ", ".join(f'"/v1/process/audio/url/{c}"' for c in conversations)
    lua = Path(args.workdir) / f"put-{free_port()}.lua"
    lua.write_text(LUA.replace("BODY", json.dumps(BODY)).replace("TOKEN", TOKEN).replace("PATHS", paths))
    base = ["wrk", f"-t{args.threads}", f"-c{args.connections}", "--timeout", "5s", "-s", str(lua)]
    if args.warmup > 0:
        subprocess.run(pinned([*base, f"-d{args.warmup}s", url], core), capture_output=True, check=True)  # noqa: S603
    cpu_before = group_cpu_seconds(pgid) if pgid is not None else None
    completed = subprocess.run(  # noqa: S603
        pinned([*base, f"-d{args.duration}s", "--latency", url], core), capture_output=True, text=True, check=True
    )
    cpu_after = group_cpu_seconds(pgid) if pgid is not None else None
    match = re.search(r"^WRK_RESULT (\{.*\})$", completed.stdout, re.MULTILINE)
    if match is None:
        raise RuntimeError(f"wrk printed no summary for {name}:\n{completed.stdout}\n{completed.stderr}")
    data = json.loads(match.group(1))
    return Result(
        name=name,
        requests=data["requests"],
        seconds=data["duration_us"] / 1e6,
        non_2xx=data["non_2xx_3xx"],
        socket_errors=data["connect"] + data["read"] + data["write"] + data["timeout"],
        p50_ms=data["p50_us"] / 1000,
        p99_ms=data["p99_us"] / 1000,
        cpu_seconds=cpu_after - cpu_before if cpu_before is not None and cpu_after is not None else None,
        note=note,
    )


def ensure_wrk() -> str | None:
    """wrk's path; installs Debian's package when possible (root with apt-get), else None."""
    found = shutil.which("wrk")
    if found:
        return found
    if shutil.which("apt-get") and hasattr(os, "geteuid") and os.geteuid() == 0:
        print("wrk not found: installing it with apt-get install -y wrk ...", file=sys.stderr)
        subprocess.run(["apt-get", "install", "-y", "wrk"], capture_output=True, check=False)  # noqa: S607
        if not shutil.which("wrk"):
            subprocess.run(["apt-get", "update"], capture_output=True, check=False)  # noqa: S607
            subprocess.run(["apt-get", "install", "-y", "wrk"], capture_output=True, check=False)  # noqa: S607
    return shutil.which("wrk")


# -- the run --------------------------------------------------------------------------------------------------


def _fake_ids(count: int) -> list[str]:
    """Conversation IDs for the servers that keep no state (any ID the spec's pattern admits)."""
    return [str(int(PRISM_CONVERSATION) + i) for i in range(count)]


@dataclass(frozen=True, slots=True)
class Target:
    name: str
    url: str
    conversations: list[str]
    pgid: int


def start_bare(stack: contextlib.ExitStack, args: argparse.Namespace) -> Target:
    port = free_port()
    command = pinned([sys.executable, str(Path(__file__).resolve()), "--serve-bare", str(port)], cores()[0])
    url = f"http://127.0.0.1:{port}"
    process = stack.enter_context(server(command, url))
    return Target("bare Starlette route", url, _fake_ids(args.conversations), process.pid)


def start_mock(stack: contextlib.ExitStack, args: argparse.Namespace) -> Target:
    port = free_port()
    mock = shutil.which("symbl-mock", path=str(Path(sys.executable).parent)) or "symbl-mock"
    command = [
        *(mock, "--port", str(port), "--token", TOKEN, "--log-level", "warning"),
        *("--concurrency-limit", str(10**9), "--job-duration", "0", "--no-webhooks"),
    ]
    url = f"http://127.0.0.1:{port}"
    process = stack.enter_context(server(pinned(command, cores()[0]), f"{url}/__mock__/conversations"))
    conversations = []
    for _ in range(args.conversations):
        created = httpx.post(f"{url}/v1/process/audio/url", json=BODY, headers={"x-api-key": TOKEN}, timeout=10)
        created.raise_for_status()
        conversations.append(created.json()["conversationId"])
    return Target("symbl-mock", url, conversations, process.pid)


def start_prism(stack: contextlib.ExitStack, args: argparse.Namespace) -> Target | str:
    npx = shutil.which("npx")
    if npx is None:
        return "skipped: npx is not installed (Node.js)"
    port = free_port()
    command = [npx, "--yes", PRISM, "mock", "-h", "127.0.0.1", "-p", str(port), "-v", "silent", str(SPEC)]
    url = f"http://127.0.0.1:{port}"
    try:
        ready = f"{url}/v1/job/{'0' * 8}-0000-4000-8000-{'0' * 12}"
        process = stack.enter_context(server(pinned(command, cores()[0]), ready, timeout=300))
    except RuntimeError as exc:
        return f"skipped: prism did not start ({str(exc).splitlines()[0][:200]})"
    return Target("prism mock", url, _fake_ids(args.conversations), process.pid)


def mock_note(target: Target) -> str:
    """How many jobs the mock took and finished: it must run what it accepts, not just queue it."""
    state = httpx.get(f"{target.url}/__mock__/conversations", timeout=60).json()
    jobs = sum(len(c["jobs"]) for c in state["conversations"])
    return f"{jobs} jobs taken, {jobs - state['unfinishedJobs']} finished at the end"


def median_round(results: Sequence[Result]) -> Result:
    ordered = sorted(results, key=lambda r: r.rps)
    return ordered[len(ordered) // 2]


def table(results: Sequence[Result]) -> str:
    columns = ("req/s", "p50 ms", "p99 ms", "non-2xx", "sock err", "CPU µs/req")
    header = f"{'server':<22} " + " ".join(f"{c:>{max(8, len(c))}}" for c in columns) + "  note"
    lines = [header, "-" * len(header)]
    for r in results:
        cpu = f"{r.cpu_us_per_request:>10.0f}" if r.cpu_us_per_request is not None else f"{'-':>10}"
        figures = f"{r.rps:>9.0f} {r.p50_ms:>8.2f} {r.p99_ms:>8.2f} {r.non_2xx:>8} {r.socket_errors:>8} {cpu}"
        lines.append(f"{r.name:<22} {figures}  {r.note}")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bench_mock", description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=int, default=10, help="seconds of measured load per round (default 10)")
    parser.add_argument("--warmup", type=int, default=2, help="seconds of unmeasured load before each (default 2)")
    parser.add_argument("--rounds", type=int, default=3, help="interleaved rounds per server; median kept (default 3)")
    parser.add_argument("--connections", type=int, default=64, help="wrk connections (default 64)")
    parser.add_argument("--threads", type=int, default=1, help="wrk threads (default 1)")
    parser.add_argument(
        "--conversations", type=int, default=64, help="existing conversations the appends go to (default 64)"
    )
    parser.add_argument("--no-prism", action="store_true", help="skip Prism")
    parser.add_argument("--serve-bare", type=int, metavar="PORT", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.serve_bare is not None:
        serve_bare(args.serve_bare)
        return 0
    if ensure_wrk() is None:
        print("bench_mock: error: wrk is required: apt-get install -y wrk", file=sys.stderr)
        return 2

    server_core, wrk_core = cores()
    pinning = f"server on CPU {server_core}, wrk on CPU {wrk_core}" if server_core is not None else "no pinning"
    print(
        f"PUT /v1/process/audio/url/{{id}}: {args.rounds} interleaved rounds of {args.duration} s per server "
        f"(after {args.warmup} s warm-up each), {args.connections} connections, {args.threads} wrk thread(s), "
        f"{args.conversations} conversations, {os.cpu_count()} CPUs, {pinning}",
        flush=True,
    )
    with tempfile.TemporaryDirectory() as tmp, contextlib.ExitStack() as stack:
        args.workdir = tmp
        targets: list[Target] = [start_bare(stack, args), start_mock(stack, args)]
        prism = "skipped: --no-prism" if args.no_prism else start_prism(stack, args)
        if isinstance(prism, Target):
            targets.append(prism)
        rounds: dict[str, list[Result]] = {t.name: [] for t in targets}
        for number in range(1, args.rounds + 1):
            for target in targets:
                result = run_wrk(target.name, target.url, target.conversations, args, wrk_core, pgid=target.pgid)
                rounds[target.name].append(result)
                cpu = result.cpu_us_per_request
                cpu_text = f", {cpu:.0f} µs server CPU per request" if cpu is not None else ""
                print(f"  round {number}: {target.name:<22} {result.rps:>9.0f} req/s{cpu_text}", flush=True)
        results = [median_round(rounds[t.name]) for t in targets]
        results[1] = dataclasses.replace(results[1], note=mock_note(targets[1]))
    print()
    print(table(results))
    bare, mock = results[0], results[1]
    print()
    ratio_bare = mock.rps / bare.rps if bare.rps else 0.0
    verdict = "ok" if ratio_bare >= TARGET_BARE else "BELOW"
    print(f"mock / bare  = {ratio_bare:.2f}  (target >= {TARGET_BARE:.2f}) {verdict}")
    if bare.cpu_us_per_request and mock.cpu_us_per_request:
        efficiency = bare.cpu_us_per_request / mock.cpu_us_per_request
        print(f"               {efficiency:.2f}  by server CPU per request (bare / mock), for information")
    if len(results) > 2:
        ratio_prism = mock.rps / results[2].rps if results[2].rps else float("inf")
        verdict = "ok" if ratio_prism >= TARGET_PRISM else "BELOW"
        print(f"mock / prism = {ratio_prism:.2f}x (target >= {TARGET_PRISM:.0f}x) {verdict}")
    else:
        print(f"mock / prism: {prism}")
    all_rounds = [r for per_server in rounds.values() for r in per_server]
    rejected = sorted({r.name for r in all_rounds if r.non_2xx or r.socket_errors})
    if rejected:
        print(f"WARNING: non-2xx answers or socket errors from {', '.join(rejected)}: their figures are not valid")
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
