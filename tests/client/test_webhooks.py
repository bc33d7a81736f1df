"""parse_webhook: the job-status notification POSTed to webhookUrl."""

from __future__ import annotations

import json
from typing import Any
from uuid import UUID

import pytest
from symbl_async_audio_client import InvalidWebhookPayload, SymblClientError, parse_webhook
from symbl_async_audio_client.models import JobStatusValue

from .helpers import JOB_ID


@pytest.mark.parametrize(
    "body",
    [
        json.dumps({"jobId": JOB_ID, "status": "completed"}).encode(),
        json.dumps({"jobId": JOB_ID, "status": "completed"}),
        {"jobId": JOB_ID, "status": "completed"},
    ],
)
def test_the_documented_payload_parses_from_bytes_str_or_mapping(body: bytes | str | dict[str, Any]) -> None:
    update = parse_webhook(body)
    assert update.job_id == UUID(JOB_ID)
    assert update.status == JobStatusValue.COMPLETED


def test_id_is_accepted_for_job_id() -> None:
    update = parse_webhook(b'{"id": "%s", "status": "in_progress"}' % JOB_ID.encode())
    assert update.job_id == UUID(JOB_ID)
    assert update.status == JobStatusValue.IN_PROGRESS
    assert "id" not in update.additional_properties


def test_job_id_wins_over_id() -> None:
    other = "11111111-2222-3333-4444-555555555555"
    update = parse_webhook({"jobId": JOB_ID, "id": other, "status": "failed"})
    assert update.job_id == UUID(JOB_ID)
    assert update.id == UUID(other)  # declared since the payload carries both names (the spec's reading 6)
    assert update.additional_properties == {}


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"not json", "not JSON"),
        (b"\xff\xfe", "not JSON"),
        (b"[]", "not a JSON object"),
        ("null", "not a JSON object"),
        ({"status": "completed"}, "no 'jobId'"),
        ({"jobId": JOB_ID}, "no 'status'"),
        ({"jobId": "not-a-uuid", "status": "completed"}, "not a job status"),
        ({"jobId": JOB_ID, "status": "done"}, "not a job status"),
    ],
)
def test_a_malformed_payload_raises_invalid_webhook_payload(body: bytes | str | dict[str, Any], message: str) -> None:
    with pytest.raises(InvalidWebhookPayload, match=message) as caught:
        parse_webhook(body)
    assert isinstance(caught.value, SymblClientError)
    assert isinstance(caught.value, ValueError)
