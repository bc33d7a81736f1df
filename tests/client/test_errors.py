"""Typed errors of the generated client: documented and undocumented statuses, malformed bodies."""

from __future__ import annotations

from uuid import UUID

import httpx
import pytest
from symbl_async_audio_client import errors
from symbl_async_audio_client.api.async_audio import append_audio_url
from symbl_async_audio_client.api.jobs import get_job_status
from symbl_async_audio_client.models import Error

from .helpers import BODY, CONVERSATION_ID, JOB_ID, Recorder, error_response, make_client


def test_a_documented_error_is_returned_as_the_error_model_by_default() -> None:
    client = make_client(Recorder(error_response(404)))
    parsed = append_audio_url.sync(CONVERSATION_ID, client=client, body=BODY)
    assert isinstance(parsed, Error)
    assert parsed.message == "error 404"


@pytest.mark.parametrize("status", [400, 401, 404, 413, 415, 429, 500])
def test_a_documented_error_raises_error_response_when_asked(status: int) -> None:
    client = make_client(Recorder(error_response(status)), raise_on_error_status=True, retry=None)
    with pytest.raises(errors.ErrorResponse) as caught:
        append_audio_url.sync(CONVERSATION_ID, client=client, body=BODY)
    error = caught.value
    assert isinstance(error, errors.ApiError)
    assert error.status_code == status
    assert isinstance(error.parsed, Error)
    assert error.parsed.message == f"error {status}"
    assert error.parsed.status_code == status
    assert error.content == error_response(status).content
    assert error.response is not None
    assert error.response.status_code == status
    assert f"error {status}" in str(error)


def test_raise_on_error_status_leaves_success_alone() -> None:
    client = make_client(
        Recorder(httpx.Response(200, json={"id": JOB_ID, "status": "in_progress"})), raise_on_error_status=True
    )
    assert get_job_status.sync(UUID(JOB_ID), client=client) is not None


def test_an_undocumented_status_is_none_by_default_and_unexpected_status_when_asked() -> None:
    answer = httpx.Response(418, content=b"teapot")
    assert get_job_status.sync(UUID(JOB_ID), client=make_client(Recorder(answer))) is None

    client = make_client(Recorder(answer), raise_on_unexpected_status=True, raise_on_error_status=True)
    with pytest.raises(errors.UnexpectedStatus) as caught:
        get_job_status.sync(UUID(JOB_ID), client=client)
    assert isinstance(caught.value, errors.ApiError)
    assert not isinstance(caught.value, errors.ErrorResponse)
    assert caught.value.status_code == 418
    assert caught.value.content == b"teapot"
    assert caught.value.parsed is None
    assert caught.value.response is not None


@pytest.mark.parametrize(
    ("status", "content"),
    [
        (201, b"not json"),
        (201, b"[]"),
        (201, b'"a string"'),
        (201, b'{"conversationId": "1"}'),
        (201, b'{"conversationId": "1", "jobId": "not-a-uuid"}'),
        (404, b"<html>Not Found</html>"),
        (404, b'{"statusCode": 404}'),
    ],
)
def test_a_malformed_body_raises_invalid_response_body_always(status: int, content: bytes) -> None:
    client = make_client(Recorder(httpx.Response(status, content=content)))
    with pytest.raises(errors.InvalidResponseBody) as caught:
        append_audio_url.sync_detailed(CONVERSATION_ID, client=client, body=BODY)
    error = caught.value
    assert isinstance(error, errors.ApiError)
    assert error.status_code == status
    assert error.content == content
    assert error.response is not None
    assert isinstance(error.__cause__, KeyError | TypeError | ValueError | AttributeError)


def test_an_unknown_job_status_value_is_an_invalid_body() -> None:
    client = make_client(Recorder(httpx.Response(200, json={"id": JOB_ID, "status": "exploded"})))
    with pytest.raises(errors.InvalidResponseBody, match="200"):
        get_job_status.sync(UUID(JOB_ID), client=client)


def test_every_package_error_derives_from_the_package_base() -> None:
    for name in errors.__all__:
        assert issubclass(getattr(errors, name), errors.SymblClientError)
