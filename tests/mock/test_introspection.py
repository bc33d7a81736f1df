"""The /__mock__/ endpoints: conversations with their jobs in processing order, webhook attempts, reset, token
expiry."""

from __future__ import annotations

import asyncio

import httpx
import pytest

from symbl_mock import RunningMock
from tests.mock.conftest import MockFactory
from tests.mock.helpers import AUDIO, AUTH, created, wait_for


def test_conversations_document_lists_jobs_in_processing_order(start_mock: MockFactory) -> None:
    mock = start_mock(job_duration=0.01)
    with httpx.Client(base_url=mock.url, timeout=10) as client:
        first = created(client, name="Weekly sync")
        path = f"/v1/process/audio/url/{first['conversationId']}"
        second = client.put(path, json={"url": AUDIO}, headers=AUTH).json()
        wait_for(lambda: client.get("/__mock__/conversations").json()["unfinishedJobs"] == 0)
        document = client.get("/__mock__/conversations").json()
    assert document["concurrencyLimit"] == 50
    [conversation] = document["conversations"]
    assert conversation["conversationId"] == first["conversationId"]
    assert conversation["name"] == "Weekly sync"
    assert [job["jobId"] for job in conversation["jobs"]] == [first["jobId"], second["jobId"]]
    for job in conversation["jobs"]:
        assert [h["status"] for h in job["history"]] == ["scheduled", "in_progress", "completed"]
        assert job["url"] == AUDIO
        assert job["error"] is None
    assert conversation["jobs"][0]["finished"] < conversation["jobs"][1]["finished"]


def test_webhooks_document_records_each_attempt(start_mock: MockFactory) -> None:
    mock = start_mock(deliver_webhooks=False)
    with httpx.Client(base_url=mock.url, timeout=10) as client:
        job = created(client, webhookUrl="https://hooks.example/cb")["jobId"]
        assert mock.wait_idle(10)
        document = client.get("/__mock__/webhooks").json()
    assert document["pending"] == 0
    assert [(d["jobId"], d["payload"]["status"], d["outcome"]) for d in document["deliveries"]] == [
        (job, "scheduled", "skipped"),
        (job, "in_progress", "skipped"),
        (job, "completed", "skipped"),
    ]
    deliveries = document["deliveries"]
    assert all(d["url"] == "https://hooks.example/cb" for d in deliveries)
    # Both names of the job's ID, the documented one and the one receivers read (reading 6 of the spec).
    assert all(d["payload"] == {"jobId": job, "id": job, "status": d["payload"]["status"]} for d in deliveries)


def test_reset_forgets_everything_in_flight_and_keeps_serving(start_mock: MockFactory) -> None:
    mock = start_mock(job_duration=0.3, concurrency_limit=3)
    with httpx.Client(base_url=mock.url, timeout=10) as client:
        conversation = created(client)["conversationId"]
        for _ in range(2):
            client.put(f"/v1/process/audio/url/{conversation}", json={"url": AUDIO}, headers=AUTH)
        assert client.get("/__mock__/conversations").json()["unfinishedJobs"] == 3
        assert client.post("/__mock__/reset").json() == {"reset": True}
        after = client.get("/__mock__/conversations").json()
        assert after["conversations"] == []
        assert after["unfinishedJobs"] == 0
        assert client.get("/__mock__/webhooks").json() == {"deliveries": [], "pending": 0, "dropped": 0, "forgotten": 0}
        assert client.put(f"/v1/process/audio/url/{conversation}", json={"url": AUDIO}, headers=AUTH).status_code == 404

        # The token still works, the limit counts from zero, and the old jobs' timers change nothing.
        jobs = [created(client)["jobId"] for _ in range(3)]
        wait_for(lambda: client.get("/__mock__/conversations").json()["unfinishedJobs"] == 0, timeout=10)
        for job in jobs:
            assert client.get(f"/v1/job/{job}", headers=AUTH).json()["status"] == "completed"
        assert client.get("/__mock__/conversations").json()["unfinishedJobs"] == 0


def test_a_job_submitted_while_reset_waits_for_cancelled_work_is_kept_and_counted(start_mock: MockFactory) -> None:
    """Reset forgets what came before it, not what arrives while it waits: the count of unfinished jobs stays exact."""
    mock = start_mock(job_duration=0.3)
    state = mock.state

    async def submit_during_reset() -> tuple[bool, int]:
        state._spawn(asyncio.sleep(30))  # work in flight, which reset cancels and then waits for
        resetting = asyncio.ensure_future(state.reset())
        await asyncio.sleep(0)  # reset is now waiting for the cancelled work
        job = state.add_job(state.new_conversation(state.tokens.default, None), AUDIO, None)
        await resetting
        return job.id in state.jobs, state.unfinished

    kept, unfinished = mock.await_(submit_during_reset)
    assert kept
    assert unfinished == 1
    assert mock.wait_idle(10)
    assert mock.call(lambda: state.unfinished) == 0


@pytest.mark.parametrize("limit", ["²", "-1", "x"])
def test_a_webhooks_limit_that_is_no_whole_number_is_a_400(mock: RunningMock, limit: str) -> None:
    response = httpx.get(f"{mock.url}/__mock__/webhooks", params={"limit": limit})
    assert response.status_code == 400  # "²" was a 500: str.isdigit admits it, int() does not


def test_expiring_tokens_makes_the_next_call_401_and_the_next_token_request_a_fresh_token(
    start_mock: MockFactory,
) -> None:
    secret = "secret"  # noqa: S105 - test credentials
    mock = start_mock(app_id="app", app_secret=secret)
    body = {"type": "application", "appId": "app", "appSecret": secret}
    with httpx.Client(base_url=mock.url, timeout=10) as client:
        token = client.post("/oauth2/token:generate", json=body).json()["accessToken"]
        headers = {"x-api-key": token}
        assert client.get("/v1/job/unknown", headers=headers).status_code == 404
        assert client.post("/__mock__/tokens/expire?account=nobody").status_code == 404
        assert client.post("/__mock__/tokens/expire").json() == {"expired": 1}
        assert client.get("/v1/job/unknown", headers=headers).status_code == 401
        assert client.get("/v1/job/unknown", headers=AUTH).status_code == 404  # the static token is kept
        fresh = client.post("/oauth2/token:generate", json=body).json()
        assert fresh["accessToken"] != token
        assert fresh["expiresIn"] == 86400
    assert mock.expire_tokens("default") == 1
