"""TokenAuth / client_from_credentials: a token from generateToken, refreshed before it expires."""

from __future__ import annotations

import json

import httpx
import pytest
from symbl_async_audio_client import AuthenticatedClient, TokenAuth, TokenError, client_from_credentials
from symbl_async_audio_client.api.async_audio import append_audio_url
from symbl_async_audio_client.models import AudioJobCreated

from .helpers import BASE_URL, BODY, CONVERSATION_ID, CREATED, FakeTime, json_response

TOKEN_PATH = "/oauth2/token:generate"  # noqa: S105 (a path)


class FakeSymbl:
    """Hands out tokens token-1, token-2, ... valid ``expires_in`` seconds; accepts only the latest one."""

    def __init__(self, expires_in: int = 600, token_status: int = 200) -> None:
        self.expires_in = expires_in
        self.token_status = token_status
        self.issued: list[str] = []
        self.token_bodies: list[object] = []
        self.api_auth: list[str | None] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        if request.url.path == TOKEN_PATH:
            self.token_bodies.append(json.loads(request.content))
            if self.token_status != 200:
                return json_response(self.token_status, {"statusCode": 401, "message": "Invalid appId or appSecret."})
            self.issued.append(f"token-{len(self.issued) + 1}")
            return json_response(200, {"accessToken": self.issued[-1], "expiresIn": self.expires_in})
        self.api_auth.append(request.headers.get("Authorization"))
        if not self.issued or request.headers.get("Authorization") != f"Bearer {self.issued[-1]}":
            return json_response(401, {"statusCode": 401, "message": "Unauthorized"})
        return json_response(201, CREATED)


def _client(symbl: FakeSymbl, auth: TokenAuth) -> AuthenticatedClient:
    return AuthenticatedClient(
        base_url=BASE_URL, token="", httpx_args={"transport": httpx.MockTransport(symbl), "auth": auth}
    )


def test_the_first_request_obtains_a_token_and_sends_it() -> None:
    symbl = FakeSymbl()
    auth = TokenAuth("my-app", "my-secret")
    created = append_audio_url.sync(CONVERSATION_ID, client=_client(symbl, auth), body=BODY)
    assert isinstance(created, AudioJobCreated)
    assert symbl.token_bodies == [{"type": "application", "appId": "my-app", "appSecret": "my-secret"}]
    assert symbl.api_auth == ["Bearer token-1"]
    assert auth.token == "token-1"  # noqa: S105 (a fake token)


def test_the_token_is_reused_then_refreshed_margin_seconds_before_it_expires() -> None:
    time = FakeTime()
    symbl = FakeSymbl(expires_in=600)
    auth = TokenAuth("app", "secret", margin=60, clock=time.clock)
    client = _client(symbl, auth)

    def call() -> None:
        append_audio_url.sync(CONVERSATION_ID, client=client, body=BODY)

    call()
    time.sleep(539)  # 61 s of life left: still fresh
    call()
    assert symbl.issued == ["token-1"]
    time.sleep(2)  # 59 s left: inside the margin
    call()
    assert symbl.issued == ["token-1", "token-2"]
    assert symbl.api_auth == ["Bearer token-1", "Bearer token-1", "Bearer token-2"]


def test_a_short_lived_token_is_refreshed_half_way() -> None:
    time = FakeTime()
    symbl = FakeSymbl(expires_in=20)
    auth = TokenAuth("app", "secret", margin=60, clock=time.clock)
    client = _client(symbl, auth)
    append_audio_url.sync(CONVERSATION_ID, client=client, body=BODY)
    time.sleep(9)
    assert not auth.needs_refresh()
    time.sleep(2)
    assert auth.needs_refresh()


def test_a_401_with_a_token_refreshes_it_once() -> None:
    symbl = FakeSymbl()
    auth = TokenAuth("app", "secret")
    client = _client(symbl, auth)
    append_audio_url.sync(CONVERSATION_ID, client=client, body=BODY)
    symbl.issued.append("token-revoked-and-replaced")  # the server now only accepts a newer token
    created = append_audio_url.sync(CONVERSATION_ID, client=client, body=BODY)
    assert isinstance(created, AudioJobCreated)
    assert symbl.api_auth == ["Bearer token-1", "Bearer token-1", "Bearer token-3"]


def test_refused_credentials_raise_token_error() -> None:
    symbl = FakeSymbl(token_status=401)
    with pytest.raises(TokenError, match="401") as caught:
        append_audio_url.sync(CONVERSATION_ID, client=_client(symbl, TokenAuth("app", "bad")), body=BODY)
    assert caught.value.response is not None
    assert symbl.api_auth == []


def test_client_from_credentials_builds_an_authenticated_client() -> None:
    symbl = FakeSymbl()
    client = client_from_credentials(
        BASE_URL, "app", "secret", httpx_args={"transport": httpx.MockTransport(symbl)}, raise_on_error_status=True
    )
    assert isinstance(client, AuthenticatedClient)
    assert client.raise_on_error_status
    created = append_audio_url.sync(CONVERSATION_ID, client=client, body=BODY)
    assert isinstance(created, AudioJobCreated)
    assert symbl.api_auth == ["Bearer token-1"]


def test_client_from_credentials_asks_for_the_token_under_the_base_url_path() -> None:
    # A base URL with a path (a gateway's prefix): httpx puts the API's paths under it, and the token's path too.
    symbl = FakeSymbl()
    seen: list[str] = []

    def gateway(request: httpx.Request) -> httpx.Response:
        seen.append(request.url.path)
        prefix, _, rest = request.url.path.partition("/symbl")
        if prefix or not rest:
            return json_response(404, {"statusCode": 404, "message": "Not Found"})
        url = request.url.copy_with(path=rest)
        return symbl(httpx.Request(request.method, url, headers=request.headers, content=request.content))

    client = client_from_credentials(
        f"{BASE_URL}/symbl/", "app", "secret", httpx_args={"transport": httpx.MockTransport(gateway)}
    )
    created = append_audio_url.sync(CONVERSATION_ID, client=client, body=BODY)
    assert isinstance(created, AudioJobCreated)
    assert seen == [f"/symbl{TOKEN_PATH}", f"/symbl/v1/process/audio/url/{CONVERSATION_ID}"]


def test_the_token_request_has_the_timeouts_of_the_client() -> None:
    symbl = FakeSymbl()
    timeouts: list[object] = []

    def handler(request: httpx.Request) -> httpx.Response:
        timeouts.append(request.extensions.get("timeout"))
        return symbl(request)

    client = client_from_credentials(
        BASE_URL,
        "app",
        "secret",
        timeout=httpx.Timeout(2.0, connect=1.0),
        httpx_args={"transport": httpx.MockTransport(handler)},
    )
    append_audio_url.sync(CONVERSATION_ID, client=client, body=BODY)
    assert symbl.issued == ["token-1"]
    assert timeouts == [{"connect": 1.0, "read": 2.0, "write": 2.0, "pool": 2.0}] * 2
