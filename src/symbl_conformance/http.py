"""The semantic checks' HTTP session: plain httpx (a server's departure from the spec is seen as it is, not
through a client's parsing), the run's credentials, request spacing, and a curl for every request.
"""

from __future__ import annotations

import time
from typing import Any

import httpx

from symbl_conformance.credentials import Credentials, RenewalFailed
from symbl_conformance.reproduce import curl

__all__ = ["ServerTrouble", "Session", "curl", "json_body"]


class ServerTrouble(Exception):
    """A request got no answer: the server went away, reset the connection, or did not answer in time."""


def json_body(response: httpx.Response) -> Any:
    """The parsed body, or ``None`` when it is not JSON."""
    try:
        return response.json()
    except ValueError:
        return None


class Session:
    """Requests to the server under test with the run's current token; remembers how to reproduce them."""

    def __init__(
        self,
        base_url: str,
        credentials: Credentials,
        *,
        request_timeout: float,
        min_interval: float = 0.0,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.credentials = credentials
        self.min_interval = min_interval
        self.client = httpx.Client(base_url=self.base_url, timeout=request_timeout)
        self._last = 0.0
        self.gone: str | None = None
        """Why the server is taken to be gone (it refused a connection), as a sentence; or ``None``."""

    def request(self, method: str, path: str, body: Any | None = None, *, authenticated: bool = True) -> httpx.Response:
        """Send; ServerTrouble when no answer came."""
        wait = self._last + self.min_interval - time.monotonic()
        if wait > 0:
            time.sleep(wait)
        self._last = time.monotonic()
        token = None
        headers: dict[str, str] = {}
        if authenticated:
            try:
                token = self.credentials.token()
            except RenewalFailed as error:
                raise ServerTrouble(str(error)) from None
            headers["Authorization"] = f"Bearer {token}"
        try:
            response = self.client.request(method.upper(), path, json=body, headers=headers)
        except httpx.ConnectError as error:
            self.gone = f"the server went away ({method.upper()} {path}: {error or type(error).__name__})"
            raise ServerTrouble(self.gone) from None
        except httpx.TimeoutException:
            raise ServerTrouble(f"{method.upper()} {path}: no answer within {self.client.timeout.read:g}s") from None
        except httpx.TransportError as error:
            raise ServerTrouble(f"{method.upper()} {path}: {type(error).__name__}: {error}") from None
        if authenticated:
            self.credentials.observe(token, response.status_code, (method.upper(), f"{self.base_url}{path}"))
        return response

    def curl(self, method: str, path: str, body: Any | None = None, *, authenticated: bool = True) -> str:
        return curl(method, f"{self.base_url}{path}", body, authenticated)

    def close(self) -> None:
        self.client.close()
