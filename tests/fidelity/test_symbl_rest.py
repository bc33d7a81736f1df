"""symbl-rest 1.0.14, Symbl's own generated client, called as its users call it, against the reference mock.

Its own types (``Grant``, ``AsyncAudioUrlParameters``, ``CallScoreFeatures``...), its own header (``x-api-key``,
the only one it can send), and its own encodings: Python's ``str()`` of the bool and float keyword arguments in
the query (``True``, ``2.0``). Every call must succeed and deserialise into its response model.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import symbl_rest
from symbl_rest.api.async_api import AsyncApi
from symbl_rest.api.authentication_api import AuthenticationApi
from symbl_rest.api.jobs_api import JobsApi
from symbl_rest.models import (
    AsyncAudioUrlParameters,
    AsyncTrackersInner,
    CallScoreFeatures,
    CallScoreMetadata,
    CustomEntities,
    Grant,
)
from symbl_rest.rest import ApiException

from scripts.fidelity_report import APP_ID, APP_SECRET, AUDIO, replay_config
from symbl_mock import RunningMock, running_mock

STATUSES = {"scheduled", "in_progress", "completed", "failed"}


@pytest.fixture(scope="module")
def mock() -> Iterator[RunningMock]:
    with running_mock(replay_config(job_duration=0.05)) as running:
        yield running


def _client(mock: RunningMock, token: str | None = None, prefix: str | None = None) -> Any:
    configuration = symbl_rest.Configuration()
    configuration.host = mock.url
    # Fresh dicts: the generated Configuration is a shallow copy of a process-wide default.
    configuration.api_key = {} if token is None else {"x-api-key": token}
    configuration.api_key_prefix = {} if prefix is None else {"x-api-key": prefix}
    return symbl_rest.ApiClient(configuration)


def _token(mock: RunningMock) -> Any:
    grant = Grant(type="application", app_id=APP_ID, app_secret=APP_SECRET)
    return AuthenticationApi(_client(mock)).generate_token(grant)


def test_the_token_call_and_its_model(mock: RunningMock) -> None:
    token = _token(mock)
    assert isinstance(token, symbl_rest.models.Token)
    assert token.access_token
    assert token.expires_in == 86400
    again = _token(mock)  # the live token again, with what remains of it (the spec's reading 14)
    assert again.access_token == token.access_token
    assert 86390 <= again.expires_in <= 86400


def test_submit_append_and_poll_with_its_own_types_and_header(mock: RunningMock) -> None:
    client = _client(mock, _token(mock).access_token)
    body = AsyncAudioUrlParameters(
        url=AUDIO,
        name="Business Meeting",
        confidence_threshold=0.6,
        detect_phrases=True,
        enable_all_trackers=True,
        entities=[CustomEntities(custom_type="Company Executives", text="Marketing director")],
        trackers=[AsyncTrackersInner(name="Promotion Mention", vocabulary=["We have a special promotion going on"])],
        features=CallScoreFeatures(feature_list=["insights", "callScore"]),
        metadata=CallScoreMetadata(sales_stage="general", prospect_name="Wayne Enterprises"),
    )
    created = AsyncApi(client).add_audio_url(body=body, enable_speaker_diarization=True, diarization_speaker_count=2.0)
    assert isinstance(created, symbl_rest.models.AsyncResponse)
    assert created.conversation_id
    assert created.job_id
    appended = AsyncApi(client).append_audio_url(
        created.conversation_id,
        body=AsyncAudioUrlParameters(url=AUDIO),
        enable_speaker_diarization=False,
        diarization_speaker_count=2,
    )
    assert appended.conversation_id == created.conversation_id
    for job_id in (created.job_id, appended.job_id):
        job = JobsApi(client).get_job_status(job_id)
        assert isinstance(job, symbl_rest.models.JobResponse)
        assert (job.id, job.status in STATUSES) == (job_id, True)
    # The query's True and 2.0 mean what Symbl's docs write as true and 2 (the spec's reading 10).
    options = {job["jobId"]: job["options"] for c in mock.conversations()["conversations"] for job in c["jobs"]}
    first = options[created.job_id]
    assert (first["enableSpeakerDiarization"], first["diarizationSpeakerCount"]) == (True, 2)
    assert type(first["diarizationSpeakerCount"]) is int
    assert first["features"] == {"featureList": ["insights", "callScore"]}
    assert options[appended.job_id] == {"enableSpeakerDiarization": False, "diarizationSpeakerCount": 2}


def test_its_key_prefix_is_tolerated(mock: RunningMock) -> None:
    token = _token(mock).access_token
    created = AsyncApi(_client(mock, token)).add_audio_url(body=AsyncAudioUrlParameters(url=AUDIO))
    job = JobsApi(_client(mock, token, prefix="Bearer")).get_job_status(created.job_id)  # x-api-key: Bearer <t>
    assert job.id == created.job_id


def test_its_errors_carry_the_documented_status(mock: RunningMock) -> None:
    client = _client(mock, _token(mock).access_token)
    with pytest.raises(ApiException) as unknown:
        JobsApi(client).get_job_status("undefined")
    assert unknown.value.status == 404
    conversation = AsyncApi(client).add_audio_url(body=AsyncAudioUrlParameters(url=AUDIO)).conversation_id
    with pytest.raises(ApiException) as no_url:
        AsyncApi(client).append_audio_url(conversation)  # no body: it sends {}, which lacks the url (reading 16)
    assert no_url.value.status == 400
    assert b"url" in no_url.value.body
    with pytest.raises(ApiException) as unauthorized:
        JobsApi(_client(mock, "not-a-token")).get_job_status("9b1deb4d-3b7d-4bad-9bdd-2b0d7b3dcb6d")
    assert unauthorized.value.status == 401
