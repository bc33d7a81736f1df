"""Ordering and loss: 1,000 appends over 50 conversations, sent concurrently from 32 clients."""

from __future__ import annotations

import asyncio
import itertools
import random
from collections import defaultdict
from typing import Any

import httpx

from symbl_mock import RunningMock
from tests.mock.conftest import MockFactory
from tests.mock.helpers import AUDIO, AUTH, wait_for

CONVERSATIONS = 50
APPENDS = 1000
CLIENTS = 32


async def _run_clients(mock: RunningMock) -> tuple[list[str], dict[int, list[tuple[str, str]]]]:
    """Create the conversations, then let each client send its share of appends, one after the other."""
    async with httpx.AsyncClient(base_url=mock.url, headers=AUTH, timeout=30) as setup:
        responses = await asyncio.gather(
            *(setup.post("/v1/process/audio/url", json={"url": AUDIO, "name": f"c{i}"}) for i in range(CONVERSATIONS))
        )
    assert all(r.status_code == 201 for r in responses), [r.text for r in responses if r.status_code != 201]
    conversation_ids = [r.json()["conversationId"] for r in responses]

    rng = random.Random(4)  # noqa: S311 - a reproducible shuffle
    targets = [i % CONVERSATIONS for i in range(APPENDS)]
    rng.shuffle(targets)
    shares: dict[int, list[int]] = defaultdict(list)
    for index, target in enumerate(targets):
        shares[index % CLIENTS].append(target)
    sent: dict[int, list[tuple[str, str]]] = defaultdict(list)  # client -> [(conversationId, jobId)] in order

    async def client(number: int) -> None:
        async with httpx.AsyncClient(base_url=mock.url, headers=AUTH, timeout=30) as http:
            for target in shares[number]:
                conversation_id = conversation_ids[target]
                response = await http.put(
                    f"/v1/process/audio/url/{conversation_id}", json={"url": f"{AUDIO}?client={number}"}
                )
                assert response.status_code == 201, response.text
                body = response.json()
                assert body["conversationId"] == conversation_id
                sent[number].append((conversation_id, body["jobId"]))

    await asyncio.gather(*(client(n) for n in range(CLIENTS)))
    return conversation_ids, sent


def test_appends_from_concurrent_clients_complete_in_submission_order_none_lost(start_mock: MockFactory) -> None:
    mock = start_mock(concurrency_limit=100_000, job_duration=0.001)
    conversation_ids, sent = asyncio.run(_run_clients(mock))
    wait_for(lambda: mock.conversations()["unfinishedJobs"] == 0, timeout=60)
    document = mock.conversations()

    by_id: dict[str, dict[str, Any]] = {c["conversationId"]: c for c in document["conversations"]}
    assert sorted(by_id) == sorted(conversation_ids)
    accepted = [job_id for jobs in sent.values() for _, job_id in jobs]
    assert len(accepted) == APPENDS
    assert len(set(accepted)) == APPENDS, "a jobId was handed out twice"

    recorded: list[str] = []
    for conversation_id, conversation in by_id.items():
        jobs = conversation["jobs"]
        recorded.extend(job["jobId"] for job in jobs[1:])  # jobs[0] is the submit that created it
        submitted = [job["submitted"] for job in jobs]
        assert submitted == sorted(submitted), f"{conversation_id}: jobs not listed in submission order"
        started = [job["started"] for job in jobs]
        finished = [job["finished"] for job in jobs]
        assert started == sorted(started), f"{conversation_id}: jobs started out of submission order"
        assert finished == sorted(finished), f"{conversation_id}: jobs completed out of submission order"
        for job in jobs:
            assert [h["status"] for h in job["history"]] == ["scheduled", "in_progress", "completed"], job
        for earlier, later in itertools.pairwise(jobs):  # one at a time: next starts after previous ends
            assert earlier["history"][-1]["at"] <= later["history"][1]["at"], (earlier, later)
    assert sorted(recorded) == sorted(accepted), "jobs lost or invented"

    # Each client waited for each answer before its next request: its jobs of one conversation keep its order.
    position = {job["jobId"]: i for c in by_id.values() for i, job in enumerate(c["jobs"])}
    for jobs in sent.values():
        per_conversation: dict[str, list[int]] = defaultdict(list)
        for conversation_id, job_id in jobs:
            per_conversation[conversation_id].append(position[job_id])
        for positions in per_conversation.values():
            assert positions == sorted(positions)

    # Different conversations ran concurrently: some job started while another conversation's job was running.
    intervals = sorted(
        (job["history"][1]["at"], job["history"][2]["at"], c["conversationId"])
        for c in by_id.values()
        for job in c["jobs"]
    )
    overlaps = sum(
        1 for (_, end, conv), (start, _, other) in itertools.pairwise(intervals) if start < end and conv != other
    )
    assert overlaps > 0
