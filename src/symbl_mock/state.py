"""Conversations and jobs, and the lifecycle that moves each job along: the mock's in-memory account."""

from __future__ import annotations

import asyncio
import collections
import contextlib
import itertools
import logging
import os
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass, fields
from typing import Any
from urllib.parse import urlsplit

import httpx

from symbl_mock.audio import fetch_and_sniff
from symbl_mock.config import MockConfig
from symbl_mock.faults import Fault
from symbl_mock.tokens import TokenStore
from symbl_mock.webhooks import WebhookSender
from symbl_spec import Spec, SpecError

__all__ = ["Conversation", "Job", "Lifecycle", "MockState"]

log = logging.getLogger("symbl_mock")

FAILING_HOST_SUFFIX = ".invalid"
"""A job whose audio URL's host ends with this (RFC 2606's reserved TLD) fails, deterministically."""

STATUS_SCHEMA = "JobStatusValue"
"""The component schema of job statuses: its enum and ``x-final-values`` drive the lifecycle."""


@dataclass(frozen=True, slots=True)
class Lifecycle:
    """The job states the mock moves through, checked against the spec's status enum at start."""

    scheduled: str
    in_progress: str
    completed: str
    failed: str
    final: frozenset[str]
    """The statuses a job never leaves, as the spec marks them (``x-final-values``)."""

    @classmethod
    def from_spec(cls, spec: Spec) -> Lifecycle:
        """Each state is the enum value of its own name; SpecError when one is missing or the final ones differ."""
        lifecycle = spec.lifecycle(spec.schema_pointer(STATUS_SCHEMA))
        names = [f.name for f in fields(cls) if f.name != "final"]
        missing = [name for name in names if name not in lifecycle.values]
        if missing:
            raise SpecError(
                f"components/schemas/{STATUS_SCHEMA} lacks a state the mock needs ({', '.join(names)}): "
                f"{', '.join(missing)}"
            )
        if lifecycle.final != {"completed", "failed"}:
            raise SpecError(
                f"components/schemas/{STATUS_SCHEMA} marks {sorted(lifecycle.final)} final; "
                "the mock ends a job as completed or failed"
            )
        return cls("scheduled", "in_progress", "completed", "failed", final=lifecycle.final)


class Job:
    __slots__ = (
        "conversation_id",
        "error",
        "finished_seq",
        "history",
        "id",
        "started_seq",
        "status",
        "submitted_seq",
        "url",
        "webhook_url",
    )

    def __init__(self, job_id: str, conversation_id: str, url: str, webhook_url: str | None, seq: int) -> None:
        self.id = job_id
        self.conversation_id = conversation_id
        self.url = url
        self.webhook_url = webhook_url
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
            "status": self.status,
            "history": [{"status": s, "at": at} for s, at in zip(self.history[::2], self.history[1::2], strict=True)],
            "submitted": self.submitted_seq,
            "started": self.started_seq,
            "finished": self.finished_seq,
            "error": self.error,
        }


class Conversation:
    __slots__ = ("busy", "created_at", "id", "jobs", "name", "pending")

    def __init__(self, conversation_id: str, name: str | None) -> None:
        self.id = conversation_id
        self.name = name if name is not None else conversation_id
        self.created_at = time.time()
        self.jobs: list[Job] = []  # submission order
        self.pending: collections.deque[Job] = collections.deque()
        self.busy = False  # a job of this conversation is in progress (or about to start)


class MockState:
    """All mutable state. Lives on the server's event loop; everything here runs on that loop."""

    def __init__(self, config: MockConfig, spec: Spec) -> None:
        self.config = config
        self.spec = spec
        self.lifecycle = Lifecycle.from_spec(spec)
        self.clock: Callable[[], float] = time.time
        self.tokens = TokenStore(config)
        self.webhooks = WebhookSender(config, self.lifecycle.final, lambda: self.clock(), self._spawn)
        self.conversations: dict[str, Conversation] = {}
        self.jobs: dict[str, Job] = {}
        self.unfinished = 0
        self._seq = itertools.count(1)
        self._started = itertools.count(1)
        self._finished = itertools.count(1)
        self._tasks: set[asyncio.Task[None]] = set()
        self._http: httpx.AsyncClient | None = None
        self._epoch = 0  # bumped by reset: callbacks of an earlier epoch do nothing
        self.loop: asyncio.AbstractEventLoop | None = None  # set when the server starts

    # -- conversations and jobs -------------------------------------------------------------------

    def new_conversation(self, name: str | None) -> Conversation:
        while True:
            conversation_id = str(secrets.randbelow(9 * 10**15) + 10**15)  # 16 digits, as Symbl's
            if conversation_id not in self.conversations:
                break
        conversation = Conversation(conversation_id, name)
        self.conversations[conversation_id] = conversation
        return conversation

    def slot_available(self) -> bool:
        return self.unfinished < self.config.concurrency_limit

    def add_job(self, conversation: Conversation, url: str, webhook_url: str | None) -> Job:
        """Queue a job behind the conversation's earlier ones. The caller has checked ``slot_available``."""
        job = Job(_uuid4(), conversation.id, url, webhook_url, next(self._seq))
        self.jobs[job.id] = job
        conversation.jobs.append(job)
        self.unfinished += 1
        self._set_status(job, self.lifecycle.scheduled)
        conversation.pending.append(job)
        if not conversation.busy:
            conversation.busy = True
            # On the next turn of the loop: the answer to this request goes out while the job is scheduled.
            asyncio.get_running_loop().call_soon(self._start_next, conversation, self._epoch)
        return job

    # A conversation runs its jobs one at a time, in submission order, as a chain of loop callbacks:
    # _start_next (in_progress) -> after job_duration -> _finish (completed | failed) -> _start_next ...
    # Callbacks rather than a task per conversation: they cost a fraction of a task on the request path.
    # With fetch_audio the download needs a task; it joins the chain at _finish. ``reset`` bumps the epoch,
    # which turns every callback still scheduled into a no-op.

    def _start_next(self, conversation: Conversation, epoch: int) -> None:
        if epoch != self._epoch:
            return
        if not conversation.pending:
            conversation.busy = False
            return
        if self.config.has(Fault.APPENDS_OUT_OF_ORDER):
            job = conversation.pending.pop()
        else:
            job = conversation.pending.popleft()
        job.started_seq = next(self._started)
        self._set_status(job, self.lifecycle.in_progress)
        if self.config.fetch_audio:
            self._spawn(self._fetch_then_finish(conversation, job, epoch))
            return
        error = _reserved_host_error(job.url)
        loop = asyncio.get_running_loop()
        if self.config.job_duration > 0:
            loop.call_later(self.config.job_duration, self._finish, conversation, job, error, epoch)
        else:
            loop.call_soon(self._finish, conversation, job, error, epoch)

    async def _fetch_then_finish(self, conversation: Conversation, job: Job, epoch: int) -> None:
        error: str | None
        try:
            error = _reserved_host_error(job.url)
            if error is None:
                error = await fetch_and_sniff(
                    self.http,
                    job.url,
                    max_bytes=self.config.max_audio_bytes,
                    time_limit=self.config.audio_timeout,
                    allow_private=self.config.allow_private_urls,
                )
            await asyncio.sleep(self.config.job_duration)
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # a bug here must fail the job, not wedge the conversation
            log.exception("job %s failed unexpectedly", job.id)
            error = f"internal error: {type(exc).__name__}"
        self._finish(conversation, job, error, epoch)

    def _finish(self, conversation: Conversation, job: Job, error: str | None, epoch: int) -> None:
        if epoch != self._epoch:
            return
        try:
            job.error = error
            job.finished_seq = next(self._finished)
            self.unfinished -= 1
            self._set_status(job, self.lifecycle.failed if error else self.lifecycle.completed)
        finally:  # whatever happens, the conversation's next job gets its turn
            self._start_next(conversation, epoch)

    def _set_status(self, job: Job, status: str) -> None:
        job.status = status
        job.history += (status, self.clock())
        if job.webhook_url:
            self.webhooks.notify(job.id, job.webhook_url, status)

    # -- infrastructure -----------------------------------------------------------------------------

    @property
    def http(self) -> httpx.AsyncClient:
        """The client of the audio downloads (``fetch_audio``)."""
        if self._http is None:
            self._http = httpx.AsyncClient(trust_env=False, follow_redirects=False)
        return self._http

    def _spawn(self, coro: Any) -> asyncio.Task[None]:
        task: asyncio.Task[None] = asyncio.get_running_loop().create_task(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return task

    async def reset(self) -> None:
        """Forget every conversation, job and delivery; cancel work in flight. Tokens stay valid."""
        self._epoch += 1
        tasks = list(self._tasks)
        for task in tasks:
            task.cancel()
        # Cleared before waiting for the cancelled work: a request served meanwhile belongs to the new state.
        self.conversations.clear()
        self.jobs.clear()
        self.unfinished = 0
        self.webhooks.clear()
        for task in tasks:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task

    async def aclose(self) -> None:
        await self.webhooks.aclose()  # first: pending deliveries get what is left of the shutdown's grace
        await self.reset()
        if self._http is not None:
            await self._http.aclose()
            self._http = None

    def idle(self) -> bool:
        """No unfinished job and no webhook delivery pending."""
        return self.unfinished == 0 and not self.webhooks.pending()

    # -- introspection ------------------------------------------------------------------------------

    def conversations_json(self) -> dict[str, Any]:
        return {
            "conversations": [
                {
                    "conversationId": c.id,
                    "name": c.name,
                    "createdAt": c.created_at,
                    "jobs": [job.as_json() for job in c.jobs],
                }
                for c in self.conversations.values()
            ],
            "unfinishedJobs": self.unfinished,
            "concurrencyLimit": self.config.concurrency_limit,
        }

    def webhooks_json(self) -> dict[str, Any]:
        return self.webhooks.as_json()


def _reserved_host_error(url: str) -> str | None:
    """Why a job with this audio URL fails by the documented rule (its host is on ``.invalid``), or None."""
    if FAILING_HOST_SUFFIX not in url.lower():  # cheap, and without it the host cannot end with the suffix
        return None
    host = urlsplit(url).hostname or ""
    if host.endswith(FAILING_HOST_SUFFIX):
        return f"the audio host {host!r} is on the reserved .invalid domain"
    return None


def _uuid4() -> str:
    """A random (version 4) UUID as text, as ``str(uuid.uuid4())`` but without building a UUID object."""
    raw = bytearray(os.urandom(16))
    raw[6] = (raw[6] & 0x0F) | 0x40
    raw[8] = (raw[8] & 0x3F) | 0x80
    h = raw.hex()
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"
