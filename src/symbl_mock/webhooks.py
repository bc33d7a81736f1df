"""Job-status notifications: POSTed to each job's webhook URL, in order per job, with retries."""

from __future__ import annotations

import asyncio
import collections
import ipaddress
import logging
from collections.abc import Callable, Coroutine
from typing import Any
from urllib.parse import urlsplit

import httpx

from symbl_mock.config import MockConfig
from symbl_mock.faults import Fault

__all__ = ["WebhookSender", "is_loopback_url"]

log = logging.getLogger("symbl_mock")

_LOG_LIMIT = 200_000


def is_loopback_url(url: str) -> bool:
    """Whether the URL's host is ``localhost`` or a loopback address, decided without a name lookup."""
    try:
        host = urlsplit(url).hostname or ""
    except ValueError:
        return False
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class WebhookSender:
    """One sender task per job with deliveries pending; a job's deliveries go one after another."""

    def __init__(
        self,
        config: MockConfig,
        final: frozenset[str],
        clock: Callable[[], float],
        spawn: Callable[[Coroutine[Any, Any, None]], Any],
    ) -> None:
        self.config = config
        self.final = final
        self.clock = clock
        self._spawn = spawn
        self.log: collections.deque[dict[str, Any]] = collections.deque(maxlen=_LOG_LIMIT)
        self._queues: dict[str, collections.deque[dict[str, Any]]] = {}
        self._held: dict[str, list[dict[str, Any]]] = {}
        self._http: httpx.AsyncClient | None = None

    def notify(self, job_id: str, url: str, status: str) -> None:
        # Both names of the job's ID (the spec's reading 6): `jobId` as documented, `id` as receivers read it.
        payload = {"id": job_id, "status": status}
        if not self.config.has(Fault.WEBHOOK_FIELD_NAME):
            payload = {"jobId": job_id, **payload}
        delivery = {"jobId": job_id, "url": url, "payload": payload}
        if self.config.has(Fault.WEBHOOK_OUT_OF_ORDER):
            held = self._held.setdefault(job_id, [])
            held.append(delivery)
            if status not in self.final:
                return
            del self._held[job_id]
            for item in reversed(held):
                self._enqueue(item)
            return
        self._enqueue(delivery)

    def _enqueue(self, delivery: dict[str, Any]) -> None:
        job_id = delivery["jobId"]
        queue = self._queues.get(job_id)
        if queue is not None:  # a sender for this job is running: it takes this one after the earlier ones
            queue.append(delivery)
            return
        queue = collections.deque([delivery])
        self._queues[job_id] = queue
        self._spawn(self._send_in_order(job_id, queue))

    async def _send_in_order(self, job_id: str, queue: collections.deque[dict[str, Any]]) -> None:
        try:
            while queue:
                await self._deliver(queue[0])
                queue.popleft()
        finally:
            if self._queues.get(job_id) is queue:
                del self._queues[job_id]

    async def _deliver(self, delivery: dict[str, Any]) -> None:
        config = self.config
        delay = config.webhook_backoff
        for attempt in range(1, config.webhook_max_attempts + 1):
            record: dict[str, Any] = {
                "jobId": delivery["jobId"],
                "url": delivery["url"],
                "payload": delivery["payload"],
                "attempt": attempt,
                "at": self.clock(),
                "statusCode": None,
                "error": None,
            }
            self.log.append(record)
            if not config.deliver_webhooks:
                record["outcome"] = "skipped"
                return
            if config.webhooks_loopback_only and not is_loopback_url(delivery["url"]):
                record["outcome"] = "refused"
                record["error"] = "not a loopback host (webhooks_loopback_only)"
                return
            try:
                response = await self.http.post(
                    delivery["url"], json=delivery["payload"], timeout=config.webhook_timeout
                )
                record["statusCode"] = response.status_code
                if 200 <= response.status_code < 300:
                    record["outcome"] = "delivered"
                    return
                record["error"] = f"HTTP {response.status_code}"
            except (httpx.InvalidURL, ValueError) as exc:
                # Valid against the spec's pattern yet unusable (a bad IDNA host raises idna's UnicodeError,
                # a ValueError): retrying cannot help.
                record["error"] = f"InvalidURL: {type(exc).__name__}: {exc}"
                record["outcome"] = "gave_up"
                log.warning("webhook for job %s not sent: invalid URL (%s)", delivery["jobId"], exc)
                return
            except httpx.HTTPError as exc:
                record["error"] = type(exc).__name__
            if attempt == config.webhook_max_attempts:
                record["outcome"] = "gave_up"
                log.warning(
                    "webhook for job %s (%s) given up after %d attempts: %s",
                    delivery["jobId"],
                    delivery["payload"].get("status"),
                    attempt,
                    record["error"],
                )
                return
            record["outcome"] = "retrying"
            await asyncio.sleep(delay)
            delay = min(delay * 2, config.webhook_backoff_max)

    @property
    def http(self) -> httpx.AsyncClient:
        if self._http is None:
            self._http = httpx.AsyncClient(
                trust_env=False,
                follow_redirects=False,
                limits=httpx.Limits(max_connections=200, max_keepalive_connections=50),
            )
        return self._http

    def pending(self) -> int:
        return len(self._queues) + len(self._held)

    def clear(self) -> None:
        """Forget every delivery (the caller cancels the sender tasks)."""
        self.log.clear()
        self._queues.clear()
        self._held.clear()

    async def aclose(self) -> None:
        if self._http is not None:
            await self._http.aclose()
            self._http = None

    def as_json(self) -> dict[str, Any]:
        return {"deliveries": [dict(r) for r in self.log], "pending": self.pending()}
