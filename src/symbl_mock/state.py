"""Conversations and jobs, and the lifecycle that moves each job along: the mock's in-memory accounts.

Every conversation belongs to the account whose token created it, and its jobs with it; an account's lookups
never see another's (the handlers answer 404), and its limit counts only its own unfinished jobs.
"""

from __future__ import annotations

import asyncio
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

from symbl_mock.accounts import Account
from symbl_mock.audio import fetch_and_sniff
from symbl_mock.config import MockConfig
from symbl_mock.faults import Fault
from symbl_mock.records import Conversation, Job
from symbl_mock.tokens import TokenStore
from symbl_mock.webhooks import WebhookSender, first_jobs
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


class MockState:
    """All mutable state. Lives on the server's event loop; everything here runs on that loop."""

    def __init__(self, config: MockConfig, spec: Spec) -> None:
        self.config = config
        self.spec = spec
        self.lifecycle = Lifecycle.from_spec(spec)
        self._shared = config.has(Fault.ACCOUNTS_SHARED)  # the accounts_shared fault: every account sees all
        self.clock: Callable[[], float] = time.time
        self.tokens = TokenStore(config)
        self.webhooks = WebhookSender(config, self.lifecycle.final, lambda: self.clock(), self._spawn)
        self.conversations: dict[str, Conversation] = {}
        self.jobs: dict[str, Job] = {}
        self.unfinished = 0
        self.unfinished_by_account: dict[str, int] = {}
        self.limits = {account.name: account.concurrency_limit or 0 for account in self.tokens.accounts}
        self._seq = itertools.count(1)
        self._started = itertools.count(1)
        self._finished = itertools.count(1)
        self._tasks: set[asyncio.Task[None]] = set()
        self._http: httpx.AsyncClient | None = None
        self._epoch = 0  # bumped by reset: callbacks of an earlier epoch do nothing
        self.loop: asyncio.AbstractEventLoop | None = None  # set when the server starts

    # -- conversations and jobs -------------------------------------------------------------------

    def new_conversation(self, account: Account, name: str | None) -> Conversation:
        while True:
            conversation_id = str(secrets.randbelow(9 * 10**15) + 10**15)  # 16 digits, as Symbl's
            if conversation_id not in self.conversations:
                break
        conversation = Conversation(account.name, conversation_id, name)
        self.conversations[conversation_id] = conversation
        return conversation

    def conversation(self, account: Account, conversation_id: str) -> Conversation | None:
        """The account's conversation with this ID (None when there is none, or it is another account's)."""
        found = self.conversations.get(conversation_id)
        return found if found is not None and (found.account == account.name or self._shared) else None

    def job(self, account: Account, job_id: str) -> Job | None:
        """The account's job with this ID (None when there is none, or it is another account's)."""
        found = self.jobs.get(job_id)
        return found if found is not None and (found.account == account.name or self._shared) else None

    def slot_available(self, account: Account) -> bool:
        return self.unfinished_by_account.get(account.name, 0) < self.limits[account.name]

    def add_job(
        self, conversation: Conversation, url: str, webhook_url: str | None, options: dict[str, Any] | None = None
    ) -> Job:
        """Queue a job behind the conversation's earlier ones. The caller has checked ``slot_available``."""
        job = Job(_uuid4(), conversation, url, webhook_url, next(self._seq), options)
        self.jobs[job.id] = job
        conversation.jobs.append(job)
        self.unfinished += 1
        self.unfinished_by_account[job.account] = self.unfinished_by_account.get(job.account, 0) + 1
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
            self.unfinished_by_account[job.account] -= 1
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
        self.unfinished_by_account.clear()
        self.webhooks.clear()
        for task in tasks:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task

    async def aclose(self) -> None:
        await self._let_notifying_jobs_finish()
        await self.webhooks.aclose()  # then pending deliveries get what is left of the shutdown's grace
        await self.reset()
        if self._http is not None:
            await self._http.aclose()
            self._http = None

    async def _let_notifying_jobs_finish(self) -> None:
        """During the shutdown's grace, jobs with a webhook run on, so that their last notifications are sent;
        those still unfinished at the deadline are logged (their later notifications are never made)."""
        if not self.webhooks.shutting_down or not self.config.deliver_webhooks:
            return  # not stopping (an app served some other way), or no notification would be sent
        final = self.lifecycle.final
        waiting = [job for job in self.jobs.values() if job.webhook_url and job.status not in final]

        def busy() -> bool:
            nonlocal waiting
            waiting = [job for job in waiting if job.status not in final]
            return bool(waiting)

        await self.webhooks.wait_out_shutdown(busy)
        if waiting:
            log.warning(
                "shutdown: %d jobs with a webhookUrl unfinished, their final notifications never made (first: %s)",
                len(waiting),
                first_jobs([(job.id, job.status) for job in waiting]),
            )

    def idle(self) -> bool:
        """No unfinished job and no webhook delivery pending."""
        return self.unfinished == 0 and not self.webhooks.pending()

    # -- introspection ------------------------------------------------------------------------------

    def conversations_json(self, account: str | None = None) -> dict[str, Any]:
        """Every conversation (or ``account``'s), and each account's unfinished jobs and limit.

        ``unfinishedJobs`` and ``concurrencyLimit`` at the top are the selected account's (``default`` when
        none is selected); ``accounts`` lists every account.
        """
        selected = account if account is not None else self.tokens.default.name
        return {
            "conversations": [
                {
                    "conversationId": c.id,
                    "account": c.account,
                    "name": c.name,
                    "createdAt": c.created_at,
                    "jobs": [job.as_json() for job in c.jobs],
                }
                for c in self.conversations.values()
                if account is None or c.account == account
            ],
            "unfinishedJobs": self.unfinished if account is None else self.unfinished_by_account.get(account, 0),
            "concurrencyLimit": self.limits.get(selected),
            "accounts": [
                {"name": name, "unfinishedJobs": self.unfinished_by_account.get(name, 0), "concurrencyLimit": limit}
                for name, limit in self.limits.items()
            ],
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
