"""Tokens as Symbl documents them (reading 14): re-issued while live with their remaining lifetime, in whole seconds."""

from __future__ import annotations

import pytest

from symbl_mock import MockConfig
from symbl_mock.accounts import Account
from symbl_mock.tokens import RENEWAL_MARGIN, TokenStore

SECRET = "app-secret"  # noqa: S105 - a test secret


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def _store(ttl: int = 86400) -> tuple[TokenStore, Clock]:
    clock = Clock()
    config = MockConfig(tokens=("static",), app_id="app", app_secret=SECRET, token_ttl=ttl)
    return TokenStore(config, clock), clock


def test_a_live_token_is_returned_again_with_its_remaining_whole_seconds() -> None:
    store, clock = _store()
    account = store.app_account("app", SECRET)
    assert account is not None
    token, expires_in = store.issue(account)
    assert expires_in == 86400
    clock.now += 3600.7
    again, remaining = store.issue(account)
    assert again == token
    assert (type(remaining), remaining) == (int, 82799)  # rounded down: never promises more than is left


def test_near_expiry_a_new_token_is_issued_and_the_old_one_lives_out_its_time() -> None:
    store, clock = _store()
    account = store.default
    token, _ = store.issue(account)
    clock.now += 86400 - RENEWAL_MARGIN  # exactly the margin left: renewed
    fresh, expires_in = store.issue(account)
    assert fresh != token
    assert expires_in == 86400
    assert store.account_of(token) == account  # still valid until its own expiry
    clock.now += RENEWAL_MARGIN
    assert store.account_of(token) is None
    assert store.account_of(fresh) == account
    assert store.issue(account) == (fresh, 86400 - RENEWAL_MARGIN)


@pytest.mark.parametrize(("ttl", "reused_after", "renewed_after"), [(2, 0.5, 1.0), (600, 299.0, 300.0), (1, 0.0, 0.5)])
def test_short_lifetimes_renew_at_half_their_life(ttl: int, reused_after: float, renewed_after: float) -> None:
    store, clock = _store(ttl)
    token, _ = store.issue(store.default)
    clock.now += reused_after
    assert store.issue(store.default)[0] == token
    clock.now += renewed_after - reused_after
    renewed, expires_in = store.issue(store.default)
    assert renewed != token
    assert expires_in == ttl


def _two_apps() -> tuple[TokenStore, Clock, Account, Account]:
    """A store for two accounts, each with a static token ("static", "tb") and an app ("a", "b"); tokens live 60 s."""
    clock = Clock()
    config = MockConfig(
        tokens=("static",), app_id="a", app_secret=SECRET, accounts=(Account("b", ("tb",), "b", "t"),), token_ttl=60
    )
    store = TokenStore(config, clock)
    first, second = store.app_account("a", SECRET), store.app_account("b", "t")
    assert first is not None
    assert second is not None
    return store, clock, first, second


def test_each_app_has_its_own_token_and_static_tokens_never_expire() -> None:
    store, clock, first, second = _two_apps()
    assert (first.name, second.name) == ("default", "b")
    assert store.issue(first)[0] != store.issue(second)[0]
    assert store.app_account("a", "t") is None
    clock.now += 10**9
    assert store.account_of("static") == first
    assert store.account_of("tb") == second


def test_expire_ends_issued_tokens_of_the_account_named_and_keeps_static_ones() -> None:
    store, clock, first, second = _two_apps()
    token_a, token_b = store.issue(first)[0], store.issue(second)[0]
    assert store.expire("b") == 1
    assert store.account_of(token_b) is None
    assert store.account_of(token_a) == first
    renewed, expires_in = store.issue(second)
    assert (renewed != token_b, expires_in) == (True, 60)  # not the ended token handed out again
    clock.now += 61  # token_a and renewed ran out on their own: ended, but no longer live to count
    assert store.expire() == 0
    assert store.account_of("static") == first
    assert store.account_of("tb") == second
