"""Spellings real clients use (reading 10), read by the spec's rule; unknown properties (reading 12) and the flag."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
import pytest

from symbl_mock import RunningMock
from tests.mock.conftest import MockFactory
from tests.mock.helpers import AUDIO, AUTH, assert_error

SUBMIT = "/v1/process/audio/url"


def _options(mock: RunningMock, job_id: str) -> dict[str, Any]:
    for conversation in mock.conversations()["conversations"]:
        for job in conversation["jobs"]:
            if job["jobId"] == job_id:
                options: dict[str, Any] = job["options"]
                return options
    raise AssertionError(f"no job {job_id}")


@pytest.mark.parametrize(
    ("query", "body", "options"),
    [
        # symbl-rest: Python's str() of its bool and float arguments.
        ({"enableSpeakerDiarization": "True", "diarizationSpeakerCount": "2.0"}, {}, (True, 2)),
        ({"enableSpeakerDiarization": "False", "diarizationSpeakerCount": "2"}, {}, (False, 2)),
        ({"enableSpeakerDiarization": "true", "diarizationSpeakerCount": "1"}, {}, (True, 1)),  # Symbl's demo apps
        ({}, {"enableSpeakerDiarization": "true", "diarizationSpeakerCount": "2"}, (True, 2)),  # SDK example body
        ({}, {"enableSpeakerDiarization": True, "diarizationSpeakerCount": 2}, (True, 2)),  # the Go SDK
        ({}, {"enableSpeakerDiarization": True, "diarizationSpeakerCount": 2.0}, (True, 2)),
        # Both places: the query wins (reading 3).
        (
            {"enableSpeakerDiarization": "False"},
            {"enableSpeakerDiarization": True, "diarizationSpeakerCount": 3},
            (False, 3),
        ),
    ],
)
def test_every_spelling_is_accepted_and_means_its_canonical_value(
    mock: RunningMock,
    checked: Callable[[RunningMock], httpx.Client],
    query: dict[str, str],
    body: dict[str, Any],
    options: tuple[bool, int],
) -> None:
    client = checked(mock)
    created = client.post(SUBMIT, params=query, json={"url": AUDIO, **body}, headers=AUTH)
    assert created.status_code == 201, created.text
    recorded = _options(mock, created.json()["jobId"])
    assert (recorded["enableSpeakerDiarization"], recorded["diarizationSpeakerCount"]) == options
    assert type(recorded["diarizationSpeakerCount"]) is int


def test_threshold_and_summary_spellings(mock: RunningMock, checked: Callable[[RunningMock], httpx.Client]) -> None:
    client = checked(mock)
    body = {"url": AUDIO, "confidenceThreshold": "0.6", "enableSummary": False, "timezoneOffset": 0}
    created = client.post(SUBMIT, params={"enableSummary": "true"}, json=body, headers=AUTH)
    assert created.status_code == 201, created.text
    recorded = _options(mock, created.json()["jobId"])
    assert recorded == {"confidenceThreshold": 0.6, "enableSummary": True, "timezoneOffset": 0}


def test_a_job_without_options_records_none(mock: RunningMock, checked: Callable[[RunningMock], httpx.Client]) -> None:
    created = checked(mock).post(SUBMIT, json={"url": AUDIO, "name": "n"}, headers=AUTH)
    assert _options(mock, created.json()["jobId"]) == {}


UNKNOWN = {
    "url": AUDIO,
    "colour": "red",
    "features": {"featureList": None, "extra": 1},
    "channelMetadata": [{"channel": 1, "speaker": {"name": "A", "title": "Dr"}}],
}


def test_unknown_properties_are_accepted_by_default(
    mock: RunningMock, checked: Callable[[RunningMock], httpx.Client]
) -> None:
    created = checked(mock).post(SUBMIT, json=UNKNOWN, headers=AUTH)
    assert created.status_code == 201, created.text
    options = _options(mock, created.json()["jobId"])
    assert "colour" not in options  # ignored; the declared options are kept as given
    assert options["features"] == {"featureList": None, "extra": 1}


def test_reject_unknown_properties_refuses_them_at_every_depth(
    start_mock: MockFactory, checked: Callable[[RunningMock], httpx.Client]
) -> None:
    mock = start_mock(reject_unknown_properties=True)
    client = checked(mock)
    for body, where in (
        ({"url": AUDIO, "colour": "red"}, "colour"),
        ({"url": AUDIO, "features": {"extra": 1}}, "body.features"),
        ({"url": AUDIO, "channelMetadata": [{"channel": 1, "speaker": {"title": "Dr"}}]}, "body.channelMetadata[0]"),
    ):
        assert_error(client.post(SUBMIT, json=body, headers=AUTH), 400, where, "additionalProperties")
    # Declared properties, in every spelling, still pass.
    declared = {"url": AUDIO, "features": {"featureList": None}, "metadata": {"salesStage": ""}, "timezoneOffset": 0}
    assert client.post(SUBMIT, json=declared, headers=AUTH).status_code == 201
    assert mock.conversations()["conversations"][0]["jobs"][0]["options"]["features"] == {"featureList": None}


@pytest.mark.parametrize(
    ("query", "body", "recorded"),
    [
        # Symbl's Next.js demo: the JSON text of an array in the query means the array (the spec's contentSchema).
        ('["Platform","Targets"]', None, ["Platform", "Targets"]),
        ('["Platform"]', ["Body"], ["Platform"]),  # both places: the query wins
        ("", ["Body"], ["Body"]),  # empty means none: the body's stands
        ("Platform, Targets", None, "Platform, Targets"),  # text that spells no array is recorded as sent
        ("[1, 2]", None, "[1, 2]"),  # JSON, but not what the contentSchema allows
    ],
)
def test_custom_vocabulary_text_in_the_query_means_the_array_it_spells(
    mock: RunningMock,
    checked: Callable[[RunningMock], httpx.Client],
    query: str,
    body: list[str] | None,
    recorded: Any,
) -> None:
    extra = {} if body is None else {"customVocabulary": body}
    created = checked(mock).post(SUBMIT, params={"customVocabulary": query}, json={"url": AUDIO, **extra}, headers=AUTH)
    assert created.status_code == 201, created.text
    assert _options(mock, created.json()["jobId"]).get("customVocabulary") == recorded
