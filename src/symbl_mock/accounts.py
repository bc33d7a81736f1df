"""Accounts: who a token belongs to. Each account has its own conversations, jobs and concurrent-job limit.

Symbl's limit is per account (reading 7 of the spec) and an account sees only its own conversations and jobs
(another account's are 404, reading 15). The mock always has the account ``default``, whose credentials are
``MockConfig.tokens``/``app_id``/``app_secret``; more come from ``MockConfig.accounts``, which the command line
fills from ``--account`` options or an ``--accounts-file``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

import yaml

__all__ = ["DEFAULT_ACCOUNT", "Account", "load_accounts_file", "parse_account_option"]

DEFAULT_ACCOUNT = "default"
"""The name of the account that ``MockConfig.tokens``, ``app_id``, ``app_secret`` and ``concurrency_limit`` set."""


@dataclass(frozen=True, slots=True)
class Account:
    """An account's name, the credentials that act for it, and its limit of unfinished jobs."""

    name: str
    tokens: tuple[str, ...] = ()
    """Static tokens, valid forever (``Authorization: Bearer T`` or ``x-api-key: T``)."""
    app_id: str | None = None
    """Application credentials accepted by generateToken for this account (both or neither)."""
    app_secret: str | None = None
    concurrency_limit: int | None = None
    """Unfinished jobs allowed at once; ``None``: ``MockConfig.concurrency_limit``."""

    def problems(self) -> list[str]:
        found: list[str] = []
        where = f"account {self.name!r}"
        if not self.name or not self.name.isprintable() or len(self.name) > 64:
            found.append(f"{where}: a name is 1-64 printable characters")
        if (self.app_id is None) != (self.app_secret is None):
            found.append(f"{where}: app_id and app_secret must be given together")
        if self.app_id == "" or self.app_secret == "":
            found.append(f"{where}: app_id and app_secret must not be empty")
        if any(not token or any(c.isspace() for c in token) for token in self.tokens):
            found.append(f"{where}: tokens must be non-empty and contain no whitespace")
        if self.concurrency_limit is not None and self.concurrency_limit < 1:
            found.append(f"{where}: concurrency_limit must be at least 1")
        return found

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any], where: str) -> Account:
        """An account from a configuration mapping (``MockConfig.to_json`` or an accounts file); ValueError."""
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(data) - known)
        if unknown:
            raise ValueError(f"{where}: unknown account field(s) {unknown} (known: {sorted(known)})")
        if not isinstance(data.get("name"), str):
            raise ValueError(f"{where}: every account needs a name")
        tokens = data.get("tokens", ())
        if not isinstance(tokens, list | tuple) or not all(isinstance(token, str) for token in tokens):
            raise ValueError(f"{where}: tokens must be a list of strings")
        for key in ("app_id", "app_secret"):
            if data.get(key) is not None and not isinstance(data[key], str):
                raise ValueError(f"{where}: {key} must be a string")
        limit = data.get("concurrency_limit")
        if limit is not None and (not isinstance(limit, int) or isinstance(limit, bool)):
            raise ValueError(f"{where}: concurrency_limit must be an integer")
        return cls(
            name=data["name"],
            tokens=tuple(tokens),
            app_id=data.get("app_id"),
            app_secret=data.get("app_secret"),
            concurrency_limit=limit,
        )


_OPTION_KEYS = {"name": "name", "token": "tokens", "app-id": "app_id", "app-secret": "app_secret"}


def parse_account_option(text: str) -> Account:
    """``name=acme,token=T1,token=T2,app-id=I,app-secret=S,concurrency-limit=2`` (the ``--account`` option)."""
    data: dict[str, Any] = {"tokens": []}
    for part in text.split(","):
        key, sep, value = part.partition("=")
        key = key.strip()
        if not sep or not value:
            raise ValueError(f"--account {text!r}: expected key=value pairs separated by commas, got {part!r}")
        if key == "concurrency-limit":
            if not value.isdigit():
                raise ValueError(f"--account {text!r}: concurrency-limit must be a whole number")
            data["concurrency_limit"] = int(value)
        elif key == "token":
            data["tokens"].append(value)
        elif key in _OPTION_KEYS:
            if _OPTION_KEYS[key] in data:
                raise ValueError(f"--account {text!r}: {key} given twice")
            data[_OPTION_KEYS[key]] = value
        else:
            known = ", ".join([*_OPTION_KEYS, "concurrency-limit"])
            raise ValueError(f"--account {text!r}: unknown key {key!r} (known: {known})")
    return Account.from_mapping(data, f"--account {text!r}")


def load_accounts_file(path: Path) -> tuple[Account, ...]:
    """The accounts of a YAML (or JSON) file: ``accounts: [{name, tokens, app_id, app_secret, concurrency_limit}]``."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ValueError(f"cannot read accounts file {path}: {exc.strerror or exc}") from None
    except UnicodeDecodeError:
        raise ValueError(f"accounts file {path} is not UTF-8 text") from None
    except yaml.YAMLError as exc:
        raise ValueError(f"accounts file {path} is not YAML or JSON: {str(exc).splitlines()[0]}") from None
    if not isinstance(data, dict) or not isinstance(data.get("accounts"), list) or set(data) != {"accounts"}:
        raise ValueError(f"accounts file {path}: expected a mapping with one key, 'accounts', holding a list")
    accounts = []
    for index, item in enumerate(data["accounts"]):
        if not isinstance(item, dict):
            raise ValueError(f"accounts file {path}: accounts[{index}] is not a mapping")
        accounts.append(Account.from_mapping(item, f"accounts file {path}: accounts[{index}]"))
    return tuple(accounts)
