"""Benchmark the mock's webhook delivery under load: N jobs notifying a receiver while a prober times the API.

Two scenarios, each with a fresh ``symbl-mock`` (a child process, started as users start it):

  (a) ``healthy`` - the receiver answers 200 at once;
  (b) ``failing`` - the receiver answers 500 to 50 % of the notifications and hangs (answers nothing for
                    ``--hang`` seconds, far past the mock's per-attempt timeout) on 5 %; the rest get 200.

N jobs (default 10,000), each with a ``webhookUrl``, are submitted as fast as ``--concurrency`` connections
allow; each job notifies ``scheduled``, ``in_progress`` and ``completed``. Meanwhile a prober GETs
``/v1/job/{id}`` every ``--probe-interval`` seconds on a kept-alive connection, from the first submission until
the mock has no notification pending. The receiver and the prober are processes of their own; when the machine
has two cores, the mock is pinned to one and everything else to the other. Printed per scenario: submission
rate, API latency p50/p99/max during delivery, notifications accepted by the receiver / expected, order
violations (a job's notification accepted after a later one of the same job), the mock's CPU time and RSS,
and the time the mock takes to exit on SIGTERM with deliveries still in flight (a second burst of jobs,
``--sigterm-jobs``), with its log line about what was not delivered.

Targets: (a) every notification delivered, in order, API p99 < 50 ms; (b) every accepted notification in
order, API p99 < 100 ms; SIGTERM exit <= 5 s in both. Exit status 0 when every target is met, 1 otherwise.

    scripts/bench_webhooks [--jobs 10000] [--scenario both|healthy|failing] [--concurrency 8] [--mock PATH]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import http.client
import json
import os
import random
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Awaitable, Callable, Iterator, MutableMapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

TOKEN = "bench-token"  # noqa: S105 - a local benchmark token
AUTH = {"Authorization": f"Bearer {TOKEN}"}
AUDIO = "https://example.com/meeting.wav"
LIFECYCLE = {"scheduled": 0, "in_progress": 1, "completed": 2, "failed": 2}
TARGET_P99_MS = {"healthy": 50.0, "failing": 100.0}
TARGET_SIGTERM_S = 5.0
FAIL_SHARE, HANG_SHARE = 0.50, 0.05

# The mock's settings per scenario (flags of symbl-mock). The failing receiver's hangs hold a connection for the
# whole per-attempt timeout: a shorter timeout and more connections keep the run short, not the mock fast.
MOCK_FLAGS = {
    "healthy": [],
    "failing": [
        *("--webhook-timeout", "0.5", "--webhook-backoff", "0.2", "--webhook-backoff-max", "1"),
        *("--webhook-workers-per-host", "64"),
    ],
}

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]


# -- the receiver (a process of its own) ---------------------------------------------------------------------


def serve_receiver(port: int, mode: str, hang: float, seed: int) -> None:
    """A webhook receiver on uvicorn: records (jobId, status) of what it accepts, in order; GET returns them."""
    import uvicorn

    accepted: list[tuple[str, str]] = []
    attempts = [0]
    rng = random.Random(seed)  # noqa: S311 - which answers fail, reproducibly: not a secret

    async def app(
        scope: Scope, receive: Callable[[], Awaitable[Message]], send: Callable[[Message], Awaitable[None]]
    ) -> None:
        if scope["type"] != "http":
            return
        body, more = b"", True
        while more:
            message = await receive()
            body += message.get("body", b"")
            more = message.get("more_body", False)
        if scope["method"] == "GET":
            answer = json.dumps({"accepted": accepted, "attempts": attempts[0]}).encode()
            return await _reply(send, 200, answer)
        attempts[0] += 1
        if mode == "failing":
            draw = rng.random()
            if draw < HANG_SHARE:
                await asyncio.sleep(hang)
                return await _reply(send, 200, b"too late")
            if draw < HANG_SHARE + FAIL_SHARE:
                return await _reply(send, 500, b"try again")
        if not body:  # the mock gave up on this attempt (its timeout) before the receiver read it
            return None
        payload = json.loads(body)
        accepted.append((payload["jobId"], payload["status"]))
        return await _reply(send, 200, b"ok")

    uvicorn.run(app, host="127.0.0.1", port=port, log_level="error", access_log=False, lifespan="off")


async def _reply(send: Callable[[Message], Awaitable[None]], status: int, body: bytes) -> None:
    headers = [(b"content-type", b"text/plain"), (b"content-length", str(len(body)).encode())]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


# -- the prober (a process of its own) -----------------------------------------------------------------------


def run_prober(url: str, job_id: str, interval: float) -> None:
    """GET /v1/job/{id} every ``interval`` s until stdin closes; then print the latencies (s) as JSON."""
    host, port = url.removeprefix("http://").split(":")
    stop = threading.Event()

    def wait_for_eof() -> None:
        sys.stdin.read()
        stop.set()

    threading.Thread(target=wait_for_eof, daemon=True).start()
    latencies: list[float] = []
    errors = 0
    connection = http.client.HTTPConnection(host, int(port), timeout=30)
    path = f"/v1/job/{job_id}"
    while not stop.is_set():
        started = time.perf_counter()
        try:
            connection.request("GET", path, headers=AUTH)
            response = connection.getresponse()
            response.read()
            if response.status != 200:
                errors += 1
        except (OSError, http.client.HTTPException):
            errors += 1
            connection.close()
            connection = http.client.HTTPConnection(host, int(port), timeout=30)
        latencies.append(time.perf_counter() - started)
        stop.wait(max(0.0, interval - (time.perf_counter() - started)))
    print(json.dumps({"latencies": latencies, "errors": errors}), flush=True)


# -- plumbing ------------------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def cores() -> tuple[list[str], list[str]]:
    """taskset prefixes: (the mock's core, everyone else's) when there are two cores or more, else none."""
    available = sorted(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else []
    if len(available) >= 2 and shutil.which("taskset"):
        others = ",".join(str(c) for c in available[1:])
        return ["taskset", "-c", str(available[0])], ["taskset", "-c", others]
    return [], []


def wait_http(url: str, process: subprocess.Popen[Any], timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while True:
        if process.poll() is not None:
            raise RuntimeError(f"{process.args!r} exited with {process.returncode}")
        with contextlib.suppress(httpx.HTTPError):
            httpx.get(url, timeout=1.0)
            return
        if time.monotonic() > deadline:
            raise RuntimeError(f"{url} did not answer within {timeout:g} s")
        time.sleep(0.05)


@contextlib.contextmanager
def child(command: list[str], **kwargs: Any) -> Iterator[subprocess.Popen[Any]]:
    process = subprocess.Popen(command, **kwargs)  # noqa: S603 - our own interpreter and scripts
    try:
        yield process
    finally:
        if process.poll() is None:
            process.kill()
        process.wait(timeout=10)


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def memory_mib(pid: int) -> tuple[float, float]:
    """(current RSS, peak RSS) in MiB."""
    status = dict(line.split(":", 1) for line in Path(f"/proc/{pid}/status").read_text().splitlines() if ":" in line)
    return int(status["VmRSS"].split()[0]) / 1024, int(status["VmHWM"].split()[0]) / 1024


def load_average() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


# -- a scenario ----------------------------------------------------------------------------------------------


@dataclass
class Figures:
    scenario: str
    jobs: int
    sigterm_jobs: int
    submit_seconds: float = 0.0
    delivery_seconds: float = 0.0
    probes: int = 0
    probe_errors: int = 0
    p50_ms: float = 0.0
    p99_ms: float = 0.0
    max_ms: float = 0.0
    accepted: int = 0
    attempts: int = 0
    duplicates: int = 0
    order_violations: int = 0
    gave_up: int = 0
    dropped: int = 0
    cpu_s: float = 0.0
    rss_mib: float = 0.0
    peak_rss_mib: float = 0.0
    sigterm_s: float = 0.0
    pending_at_sigterm: int = 0
    sigterm_status: int | None = None
    sigterm_line: str = ""
    finished: bool = True

    @property
    def expected(self) -> int:
        return 3 * self.jobs

    def verdicts(self) -> list[tuple[str, bool]]:
        target = TARGET_P99_MS[self.scenario]
        checks = [
            ("all work finished within --max-wait", self.finished),
            ("no accepted notification out of order", self.order_violations == 0),
            (f"API p99 < {target:g} ms", self.p99_ms < target),
            (
                f"SIGTERM exit <= {TARGET_SIGTERM_S:g} s, status 0",
                self.sigterm_s <= TARGET_SIGTERM_S and self.sigterm_status == 0,
            ),
            ("prober errors: none", self.probe_errors == 0),
        ]
        if self.scenario == "healthy":
            checks.insert(
                1, ("every notification delivered once", self.accepted == self.expected and not self.duplicates)
            )
        return checks


async def submit(url: str, jobs: int, hook: str, concurrency: int) -> None:
    """Submit ``jobs`` jobs over ``concurrency`` kept-alive connections, each request pre-encoded (a lean client
    leaves the CPU to the receiver and the prober that share its core)."""
    host, port = url.removeprefix("http://").split(":")
    body = json.dumps({"url": AUDIO, "webhookUrl": hook}).encode()
    request = (
        f"POST /v1/process/audio/url HTTP/1.1\r\nHost: {host}:{port}\r\nAuthorization: Bearer {TOKEN}\r\n"
        f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n"
    ).encode() + body
    remaining = iter(range(jobs))

    async def worker() -> None:
        reader, writer = await asyncio.open_connection(host, int(port))
        try:
            for _ in remaining:
                writer.write(request)
                head = await reader.readuntil(b"\r\n\r\n")
                length = re.search(rb"(?i)\r\ncontent-length: *(\d+)", head)
                answer = await reader.readexactly(int(length.group(1)) if length else 0)
                if not head.startswith(b"HTTP/1.1 201"):
                    raise RuntimeError(f"submit answered {head.splitlines()[0]!r}: {answer[:200]!r}")
        finally:
            writer.close()

    await asyncio.gather(*(worker() for _ in range(concurrency)))


def mock_counters(url: str) -> dict[str, Any]:
    document: dict[str, Any] = httpx.get(f"{url}/__mock__/webhooks", params={"limit": 0}, timeout=30).json()
    return document


def wait_delivered(url: str, job_duration: float, max_wait: float) -> bool:
    """Until no notification is pending twice in a row, past the jobs' processing time; False at max_wait."""
    deadline = time.monotonic() + max_wait
    quiet_since: float | None = None
    while time.monotonic() < deadline:
        if mock_counters(url)["pending"] == 0:
            now = time.monotonic()
            quiet_since = quiet_since if quiet_since is not None else now
            if now - quiet_since >= job_duration + 0.5:
                return True
        else:
            quiet_since = None
        time.sleep(0.25)
    return False


def order_check(accepted: Sequence[Sequence[str]]) -> tuple[int, int]:
    """(order violations, duplicates) in the receiver's record of what it accepted, in acceptance order."""
    last: dict[str, int] = {}
    seen: set[tuple[str, str]] = set()
    violations = duplicates = 0
    for job_id, status in accepted:
        key = (job_id, status)
        if key in seen:
            duplicates += 1
            continue
        seen.add(key)
        rank = LIFECYCLE[status]
        if rank < last.get(job_id, -1):
            violations += 1
        last[job_id] = max(rank, last.get(job_id, -1))
    return violations, duplicates


def run_scenario(scenario: str, args: argparse.Namespace, work: Path) -> Figures:
    mock_core, other_cores = cores()
    figures = Figures(scenario, args.jobs, args.sigterm_jobs)
    receiver_port, mock_port = free_port(), free_port()
    receiver_url = f"http://127.0.0.1:{receiver_port}"
    script = str(Path(__file__).resolve())
    receiver_command = [
        *other_cores, sys.executable, script, "--role", "receiver", "--port", str(receiver_port),
        "--mode", scenario, "--hang", str(args.hang),
    ]  # fmt: skip
    mock = args.mock or shutil.which("symbl-mock", path=str(Path(sys.executable).parent)) or "symbl-mock"
    mock_command = [
        *mock_core, mock, "--port", str(mock_port), "--token", TOKEN, "--log-level", "warning",
        "--concurrency-limit", str(args.jobs + args.sigterm_jobs + 10), "--job-duration", str(args.job_duration),
        *MOCK_FLAGS[scenario],
    ]  # fmt: skip
    url = f"http://127.0.0.1:{mock_port}"
    log_path = work / f"mock-{scenario}.log"
    with (
        child(receiver_command, stdout=subprocess.DEVNULL) as receiver,
        open(log_path, "w+") as mock_log,
        child(mock_command, stdout=subprocess.DEVNULL, stderr=mock_log) as mock_process,
    ):
        wait_http(receiver_url, receiver)
        wait_http(f"{url}/__mock__/webhooks?limit=0", mock_process)
        probe_job = httpx.post(f"{url}/v1/process/audio/url", json={"url": AUDIO}, headers=AUTH, timeout=10)
        prober_command = [
            *other_cores, sys.executable, script, "--role", "prober", "--url", url,
            "--job", probe_job.json()["jobId"], "--interval", str(args.probe_interval),
        ]  # fmt: skip
        cpu_before = cpu_seconds(mock_process.pid)
        with child(prober_command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True) as prober:
            started = time.monotonic()
            asyncio.run(submit(url, args.jobs, f"{receiver_url}/hook", args.concurrency))
            figures.submit_seconds = time.monotonic() - started
            figures.finished = wait_delivered(url, args.job_duration, args.max_wait)
            figures.delivery_seconds = time.monotonic() - started
            assert prober.stdin is not None
            assert prober.stdout is not None
            prober.stdin.close()
            probed = json.loads(prober.stdout.read())
        figures.cpu_s = cpu_seconds(mock_process.pid) - cpu_before
        figures.rss_mib, figures.peak_rss_mib = memory_mib(mock_process.pid)
        latencies = sorted(probed["latencies"])
        figures.probes, figures.probe_errors = len(latencies), probed["errors"]
        figures.p50_ms = statistics.median(latencies) * 1000
        figures.p99_ms = latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))] * 1000
        figures.max_ms = latencies[-1] * 1000
        record = httpx.get(receiver_url, timeout=60).json()
        figures.accepted, figures.attempts = len(record["accepted"]), record["attempts"]
        figures.order_violations, figures.duplicates = order_check(record["accepted"])
        counters = httpx.get(f"{url}/__mock__/webhooks", timeout=120).json()
        figures.gave_up = sum(d["outcome"] == "gave_up" for d in counters["deliveries"])
        figures.dropped = counters.get("dropped", 0)  # (absent from mocks before it had a queue limit)

        # SIGTERM with deliveries in flight: a second burst, then the signal as soon as it is submitted.
        asyncio.run(submit(url, args.sigterm_jobs, f"{receiver_url}/hook", args.concurrency))
        figures.pending_at_sigterm = mock_counters(url)["pending"]
        signalled = time.monotonic()
        mock_process.send_signal(signal.SIGTERM)
        try:
            figures.sigterm_status = mock_process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            figures.sigterm_status = None
        figures.sigterm_s = time.monotonic() - signalled
        mock_log.seek(0)
        lines = [line.strip() for line in mock_log if "not delivered" in line and "shutdown" in line]
        figures.sigterm_line = lines[-1] if lines else "(no undelivered notifications logged)"
    return figures


def report(f: Figures) -> str:
    ok = "every one" if f.accepted == f.expected else f"{f.accepted / f.expected:.1%}"
    lines = [
        f"({'a' if f.scenario == 'healthy' else 'b'}) {f.scenario} receiver, {f.jobs} jobs",
        f"  submission         {f.jobs / f.submit_seconds:,.0f} jobs/s ({f.submit_seconds:.1f} s)",
        f"  delivery window    {f.delivery_seconds:.1f} s from the first submission to nothing pending"
        + ("" if f.finished else " (NOT FINISHED: --max-wait reached)"),
        f"  API latency        p50 {f.p50_ms:.1f} ms, p99 {f.p99_ms:.1f} ms, max {f.max_ms:.1f} ms "
        f"({f.probes} probes, {f.probe_errors} errors)",
        f"  notifications      {f.accepted} accepted / {f.expected} expected ({ok}); {f.attempts} attempts "
        f"received; mock gave up on {f.gave_up}, dropped {f.dropped}",
        f"  order              {f.order_violations} violations, {f.duplicates} duplicates",
        f"  mock               {f.cpu_s:.1f} s CPU in the window ({f.cpu_s / max(f.delivery_seconds, 1e-9):.0%} of "
        f"one core), RSS {f.rss_mib:.0f} MiB (peak {f.peak_rss_mib:.0f} MiB)",
        f"  SIGTERM            exit after {f.sigterm_s:.2f} s with status {f.sigterm_status}, "
        f"{f.pending_at_sigterm} notifications pending when signalled (after {f.sigterm_jobs} more jobs)",
        f"                     log: {f.sigterm_line[:240]}",
    ]
    for name, passed in f.verdicts():
        lines.append(f"  {'ok  ' if passed else 'MISS'}  {name}")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bench_webhooks", description=__doc__.split("\n\n")[0])
    parser.add_argument("--jobs", type=int, default=10_000, help="jobs per scenario (default 10000)")
    parser.add_argument("--scenario", choices=["both", "healthy", "failing"], default="both")
    parser.add_argument("--concurrency", type=int, default=8, help="submitting connections (default 8)")
    parser.add_argument("--job-duration", type=float, default=0.1, help="the mock's --job-duration (default 0.1)")
    parser.add_argument("--probe-interval", type=float, default=0.01, help="seconds between probes (default 0.01)")
    parser.add_argument("--hang", type=float, default=30.0, help="failing receiver's hang, s (default 30)")
    parser.add_argument("--sigterm-jobs", type=int, default=2000, help="jobs in flight at SIGTERM (default 2000)")
    parser.add_argument("--max-wait", type=float, default=900.0, help="longest wait for delivery, s (default 900)")
    parser.add_argument(
        "--mock", metavar="PATH", help="another symbl-mock executable to measure (an older checkout's, say)"
    )
    parser.add_argument("--role", choices=["receiver", "prober"], help=argparse.SUPPRESS)
    parser.add_argument("--port", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--mode", help=argparse.SUPPRESS)
    parser.add_argument("--url", help=argparse.SUPPRESS)
    parser.add_argument("--job", help=argparse.SUPPRESS)
    parser.add_argument("--interval", type=float, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.role == "receiver":
        serve_receiver(args.port, args.mode, args.hang, seed=args.port)
        return 0
    if args.role == "prober":
        run_prober(args.url, args.job, args.interval)
        return 0

    scenarios = ["healthy", "failing"] if args.scenario == "both" else [args.scenario]
    mock_core, _ = cores()
    print(
        f"bench_webhooks: {args.jobs} jobs per scenario, {args.concurrency} submitting connections, job duration "
        f"{args.job_duration:g} s, a probe every {args.probe_interval:g} s; {os.cpu_count()} CPUs, "
        f"{'mock pinned to ' + mock_core[-1] + ', the rest to the others' if mock_core else 'no pinning'}; "
        f"load average {load_average()}",
        flush=True,
    )
    results: list[Figures] = []
    with tempfile.TemporaryDirectory() as tmp:
        for scenario in scenarios:
            flags = " ".join(MOCK_FLAGS[scenario]) or "(defaults)"
            print(f"\nrunning ({scenario}); mock flags: {flags} ...", flush=True)
            figures = run_scenario(scenario, args, Path(tmp))
            results.append(figures)
            print(report(figures), flush=True)
    print(f"\nload average at the end: {load_average()}")
    met = all(passed for f in results for _, passed in f.verdicts())
    print("verdict: every target met" if met else "verdict: targets MISSED (see MISS above)")
    return 0 if met else 1


if __name__ == "__main__":
    raise SystemExit(main())
