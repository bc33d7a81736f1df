"""The run's conversation: a submit and its appends sent back to back, every job followed to its end.

Made once, by the first check that needs it (``Need.SCENARIO``); ``job_retrievable``, ``distinct_job_ids``,
``job_lifecycle``, ``append_order`` and the webhook checks judge what it saw.

- Back to back: the appends are sent right after the submit, so that a conversation's jobs overlap (a job
  queued while the one before it runs) and the order check has something to prove.
- Each job has a deadline of its own, ``job_timeout`` seconds from its *turn*: its creation, or the moment
  the job ahead of it in the conversation was seen finished, whichever is later. A queue of four 8-second
  jobs is not one 30-second deadline; a job behind one that never finishes is not judged.
- Jobs are polled newest first, which makes the order check sound: when a later job is seen started and an
  earlier one is then seen unfinished, the earlier one was unfinished when the later one started.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

import httpx

from symbl_conformance.checks.base import Judgement, Unavailable
from symbl_conformance.checks.context import CheckContext, SemanticSettings
from symbl_conformance.credentials import CREDENTIALS_ACCEPTED
from symbl_conformance.http import ServerTrouble, Session, json_body
from symbl_conformance.results import Verdict
from symbl_conformance.spec import ApiFacts
from symbl_spec import Operation
from symbl_spec.pointer import pointer_get

__all__ = ["APPENDS", "DOCUMENTED_REFUSALS", "Job", "Scenario", "scenario", "send_when_free", "value_at"]

APPENDS = 3
DOCUMENTED_REFUSALS = frozenset({401, 413, 429})
"""Answers the document allows to a valid request that do not say the server is wrong: a check that meets one
instead of what it needed to see is inconclusive, not failed (a 401 to a valid token fails
``credentials_accepted``)."""


def value_at(body: Any, pointer: str) -> Any:
    """The value at ``pointer`` in a response body, or ``None`` when the body has nothing there."""
    try:
        return pointer_get(body, pointer)
    except (KeyError, IndexError, TypeError, ValueError):
        return None


def send_when_free(
    session: Session, operation: Operation, path: str, body: Any, settings: SemanticSettings
) -> httpx.Response:
    """Send; while the answer is 429 (the account is at its job limit: earlier jobs still run), retry for up to
    ``job_timeout`` seconds (every ``poll_interval``, at least 50 ms apart), as the document says to."""
    deadline = time.monotonic() + settings.job_timeout
    wait = max(settings.poll_interval, 0.05)
    response = session.request(operation.method, path, body)
    while response.status_code == 429 and time.monotonic() < deadline:
        time.sleep(wait)
        response = session.request(operation.method, path, body)
    return response


@dataclass(slots=True)
class Job:
    job_id: str
    conversation_id: str
    index: int
    """Submission order within the conversation."""
    created_at: float
    history: list[str] = field(default_factory=list)
    finished_at: float | None = None
    """When its final status was first seen."""
    unfinished_seen_at: float | None = None
    """The last time it was seen unfinished."""
    stopped: str | None = None
    """Why it is no longer followed before it finished."""

    @property
    def last(self) -> str | None:
        return self.history[-1] if self.history else None

    @property
    def pending(self) -> bool:
        return self.finished_at is None and self.stopped is None


def _no_job(operation: Operation, response: httpx.Response) -> Unavailable:
    """Why there is no job to follow, and the verdict of the checks that needed one: inconclusive when the answer
    was a documented refusal, or a success without the IDs (the response schema check judges that answer);
    an error for anything else."""
    why = f"{operation.operation_id} answered {response.status_code} {response.text[:200]!r}: no job to follow"
    if response.is_success:
        return Unavailable(Verdict.INCONCLUSIVE, why + " (see response_schema_conformance)")
    if response.status_code in DOCUMENTED_REFUSALS:
        return Unavailable(Verdict.INCONCLUSIVE, why)
    return Unavailable(Verdict.ERROR, why)


class Scenario:
    def __init__(self, ctx: CheckContext) -> None:
        self.api: ApiFacts = ctx.api
        self.session = ctx.session
        self.settings = ctx.settings
        self.webhook_url = ctx.receiver.url if ctx.receiver is not None else None
        self.created: list[Job] = []
        """Every job created, in submission order (the same ID may come back twice from a wrong server)."""
        self.jobs: list[Job] = []
        """The distinct jobs, followed."""
        self.setup: Unavailable | None = None
        """Why there is no job at all to follow (the submit failed)."""
        self.appends_refused: Unavailable | None = None
        """Why the appends stopped: the order of a conversation's jobs cannot be judged."""
        self.trouble: str | None = None
        """The server stopped answering while jobs were followed."""
        self.retrievable = Judgement()
        self.lifecycle = Judgement()
        self.order = Judgement()

    # -- creation --------------------------------------------------------------------------------------

    def body(self) -> dict[str, Any]:
        body = dict(self.api.example_body)
        if self.webhook_url is not None and self.api.webhook_body_field is not None:
            body[self.api.webhook_body_field] = self.webhook_url
        return body

    def _create(self, operation: Operation, path: str, conversation_id: str | None) -> Job | Unavailable:
        response = send_when_free(self.session, operation, path, self.body(), self.settings)
        payload = json_body(response)
        job_id = value_at(payload, self.api.job_pointer)
        conversation = value_at(payload, self.api.conversation_pointer) if conversation_id is None else conversation_id
        if not response.is_success or not isinstance(job_id, str) or not isinstance(conversation, str):
            return _no_job(operation, response)
        job = Job(job_id, conversation, len(self.created), time.monotonic())
        self.created.append(job)
        if all(other.job_id != job_id for other in self.jobs):
            self.jobs.append(job)
        return job

    def create(self) -> None:
        first = self._create(self.api.submit, self.api.submit.path, None)
        if isinstance(first, Unavailable):
            self.setup = first
            return
        path = self.api.append_path(first.conversation_id)
        for _ in range(APPENDS):
            appended = self._create(self.api.append, path, first.conversation_id)
            if isinstance(appended, Unavailable):
                self.appends_refused = appended  # the submit's job is still followed
                return

    # -- following -------------------------------------------------------------------------------------

    def _observe(self, job: Job) -> None:
        api = self.api
        path = api.job_status_path(job.job_id)
        response = self.session.request(api.job_status.method, path)
        curl = self.session.curl(api.job_status.method, path)
        first = not job.history
        label = api.job_status.label
        if response.status_code == 401:
            job.stopped = f"its status was refused for auth (401; see {CREDENTIALS_ACCEPTED})"
            return
        if first and response.status_code == 404:
            job.stopped = "it was not retrievable"
            self.retrievable.fail(
                f"job {job.job_id} not retrievable right after it was created",
                f"{api.job_status.operation_id} right after the job's 201 answered 404: {response.text[:200]}",
                curl,
                label,
            )
            return
        if not response.is_success:
            job.stopped = f"its status call answered {response.status_code}"
            self.lifecycle.fail(
                f"{api.job_status.operation_id} answered {response.status_code} while following job {job.job_id}",
                response.text[:300],
                curl,
                label,
            )
            return
        body = json_body(response)
        if first:
            self._judge_identity(job, body, curl)
        status = value_at(body, "/" + api.status_field)
        if status not in api.statuses:
            job.stopped = "its status is not one of the enum's"
            self.lifecycle.fail(
                f"job status {status!r} is not one of {list(api.statuses)}",
                f"job {job.job_id}: {response.text[:200]}",
                curl,
                label,
            )
            return
        if status not in api.terminal_statuses:
            job.unfinished_seen_at = time.monotonic()
        previous = job.last
        if previous == status:
            return
        if previous is not None and (previous in api.terminal_statuses or api.rank(status) < api.rank(previous)):
            self.lifecycle.fail(
                f"job status moved backwards: {previous} → {status}",
                f"job {job.job_id} went {' → '.join([*job.history, status])}",
                curl,
                label,
            )
        job.history.append(status)
        if status in api.terminal_statuses and job.finished_at is None:
            job.finished_at = time.monotonic()

    def _judge_identity(self, job: Job, body: Any, curl: str) -> None:
        """Retrievable: the status call right after the job's 201 answers *that* job."""
        api = self.api
        answered = value_at(body, "/" + api.job_id_field) if api.job_id_field is not None else job.job_id
        if answered == job.job_id:
            self.retrievable.passed += 1
            return
        self.retrievable.fail(
            f"{api.job_status.operation_id} of a job just created answered another job",
            f"asked for job {job.job_id}, the answer's {api.job_id_field} is {answered!r}",
            curl,
            api.job_status.label,
        )

    def _apply_deadlines(self, now: float) -> None:
        timeout = self.settings.job_timeout
        for position, job in enumerate(self.jobs):
            if not job.pending:
                continue
            ahead = self.jobs[position - 1] if position else None
            if ahead is None:
                turn: float | None = job.created_at
            elif ahead.finished_at is not None:
                turn = max(job.created_at, ahead.finished_at)
            elif ahead.stopped is not None:
                job.stopped = f"it was queued behind job #{ahead.index}, which {ahead.stopped}"
                continue
            else:
                turn = None  # still queued: its clock has not started
            if turn is not None and now > turn + timeout:
                job.stopped = f"it did not finish within {timeout:g}s of its turn"
                self.lifecycle.fail(
                    f"job did not reach a final status within {timeout:g}s of its turn",
                    f"job {job.job_id} (#{job.index} of its conversation) went "
                    f"{' → '.join(job.history) or '(never seen)'}",
                    self.session.curl(self.api.job_status.method, self.api.job_status_path(job.job_id)),
                    self.api.job_status.label,
                )

    def _check_order(self, seen_started: Job | None, job: Job) -> Job | None:
        api = self.api
        started_rank = api.rank(api.statuses[1]) if len(api.statuses) > 1 else 0
        last = job.last
        if last is None:
            return seen_started
        if seen_started is None:
            return job if job.index > 0 and api.rank(last) >= started_rank else None
        if last not in api.terminal_statuses and job.index < seen_started.index:
            path = api.append_path(job.conversation_id)
            self.order.fail(
                f"job #{seen_started.index} of a conversation started before job #{job.index} finished",
                f"conversation {job.conversation_id}: job {seen_started.job_id} (submitted #{seen_started.index}) "
                f"was {seen_started.last} while job {job.job_id} (submitted #{job.index}) was still {last}; "
                "appends must run one at a time in submission order",
                self.session.curl(api.append.method, path, self.body()),
                api.append.label,
            )
        return seen_started

    def follow(self) -> None:
        while True:
            self._apply_deadlines(time.monotonic())
            if not any(job.pending for job in self.jobs):
                return
            seen_started: Job | None = None
            for job in sorted(self.jobs, key=lambda j: j.index, reverse=True):
                if job.pending:
                    self._observe(job)
                if job.stopped is None:
                    seen_started = self._check_order(seen_started, job)
            if self.settings.poll_interval > 0:
                time.sleep(self.settings.poll_interval)

    def run(self) -> None:
        try:
            self.create()
            if self.setup is None:
                self.follow()
        except ServerTrouble as trouble:
            if not self.created:
                self.setup = Unavailable(Verdict.ERROR, str(trouble))
            else:
                self.trouble = f"the server stopped answering while jobs were followed: {trouble}"
                for job in self.jobs:
                    if job.pending:
                        job.stopped = "the server stopped answering"

    # -- what it proves --------------------------------------------------------------------------------

    def overlapping_pairs(self) -> int:
        """Pairs of consecutive jobs in which the earlier one was *seen* unfinished after the later one was created,
        and then followed to its end: the pairs in which the order check could have caught the server out."""
        return sum(
            1
            for ahead, job in zip(self.jobs, self.jobs[1:], strict=False)
            if ahead.finished_at is not None
            and ahead.unfinished_seen_at is not None
            and ahead.unfinished_seen_at > job.created_at
        )

    def conclude(self, judgement: Judgement) -> Judgement:
        """The judgement, or an error when the server went away before anything wrong was seen."""
        if self.trouble is not None and not judgement.failures:
            raise Unavailable(Verdict.ERROR, self.trouble)
        return judgement


def scenario(ctx: CheckContext) -> Scenario:
    """The run's scenario, made on first use; Unavailable when it created no job to follow."""
    found = ctx.shared.get("scenario")
    if not isinstance(found, Scenario):
        found = Scenario(ctx)
        found.run()
        ctx.shared["scenario"] = found
    if found.setup is not None:
        raise found.setup
    return found
