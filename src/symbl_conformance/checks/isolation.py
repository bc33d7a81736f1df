"""``account_isolation``: one account can neither read nor append to another's conversations and jobs.

Runs only when a second account's credentials are given. Each account creates a conversation (and its job);
the other then asks for the job's status and appends to the conversation. Both must be 404 — never 403,
which would tell a stranger that the ID exists, and never a success. A documented refusal (401, 413, or 429
once the stranger's own jobs had time to finish) proves neither and is reported as not judged.
"""

from __future__ import annotations

from symbl_conformance.checks.base import Judgement, Need, SemanticCheck, Unavailable
from symbl_conformance.checks.context import CheckContext
from symbl_conformance.checks.scenario import DOCUMENTED_REFUSALS, send_when_free, value_at
from symbl_conformance.http import Session, json_body
from symbl_conformance.results import Verdict

__all__ = ["ACCOUNT_ISOLATION"]


def _create(ctx: CheckContext, session: Session, who: str) -> tuple[str, str]:
    api = ctx.api
    response = send_when_free(session, api.submit, api.submit.path, dict(api.example_body), ctx.settings)
    payload = json_body(response)
    job_id = value_at(payload, api.job_pointer)
    conversation = value_at(payload, api.conversation_pointer)
    if not response.is_success or not isinstance(job_id, str) or not isinstance(conversation, str):
        verdict = Verdict.INCONCLUSIVE if response.status_code in DOCUMENTED_REFUSALS else Verdict.ERROR
        raise Unavailable(verdict, f"{who}: {api.submit.operation_id} answered {response.status_code}: no job")
    return job_id, conversation


def _probe(
    ctx: CheckContext,
    judgement: Judgement,
    refused: list[str],
    stranger: Session,
    job_id: str,
    conversation: str,
    who: str,
) -> None:
    """Ask as ``stranger`` for ``who``'s job and conversation; a documented refusal (401, 413, 429 after
    waiting) proves nothing either way and is put in ``refused``."""
    api = ctx.api
    probes = (
        (api.job_status, api.job_status_path(job_id), None, f"read {who}'s job"),
        (
            api.append,
            api.append_path(conversation),
            dict(api.example_body),
            f"append to {who}'s conversation",
        ),
    )
    for operation, path, body, what in probes:
        # the stranger's own jobs may hold its job limit for a while
        response = send_when_free(stranger, operation, path, body, ctx.settings)
        if response.status_code == 404:
            judgement.passed += 1
            continue
        if response.status_code in DOCUMENTED_REFUSALS:  # says nothing of the other account's resource
            refused.append(f"{operation.operation_id} {response.status_code}")
            continue
        if response.status_code == 403:
            title = f"{operation.operation_id}: another account may not {what}, and was told so with 403, not 404"
        else:
            title = f"{operation.operation_id}: another account tried to {what} and got {response.status_code}"
        judgement.fail(title, response.text[:300], stranger.curl(operation.method, path, body), operation.label)


def _isolation(ctx: CheckContext) -> Judgement:
    other = ctx.other_session
    if other is None:  # the runner skips it first: Need.OTHER_ACCOUNT
        raise Unavailable(Verdict.SKIPPED, "no second account")
    judgement = Judgement()
    refused: list[str] = []
    mine = _create(ctx, ctx.session, "the run's account")
    theirs = _create(ctx, other, "the other account")
    _probe(ctx, judgement, refused, other, *mine, "the run's account")
    _probe(ctx, judgement, refused, ctx.session, *theirs, "the other account")
    not_judged = f"; not judged, a documented refusal instead: {', '.join(refused)}" if refused else ""
    judgement.detail = f"{judgement.passed} cross-account requests answered 404{not_judged}"
    judgement.inconclusive = f"every cross-account request met a documented refusal: {', '.join(refused)}"
    return judgement


ACCOUNT_ISOLATION = SemanticCheck(
    "account_isolation",
    "Neither of two accounts can read the other's jobs or append to its conversations: 404, never 403.",
    frozenset({Need.JOBS, Need.OTHER_ACCOUNT}),
    _isolation,
)
