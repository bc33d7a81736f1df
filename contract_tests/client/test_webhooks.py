"""The webhook parser against the spec's ``jobStatusChanged`` payload.

Payloads schemathesis generates from the webhook's request body parse into ``JobStatusWebhook`` whatever
form the caller hands over (raw bytes, text, decoded mapping) and ``to_dict()`` gives them back; the
``id`` spelling of Symbl's sample receiver (reading 6) parses too. Payloads that break the schema raise
``InvalidWebhookPayload`` and nothing else, unless they are valid once ``id`` is read as ``jobId``.
"""

from __future__ import annotations

import json
from typing import Any
from uuid import UUID

import pytest
from hypothesis import assume, given
from symbl_async_audio_client import InvalidWebhookPayload, parse_webhook
from symbl_async_audio_client.models import JobStatusWebhook

from ._calls import OFF_PATTERN_UUIDS
from ._spec import CONTRACT_SETTINGS, body_strategy, canonical, invalid_body_strategy, validator, webhook_schema_pointer

WEBHOOK = webhook_schema_pointer()


def _forms(payload: Any) -> list[Any]:
    """The forms a receiver may hand to the parser: raw body, decoded text, decoded JSON."""
    if isinstance(payload, bytes):
        return [payload]
    text = json.dumps(payload, ensure_ascii=False)
    return [text.encode(), text, payload]


@CONTRACT_SETTINGS
@given(payload=body_strategy(WEBHOOK))
def test_a_valid_payload_parses_and_gives_itself_back(payload: Any) -> None:
    for form in _forms(payload):
        parsed = parse_webhook(form)
        assert type(parsed) is JobStatusWebhook
        assert canonical(parsed.to_dict()) == canonical(payload)


@CONTRACT_SETTINGS
@given(payload=body_strategy(WEBHOOK))
def test_the_id_spelling_of_the_sample_receiver_parses(payload: Any) -> None:
    assume("id" not in payload)
    renamed = {("id" if key == "jobId" else key): value for key, value in payload.items()}
    for form in _forms(renamed):
        parsed = parse_webhook(form)
        assert parsed.job_id == UUID(payload["jobId"])
        assert canonical(parsed.to_dict()) == canonical(payload)


def _valid_with_id_alias(payload: Any) -> bool:
    if not isinstance(payload, dict) or "jobId" in payload or "id" not in payload:
        return False
    renamed = {("jobId" if key == "id" else key): value for key, value in payload.items()}
    return validator(WEBHOOK).is_valid(renamed)


@CONTRACT_SETTINGS
@given(payload=invalid_body_strategy(WEBHOOK))
def test_an_invalid_payload_raises_invalid_webhook_payload(payload: Any) -> None:
    assume(not _valid_with_id_alias(payload))
    for form in _forms(payload):
        with pytest.raises(InvalidWebhookPayload):
            parse_webhook(form)


@pytest.mark.parametrize("spelling", sorted(OFF_PATTERN_UUIDS))
def test_a_job_id_spelt_against_its_schema_raises_invalid_webhook_payload(spelling: str) -> None:
    payload = {"jobId": OFF_PATTERN_UUIDS[spelling], "status": "completed"}
    assert not validator(WEBHOOK).is_valid(payload)
    with pytest.raises(InvalidWebhookPayload):
        parse_webhook(payload)
