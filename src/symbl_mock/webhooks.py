"""Job-status notifications: POSTed to each job's webhook URL, in order per job, with retries, off the request path.

Cost grows linearly with the notifications, whatever the number of jobs and receivers:

* ``notify`` (on the request path) appends to the job's queue and, when the job had none, puts the job on its
  receiver's ready queue: O(1), no task, no I/O.
* A receiver (scheme, host and port: a *lane*) has at most ``webhook_workers_per_host`` workers, hence as many
  connections, reused. A worker makes one attempt at the oldest notification of the first ready job and moves
  on. Only a job's oldest notification is ever in flight: its notifications go out in order, and nothing else
  waits for them.
* A failed attempt is retried after its backoff by a timer, not by a sleeping worker: the worker is free for
  other jobs meanwhile. Each attempt is bounded by ``webhook_timeout`` (connect, send, answer: all of it).
* At most ``webhook_queue_limit`` notifications wait at once; past it new ones are recorded as ``dropped`` and
  logged, never lost silently.
* On shutdown (``begin_shutdown``, ``aclose``) deliveries go on until the deadline; what is left is logged.
"""

from __future__ import annotations

import asyncio
import collections
import json
import logging
from collections.abc import Callable, Coroutine, Iterable, Sequence
from typing import Any
from urllib.parse import urlsplit

from symbl_cli import is_loopback_url
from symbl_mock.config import MockConfig
from symbl_mock.faults import Fault
from symbl_mock.webhook_client import ConnectionPool, DeliveryError, Target
from symbl_mock.webhook_log import Attempt, AttemptLog

__all__ = ["WebhookSender", "first_jobs"]
log = logging.getLogger("symbl_mock")

Spawn = Callable[[Coroutine[Any, Any, None]], "asyncio.Task[None]"]
Receiver = tuple[str, str, int | None]


def _receiver(url: str) -> Receiver:
    """The lane a URL's deliveries go through: its scheme, host and port (an unusable URL gets a lane of its own,
    where it is given up on at the first attempt)."""
    try:
        if not url.isascii():  # an IDNA host: the connection's own parser names it (slower, and rare)
            target = Target.parse(url)
            return ("https" if target.https else "http"), target.host, target.port
        parts = urlsplit(url)
        scheme = parts.scheme.lower()
        # http://h/ and http://h:80/ are one receiver: one lane, one bound on its connections.
        return scheme, (parts.hostname or ""), parts.port or _DEFAULT_PORTS.get(scheme)
    except ValueError:
        return "", "", None


_DEFAULT_PORTS = {"http": 80, "https": 443}


class _Notification:
    __slots__ = ("attempt", "job_id", "payload", "url")

    def __init__(self, job_id: str, url: str, payload: dict[str, Any]) -> None:
        self.job_id, self.url, self.payload = job_id, url, payload
        self.attempt = 0


class _Job:
    """A job's notifications not yet finished, oldest first; only the oldest is ever being sent."""

    __slots__ = ("items", "lane", "target", "timer")

    def __init__(self, lane: _Lane, first: _Notification) -> None:
        self.lane = lane
        self.items = collections.deque([first])
        self.target: Target | None = None  # the URL, parsed at the first attempt
        self.timer: asyncio.TimerHandle | None = None  # the retry of the oldest, while it waits for its backoff


class _Lane:
    """One receiver's work: the jobs ready for an attempt (FIFO) and the workers taking them."""

    __slots__ = ("key", "ready", "waiting", "workers")

    def __init__(self, key: Receiver) -> None:
        self.key = key
        self.ready: collections.deque[_Job] = collections.deque()
        self.workers: set[asyncio.Task[None]] = set()
        self.waiting = 0  # jobs whose next attempt waits for its backoff timer


class WebhookSender:
    """Delivers job-status notifications; see the module's docstring for the design."""

    def __init__(self, config: MockConfig, final: frozenset[str], clock: Callable[[], float], spawn: Spawn) -> None:
        self.config = config
        self.final = final
        self.clock = clock
        self._spawn = spawn
        self.log = AttemptLog()
        self.dropped = 0  # notifications refused because the queue was full
        self._dropped_in_burst = 0
        self._queued = 0  # notifications waiting or being sent
        self._jobs: dict[str, _Job] = {}
        self._lanes: dict[Receiver, _Lane] = {}
        self._held: dict[str, list[_Notification]] = {}  # the webhook_out_of_order fault's
        self._held_count = 0
        self._pool = ConnectionPool()
        self._epoch = 0  # bumped by clear and aclose: work of an earlier epoch stops
        self._deadline: float | None = None  # loop time at which shutdown stops waiting for deliveries
        self._closed = False

    # -- on the request path ----------------------------------------------------------------------

    def payload(self, job_id: str, status: str) -> dict[str, Any]:
        """The body POSTed for a status change (the spec's webhook payload)."""
        # Both names of the job's ID (the spec's reading 6): `jobId` as documented, `id` as receivers read it.
        payload = {"id": job_id, "status": status}
        if not self.config.has(Fault.WEBHOOK_FIELD_NAME):
            payload = {"jobId": job_id, **payload}
        return payload

    def notify(self, job_id: str, url: str, status: str) -> None:
        notification = _Notification(job_id, url, self.payload(job_id, status))
        if self.config.has(Fault.WEBHOOK_OUT_OF_ORDER):
            held = self._held.setdefault(job_id, [])
            held.append(notification)
            self._held_count += 1
            if status not in self.final:
                return
            del self._held[job_id]
            self._held_count -= len(held)
            for item in reversed(held):
                self._enqueue(item)
            return
        self._enqueue(notification)

    def _enqueue(self, item: _Notification) -> None:
        config = self.config
        if not config.deliver_webhooks or self._closed:
            self._record(item, attempt=1).outcome = "skipped"
            return
        if config.webhooks_loopback_only and not is_loopback_url(item.url):
            record = self._record(item, attempt=1)
            record.outcome, record.error = "refused", "not a loopback host (webhooks_loopback_only)"
            return
        if self._queued >= config.webhook_queue_limit:
            self._drop(item)
            return
        if self._dropped_in_burst:
            log.warning("webhook queue has room again; %d notifications were dropped", self._dropped_in_burst)
            self._dropped_in_burst = 0
        self._queued += 1
        job = self._jobs.get(item.job_id)
        if job is not None:  # the job's earlier notifications are on their way: this one follows them
            job.items.append(item)
            return
        key = _receiver(item.url)
        lane = self._lanes.get(key)
        if lane is None:
            lane = self._lanes[key] = _Lane(key)
        job = self._jobs[item.job_id] = _Job(lane, item)
        self._ready(job)

    def _drop(self, item: _Notification) -> None:
        limit = self.config.webhook_queue_limit
        record = self._record(item, attempt=1)
        record.outcome, record.error = "dropped", f"queue full ({limit} notifications waiting)"
        self.dropped += 1
        if not self._dropped_in_burst:
            log.warning(
                "webhook queue full (%d notifications waiting): new notifications are dropped and recorded as "
                "'dropped' in /__mock__/webhooks (first: job %s, %s)",
                limit,
                item.job_id,
                item.payload.get("status"),
            )
        self._dropped_in_burst += 1

    def _ready(self, job: _Job) -> None:
        lane = job.lane
        lane.ready.append(job)
        if len(lane.workers) < self.config.webhook_workers_per_host:
            task = self._spawn(self._work(lane, self._epoch))
            lane.workers.add(task)
            task.add_done_callback(lane.workers.discard)

    # -- the workers ----------------------------------------------------------------------------------

    async def _work(self, lane: _Lane, epoch: int) -> None:
        try:
            while lane.ready:
                job = lane.ready.popleft()
                item = job.items[0]
                item.attempt += 1
                finished = await self._attempt(job, item)
                if epoch != self._epoch:
                    return
                if finished:
                    job.items.popleft()
                    self._queued -= 1
                    if job.items:
                        lane.ready.append(job)  # its next notification, behind the other jobs waiting
                    else:
                        del self._jobs[item.job_id]
                else:
                    lane.waiting += 1
                    job.timer = asyncio.get_running_loop().call_later(self._backoff(item.attempt), self._retry, job)
        finally:
            # At once, not in a done callback: a job made ready from now on must see this worker gone.
            lane.workers.discard(asyncio.current_task())
            if epoch == self._epoch:
                self._maybe_quiet(lane)

    def _backoff(self, attempt: int) -> float:
        return min(self.config.webhook_backoff * 2.0 ** min(attempt - 1, 64), self.config.webhook_backoff_max)

    def _retry(self, job: _Job) -> None:
        job.timer = None
        job.lane.waiting -= 1
        self._ready(job)

    async def _attempt(self, job: _Job, item: _Notification) -> bool:
        """One attempt at ``item``; True when it is finished with (delivered or given up), False to retry."""
        config = self.config
        record = self._record(item, item.attempt)
        if job.target is None:
            try:
                job.target = Target.parse(item.url)
            except ValueError as exc:
                # Valid against the spec's pattern yet unusable (a bad IDNA host raises idna's UnicodeError, a
                # ValueError): retrying cannot help.
                record.outcome, record.error = "gave_up", f"InvalidURL: {type(exc).__name__}: {exc}"
                log.warning("webhook for job %s not sent: invalid URL (%s)", item.job_id, exc)
                return True
        target = job.target
        try:
            async with asyncio.timeout(config.webhook_timeout):
                connection = await self._pool.acquire(target)
                try:
                    record.status_code = await connection.post(target.request(_dumps(item.payload)))
                finally:
                    self._pool.release(target, connection)  # unless closed (cut short, or not kept alive)
        except TimeoutError:
            record.error = "Timeout"
        except DeliveryError as exc:
            record.error = exc.name
        except Exception as exc:  # a bug must cost an attempt, not the worker (and with it the job's queue)
            log.exception("webhook attempt for job %s failed unexpectedly", item.job_id)
            record.error = f"internal error: {type(exc).__name__}"
        else:
            if 200 <= record.status_code < 300:
                record.outcome = "delivered"
                return True
            record.error = f"HTTP {record.status_code}"
        if item.attempt >= config.webhook_max_attempts:
            record.outcome = "gave_up"
            log.warning(
                "webhook for job %s (%s) given up after %d attempts: %s",
                item.job_id,
                item.payload.get("status"),
                item.attempt,
                record.error,
            )
            return True
        record.outcome = "retrying"
        return False

    def _maybe_quiet(self, lane: _Lane) -> None:
        """Forget a lane with nothing left to do (its connections stay in the pool a while)."""
        if not (lane.ready or lane.waiting or lane.workers) and self._lanes.get(lane.key) is lane:
            del self._lanes[lane.key]

    # -- records --------------------------------------------------------------------------------------

    def _record(self, item: _Notification, attempt: int) -> Attempt:
        return self.log.add(Attempt(item.job_id, item.url, item.payload, attempt, self.clock()))

    def pending(self) -> int:
        """Notifications not finished with: waiting, being sent, waiting to retry, or held by a fault."""
        return self._queued + self._held_count

    def as_json(self, limit: int | None = None) -> dict[str, Any]:
        """The ``/__mock__/webhooks`` document; ``limit``: only that many of the latest attempt records."""
        return {
            "deliveries": self.log.as_json(limit),
            "pending": self.pending(),
            "dropped": self.dropped,
            "forgotten": self.log.forgotten,
        }

    # -- reset and shutdown ---------------------------------------------------------------------------

    def clear(self) -> None:
        """Forget every notification and record; stop the work in flight (connections are kept)."""
        self._stop_work()
        self.log.clear()
        self.dropped = self._dropped_in_burst = 0

    def _stop_work(self) -> list[_Notification]:
        """Stop every worker and timer; the notifications they had not finished with."""
        self._epoch += 1
        left = [item for job in self._jobs.values() for item in job.items]
        left += [item for held in self._held.values() for item in held]
        for lane in self._lanes.values():
            for task in lane.workers:
                task.cancel()
        for job in self._jobs.values():
            if job.timer is not None:
                job.timer.cancel()
        self._jobs.clear()
        self._lanes.clear()
        self._held.clear()
        self._queued = self._held_count = 0
        return left

    def begin_shutdown(self, deadline: float) -> None:
        """The server is stopping: ``aclose`` lets deliveries go on until ``deadline`` (the loop's clock)."""
        self._deadline = deadline

    @property
    def shutting_down(self) -> bool:
        return self._deadline is not None

    async def wait_out_shutdown(self, busy: Callable[[], bool]) -> None:
        """Wait while ``busy()``, until the shutdown's deadline: re-read on every pass, since a second Ctrl-C
        moves it to now."""
        loop = asyncio.get_running_loop()
        while self._deadline is not None and busy() and loop.time() < self._deadline:  # noqa: ASYNC110 - bounded, rare
            await asyncio.sleep(0.02)

    async def aclose(self) -> None:
        """Wait for pending deliveries until the shutdown deadline, log what is left undelivered, close."""
        await self.wait_out_shutdown(lambda: self._queued > 0)
        left = self._stop_work()
        self._closed = True
        if left:
            log.warning("shutdown: %d webhook notifications not delivered: %s", len(left), _summary(left))
        self._pool.close()


def _dumps(payload: dict[str, Any]) -> bytes:
    return json.dumps(payload, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def _summary(items: Iterable[_Notification], shown: int = 5) -> str:
    """Where the undelivered notifications were going, and the first few of them."""
    items = list(items)
    by_receiver = collections.Counter(item.url for item in items)
    receivers = ", ".join(f"{count} to {url}" for url, count in by_receiver.most_common(shown))
    if len(by_receiver) > shown:
        receivers += f", {len(items) - sum(c for _, c in by_receiver.most_common(shown))} to others"
    return f"{receivers} (first: {first_jobs([(item.job_id, item.payload.get('status')) for item in items])})"


def first_jobs(jobs: Sequence[tuple[str, object]], shown: int = 5) -> str:
    """``job ID STATUS, …`` for the first ``shown`` of these, and how many more there are."""
    first = ", ".join(f"job {job_id} {status}" for job_id, status in jobs[:shown])
    return first + (f" and {len(jobs) - shown} more" if len(jobs) > shown else "")
