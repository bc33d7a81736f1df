"""Webhook delivery under load: bounded workers on reused connections, receivers and jobs that do not hold each
other up, a bounded queue that reports what it drops, and a shutdown that delivers what it can and says what not.

The figures under load (10,000 jobs) are the benchmark's: ``scripts/bench_webhooks``.
"""

from __future__ import annotations

import contextlib
import json
import logging
import signal
import subprocess
import sys
import threading
from collections import defaultdict
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.mock.conftest import MockFactory
from tests.mock.helpers import AUDIO, AUTH, LIFECYCLE, TOKEN, created, wait_for


class Receiver:
    """An HTTP/1.1 (keep-alive) webhook receiver on 127.0.0.1 recording what it takes, per job, in order.

    ``answer(path, payload)`` decides each answer: a status code, or None to hang until ``release`` is set.
    """

    def __init__(self, answer: Callable[[str, dict[str, Any]], int | None] = lambda path, payload: 200) -> None:
        self.answer = answer
        self.taken: dict[str, list[str]] = defaultdict(list)
        self.connections: set[int] = set()  # client ports: one per connection the mock opened
        self.requests = 0
        self.lock = threading.Lock()
        self.release = threading.Event()

    @contextlib.contextmanager
    def serving(self) -> Iterator[str]:
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:
                pass

            def do_POST(self) -> None:
                payload = json.loads(self.rfile.read(int(self.headers["content-length"])))
                with receiver.lock:
                    receiver.requests += 1
                    receiver.connections.add(self.client_address[1])
                status = receiver.answer(self.path, payload)
                if status is None:
                    receiver.release.wait(30)
                    self.close_connection = True
                    return
                if 200 <= status < 300:
                    with receiver.lock:
                        receiver.taken[payload["jobId"]].append(payload["status"])
                self.send_response(status)
                self.send_header("content-length", "2")
                self.end_headers()
                self.wfile.write(b"ok")

        server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        server.daemon_threads = True
        server.block_on_close = False
        thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        thread.start()
        try:
            yield f"http://127.0.0.1:{server.server_address[1]}/hook"
        finally:
            self.release.set()
            server.shutdown()
            server.server_close()
            thread.join(timeout=5)

    def count(self, job_ids: list[str]) -> int:
        with self.lock:
            return sum(len(self.taken.get(j, [])) for j in job_ids)


def _submit_many(mock_url: str, hook: str, count: int) -> list[str]:
    with httpx.Client(base_url=mock_url, timeout=10) as client:
        return [created(client, AUDIO, webhookUrl=hook)["jobId"] for _ in range(count)]


def _outcomes(document: dict[str, Any], job_id: str) -> list[tuple[str, str]]:
    return [(d["payload"]["status"], d["outcome"]) for d in document["deliveries"] if d["jobId"] == job_id]


def test_many_jobs_to_one_receiver_use_a_bounded_set_of_reused_connections(start_mock: MockFactory) -> None:
    workers = 3
    mock = start_mock(webhook_workers_per_host=workers, concurrency_limit=1000)
    receiver = Receiver()
    with receiver.serving() as hook:
        jobs = _submit_many(mock.url, hook, 40)
        assert mock.wait_idle(timeout=60)
    assert {job: receiver.taken[job] for job in jobs} == dict.fromkeys(jobs, LIFECYCLE)  # all, once, in order
    assert receiver.requests == 3 * len(jobs)
    # Never more connections than workers: deliveries reuse them (120 requests, at most 3 connections).
    assert 1 <= len(receiver.connections) <= workers
    document = mock.webhooks()
    assert document["pending"] == 0
    assert {d["outcome"] for d in document["deliveries"]} == {"delivered"}


def test_a_hanging_receiver_holds_up_neither_other_receivers_nor_requests(start_mock: MockFactory) -> None:
    # Every worker of the hanging receiver is stuck (until the test releases them); the others carry on.
    mock = start_mock(webhook_workers_per_host=2, webhook_timeout=30, shutdown_timeout=0)
    hanging, healthy = Receiver(lambda path, payload: None), Receiver()
    with hanging.serving() as stuck_hook, healthy.serving() as hook:
        stuck = _submit_many(mock.url, stuck_hook, 4)
        wait_for(lambda: hanging.requests == 2)  # both workers of that receiver hang
        good = _submit_many(mock.url, hook, 20)
        wait_for(lambda: healthy.count(good) == 3 * len(good), timeout=30)
        with httpx.Client(base_url=mock.url, timeout=10) as client:
            assert client.get(f"/v1/job/{good[0]}", headers=AUTH).json()["status"] == "completed"
        wait_for(lambda: mock.webhooks()["pending"] == 3 * len(stuck))  # the mock has seen the last answers
        assert hanging.requests == 2  # still stuck: nothing else of theirs was sent meanwhile
        assert all(healthy.taken[job] == LIFECYCLE for job in good)


def test_a_job_waiting_to_retry_does_not_hold_up_other_jobs_of_the_same_receiver(start_mock: MockFactory) -> None:
    # One worker, and a retry delay far longer than the test: the other job's notifications go out meanwhile.
    receiver = Receiver(lambda path, payload: 500 if path.endswith("/failing") else 200)
    mock = start_mock(webhook_workers_per_host=1, webhook_backoff=60, shutdown_timeout=0)
    with receiver.serving() as hook, httpx.Client(base_url=mock.url, timeout=10) as client:
        failing = created(client, AUDIO, webhookUrl=f"{hook}/failing")["jobId"]  # the same receiver: one worker
        wait_for(lambda: _outcomes(mock.webhooks(), failing) == [("scheduled", "retrying")])
        other = created(client, AUDIO, webhookUrl=hook)["jobId"]
        wait_for(lambda: receiver.count([other]) == 3)
        wait_for(lambda: mock.webhooks()["pending"] == 3)  # the mock has seen the last answer: only A's are left
    assert receiver.taken[other] == LIFECYCLE
    assert _outcomes(mock.webhooks(), failing) == [("scheduled", "retrying")]  # its retry still waits


def test_a_full_queue_drops_new_notifications_and_says_so(
    start_mock: MockFactory, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING, logger="symbl_mock")
    limit = 4
    hanging = Receiver(lambda path, payload: None)
    mock = start_mock(webhook_workers_per_host=1, webhook_timeout=30, webhook_queue_limit=limit, shutdown_timeout=0)
    with hanging.serving() as hook:
        jobs = _submit_many(mock.url, hook, 3)  # 9 notifications for a queue of 4: the first sent, then it hangs
        assert mock.wait_idle(timeout=0.1) is False
        wait_for(lambda: mock.call(lambda: mock.state.unfinished) == 0)
        document = mock.webhooks()
    dropped = [d for d in document["deliveries"] if d["outcome"] == "dropped"]
    assert document["pending"] == limit
    assert document["dropped"] == len(dropped) == 3 * len(jobs) - limit
    assert all(d["error"] == f"queue full ({limit} notifications waiting)" for d in dropped)
    full = [r for r in caplog.records if "webhook queue full" in r.getMessage()]
    assert len(full) == 1, "one line per burst of drops, not one per notification"
    assert "/__mock__/webhooks" in full[0].getMessage()


def test_webhooks_document_can_be_polled_cheaply_with_a_limit(start_mock: MockFactory) -> None:
    mock = start_mock(deliver_webhooks=False)
    with httpx.Client(base_url=mock.url, timeout=10) as client:
        job = created(client, webhookUrl="https://hooks.example/cb")["jobId"]
        assert mock.wait_idle(10)
        counters = client.get("/__mock__/webhooks", params={"limit": 0}).json()
        latest = client.get("/__mock__/webhooks", params={"limit": 1}).json()
        bad = client.get("/__mock__/webhooks", params={"limit": "-1"})
    assert counters == {"deliveries": [], "pending": 0, "dropped": 0, "forgotten": 0}
    assert [(d["jobId"], d["payload"]["status"]) for d in latest["deliveries"]] == [(job, "completed")]
    assert bad.status_code == 400
    assert bad.json()["statusCode"] == 400


# -- shutdown, as users run it: the command line and SIGTERM -------------------------------------------------

SCRIPT = str(Path(sys.executable).parent / "symbl-mock")


@contextlib.contextmanager
def _command_line_mock(*flags: str) -> Iterator[tuple[subprocess.Popen[str], str]]:
    process = subprocess.Popen(  # noqa: S603 - our own console script
        [SCRIPT, "--port", "0", "--token", TOKEN, "--log-level", "warning", *flags],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        url = process.stdout.readline().strip().removeprefix("symbl-mock listening on ")
        assert url.startswith("http://127.0.0.1:"), url
        yield process, url
    finally:
        if process.poll() is None:
            process.kill()
        process.communicate(timeout=10)


def test_sigterm_gives_pending_deliveries_the_grace_then_exits_saying_what_was_not_delivered() -> None:
    hanging = Receiver(lambda path, payload: None)
    with (
        hanging.serving() as hook,
        _command_line_mock("--job-duration", "0", "--shutdown-timeout", "0.5") as (
            process,
            url,
        ),
    ):
        jobs = _submit_many(url, hook, 2)
        wait_for(lambda: hanging.requests >= 1)
        process.send_signal(signal.SIGTERM)
        _, errors = process.communicate(timeout=10)  # a deadline, not a speed target: the promise is 5 s
    assert process.returncode == 0
    [line] = [line for line in errors.splitlines() if "not delivered" in line]
    assert "shutdown: 6 webhook notifications not delivered" in line
    assert hook in line
    assert jobs[0] in line
    assert "Traceback" not in errors


def test_sigterm_lets_deliveries_in_flight_finish_within_the_grace() -> None:
    slow_release = threading.Event()

    def slow(path: str, payload: dict[str, Any]) -> int:
        slow_release.wait(30)  # answers once SIGTERM was sent: the delivery is in flight at shutdown
        return 200

    receiver = Receiver(slow)
    with (
        receiver.serving() as hook,
        _command_line_mock("--job-duration", "0", "--shutdown-timeout", "10") as (
            process,
            url,
        ),
    ):
        [job] = _submit_many(url, hook, 1)
        wait_for(lambda: receiver.requests == 1)
        process.send_signal(signal.SIGTERM)
        slow_release.set()
        _, errors = process.communicate(timeout=15)
    assert process.returncode == 0
    assert receiver.taken[job] == LIFECYCLE  # the two after the first went out during the grace
    assert "not delivered" not in errors


def _sigterm_while_a_job_runs(job_duration: str, grace: str) -> tuple[Receiver, str, str]:
    """One job with a webhook, SIGTERM once it is in progress: the receiver, the job and the mock's stderr."""
    receiver = Receiver()
    with (
        receiver.serving() as hook,
        _command_line_mock("--job-duration", job_duration, "--shutdown-timeout", grace) as (process, url),
    ):
        [job] = _submit_many(url, hook, 1)
        wait_for(lambda: receiver.taken[job] == LIFECYCLE[:2])
        process.send_signal(signal.SIGTERM)
        _, errors = process.communicate(timeout=15)
    assert process.returncode == 0
    return receiver, job, errors


def test_sigterm_lets_a_running_job_finish_within_the_grace_and_sends_its_last_notification() -> None:
    receiver, job, errors = _sigterm_while_a_job_runs("0.5", grace="10")
    assert receiver.taken[job] == LIFECYCLE  # the job ended during the grace, and said so
    assert "unfinished" not in errors
    assert "not delivered" not in errors


def test_sigterm_logs_jobs_with_a_webhook_that_could_not_finish_within_the_grace() -> None:
    _, job, errors = _sigterm_while_a_job_runs("60", grace="0.3")
    [line] = [line for line in errors.splitlines() if "unfinished" in line]
    assert "shutdown: 1 jobs with a webhookUrl unfinished" in line
    assert f"job {job} in_progress" in line


def test_the_benchmark_counts_order_violations_and_duplicates() -> None:
    from scripts.bench_webhooks import order_check

    accepted = [
        ("a", "scheduled"),
        ("b", "in_progress"),  # b's scheduled was given up on: a gap, not a violation
        ("a", "completed"),
        ("a", "in_progress"),  # after a later status: a violation
        ("b", "in_progress"),  # the same one twice: a duplicate
        ("b", "failed"),
    ]
    assert order_check(accepted) == (1, 1)
    assert order_check([("a", s) for s in LIFECYCLE]) == (0, 0)


def test_one_receiver_however_its_url_spells_it_gets_one_lane() -> None:
    from symbl_mock.webhooks import _receiver

    assert _receiver("http://Hooks.local/a") == _receiver("http://hooks.local:80/b") == ("http", "hooks.local", 80)
    assert (
        _receiver("HTTPS://hooks.local/a") == _receiver("https://hooks.local:443/") != _receiver("http://hooks.local")
    )
    assert _receiver("http://hooks.local:8080/") != _receiver("http://hooks.local/")
    # Connections go to the IDNA name: the Unicode spelling of a host is the same receiver.
    assert _receiver("http://bücher.example/") == _receiver("http://xn--bcher-kva.example:80/")
