"""The webhook checks: every delivery that arrives is judged, whatever became of the jobs.

``webhook_payload`` validates each delivery against the document's webhook schema. ``webhook_order`` judges
each job's deliveries: they move forward; for a job followed to its end they cover every status change
polling saw and end with its final status; and they name jobs this run created.
"""

from __future__ import annotations

import itertools
import time
from typing import Any

from symbl_conformance.checks.base import Judgement, Need, SemanticCheck, Unavailable
from symbl_conformance.checks.context import CheckContext
from symbl_conformance.checks.jobs import DISTINCT_JOB_IDS
from symbl_conformance.checks.scenario import Scenario, scenario
from symbl_conformance.http import curl
from symbl_conformance.receiver import Delivery, WebhookReceiver
from symbl_conformance.results import Verdict

__all__ = ["WEBHOOK_ORDER", "WEBHOOK_PAYLOAD"]

SETTLE = 0.2
"""Seconds to keep listening after the last expected delivery, for deliveries sent out of order."""
UNFINISHED_GRACE = 1.0
"""Seconds to listen when some jobs were not followed to their end (no final delivery to wait for)."""


def _job_field(ctx: CheckContext, pointer: str) -> str | None:
    for name in ctx.api.spec.at(pointer).get("required", []):
        if name != ctx.api.status_field:
            return str(name)
    return None


def _deliveries(ctx: CheckContext, seen: Scenario, receiver: WebhookReceiver) -> list[Delivery]:
    """Wait (once per run) for the deliveries of the scenario's jobs; every delivery received."""
    found = ctx.shared.get("deliveries")
    if isinstance(found, list):
        return found
    api = ctx.api
    finals = {job.job_id: job.last for job in seen.jobs if job.finished_at is not None}
    everything_finished = len(finals) == len(seen.jobs)

    def finals_delivered() -> bool:
        """Every finished job's final status has arrived in a delivery that names the job (valid or not): a
        server that keeps a job's notifications in order has sent them all by then."""
        pending = set(finals)
        for delivery in receiver.deliveries():
            body = delivery.json()
            if isinstance(body, dict):
                status = body.get(api.status_field)
                pending -= {v for v in body.values() if isinstance(v, str) and finals.get(v) == status}
        return not pending

    timeout = (
        ctx.settings.webhook_timeout if everything_finished else min(ctx.settings.webhook_timeout, UNFINISHED_GRACE)
    )
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and not (everything_finished and finals_delivered()):
        time.sleep(0.05)
    time.sleep(SETTLE)
    deliveries = receiver.deliveries()
    ctx.shared["deliveries"] = deliveries
    return deliveries


def _setup(ctx: CheckContext) -> tuple[Scenario, list[Delivery], str, str]:
    seen = scenario(ctx)
    receiver = ctx.receiver
    if receiver is None:  # the runner skips the check first: Need.WEBHOOKS
        raise Unavailable(Verdict.SKIPPED, "no webhook receiver")
    pointer = ctx.api.webhook_schema_pointer()
    job_field = None if pointer is None else _job_field(ctx, pointer)
    if pointer is None or job_field is None:
        raise Unavailable(Verdict.SKIPPED, "the document defines no webhook payload naming a job")
    return seen, _deliveries(ctx, seen, receiver), pointer, job_field


def _example(receiver_url: str, body: Any) -> str:
    return curl("post", receiver_url, body, authenticated=False)


def _payload(ctx: CheckContext) -> Judgement:
    seen, deliveries, pointer, _job_field_name = _setup(ctx)
    assert ctx.receiver is not None
    validator = ctx.api.spec.validator(pointer)
    judgement = Judgement()
    label = next(iter(ctx.api.spec.webhooks.values())).label if ctx.api.spec.webhooks else ""
    for delivery in deliveries:
        body = delivery.json()
        errors = [] if body is None else [error.message for error in validator.iter_errors(body)]
        if body is None or errors:
            judgement.fail(
                "webhook payload does not match the document's webhook schema",
                f"received {delivery.body[:300]!r}: {'; '.join(errors) or 'not JSON'}",
                _example(ctx.receiver.url, body),
                label,
            )
        else:
            judgement.passed += 1
    judgement.detail = f"{judgement.passed} deliveries valid"
    judgement.inconclusive = f"no delivery arrived for the {len(seen.jobs)} jobs"
    return seen.conclude(judgement)


def _order(ctx: CheckContext) -> Judgement:
    seen, deliveries, pointer, job_field = _setup(ctx)
    assert ctx.receiver is not None
    api = ctx.api
    validator = api.spec.validator(pointer)
    judgement = Judgement()
    label = next(iter(api.spec.webhooks.values())).label if api.spec.webhooks else ""
    by_job: dict[str, list[str]] = {}
    for delivery in deliveries:
        body = delivery.json()
        if isinstance(body, dict) and validator.is_valid(body):
            by_job.setdefault(str(body[job_field]), []).append(str(body[api.status_field]))
    ours = {job.job_id for job in seen.jobs}
    for job_id, statuses in by_job.items():
        if job_id not in ours:
            judgement.fail(
                "webhook delivery for a job this run did not create",
                f"deliveries for job {job_id}: {' → '.join(statuses)}; the run's jobs: {', '.join(sorted(ours))}",
                None,
                label,
            )
    distinct = len(seen.jobs) == len(seen.created)
    for job in seen.jobs:
        statuses = by_job.get(job.job_id, [])
        ranks = [api.rank(status) for status in statuses]
        example = (
            _example(ctx.receiver.url, {job_field: job.job_id, api.status_field: statuses[-1]}) if statuses else None
        )
        if any(later < earlier for earlier, later in itertools.pairwise(ranks)):
            judgement.fail(
                f"webhook statuses out of order for job {job.job_id}: {' → '.join(statuses)}",
                f"polling saw {' → '.join(job.history)}",
                example,
                label,
            )
            continue
        if job.finished_at is None or not distinct:
            continue  # not followed to its end: only the order of what arrived can be judged
        if not statuses:
            judgement.fail(
                f"no valid webhook delivery for job {job.job_id}",
                f"the job went {' → '.join(job.history)}; the receiver got {len(deliveries)} deliveries in all",
                None,
                label,
            )
        elif statuses[-1] != job.last:
            judgement.fail(
                f"last webhook status {statuses[-1]} is not the job's final status {job.last}",
                f"job {job.job_id}: deliveries {' → '.join(statuses)}",
                example,
                label,
            )
        else:
            missing = [status for status in job.history[1:] if status not in statuses]
            if job.history and job.history[0] != api.statuses[0] and job.history[0] not in statuses:
                missing.insert(0, job.history[0])
            if missing:
                judgement.fail(
                    f"no webhook delivery for status change(s) {', '.join(missing)} of job {job.job_id}",
                    f"polling saw {' → '.join(job.history)}; deliveries {' → '.join(statuses)}",
                    example,
                    label,
                )
            else:
                judgement.passed += 1
    total = sum(len(statuses) for statuses in by_job.values())
    judgement.detail = f"{total} deliveries for {judgement.passed} jobs followed to their end, in order"
    judgement.inconclusive = (
        f"the jobs do not have distinct IDs (see {DISTINCT_JOB_IDS.name})"
        if not distinct
        else f"no job was followed to its end; {total} valid deliveries arrived, in order"
    )
    return seen.conclude(judgement)


_NEEDS = frozenset({Need.JOBS, Need.SCENARIO, Need.WEBHOOKS})

WEBHOOK_PAYLOAD = SemanticCheck(
    "webhook_payload",
    "Every webhook delivery the run receives is valid against the document's webhook schema.",
    _NEEDS,
    _payload,
)
WEBHOOK_ORDER = SemanticCheck(
    "webhook_order",
    "A job's deliveries name a job of the run, move forward, cover every status change polling saw, and end "
    "with the job's final status.",
    _NEEDS,
    _order,
)
