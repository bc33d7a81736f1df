"""The record of webhook attempts that ``/__mock__/webhooks`` shows: one line per attempt, the latest kept."""

from __future__ import annotations

import collections
import itertools
from collections.abc import Iterable
from typing import Any

__all__ = ["Attempt", "AttemptLog"]

LOG_LIMIT = 200_000
"""Attempt records kept (the oldest are forgotten first, and counted)."""


class Attempt:
    """One attempt at one notification, or why none was made. ``outcome``: ``sending`` while in flight, then
    ``delivered``, ``retrying``, ``gave_up``, ``skipped`` (not delivering), ``refused`` (loopback only) or
    ``dropped`` (queue full)."""

    __slots__ = ("at", "attempt", "error", "job_id", "outcome", "payload", "status_code", "url")

    def __init__(self, job_id: str, url: str, payload: dict[str, Any], attempt: int, at: float) -> None:
        self.job_id, self.url, self.payload, self.attempt, self.at = job_id, url, payload, attempt, at
        self.status_code: int | None = None
        self.error: str | None = None
        self.outcome = "sending"

    def as_json(self) -> dict[str, Any]:
        return {
            "jobId": self.job_id,
            "url": self.url,
            "payload": self.payload,
            "attempt": self.attempt,
            "at": self.at,
            "statusCode": self.status_code,
            "error": self.error,
            "outcome": self.outcome,
        }


class AttemptLog:
    """The latest ``LOG_LIMIT`` attempts, oldest first, and how many older ones were forgotten."""

    def __init__(self, limit: int = LOG_LIMIT) -> None:
        self._records: collections.deque[Attempt] = collections.deque(maxlen=limit)
        self.forgotten = 0

    def add(self, record: Attempt) -> Attempt:
        if len(self._records) == self._records.maxlen:
            self.forgotten += 1
        self._records.append(record)
        return record

    def clear(self) -> None:
        self._records.clear()
        self.forgotten = 0

    def as_json(self, limit: int | None = None) -> list[dict[str, Any]]:
        """The records, or only the ``limit`` latest ones."""
        records: Iterable[Attempt] = self._records
        if limit is not None:
            records = list(itertools.islice(reversed(self._records), limit))[::-1]
        return [r.as_json() for r in records]
