"""Every accepted shape of the corpus is typed in the generated client: its body is a model that gives it back, its
query options are arguments of the generated function, and the client sends it to the mock, which accepts it."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any
from uuid import UUID

import pytest
from symbl_async_audio_client import AuthenticatedClient, Client
from symbl_async_audio_client.api.async_audio import append_audio_url, submit_audio_url
from symbl_async_audio_client.api.authentication import generate_token
from symbl_async_audio_client.api.jobs import get_job_status
from symbl_async_audio_client.models import AudioJobCreated, AudioUrlRequest, JobStatus, TokenRequest, TokenResponse

from scripts.fidelity_report import APP_ID, APP_SECRET, AUDIO, TOKEN, load_corpus, replay_config
from symbl_mock import RunningMock, running_mock
from symbl_spec import default_spec

ACCEPTED = [s for s in load_corpus() if "request" in s and s["answer"]["status"] < 300]
SPEC = default_spec()


def _snake(name: str) -> str:
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", name).lower()


def _canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True)


@pytest.fixture(scope="module")
def mock() -> Iterator[RunningMock]:
    with running_mock(replay_config()) as running:
        yield running


@pytest.mark.parametrize("shape", ACCEPTED, ids=[s["id"] for s in ACCEPTED])
def test_the_generated_client_sends_the_shape_and_the_mock_accepts_it(mock: RunningMock, shape: dict[str, Any]) -> None:
    request = shape["request"]
    raw = request.get("body", "{}")  # a job status request has no body
    body: dict[str, Any] = json.loads(raw.replace("APP_ID", APP_ID).replace("APP_SECRET", APP_SECRET))
    operation = SPEC.operation_at(request["method"], request["path"])
    assert operation is not None, "an accepted shape calls an operation of the spec"
    if operation.operation_id == "generateToken":
        token_body = TokenRequest.from_dict(body)
        assert _canonical(token_body.to_dict()) == _canonical(body)
        with Client(base_url=mock.url) as anonymous:
            assert isinstance(generate_token.sync(client=anonymous, body=token_body), TokenResponse)
        return
    with AuthenticatedClient(base_url=mock.url, token=TOKEN) as client:
        created = submit_audio_url.sync(client=client, body=AudioUrlRequest(url=AUDIO))
        assert isinstance(created, AudioJobCreated)
        if operation.operation_id == "getJobStatus":
            assert isinstance(get_job_status.sync(created.job_id, client=client), JobStatus)
            return
        model = AudioUrlRequest.from_dict(body)
        assert _canonical(model.to_dict()) == _canonical(body), "the model gives the body back as sent"
        # Query options as the function's typed arguments, in the spelling the client sent (reading 10).
        arguments = {_snake(name): text for name, text in request.get("query", {}).items()}
        if operation.operation_id == "submitAudioUrl":
            answer = submit_audio_url.sync(client=client, body=model, **arguments)
        else:
            answer = append_audio_url.sync(created.conversation_id, client=client, body=model, **arguments)
    assert isinstance(answer, AudioJobCreated), answer
    assert isinstance(answer.job_id, UUID)
