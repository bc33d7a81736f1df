"""The records of the mock's state: a conversation, owned by an account, and its jobs in submission order."""

from __future__ import annotations

import collections
import time
from typing import Any

__all__ = ["Conversation", "Job"]


class Job:
    __slots__ = (
        "account",
        "conversation_id",
        "error",
        "finished_seq",
        "history",
        "id",
        "options",
        "started_seq",
        "status",
        "submitted_seq",
        "url",
        "webhook_url",
    )

    def __init__(
        self,
        job_id: str,
        conversation: Conversation,
        url: str,
        webhook_url: str | None,
        seq: int,
        options: dict[str, Any] | None = None,
    ) -> None:
        self.id = job_id
        self.account = conversation.account
        self.conversation_id = conversation.id
        self.url = url
        self.webhook_url = webhook_url
        self.options = options  # the processing options as given, in their canonical spelling (None: none)
        self.status = ""
        self.history: list[str | float] = []  # flat: status, time, status, time... (no tuple per change)
        self.submitted_seq = seq
        self.started_seq: int | None = None
        self.finished_seq: int | None = None
        self.error: str | None = None

    def as_json(self) -> dict[str, Any]:
        return {
            "jobId": self.id,
            "url": self.url,
            "webhookUrl": self.webhook_url,
            "options": self.options or {},
            "status": self.status,
            "history": [{"status": s, "at": at} for s, at in zip(self.history[::2], self.history[1::2], strict=True)],
            "submitted": self.submitted_seq,
            "started": self.started_seq,
            "finished": self.finished_seq,
            "error": self.error,
        }


class Conversation:
    __slots__ = ("account", "busy", "created_at", "id", "jobs", "name", "pending")

    def __init__(self, account: str, conversation_id: str, name: str | None) -> None:
        self.account = account
        self.id = conversation_id
        self.name = name if name is not None else conversation_id
        self.created_at = time.time()
        self.jobs: list[Job] = []  # submission order
        self.pending: collections.deque[Job] = collections.deque()
        self.busy = False  # a job of this conversation is in progress (or about to start)
