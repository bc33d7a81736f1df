"""The tokens the mock accepts: static ones from its configuration, and those it issues from app credentials."""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time

from symbl_mock.config import MockConfig

__all__ = ["TokenStore"]


def _digest(token: str) -> bytes:
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).digest()


class TokenStore:
    """Tokens kept by their SHA-256 digest: a lookup never compares secret bytes directly."""

    def __init__(self, config: MockConfig) -> None:
        self.config = config
        self._tokens: dict[bytes, float | None] = {_digest(t): None for t in config.tokens}

    def check_app_credentials(self, app_id: str, app_secret: str) -> bool:
        if self.config.app_id is None or self.config.app_secret is None:
            return False
        id_ok = hmac.compare_digest(app_id.encode(), self.config.app_id.encode())
        secret_ok = hmac.compare_digest(app_secret.encode(), self.config.app_secret.encode())
        return id_ok & secret_ok

    def issue(self) -> str:
        token = secrets.token_urlsafe(32)
        self._tokens[_digest(token)] = time.monotonic() + self.config.token_ttl
        return token

    def valid(self, token: str) -> bool:
        key = _digest(token)
        if key not in self._tokens:
            return False
        expiry = self._tokens[key]
        if expiry is not None and time.monotonic() >= expiry:
            del self._tokens[key]
            return False
        return True
