"""The tokens the mock accepts, and the account each acts for: static ones from the configuration, and those
generateToken issues from an account's app credentials.

Symbl's Authentication page (the spec's reading 14): a token lives 86400 s, and a token request while one is
cached returns that token with its remaining lifetime. The mock does the same per app, and issues a new token
once the live one is near expiry: when ``RENEWAL_MARGIN`` seconds or less remain (half the lifetime for short
ones). Without that margin, symbl-js (which refreshes 300 s before expiry) would be handed the same dying token
again and again. A replaced token stays valid until its own expiry.
"""

from __future__ import annotations

import hashlib
import hmac
import math
import secrets
import time
from collections.abc import Callable

from symbl_mock.accounts import Account
from symbl_mock.config import MockConfig

__all__ = ["RENEWAL_MARGIN", "TokenStore"]

RENEWAL_MARGIN = 300
"""Seconds before expiry from which a token request gets a new token rather than the live one."""


def _digest(token: str) -> bytes:
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).digest()


class TokenStore:
    """Tokens kept by their SHA-256 digest: a lookup never compares secret bytes directly."""

    def __init__(self, config: MockConfig, clock: Callable[[], float] = time.monotonic) -> None:
        self.config = config
        self.clock = clock
        self.accounts: tuple[Account, ...] = config.all_accounts()
        self.default = self.accounts[0]
        self._tokens: dict[bytes, tuple[Account, float | None]] = {
            _digest(token): (account, None) for account in self.accounts for token in account.tokens
        }
        self._apps = [
            (account, account.app_id.encode(), account.app_secret.encode())
            for account in self.accounts
            if account.app_id is not None and account.app_secret is not None
        ]
        self._live: dict[str, tuple[str, float]] = {}  # account name -> (its app's latest token, expiry)
        self.margin = min(RENEWAL_MARGIN, config.token_ttl // 2)

    def app_account(self, app_id: str, app_secret: str) -> Account | None:
        """The account whose app credentials these are; every account is compared, in constant time."""
        found = None
        for account, known_id, known_secret in self._apps:
            id_ok = hmac.compare_digest(app_id.encode(), known_id)
            secret_ok = hmac.compare_digest(app_secret.encode(), known_secret)
            if id_ok & secret_ok:
                found = account
        return found

    def issue(self, account: Account) -> tuple[str, int]:
        """The app's live token and its remaining whole seconds, or a new token and its full lifetime."""
        now = self.clock()
        live = self._live.get(account.name)
        if live is not None:
            token, expiry = live
            remaining = expiry - now
            if remaining > self.margin and remaining >= 1:
                return token, math.floor(remaining)
        token = secrets.token_urlsafe(32)
        expiry = now + self.config.token_ttl
        self._tokens[_digest(token)] = (account, expiry)
        self._live[account.name] = (token, expiry)
        return token, self.config.token_ttl

    def account_of(self, token: str) -> Account | None:
        """The account a live token acts for, or None."""
        key = _digest(token)
        found = self._tokens.get(key)
        if found is None:
            return None
        account, expiry = found
        if expiry is not None and self.clock() >= expiry:
            del self._tokens[key]
            return None
        return account

    def valid(self, token: str) -> bool:
        return self.account_of(token) is not None

    def expire(self, account_name: str | None = None) -> int:
        """End the life of every issued token now (of one account, if named), as if its time had run out; how
        many were live. Static tokens from the configuration have no lifetime and are kept."""
        now = self.clock()
        live = 0
        for key, (account, expiry) in list(self._tokens.items()):
            if expiry is not None and (account_name is None or account.name == account_name):
                live += expiry > now
                del self._tokens[key]
        if account_name is None:
            self._live.clear()
        else:
            self._live.pop(account_name, None)
        return live
