"""Tokens from application credentials, refreshed before they expire.

Hand-written module of the generator (``generator/extras/``), copied into the package by ``scripts/regenerate``.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Generator
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

    Raises (from the request that needed a token):
        errors.TokenError: `generateToken` did not answer a token.
    """

    requires_response_body = True

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

    def _refresh(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        issued_at = self.clock()
        response = yield self._token_request(request)
        self._store(response, issued_at)

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        refreshed = False
        if self.needs_refresh():
            yield from self._refresh(request)
            refreshed = True
        request.headers["Authorization"] = f"Bearer {self._token}"
        response = yield request
        if response.status_code == 401 and self.refresh_on_401 and not refreshed:
            yield from self._refresh(request)
            request.headers["Authorization"] = f"Bearer {self._token}"
            yield request


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
