"""Webhooks: retried through failures, in order per job, given up after the bound, never stalling anything else."""

from __future__ import annotations

import json
import logging
import threading
import time
from collections import Counter, defaultdict
from http.server import BaseHTTPRequestHandler
from typing import Any

import httpx
import pytest

from symbl_mock import webhook_client
from symbl_mock.webhook_client import Connection, Target
from tests.mock.conftest import MockFactory
from tests.mock.helpers import AUDIO, AUTH, FAILING_AUDIO, created, free_port, loopback_server, reply, wait_for

WEBHOOK = {
    "webhook_backoff": 0.05,
    "webhook_backoff_max": 0.3,
    "webhook_timeout": 0.5,
    "webhook_max_attempts": 8,
}


class FlakyReceiver:
    """Fails each notification twice (500, then a timeout) before taking it; records what it took, in order."""

    def __init__(self, hang: float = 1.0) -> None:
        self.hang = hang
        self.attempts: Counter[tuple[str, str]] = Counter()
        self.taken: dict[str, list[str]] = defaultdict(list)
        self.lock = threading.Lock()

    def __call__(self, handler: BaseHTTPRequestHandler, body: bytes) -> None:
        payload = json.loads(body)
        key = (payload["jobId"], payload["status"])
        with self.lock:
            self.attempts[key] += 1
            attempt = self.attempts[key]
        if attempt == 1:
            reply(handler, 500, b"try again")
        elif attempt == 2:
            time.sleep(self.hang)  # longer than the mock's per-attempt timeout
            reply(handler, 200)
        else:
            with self.lock:
                self.taken[payload["jobId"]].append(payload["status"])
            reply(handler, 200, b"ok")


def _deliveries(webhooks: dict[str, Any], job_id: str) -> list[dict[str, Any]]:
    return [d for d in webhooks["deliveries"] if d["jobId"] == job_id]


def test_failing_receiver_still_gets_every_status_change_in_order(start_mock: MockFactory) -> None:
    mock = start_mock(job_duration=0.05, **WEBHOOK)
    port = free_port()  # nothing listens there yet: the first attempts are refused
    hook = f"http://127.0.0.1:{port}/hook"
    client = httpx.Client(base_url=mock.url, timeout=10)
    with client:
        jobs = {created(client, AUDIO, webhookUrl=hook)["jobId"]: ["scheduled", "in_progress", "completed"]}
        conversation = created(client, AUDIO, webhookUrl=hook)
        jobs[conversation["jobId"]] = ["scheduled", "in_progress", "completed"]
        for url in (AUDIO, FAILING_AUDIO, AUDIO):
            response = client.put(
                f"/v1/process/audio/url/{conversation['conversationId']}",
                params={"webhookUrl": hook},  # the query form
                json={"url": url},
                headers=AUTH,
            )
            assert response.status_code == 201
            jobs[response.json()["jobId"]] = [
                "scheduled",
                "in_progress",
                "failed" if url == FAILING_AUDIO else "completed",
            ]

    wait_for(lambda: any(d["error"] == "ConnectError" for d in mock.webhooks()["deliveries"]), timeout=5)
    receiver = FlakyReceiver(hang=WEBHOOK["webhook_timeout"] * 2)
    with loopback_server(receiver, port=port):
        assert mock.wait_idle(timeout=30)
        with receiver.lock:
            assert dict(receiver.taken) == jobs  # every change of every job, each once, in order per job

    errors = Counter(d["error"] for d in mock.webhooks()["deliveries"])
    assert errors["ConnectError"] >= 1
    assert errors["HTTP 500"] >= 3 * len(jobs)
    assert errors["Timeout"] >= 3 * len(jobs)  # the whole attempt is bounded by webhook_timeout
    assert not [d for d in mock.webhooks()["deliveries"] if d.get("outcome") == "gave_up"]


def test_dead_receiver_is_given_up_after_the_bound_and_logged_without_stalling_anything(
    start_mock: MockFactory, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING, logger="symbl_mock")
    timeout, max_attempts = 0.3, 4
    mock = start_mock(
        job_duration=0.01,
        webhook_backoff=0.02,
        webhook_backoff_max=0.1,
        webhook_timeout=timeout,
        webhook_max_attempts=max_attempts,
    )
    healthy: dict[str, list[str]] = defaultdict(list)
    lock = threading.Lock()

    def dead(handler: BaseHTTPRequestHandler, body: bytes) -> None:
        reply(handler, 503, b"down")

    def hanging(handler: BaseHTTPRequestHandler, body: bytes) -> None:
        time.sleep(timeout * 3)
        reply(handler, 200)

    def good(handler: BaseHTTPRequestHandler, body: bytes) -> None:
        payload = json.loads(body)
        with lock:
            healthy[payload["jobId"]].append(payload["status"])
        reply(handler, 200)

    with (
        loopback_server(dead) as dead_url,
        loopback_server(hanging) as hanging_url,
        loopback_server(good) as good_url,
        httpx.Client(base_url=mock.url, timeout=10) as client,
    ):
        dead_job = created(client, AUDIO, webhookUrl=f"{dead_url}/hook")["jobId"]
        hanging_job = created(client, AUDIO, webhookUrl=f"{hanging_url}/hook")["jobId"]
        # While those two are retried, requests are answered promptly and other jobs complete and notify.
        good_jobs = []
        for _ in range(20):
            started = time.monotonic()
            good_jobs.append(created(client, AUDIO, webhookUrl=f"{good_url}/hook")["jobId"])
            assert time.monotonic() - started < 0.5
        wait_for(lambda: all(len(healthy.get(j, [])) == 3 for j in good_jobs), timeout=5)
        for job_id in good_jobs:
            assert healthy[job_id] == ["scheduled", "in_progress", "completed"]
            assert client.get(f"/v1/job/{job_id}", headers=AUTH).json()["status"] == "completed"

        assert mock.wait_idle(timeout=60)

    webhooks = mock.webhooks()
    for job_id in (dead_job, hanging_job):
        attempts = _deliveries(webhooks, job_id)
        by_status: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for attempt in attempts:
            by_status[attempt["payload"]["status"]].append(attempt)
        assert list(by_status) == ["scheduled", "in_progress", "completed"]  # still sent in order
        for tries in by_status.values():
            assert [t["attempt"] for t in tries] == list(range(1, max_attempts + 1))
            assert tries[-1]["outcome"] == "gave_up"
            assert all(t["outcome"] == "retrying" for t in tries[:-1])
    assert webhooks["pending"] == 0
    given_up = [r for r in caplog.records if "given up" in r.getMessage()]
    assert len(given_up) == 6, [r.getMessage() for r in given_up]
    assert any(dead_job in r.getMessage() for r in given_up)
    assert all(r.levelno == logging.WARNING for r in given_up)
    assert "Bearer" not in caplog.text


def test_unusable_webhook_url_is_given_up_at_once_and_recorded(
    start_mock: MockFactory, caplog: pytest.LogCaptureFixture
) -> None:
    # The spec's pattern admits this URL, but its host is not valid IDNA: httpx refuses it before any attempt.
    caplog.set_level(logging.WARNING, logger="symbl_mock")
    mock = start_mock(job_duration=0.01, webhook_max_attempts=5)
    with httpx.Client(base_url=mock.url, timeout=10) as client:
        job_id = created(client, AUDIO, webhookUrl="http://xn--a.example/hook")["jobId"]
        assert mock.wait_idle(timeout=10)
        assert client.get(f"/v1/job/{job_id}", headers=AUTH).json()["status"] == "completed"
    attempts = _deliveries(mock.webhooks(), job_id)
    assert [(a["payload"]["status"], a["attempt"], a["outcome"]) for a in attempts] == [
        ("scheduled", 1, "gave_up"),
        ("in_progress", 1, "gave_up"),
        ("completed", 1, "gave_up"),
    ]
    assert all(a["error"].startswith("InvalidURL") for a in attempts)
    assert sum("invalid URL" in r.getMessage() for r in caplog.records) == 3


def test_loopback_only_mock_refuses_other_hosts_without_sending(
    start_mock: MockFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    sent_to: list[str] = []
    real_connect = webhook_client.connect

    async def recording_connect(target: Target, tls: Any) -> Connection:
        sent_to.append(target.host)  # before any name lookup or connection
        return await real_connect(target, tls)

    monkeypatch.setattr(webhook_client, "connect", recording_connect)
    taken: list[dict[str, Any]] = []

    def take(handler: BaseHTTPRequestHandler, body: bytes) -> None:
        taken.append(json.loads(body))
        reply(handler, 200)

    with loopback_server(take) as receiver:
        mock = start_mock(webhooks_loopback_only=True, **WEBHOOK)
        with httpx.Client(base_url=mock.url, timeout=10) as client:
            local = created(client, webhookUrl=f"{receiver}/hook")
            remote = created(client, webhookUrl="https://yourdomain.com/jobs/callback")
        assert mock.wait_idle(timeout=20)
    assert [d["status"] for d in taken if d["jobId"] == local["jobId"]] == ["scheduled", "in_progress", "completed"]
    refused = _deliveries(mock.webhooks(), remote["jobId"])
    assert [(d["outcome"], d["attempt"]) for d in refused] == [("refused", 1)] * 3
    assert set(sent_to) == {"127.0.0.1"}
