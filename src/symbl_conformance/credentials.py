"""The run's credentials: one provider for the schemathesis phase and the semantic checks.

A static token (``--token``) is used as it is. Application credentials (``--app-id``/``--app-secret``) are
exchanged for a token by the document's token operation (through the generated client), and exchanged
again before the token's ``expiresIn`` runs out — with the generated client's margin: 60 s, or half the
lifetime of a token that lives less than two minutes — and once after a 401.

Every answer to a request sent with one of the run's tokens, to an operation that needs credentials, is
counted: a 401 there is the server refusing a token the run held to be valid, and fails the run
(``credentials_accepted``), whoever sent the request.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Mapping, MutableMapping
from dataclasses import dataclass
from typing import Any

import httpx

from symbl_conformance.options import UsageError
from symbl_conformance.reproduce import curl
from symbl_conformance.results import AuthStats, CheckResult, Failure, Source, Verdict
from symbl_conformance.spec import facts

__all__ = [
    "CREDENTIALS_ACCEPTED",
    "Credentials",
    "RenewalFailed",
    "TokenGrant",
    "request_token",
    "schemathesis_provider",
]

CREDENTIALS_ACCEPTED = "credentials_accepted"
CREDENTIALS_PROVES = (
    "Every request sent with a token the run held to be valid (a static token, or one from the token call "
    "renewed before its expiresIn ran out) was accepted: no 401."
)
RENEWAL_MARGIN = 60.0
"""Seconds before expiry at which a token is renewed (as the generated client's ``TokenAuth`` does)."""


@dataclass(frozen=True, slots=True)
class TokenGrant:
    token: str
    expires_in: float | None
    """Seconds of life from issue; ``None`` for a static token (never renewed)."""


def request_token(base_url: str, app_id: str, app_secret: str, timeout: float) -> TokenGrant:
    """The token call, through the generated client (whose request shape comes from the document).

    UsageError when the server cannot be reached or refuses the credentials.
    """
    from symbl_async_audio_client import Client
    from symbl_async_audio_client.api.authentication import generate_token
    from symbl_async_audio_client.models import TokenRequest, TokenRequestType, TokenResponse

    body = TokenRequest(type_=next(iter(TokenRequestType)), app_id=app_id, app_secret=app_secret)
    try:
        with Client(base_url=base_url, timeout=httpx.Timeout(timeout)) as client:
            response = generate_token.sync_detailed(client=client, body=body)
    except httpx.HTTPError as error:
        raise UsageError(f"cannot reach {base_url}: {error}") from None
    except Exception as error:  # an answer the client cannot parse
        raise UsageError(f"bad credentials: the token call failed ({type(error).__name__}: {error})") from None
    if not isinstance(response.parsed, TokenResponse):
        raise UsageError(f"bad credentials: the token call answered {int(response.status_code)}")
    return TokenGrant(str(response.parsed.access_token), float(response.parsed.expires_in))


Fetch = Callable[[], TokenGrant]


class RenewalFailed(RuntimeError):
    """A token could not be renewed during the run (the server stopped answering the token call)."""


class Credentials:
    """The current token, renewed when due, and the count of answers to the requests that carried one."""

    def __init__(
        self,
        *,
        token: str | None = None,
        fetch: Fetch | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if (token is None) == (fetch is None):
            raise ValueError("give a static token or a way to fetch one, not both")
        self._fetch = fetch
        self._clock = clock
        self._lock = threading.Lock()
        self._token = token
        self._renew_at = float("inf")
        self._issued: set[str] = set() if token is None else {token}
        self.stats = AuthStats(credentials="token" if token is not None else "app")
        self.first_refused: tuple[str, str] | None = None

    @classmethod
    def from_app(cls, base_url: str, app_id: str, app_secret: str, timeout: float) -> Credentials:
        credentials = cls(fetch=lambda: request_token(base_url, app_id, app_secret, timeout))
        credentials.token()  # the first one now: bad credentials are a usage error, before the run
        return credentials

    @property
    def renews(self) -> bool:
        return self._fetch is not None

    def token(self) -> str:
        """The token to send now (renewed first when due)."""
        with self._lock:
            if self._token is None or self._clock() >= self._renew_at:
                self._renew()
            assert self._token is not None
            return self._token

    def _renew(self) -> None:
        assert self._fetch is not None
        issued_at = self._clock()
        try:
            grant = self._fetch()
        except UsageError as error:
            if self._token is None:
                raise  # the first token: bad credentials or a wrong URL, before the run
            raise RenewalFailed(f"renewing the token failed: {error}") from None
        if self._token is not None:
            self.stats.renewals += 1
        self._token = grant.token
        self._issued.add(grant.token)
        if grant.expires_in is not None:
            lifetime = grant.expires_in
            self._renew_at = issued_at + lifetime - min(RENEWAL_MARGIN, lifetime / 2)

    def is_ours(self, token: str | None) -> bool:
        return token is not None and token in self._issued

    def observe(self, sent: str | None, status: int, request: tuple[str, str] | None = None) -> None:
        """Count the answer to a request that needed credentials and carried ``sent`` (``request``: its method
        and URL, kept for the first refused one)."""
        if not self.is_ours(sent):
            return
        with self._lock:
            self.stats.requests += 1
            if status != 401:
                return
            self.stats.refused += 1
            if self.first_refused is None and request is not None:
                self.first_refused = request
            if self._fetch is not None and sent == self._token:
                self._renew_at = 0.0  # the next request gets a new token

    def refresh_headers(self, headers: MutableMapping[str, Any]) -> None:
        """Put the current token where ``headers`` carry an older one of the run's (a request built before its
        token was renewed: schemathesis sets credentials when it generates a case, not when it sends it)."""
        for name, value in list(headers.items()):
            if not isinstance(value, str):
                continue
            kind, _, token = value.partition(" ")
            if kind.lower() == "bearer" and self.is_ours(token.strip()):
                current = self.token()
                if token.strip() != current:
                    headers[name] = f"{kind} {current}"
            elif self.is_ours(value) and name.lower() != "authorization":
                current = self.token()
                if value != current:
                    headers[name] = current

    def observe_headers(self, headers: Mapping[str, Any], status: int, request: tuple[str, str]) -> None:
        """``observe`` for a request's headers (as schemathesis records them: a name maps to a list of values)."""
        self.observe(sent_token(headers), status, request)

    def check_result(self) -> CheckResult:
        """``credentials_accepted``: no request sent with a token the run held to be valid was refused."""
        stats = self.stats
        how = "a static token" if not self.renews else f"tokens from the token call, renewed {stats.renewals} times"
        result = CheckResult(CREDENTIALS_ACCEPTED, Source.RUN, Verdict.PASSED, proves=CREDENTIALS_PROVES)
        result.passed, result.failed = stats.requests - stats.refused, stats.refused
        if stats.refused:
            result.verdict = Verdict.FAILED
            title = f"{stats.refused} of {stats.requests} requests sent with a valid token were refused (401)"
            result.detail = title
            method, url = self.first_refused or ("GET", "")
            result.failures.append(
                Failure(
                    CREDENTIALS_ACCEPTED,
                    "",
                    title,
                    f"the run sent {how}; the first refused: {method} {url}",
                    curl(method, url, None, authenticated=True) if url else None,
                )
            )
        elif stats.requests:
            result.detail = f"{stats.requests} requests with {how}, none refused"
        else:
            result.verdict = Verdict.INCONCLUSIVE
            result.detail = "no request carried the run's credentials"
        return result


def sent_token(headers: Mapping[str, Any]) -> str | None:
    """The token a request carried, in any of the document's security schemes."""
    lowered = {str(name).lower(): value for name, value in headers.items()}
    for scheme in facts().spec.security_schemes.values():
        value = lowered.get(scheme.header)
        if isinstance(value, list):
            value = value[0] if value else None
        if not isinstance(value, str):
            continue
        if scheme.bearer:
            kind, _, token = value.partition(" ")
            if kind.lower() == "bearer" and token:
                return token.strip()
        elif value:
            return value
    return None


def schemathesis_provider(credentials: Credentials) -> type:
    """An auth provider class for ``schema.auth``: the current token on every operation that needs one.

    Sent in the document's first security scheme (``Authorization: Bearer``), as schemathesis would send a
    configured token; operations without security (the token call) get none.
    """
    api = facts()
    scheme = next(iter(api.spec.security_schemes.values()))
    needs_auth = {(op.method, op.path) for op in api.operations.values() if op.needs_auth}
    header = "Authorization" if scheme.bearer else scheme.header

    class RunCredentials:
        def get(self, case: Any, context: Any) -> str | None:
            operation = context.operation
            return credentials.token() if (operation.method.lower(), operation.path) in needs_auth else None

        def set(self, case: Any, data: str, context: Any) -> None:
            value = f"Bearer {data}" if scheme.bearer else data
            case.headers = {**(case.headers or {}), header: value}

    return RunCredentials
