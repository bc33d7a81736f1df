"""Each deliberate fault changes the mock's behaviour as documented (and only when selected)."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from symbl_mock import Account, Fault, RunningMock
from tests.mock.conftest import MockFactory
from tests.mock.helpers import AUDIO, AUTH, submit, wait_for

OTHER = {"Authorization": "Bearer other-account-token"}
UUID_PATTERN = r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"
Check = Callable[[RunningMock, httpx.Client], bool]
"""Whether the fault's symptom shows; must be False on a faithful mock and True with the fault."""


def _created_200(mock: RunningMock, client: httpx.Client) -> bool:
    return submit(client).status_code == 200


def _job_id_missing(mock: RunningMock, client: httpx.Client) -> bool:
    return "jobId" not in submit(client).json()


def _job_id_not_uuid(mock: RunningMock, client: httpx.Client) -> bool:
    return re.match(UUID_PATTERN, submit(client).json()["jobId"]) is None


def _accept_invalid_input(mock: RunningMock, client: httpx.Client) -> bool:
    bad = client.post(
        "/v1/process/audio/url?diarizationSpeakerCount=0", json={"url": "ftp://x", "bogus": 1}, headers=AUTH
    )
    return bad.status_code in (200, 201)


def _ignore_auth(mock: RunningMock, client: httpx.Client) -> bool:
    return client.post("/v1/process/audio/url", json={"url": AUDIO}).status_code in (200, 201)


def _text_500(mock: RunningMock, client: httpx.Client) -> bool:
    response = submit(client, name="Réunion")
    return response.status_code == 500 and response.headers["content-type"].startswith("text/plain")


def _error_body_shape(mock: RunningMock, client: httpx.Client) -> bool:
    body = client.get("/v1/job/x").json()
    return "message" not in body and "error" in body


def _append_unknown_succeeds(mock: RunningMock, client: httpx.Client) -> bool:
    return client.put("/v1/process/audio/url/777", json={"url": AUDIO}, headers=AUTH).status_code == 201


def _created_job_404(mock: RunningMock, client: httpx.Client) -> bool:
    job = submit(client).json()["jobId"]
    return client.get(f"/v1/job/{job}", headers=AUTH).status_code == 404


def _status_outside_enum(mock: RunningMock, client: httpx.Client) -> bool:
    job = submit(client).json()["jobId"]
    status = client.get(f"/v1/job/{job}", headers=AUTH).json()["status"]
    return status not in ("scheduled", "in_progress", "completed", "failed")


def _jobs(mock: RunningMock) -> list[dict[str, Any]]:
    jobs: list[dict[str, Any]] = mock.conversations()["conversations"][0]["jobs"]
    return jobs


def _appends_out_of_order(mock: RunningMock, client: httpx.Client) -> bool:
    conversation = submit(client).json()["conversationId"]
    for _ in range(4):
        client.put(f"/v1/process/audio/url/{conversation}", json={"url": AUDIO}, headers=AUTH)
    wait_for(lambda: mock.conversations()["unfinishedJobs"] == 0)
    finished = [job["finished"] for job in _jobs(mock)]
    return finished != sorted(finished)


def _webhook_payloads(mock: RunningMock, client: httpx.Client) -> list[dict[str, Any]]:
    submit(client, webhookUrl="https://hooks.example/jobs")
    assert mock.wait_idle(10)
    return [d["payload"] for d in mock.webhooks()["deliveries"]]


def _webhook_field_name(mock: RunningMock, client: httpx.Client) -> bool:
    return any("jobId" not in payload for payload in _webhook_payloads(mock, client))


def _webhook_out_of_order(mock: RunningMock, client: httpx.Client) -> bool:
    return [p["status"] for p in _webhook_payloads(mock, client)] != ["scheduled", "in_progress", "completed"]


def _accounts_shared(mock: RunningMock, client: httpx.Client) -> bool:
    job = submit(client).json()["jobId"]
    return client.get(f"/v1/job/{job}", headers=OTHER).status_code == 200


CHECKS: dict[Fault, Check] = {
    Fault.CREATED_200: _created_200,
    Fault.JOB_ID_MISSING: _job_id_missing,
    Fault.JOB_ID_NOT_UUID: _job_id_not_uuid,
    Fault.ACCEPT_INVALID_INPUT: _accept_invalid_input,
    Fault.IGNORE_AUTH: _ignore_auth,
    Fault.TEXT_500: _text_500,
    Fault.ERROR_BODY_SHAPE: _error_body_shape,
    Fault.APPEND_UNKNOWN_SUCCEEDS: _append_unknown_succeeds,
    Fault.CREATED_JOB_404: _created_job_404,
    Fault.STATUS_OUTSIDE_ENUM: _status_outside_enum,
    Fault.APPENDS_OUT_OF_ORDER: _appends_out_of_order,
    Fault.WEBHOOK_FIELD_NAME: _webhook_field_name,
    Fault.WEBHOOK_OUT_OF_ORDER: _webhook_out_of_order,
    Fault.ACCOUNTS_SHARED: _accounts_shared,
}


def test_every_fault_has_a_check() -> None:
    assert set(CHECKS) == set(Fault)


@pytest.mark.parametrize("fault", list(Fault), ids=[f.value for f in Fault])
def test_fault_changes_behaviour(start_mock: MockFactory, fault: Fault) -> None:
    check = CHECKS[fault]
    settings: dict[str, Any] = {
        "job_duration": 0.02,
        "deliver_webhooks": False,
        "accounts": (Account("other", tokens=(OTHER["Authorization"].removeprefix("Bearer "),)),),
    }
    faithful = start_mock(**settings)
    with httpx.Client(base_url=faithful.url, timeout=10) as client:
        assert not check(faithful, client), f"{fault}: the symptom shows without the fault"
    faulty = start_mock(faults=frozenset({fault}), **settings)
    with httpx.Client(base_url=faulty.url, timeout=10) as client:
        assert check(faulty, client), f"{fault}: no change in behaviour"
