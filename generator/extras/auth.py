"""Tokens from application credentials, refreshed before they expire.

Hand-written module of the generator (``generator/extras/``), copied into the package by ``scripts/regenerate``.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import AsyncGenerator, Callable, Generator
from typing import Any

import httpx

from .api.authentication import generate_token
from .client import AuthenticatedClient
from .errors import BODY_PARSE_ERRORS, TokenError
from .models.token_request import TokenRequest
from .models.token_request_type import TokenRequestType
from .models.token_response import TokenResponse


class TokenAuth(httpx.Auth):
    """An ``httpx.Auth`` that sends ``Authorization: Bearer <token>`` with a token from `generateToken`.

    The token is obtained on the first request and obtained anew ``margin`` seconds before its ``expiresIn`` runs
    out (or half-way through its life, for a token that lives less than ``2 * margin``), and once more when the
    API answers ``401`` to a request sent with a token. The token request goes through the same client, so it uses
    its timeouts and retries. It goes to ``token_url``, by default `generateToken`'s path on the host of the request
    that needs the token (at the root: an `httpx.Auth` does not see the base URL's path; `client_from_credentials`
    sets ``token_url`` under it).

    One token request at a time: concurrent requests (threads of a `Client`, tasks of an `AsyncClient`, or both
    sharing this object) that find the token missing or expiring wait for the one request that fetches it, then
    use its token; a ``401`` refreshes the token only if no other request has refreshed it since.

    Raises (from the request that needed a token):
        errors.TokenError: `generateToken` did not answer a token.
    """

    _POLL = 0.005  # seconds between looks at the lock, for a task waiting for another's token request

    def __init__(
        self,
        app_id: str,
        app_secret: str,
        *,
        margin: float = 60.0,
        token_url: str | None = None,
        refresh_on_401: bool = True,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.app_id = app_id
        self.app_secret = app_secret
        self.margin = margin
        self.token_url = token_url
        self.refresh_on_401 = refresh_on_401
        self.clock = clock
        self._token: str | None = None
        self._refresh_at = 0.0
        self._lock = threading.Lock()  # held by whoever is fetching a token (a thread, or a task's flow)

    @property
    def token(self) -> str | None:
        """The current access token, or None before the first one was obtained."""
        return self._token

    def needs_refresh(self) -> bool:
        """Whether the next request obtains a new token first."""
        return self._token is None or self.clock() >= self._refresh_at

    def _token_kwargs(self) -> dict[str, Any]:
        return generate_token._get_kwargs(
            body=TokenRequest(type_=TokenRequestType.APPLICATION, app_id=self.app_id, app_secret=self.app_secret)
        )

    def _token_request(self, request: httpx.Request) -> httpx.Request:
        kwargs = self._token_kwargs()
        url = httpx.URL(self.token_url) if self.token_url else request.url.join(kwargs["url"])
        # A request an auth flow yields skips the client's build_request, which sets the timeouts: take them from
        # the request that needs the token (without them the transport would wait on the token for ever).
        timeout = request.extensions.get("timeout")
        return httpx.Request(
            kwargs["method"].upper(),
            url,
            json=kwargs["json"],
            headers=kwargs["headers"],
            extensions=None if timeout is None else {"timeout": timeout},
        )

    def _store(self, response: httpx.Response, issued_at: float) -> None:
        if response.status_code != 200:
            detail = response.text[:500]
            raise TokenError(f"generateToken answered HTTP {response.status_code}: {detail}", response)
        try:
            token = TokenResponse.from_dict(response.json())
            lifetime = float(token.expires_in)
            access_token = str(token.access_token)
        except BODY_PARSE_ERRORS as error:
            raise TokenError(f"generateToken answered an invalid token body: {error}", response) from error
        self._token = access_token
        self._refresh_at = issued_at + lifetime - min(self.margin, lifetime / 2)

    def _stale(self, sent_with: str | None) -> bool:
        """Whether the token must be fetched: none yet, expiring, or still the one the API refused (``sent_with``,
        after a 401; a token another request fetched since is used as it is)."""
        return self.needs_refresh() or (sent_with is not None and self._token == sent_with)

    def _sign(self, request: httpx.Request) -> str | None:
        request.headers["Authorization"] = f"Bearer {self._token}"
        return self._token

    def sync_auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        sent_with: str | None = None
        fetched = False
        while True:  # the request, and once more after a 401 (unless its token was fetched for it)
            if self._stale(sent_with):
                with self._lock:  # held across the token request: other threads wait for its token
                    if self._stale(sent_with):
                        issued_at = self.clock()
                        answer = yield self._token_request(request)
                        answer.read()
                        self._store(answer, issued_at)
                        fetched = True
            sent_with = self._sign(request)
            response = yield request
            if response.status_code != 401 or not self.refresh_on_401 or fetched or sent_with is None:
                return
            fetched = True  # (at most one more try)

    async def async_auth_flow(self, request: httpx.Request) -> AsyncGenerator[httpx.Request, httpx.Response]:
        sent_with: str | None = None
        fetched = False
        while True:  # the request, and once more after a 401 (unless its token was fetched for it)
            if self._stale(sent_with):
                # The lock is shared with threads: waiting for it must not block this event loop, where the task
                # holding it may be the one to release it.
                while not self._lock.acquire(blocking=False):  # noqa: ASYNC110 - a threading lock: no event
                    await asyncio.sleep(self._POLL)
                try:
                    if self._stale(sent_with):
                        issued_at = self.clock()
                        answer = yield self._token_request(request)
                        await answer.aread()
                        self._store(answer, issued_at)
                        fetched = True
                finally:
                    self._lock.release()
            sent_with = self._sign(request)
            response = yield request
            if response.status_code != 401 or not self.refresh_on_401 or fetched or sent_with is None:
                return
            fetched = True  # (at most one more try)


def client_from_credentials(
    base_url: str,
    app_id: str,
    app_secret: str,
    *,
    margin: float = 60.0,
    token_url: str | None = None,
    **client_args: Any,
) -> AuthenticatedClient:
    """An `AuthenticatedClient` whose requests always carry a fresh token obtained from ``app_id``/``app_secret``.

    ``client_args`` go to `AuthenticatedClient` (``timeout``, ``retry``, ``raise_on_error_status``, ``httpx_args``
    and so on). The client's ``token`` attribute stays empty: the token lives in its `TokenAuth`, at
    ``client.get_httpx_client().auth``.
    """
    auth = TokenAuth(app_id, app_secret, margin=margin, token_url=token_url)
    if token_url is None:
        # httpx puts the API's paths under the base URL's path (a gateway's prefix, say): the token's path too.
        auth.token_url = base_url.rstrip("/") + auth._token_kwargs()["url"]
    httpx_args = dict(client_args.pop("httpx_args", None) or {})
    httpx_args["auth"] = auth
    return AuthenticatedClient(base_url=base_url, token="", httpx_args=httpx_args, **client_args)


__all__ = ["TokenAuth", "client_from_credentials"]
