"""The checks that judge the run's conversation (``symbl_conformance.checks.scenario``): its jobs exist, are
distinct, finish, only move forward, and run one at a time in submission order."""

from __future__ import annotations

from collections import Counter

from symbl_conformance.checks.base import Judgement, Need, SemanticCheck
from symbl_conformance.checks.context import CheckContext
from symbl_conformance.checks.scenario import scenario

__all__ = ["APPEND_ORDER", "DISTINCT_JOB_IDS", "JOB_LIFECYCLE", "JOB_RETRIEVABLE"]


def _retrievable(ctx: CheckContext) -> Judgement:
    seen = scenario(ctx)
    judgement = seen.retrievable
    judgement.detail = f"{judgement.passed} jobs retrievable right after their 201"
    judgement.inconclusive = "no job's status could be read"
    return seen.conclude(judgement)


def _distinct(ctx: CheckContext) -> Judgement:
    seen = scenario(ctx)
    judgement = Judgement()
    counts = Counter(job.job_id for job in seen.created)
    api = ctx.api
    for job_id, count in counts.items():
        if count > 1:
            judgement.fail(
                f"{count} of the {len(seen.created)} jobs created share jobId {job_id}",
                f"{api.submit.operation_id} and {api.append.operation_id}, sent one after another, answered the "
                f"same jobId {count} times: jobs cannot be told apart (a server answering its examples?)",
                ctx.session.curl(api.submit.method, api.submit.path, seen.body()),
                api.submit.label,
            )
        else:
            judgement.passed += 1
    judgement.detail = f"{len(counts)} jobs, {len(counts)} distinct jobIds"
    if len(seen.created) < 2:
        judgement.passed = 0
        judgement.inconclusive = "fewer than two jobs were created"
    return judgement


def _lifecycle(ctx: CheckContext) -> Judgement:
    seen = scenario(ctx)
    judgement = seen.lifecycle
    finished = [job for job in seen.jobs if job.finished_at is not None]
    judgement.passed = len(finished)
    judgement.detail = f"{len(finished)} jobs reached a final status, only moving forward"
    stopped = sorted({job.stopped for job in seen.jobs if job.stopped is not None})
    if stopped and not finished:
        judgement.inconclusive = f"no job was followed to its end: {'; '.join(stopped)}"
    elif stopped:
        judgement.detail += f" ({len(seen.jobs) - len(finished)} not judged: {'; '.join(stopped)})"
    return seen.conclude(judgement)


def _order(ctx: CheckContext) -> Judgement:
    seen = scenario(ctx)
    judgement = seen.order
    pairs = seen.overlapping_pairs()
    judgement.passed = pairs
    judgement.detail = f"{len(seen.jobs)} jobs ran one at a time in submission order ({pairs} overlapping pairs)"
    if seen.appends_refused is not None:
        raise seen.appends_refused
    if len(seen.jobs) < len(seen.created):
        judgement.passed = 0
        judgement.inconclusive = (
            f"the jobs do not have distinct IDs (see {DISTINCT_JOB_IDS.name}): their order is unknowable"
        )
    elif not pairs:
        judgement.inconclusive = (
            "the conversation's jobs were never seen overlapping (no job was seen unfinished after the next was "
            "created, then followed to its end): their order proves nothing"
        )
    return seen.conclude(judgement)


_FOLLOWED = frozenset({Need.JOBS, Need.SCENARIO})

JOB_RETRIEVABLE = SemanticCheck(
    "job_retrievable",
    "getJobStatus(jobId) right after a job's 201 answers that job (its ID), not 404 (read-after-create).",
    _FOLLOWED,
    _retrievable,
)
DISTINCT_JOB_IDS = SemanticCheck(
    "distinct_job_ids",
    "Every job created, one after another, has a jobId of its own.",
    _FOLLOWED,
    _distinct,
)
JOB_LIFECYCLE = SemanticCheck(
    "job_lifecycle",
    "Every job reaches a final status within --job-timeout of its turn, its status always one of the enum's "
    "values and only ever moving forward.",
    _FOLLOWED,
    _lifecycle,
)
APPEND_ORDER = SemanticCheck(
    "append_order",
    "The jobs of one conversation, submitted back to back, run one at a time in submission order.",
    _FOLLOWED,
    _order,
)
