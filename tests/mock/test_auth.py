"""Authentication: bearer, x-api-key, generated tokens and their expiry, and every kind of refusal."""

from __future__ import annotations

import time
from collections.abc import Callable

import httpx
import pytest

from symbl_mock import RunningMock
from tests.mock.conftest import MockFactory
from tests.mock.helpers import AUDIO, TOKEN, assert_error, raw_http, raw_request, wait_for

APP_ID = "app-123"
APP_SECRET = "secret-456"  # noqa: S105 - test credentials
TOKEN_PATH = "/oauth2/token:generate"  # noqa: S105 - a path
UNAUTHORIZED = "Unauthorized. Please generate a new access token."
INVALID_CREDENTIALS = "Invalid appId or appSecret."


def _generate(client: httpx.Client, app_id: str = APP_ID, app_secret: str = APP_SECRET) -> httpx.Response:
    return client.post(TOKEN_PATH, json={"type": "application", "appId": app_id, "appSecret": app_secret})


def _submit_with(client: httpx.Client, headers: dict[str, str]) -> httpx.Response:
    return client.post("/v1/process/audio/url", json={"url": AUDIO}, headers=headers)


@pytest.mark.parametrize(
    "headers",
    [
        {"Authorization": f"Bearer {TOKEN}"},
        {"Authorization": f"bearer {TOKEN}"},
        {"x-api-key": TOKEN},
        {"X-API-KEY": TOKEN},  # Symbl's JavaScript SDK spells it so
        {"x-api-key": f"Bearer {TOKEN}"},  # symbl-rest with its key prefix set (the spec's reading 13)
        {"Authorization": "Bearer wrong", "x-api-key": TOKEN},  # either scheme suffices
    ],
    ids=["bearer", "bearer-lowercase", "x-api-key", "X-API-KEY", "x-api-key-bearer", "either"],
)
def test_static_token_accepted(
    mock: RunningMock, checked: Callable[[RunningMock], httpx.Client], headers: dict[str, str]
) -> None:
    response = _submit_with(checked(mock), headers)
    assert response.status_code == 201, response.text


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"Authorization": "Bearer"},
        {"Authorization": "Bearer \t x"},
        {"Authorization": "Bearer not-the-token"},
        {"Authorization": f"Basic {TOKEN}"},
        {"Authorization": TOKEN},
        {"Authorization": f"Bearer {TOKEN}x"},
        {"Authorization": f"Bearer {TOKEN[:-1]}"},
        {"x-api-key": ""},
        {"x-api-key": f"Basic {TOKEN}"},
        {"x-api-key": "Bearer x"},
        {"x-api-key": "garbage" * 500},
    ],
    ids=lambda h: repr(h)[:40],
)
def test_missing_or_garbage_token_gets_401_with_error_body(
    mock: RunningMock, checked: Callable[[RunningMock], httpx.Client], headers: dict[str, str]
) -> None:
    client = checked(mock)
    for response in (
        _submit_with(client, headers),
        client.get(f"/v1/job/{'0' * 8}-0000-4000-8000-{'0' * 12}", headers=headers),
    ):
        assert_error(response, 401)
        assert response.json()["message"] == UNAUTHORIZED
    assert mock.conversations()["conversations"] == []


def test_non_ascii_token_bytes_get_401(mock: RunningMock) -> None:
    request = raw_http("GET", "/v1/job/x", headers={"Authorization": "Bearer \xe9\xff"}, token=False)
    status, headers, _body = raw_request(mock.url, request)
    assert status == 401
    assert headers["content-type"] == "application/json"


def test_generated_token_works_as_bearer_and_api_key(
    start_mock: MockFactory, checked: Callable[[RunningMock], httpx.Client]
) -> None:
    mock = start_mock(app_id=APP_ID, app_secret=APP_SECRET, token_ttl=3600)
    client = checked(mock)
    response = _generate(client)
    assert response.status_code == 200
    body = response.json()
    assert body["expiresIn"] == 3600
    token = body["accessToken"]
    again = _generate(client).json()  # while it is live, the same token with what remains of it (reading 14)
    assert again["accessToken"] == token
    assert type(again["expiresIn"]) is int
    assert 3590 <= again["expiresIn"] <= 3600
    assert _submit_with(client, {"Authorization": f"Bearer {token}"}).status_code == 201
    assert _submit_with(client, {"x-api-key": token}).status_code == 201


@pytest.mark.parametrize(
    ("app_id", "app_secret"), [(APP_ID, "wrong"), ("wrong", APP_SECRET), (APP_ID, APP_SECRET + "x"), ("x", "y")]
)
def test_wrong_app_credentials_get_401(
    start_mock: MockFactory, checked: Callable[[RunningMock], httpx.Client], app_id: str, app_secret: str
) -> None:
    mock = start_mock(app_id=APP_ID, app_secret=APP_SECRET)
    response = _generate(checked(mock), app_id, app_secret)
    assert_error(response, 401)
    assert response.json()["message"] == INVALID_CREDENTIALS


def test_generate_token_without_configured_credentials_gets_401(
    mock: RunningMock, checked: Callable[[RunningMock], httpx.Client]
) -> None:
    assert_error(_generate(checked(mock)), 401)


def test_generate_token_validates_its_body(
    start_mock: MockFactory, checked: Callable[[RunningMock], httpx.Client]
) -> None:
    client = checked(start_mock(app_id=APP_ID, app_secret=APP_SECRET))
    assert_error(client.post(TOKEN_PATH, json={"appId": APP_ID, "appSecret": APP_SECRET}), 400, "type", "required")
    bad_type = {"type": "user", "appId": APP_ID, "appSecret": APP_SECRET}
    assert_error(client.post(TOKEN_PATH, json=bad_type), 400, "body.type", "enum")


def test_expired_generated_token_gets_401(
    start_mock: MockFactory, checked: Callable[[RunningMock], httpx.Client]
) -> None:
    mock = start_mock(app_id=APP_ID, app_secret=APP_SECRET, token_ttl=1)
    client = checked(mock)
    issued = time.monotonic()
    body = _generate(client).json()
    assert body["expiresIn"] == 1
    headers = {"Authorization": f"Bearer {body['accessToken']}"}
    assert _submit_with(client, headers).status_code == 201
    wait_for(lambda: _submit_with(client, headers).status_code == 401, timeout=5, interval=0.1)
    assert time.monotonic() - issued >= 0.9
    response = _submit_with(client, headers)
    assert_error(response, 401)
    assert _submit_with(client, {"x-api-key": body["accessToken"]}).status_code == 401
    # A fresh token works again.
    fresh = _generate(client).json()["accessToken"]
    assert _submit_with(client, {"Authorization": f"Bearer {fresh}"}).status_code == 201
