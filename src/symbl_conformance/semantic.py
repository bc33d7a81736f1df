"""The checks schemathesis cannot express: what the seed says happens to jobs over time.

Each check has a name (it appears in the summary and the JUnit report) and passes, fails, or is
skipped with a reason. They use plain httpx, so that a server's departure from the spec is seen as
it is rather than through a client's parsing.

Check names:

- ``job_retrievable``: ``getJobStatus(jobId)`` right after a 201 is not 404.
- ``job_lifecycle``: every job reaches a terminal status within ``job_timeout``, only ever moving forward.
- ``append_order``: jobs of one conversation run one at a time, in submission order.
- ``unknown_conversation_404``: appending to a conversation that does not exist is 404.
- ``unknown_job_404``: the status of a job that does not exist is 404.
- ``webhook_payload``: every webhook delivery is valid against the document's webhook schema.
- ``webhook_order``: a job's deliveries move forward, cover every status change, and end with its final status.
- ``concurrency_limit_429``: past the concurrent-job limit, 429 with the documented body.
"""

from __future__ import annotations

import itertools
import json
import secrets
import shlex
import time
import uuid
from collections.abc import Callable
from contextlib import nullcontext
from dataclasses import dataclass, field
from typing import Any

import httpx

from symbl_conformance.results import CheckStatus, FailureRecord, SemanticOutcome
from symbl_conformance.spec import ApiFacts, facts
from symbl_conformance.webhooks import WebhookReceiver
from symbl_spec import Operation
from symbl_spec.pointer import pointer_get

__all__ = ["SEMANTIC_CHECKS", "SemanticSettings", "run_semantic_checks"]

SEMANTIC_CHECKS = (
    "job_retrievable",
    "job_lifecycle",
    "append_order",
    "unknown_conversation_404",
    "unknown_job_404",
    "webhook_payload",
    "webhook_order",
    "concurrency_limit_429",
)
_CREATING_CHECKS = frozenset(SEMANTIC_CHECKS) - {"unknown_job_404"}
APPENDS = 3


@dataclass(frozen=True, slots=True)
class SemanticSettings:
    base_url: str
    token: str
    side_effects: bool
    """Whether requests that may create jobs are allowed."""
    limit_check: bool
    """Whether to run ``concurrency_limit_429`` (creates jobs until the limit)."""
    job_timeout: float = 30.0
    poll_interval: float = 0.01
    webhook_timeout: float = 15.0
    max_jobs_for_limit: int = 60
    min_request_interval: float = 0.0
    request_timeout: float = 10.0


@dataclass(slots=True)
class _Job:
    job_id: str
    conversation_id: str
    index: int
    """Submission order within its conversation."""
    history: list[str] = field(default_factory=list)
    observed_at: list[float] = field(default_factory=list)

    @property
    def last(self) -> str | None:
        return self.history[-1] if self.history else None


def _curl(method: str, url: str, body: Any | None, authenticated: bool) -> str:
    parts = ["curl", "-X", method.upper()]
    command = shlex.join(parts)
    if authenticated:
        command += ' -H "Authorization: Bearer $SYMBL_TOKEN"'
    if body is not None:
        command += " -H 'Content-Type: application/json' -d " + shlex.quote(json.dumps(body))
    return command + " " + shlex.quote(url)


class _Session:
    """An httpx client that spaces its requests and remembers how to reproduce them."""

    def __init__(self, settings: SemanticSettings) -> None:
        self.settings = settings
        self.client = httpx.Client(
            base_url=settings.base_url,
            headers={"Authorization": f"Bearer {settings.token}"},
            timeout=settings.request_timeout,
        )
        self._last = 0.0

    def request(self, method: str, path: str, body: Any | None = None) -> httpx.Response:
        wait = self._last + self.settings.min_request_interval - time.monotonic()
        if wait > 0:
            time.sleep(wait)
        self._last = time.monotonic()
        return self.client.request(method.upper(), path, json=body)

    def curl(self, method: str, path: str, body: Any | None = None) -> str:
        return _curl(method, f"{self.settings.base_url.rstrip('/')}{path}", body, authenticated=True)

    def close(self) -> None:
        self.client.close()


class _Failures:
    def __init__(self, check: str, operation: Operation | None) -> None:
        self.check = check
        self.operation = operation
        self.records: list[FailureRecord] = []

    def add(self, title: str, message: str, curl: str | None) -> None:
        label = ""
        if self.operation is not None:
            label = self.operation.label
        self.records.append(FailureRecord(self.check, label, title, message, curl, "semantic"))

    def outcome(self, started: float, passed_detail: str) -> SemanticOutcome:
        status = CheckStatus.FAILED if self.records else CheckStatus.PASSED
        detail = self.records[0].title if self.records else passed_detail
        return SemanticOutcome(self.check, status, detail, self.records, time.perf_counter() - started)


def _pointer_get(body: Any, pointer: str) -> Any:
    """The value at ``pointer`` in a response body, or ``None`` when the body has nothing there."""
    try:
        return pointer_get(body, pointer)
    except (KeyError, IndexError, TypeError, ValueError):
        return None


class _Scenario:
    """One conversation with appended audio, its jobs followed until they finish."""

    def __init__(
        self,
        api: ApiFacts,
        session: _Session,
        receiver: WebhookReceiver | None,
        busy_timeout: float = 0.0,
        busy_wait: float = 0.1,
    ) -> None:
        self.api = api
        self.busy_timeout = busy_timeout
        """How long to retry a creation answered 429 (the account is busy with earlier jobs)."""
        self.busy_wait = busy_wait
        self.session = session
        self.receiver = receiver
        self.jobs: list[_Job] = []
        self.retrievable = _Failures("job_retrievable", api.job_status)
        self.lifecycle = _Failures("job_lifecycle", api.job_status)
        self.order = _Failures("append_order", api.append)
        self.setup_error: str | None = None
        self.deadline_hit = False
        self.abandoned: set[str] = set()
        """Jobs no longer polled: the server answered their status call with an error or an unknown status."""

    def body(self) -> dict[str, Any]:
        body = dict(self.api.example_body)
        if self.receiver is not None and self.api.webhook_body_field is not None:
            body[self.api.webhook_body_field] = self.receiver.url
        return body

    def _create(self, operation: Operation, path: str, conversation_id: str | None, index: int) -> _Job | None:
        body = self.body()
        response = self.session.request(operation.method, path, body)
        # 429: the account is at its job limit (jobs of the schemathesis run, say): the spec says retry later.
        deadline = time.monotonic() + self.busy_timeout
        while response.status_code == 429 and time.monotonic() < deadline:
            time.sleep(self.busy_wait)
            response = self.session.request(operation.method, path, body)
        payload = _json(response)
        job_id = _pointer_get(payload, self.api.job_pointer)
        conv = _pointer_get(payload, self.api.conversation_pointer) if conversation_id is None else conversation_id
        if not response.is_success or not isinstance(job_id, str) or not isinstance(conv, str):
            self.setup_error = (
                f"{operation.operation_id} answered {response.status_code} {response.text[:200]!r}: no job to follow"
            )
            return None
        job = _Job(job_id, conv, index)
        self.jobs.append(job)
        status_path = self.api.job_status.url_path(**{self.api.job_param: job_id})
        check = self.session.request(self.api.job_status.method, status_path)
        if check.status_code == 404 or not check.is_success:
            self.retrievable.add(
                f"job {job_id} not retrievable right after it was created",
                f"{operation.operation_id} answered {response.status_code} with jobId {job_id}; "
                f"{self.api.job_status.operation_id} right after answered {check.status_code}: {check.text[:200]}",
                self.session.curl(self.api.job_status.method, status_path),
            )
        else:
            self._observe(job, check)
        return job

    def create(self) -> None:
        first = self._create(self.api.submit, self.api.submit.path, None, 0)
        if first is None:
            return
        path = self.api.append.url_path(**{self.api.conversation_param: first.conversation_id})
        for index in range(1, APPENDS + 1):
            if self._create(self.api.append, path, first.conversation_id, index) is None:
                return

    def _observe(self, job: _Job, response: httpx.Response) -> None:
        status = _pointer_get(_json(response), "/" + self.api.status_field)
        path = self.api.job_status.url_path(**{self.api.job_param: job.job_id})
        curl = self.session.curl(self.api.job_status.method, path)
        if not response.is_success:
            self.abandoned.add(job.job_id)
            self.lifecycle.add(
                f"{self.api.job_status.operation_id} failed while following job {job.job_id}",
                f"status {response.status_code}: {response.text[:200]}",
                curl,
            )
            return
        if status not in self.api.statuses:
            self.abandoned.add(job.job_id)
            self.lifecycle.add(
                f"job status {status!r} is not one of {list(self.api.statuses)}",
                f"job {job.job_id}: {response.text[:200]}",
                curl,
            )
            return
        previous = job.last
        if previous == status:
            return
        if previous is not None and (
            previous in self.api.terminal_statuses or self.api.rank(status) < self.api.rank(previous)
        ):
            self.lifecycle.add(
                f"job status moved backwards: {previous} → {status}",
                f"job {job.job_id} went {' → '.join([*job.history, status])}",
                curl,
            )
        job.history.append(status)
        job.observed_at.append(time.monotonic())

    def follow(self, timeout: float, poll_interval: float) -> None:
        """Poll every unfinished job, newest first, until all are terminal or the time is up.

        Polling newest first makes the order check sound: when a later job is seen started and an
        earlier one is then seen unfinished, the earlier one was unfinished when the later one started.
        """
        deadline = time.monotonic() + timeout
        started_rank = self.api.rank(self.api.statuses[1]) if len(self.api.statuses) > 1 else 0
        reported_order = False
        while time.monotonic() < deadline:
            pending = [
                job
                for job in self.jobs
                if job.last not in self.api.terminal_statuses and job.job_id not in self.abandoned
            ]
            if not pending:
                return
            seen_started: _Job | None = None
            for job in sorted(self.jobs, key=lambda j: j.index, reverse=True):
                if job.job_id in self.abandoned:
                    continue
                if job.last not in self.api.terminal_statuses:
                    path = self.api.job_status.url_path(**{self.api.job_param: job.job_id})
                    self._observe(job, self.session.request(self.api.job_status.method, path))
                last = job.last
                if last is None or job.job_id in self.abandoned:
                    continue
                if seen_started is None and self.api.rank(last) >= started_rank and job.index > 0:
                    seen_started = job
                elif (
                    seen_started is not None
                    and last not in self.api.terminal_statuses
                    and job.index < seen_started.index
                    and not reported_order
                ):
                    reported_order = True
                    self.order.add(
                        f"job #{seen_started.index} of a conversation started before job #{job.index} finished",
                        f"conversation {job.conversation_id}: job {seen_started.job_id} (submitted "
                        f"#{seen_started.index}) was {seen_started.last} while job {job.job_id} (submitted "
                        f"#{job.index}) was still {last}; appends must run one at a time in submission order",
                        self.session.curl(
                            self.api.append.method,
                            self.api.append.url_path(**{self.api.conversation_param: job.conversation_id}),
                            self.body(),
                        ),
                    )
            if poll_interval > 0:
                time.sleep(poll_interval)
        self.deadline_hit = True
        for job in self.jobs:
            if job.last not in self.api.terminal_statuses and job.job_id not in self.abandoned:
                path = self.api.job_status.url_path(**{self.api.job_param: job.job_id})
                self.lifecycle.add(
                    f"job did not reach a terminal status within {timeout:g}s",
                    f"job {job.job_id} went {' → '.join(job.history) or '(never seen)'}",
                    self.session.curl(self.api.job_status.method, path),
                )


def _json(response: httpx.Response) -> Any:
    try:
        return response.json()
    except ValueError:
        return None


def _webhook_job_field(api: ApiFacts, pointer: str) -> str | None:
    for name in api.spec.at(pointer).get("required", []):
        if name != api.status_field:
            return str(name)
    return None


def _check_webhooks(
    api: ApiFacts, scenario: _Scenario, receiver: WebhookReceiver, timeout: float, started: float
) -> list[SemanticOutcome]:
    payload = _Failures("webhook_payload", None)
    order = _Failures("webhook_order", None)
    pointer = api.webhook_schema_pointer()
    job_field = None if pointer is None else _webhook_job_field(api, pointer)
    if pointer is None or job_field is None:
        return [
            SemanticOutcome(name, CheckStatus.SKIPPED, "the document defines no webhook payload")
            for name in ("webhook_payload", "webhook_order")
        ]
    validator = api.spec.validator(pointer)
    finals = {job.job_id: job.last for job in scenario.jobs}

    def by_job() -> dict[str, list[str]]:
        found: dict[str, list[str]] = {}
        for delivery in receiver.deliveries():
            body = delivery.json()
            if isinstance(body, dict) and validator.is_valid(body):
                found.setdefault(str(body[job_field]), []).append(str(body[api.status_field]))
        return found

    def finals_delivered() -> bool:
        """Every job's final status has arrived, in any delivery that names the job (valid or not).

        A server that keeps each job's notifications in order has sent all of them by then; waiting for
        deliveries that are merely valid would wait out the timeout when every payload is malformed.
        """
        pending = {job_id for job_id, final in finals.items() if final is not None}
        for delivery in receiver.deliveries():
            body = delivery.json()
            if not isinstance(body, dict):
                continue
            status = body.get(api.status_field)
            pending -= {v for v in body.values() if isinstance(v, str) and v in pending and finals[v] == status}
        return not pending

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and not finals_delivered():
        time.sleep(0.05)
    # A little longer, so that deliveries sent after the final one (out of order) are seen too.
    time.sleep(0.2)
    deliveries = receiver.deliveries()
    example = deliveries[0] if deliveries else None
    for delivery in deliveries:
        body = delivery.json()
        errors = [] if body is None else [error.message for error in validator.iter_errors(body)]
        if body is None or errors:
            payload.add(
                "webhook payload does not match the document's webhook schema",
                f"received {delivery.body[:300]!r}: {'; '.join(errors) or 'not JSON'}",
                _curl("post", receiver.url, body, authenticated=False),
            )
            break
    got = by_job()
    for job in scenario.jobs:
        statuses = got.get(job.job_id, [])
        ranks = [api.rank(status) for status in statuses]
        curl = None if example is None else _curl("post", receiver.url, example.json(), authenticated=False)
        if not statuses:
            order.add(
                f"no valid webhook delivery for job {job.job_id}",
                f"the job went {' → '.join(job.history)}; the receiver got {len(deliveries)} deliveries in all",
                None,
            )
        elif any(later < earlier for earlier, later in itertools.pairwise(ranks)):
            order.add(
                f"webhook statuses out of order for job {job.job_id}: {' → '.join(statuses)}",
                f"polling saw {' → '.join(job.history)}",
                curl,
            )
        elif statuses[-1] != job.last:
            order.add(
                f"last webhook status {statuses[-1]} is not the job's final status {job.last}",
                f"job {job.job_id}: deliveries {' → '.join(statuses)}",
                curl,
            )
        else:
            missing = [s for s in job.history[1:] if s not in statuses]
            if job.history and job.history[0] != api.statuses[0] and job.history[0] not in statuses:
                missing.insert(0, job.history[0])
            if missing:
                order.add(
                    f"no webhook delivery for status change(s) {', '.join(missing)} of job {job.job_id}",
                    f"polling saw {' → '.join(job.history)}; deliveries {' → '.join(statuses)}",
                    curl,
                )
    total = sum(len(v) for v in got.values())
    return [
        payload.outcome(started, f"{len(deliveries)} deliveries valid"),
        order.outcome(started, f"{total} deliveries for {len(scenario.jobs)} jobs in order"),
    ]


def _unknown_conversation(api: ApiFacts, session: _Session, body: dict[str, Any]) -> SemanticOutcome:
    started = time.perf_counter()
    failures = _Failures("unknown_conversation_404", api.append)
    conversation = f"conformance{secrets.token_hex(12)}"
    path = api.append.url_path(**{api.conversation_param: conversation})
    response = session.request(api.append.method, path, body)
    if response.status_code != 404:
        failures.add(
            f"{api.append.operation_id} on an unknown conversation answered {response.status_code}, not 404",
            response.text[:300],
            session.curl(api.append.method, path, body),
        )
    return failures.outcome(started, "404")


def _unknown_job(api: ApiFacts, session: _Session) -> SemanticOutcome:
    started = time.perf_counter()
    failures = _Failures("unknown_job_404", api.job_status)
    path = api.job_status.url_path(**{api.job_param: str(uuid.uuid4())})
    response = session.request(api.job_status.method, path)
    if response.status_code != 404:
        failures.add(
            f"{api.job_status.operation_id} of an unknown job answered {response.status_code}, not 404",
            response.text[:300],
            session.curl(api.job_status.method, path),
        )
    return failures.outcome(started, "404")


def _concurrency_limit(api: ApiFacts, session: _Session, settings: SemanticSettings) -> SemanticOutcome:
    started = time.perf_counter()
    failures = _Failures("concurrency_limit_429", api.submit)
    pointer = api.response_schema_pointer(api.submit, 429)
    body = dict(api.example_body)
    for created in range(settings.max_jobs_for_limit):
        response = session.request(api.submit.method, api.submit.path, body)
        if response.status_code == 429:
            payload = _json(response)
            problems: list[str] = []
            if pointer is not None:
                problems = (
                    [e.message for e in api.spec.validator(pointer).iter_errors(payload)] if payload is not None else []
                )
                if payload is None:
                    problems = ["body is not JSON"]
            status_code = payload.get("statusCode") if isinstance(payload, dict) else None
            if status_code is not None and status_code != 429:
                problems.append(f"statusCode is {status_code}, not 429")
            if problems:
                failures.add(
                    "429 body does not match the document",
                    f"{response.text[:300]}: {'; '.join(problems)}",
                    session.curl(api.submit.method, api.submit.path, body),
                )
            return failures.outcome(started, f"429 after {created} jobs")
        if not response.is_success:
            failures.add(
                f"{api.submit.operation_id} answered {response.status_code} while filling the job limit",
                response.text[:300],
                session.curl(api.submit.method, api.submit.path, body),
            )
            return failures.outcome(started, "")
    return SemanticOutcome(
        "concurrency_limit_429",
        CheckStatus.SKIPPED,
        f"no 429 within {settings.max_jobs_for_limit} jobs (raise --max-limit-jobs)",
        elapsed=time.perf_counter() - started,
    )


def run_semantic_checks(
    settings: SemanticSettings,
    receiver: WebhookReceiver | None,
    webhook_skip_reason: str,
    limit_session_factory: Callable[[], Any] | None = None,
    progress: Callable[[str], None] | None = None,
) -> list[SemanticOutcome]:
    """Run the checks; ``limit_session_factory`` may supply a separate server for the 429 check."""
    api = facts()
    outcomes: list[SemanticOutcome] = []
    session = _Session(settings)
    say = progress or (lambda _message: None)
    try:
        say("  unknown_job_404 …")
        outcomes.append(_unknown_job(api, session))
        if not settings.side_effects:
            reason = "safe mode: it would create jobs (pass --allow-side-effects)"
            outcomes.extend(
                SemanticOutcome(name, CheckStatus.SKIPPED, reason)
                for name in SEMANTIC_CHECKS
                if name in _CREATING_CHECKS
            )
            return outcomes
        started = time.perf_counter()
        say(f"  creating a conversation with {APPENDS} appends and following its jobs …")
        scenario = _Scenario(
            api, session, receiver, busy_timeout=settings.job_timeout, busy_wait=max(settings.poll_interval, 0.05)
        )
        scenario.create()
        if scenario.setup_error is None:
            scenario.follow(settings.job_timeout, settings.poll_interval)
        retrievable = scenario.retrievable.outcome(started, f"{len(scenario.jobs)} jobs retrievable")
        if scenario.setup_error is not None and retrievable.status is CheckStatus.PASSED:
            # No job to follow: the checks that follow jobs cannot run; the first one says why.
            retrievable = SemanticOutcome("job_retrievable", CheckStatus.ERROR, scenario.setup_error)
        outcomes.append(retrievable)
        if scenario.setup_error is not None:
            for name in ("job_lifecycle", "append_order", "webhook_payload", "webhook_order"):
                outcomes.append(SemanticOutcome(name, CheckStatus.SKIPPED, "no job to follow (see job_retrievable)"))
        else:
            outcomes.append(scenario.lifecycle.outcome(started, f"{len(scenario.jobs)} jobs reached a terminal status"))
            outcomes.append(scenario.order.outcome(started, f"{len(scenario.jobs)} jobs ran in submission order"))
            if receiver is None:
                outcomes.extend(
                    SemanticOutcome(name, CheckStatus.SKIPPED, webhook_skip_reason)
                    for name in ("webhook_payload", "webhook_order")
                )
            elif scenario.deadline_hit or scenario.abandoned:
                # job_lifecycle has failed: without each job's final status its webhooks cannot be judged.
                why = "jobs did not finish" if scenario.deadline_hit else "job statuses could not be read"
                outcomes.extend(
                    SemanticOutcome(name, CheckStatus.SKIPPED, f"{why} (see job_lifecycle): webhooks cannot be judged")
                    for name in ("webhook_payload", "webhook_order")
                )
            else:
                say("  waiting for webhooks …")
                outcomes.extend(_check_webhooks(api, scenario, receiver, settings.webhook_timeout, started))
        say("  unknown_conversation_404 …")
        outcomes.append(_unknown_conversation(api, session, dict(api.example_body)))
        if not settings.limit_check:
            outcomes.append(
                SemanticOutcome(
                    "concurrency_limit_429",
                    CheckStatus.SKIPPED,
                    "creates many jobs: only with --allow-side-effects",
                )
            )
        else:
            say("  concurrency_limit_429 …")
            context = limit_session_factory() if limit_session_factory is not None else nullcontext(settings)
            with context as limit_settings:
                limit_session = _Session(limit_settings)
                try:
                    outcomes.append(_concurrency_limit(api, limit_session, limit_settings))
                finally:
                    limit_session.close()
    finally:
        session.close()
    return outcomes
