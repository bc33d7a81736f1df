"""What does not exist is 404: a job, and a conversation to append to."""

from __future__ import annotations

import secrets
import uuid

import httpx

from symbl_conformance.checks.base import Judgement, Need, SemanticCheck
from symbl_conformance.checks.context import CheckContext
from symbl_conformance.checks.scenario import DOCUMENTED_REFUSALS, send_when_free
from symbl_spec import Operation

__all__ = ["UNKNOWN_CONVERSATION_404", "UNKNOWN_JOB_404"]


def _judge_404(judgement: Judgement, operation: Operation, what: str, response: httpx.Response, curl: str) -> Judgement:
    if response.status_code == 404:
        judgement.passed = 1
        judgement.detail = "404"
    elif response.status_code in DOCUMENTED_REFUSALS:
        judgement.inconclusive = f"answered {response.status_code} (documented, but it says nothing of {what})"
    else:
        judgement.fail(
            f"{operation.operation_id} of {what} answered {response.status_code}, not 404",
            response.text[:300],
            curl,
            operation.label,
        )
    return judgement


def _unknown_job(ctx: CheckContext) -> Judgement:
    operation = ctx.api.job_status
    path = ctx.api.job_status_path(str(uuid.uuid4()))
    response = ctx.session.request(operation.method, path)
    curl = ctx.session.curl(operation.method, path)
    return _judge_404(Judgement(), operation, "an unknown job", response, curl)


def _unknown_conversation(ctx: CheckContext) -> Judgement:
    operation = ctx.api.append
    body = dict(ctx.api.example_body)
    path = ctx.api.append_path(f"conformance{secrets.token_hex(12)}")
    response = send_when_free(ctx.session, operation, path, body, ctx.settings)
    curl = ctx.session.curl(operation.method, path, body)
    return _judge_404(Judgement(), operation, "an unknown conversation", response, curl)


UNKNOWN_JOB_404 = SemanticCheck(
    "unknown_job_404",
    "getJobStatus of a job that does not exist answers 404.",
    frozenset(),
    _unknown_job,
)
UNKNOWN_CONVERSATION_404 = SemanticCheck(
    "unknown_conversation_404",
    "appendAudioUrl to a conversation that does not exist answers 404 (and creates no job).",
    frozenset({Need.JOBS}),
    _unknown_conversation,
)
