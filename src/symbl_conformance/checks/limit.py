"""``concurrency_limit_429``: past the account's concurrent-job limit, 429 with the documented body.

Jobs are created (without a webhook) until a 429. With ``--concurrency-limit N`` — the limit the server
promises — a job accepted while N earlier ones are still unfinished is a failure. That is decided soundly:
after the 201, the earlier jobs not yet seen finished are polled; a job seen unfinished *after* the creation
was unfinished when it was accepted (a status only moves forward, so one seen finished stays finished).
Without a promise, a server that never answers 429 within ``--max-limit-jobs`` jobs is inconclusive, not a
pass.
"""

from __future__ import annotations

from symbl_conformance.checks.base import Judgement, Need, SemanticCheck
from symbl_conformance.checks.context import CheckContext
from symbl_conformance.checks.scenario import DOCUMENTED_REFUSALS, value_at
from symbl_conformance.http import Session, json_body
from symbl_conformance.spec import ApiFacts

__all__ = ["CONCURRENCY_LIMIT_429"]


def _unfinished(api: ApiFacts, session: Session, not_finished: list[str]) -> int:
    """How many of these jobs a status call now shows unfinished (an unreadable status counts as finished, this
    time). Those seen with a final status are taken out of ``not_finished``: a status only moves forward, so they
    would count as finished at every later poll too, and are not asked for again."""
    count = 0
    still: list[str] = []
    for job_id in not_finished:
        response = session.request(api.job_status.method, api.job_status_path(job_id))
        status = value_at(json_body(response), "/" + api.status_field) if response.is_success else None
        if isinstance(status, str) and status in api.terminal_statuses:
            continue
        still.append(job_id)
        if isinstance(status, str) and status in api.statuses:
            count += 1
    not_finished[:] = still
    return count


def _validate_429(ctx: CheckContext, judgement: Judgement, session: Session, text: str, payload: object) -> None:
    api = ctx.api
    pointer = api.response_schema_pointer(api.submit, 429)
    problems: list[str] = []
    if payload is None:
        problems.append("body is not JSON")
    elif pointer is not None:
        problems.extend(error.message for error in api.spec.validator(pointer).iter_errors(payload))
    status_code = payload.get("statusCode") if isinstance(payload, dict) else None
    if status_code is not None and status_code != 429:
        problems.append(f"statusCode is {status_code}, not 429")
    if problems:
        judgement.fail(
            "429 body does not match the document",
            f"{text[:300]}: {'; '.join(problems)}",
            session.curl(api.submit.method, api.submit.path, dict(api.example_body)),
            api.submit.label,
        )


def _limit(ctx: CheckContext) -> Judgement:
    api = ctx.api
    judgement = Judgement()
    with ctx.limit_target() as target:
        session, promised = target.session, target.concurrency_limit
        body = dict(api.example_body)
        curl = session.curl(api.submit.method, api.submit.path, body)
        created: list[str] = []
        not_finished: list[str] = []  # the jobs created and not yet seen with a final status: the ones polled
        while len(created) < ctx.settings.max_limit_jobs:
            response = session.request(api.submit.method, api.submit.path, body)
            if response.status_code == 429:
                _validate_429(ctx, judgement, session, response.text, json_body(response))
                judgement.passed = 1
                jobs = "1 job" if len(created) == 1 else f"{len(created)} jobs"
                judgement.detail = f"429 after {jobs}" + (f" (limit {promised})" if promised else "")
                return judgement
            if response.status_code in DOCUMENTED_REFUSALS:  # 401 is credentials_accepted's to judge
                judgement.inconclusive = (
                    f"{api.submit.operation_id} answered {response.status_code} after {len(created)} jobs while "
                    "filling the job limit (documented, but it says nothing of the limit)"
                )
                return judgement
            job_id = value_at(json_body(response), api.job_pointer)
            if not response.is_success or not isinstance(job_id, str):
                judgement.fail(
                    f"{api.submit.operation_id} answered {response.status_code} while filling the job limit",
                    response.text[:300],
                    curl,
                    api.submit.label,
                )
                return judgement
            if promised is not None and len(created) >= promised:
                still = _unfinished(api, session, not_finished)
                if still >= promised:
                    judgement.fail(
                        f"a job was accepted while {still} jobs were unfinished (the promised limit is {promised})",
                        f"{api.submit.operation_id} answered {response.status_code} with jobId {job_id}; the "
                        f"{still} earlier jobs were still unfinished after it: the answer should have been 429",
                        curl,
                        api.submit.label,
                    )
                    return judgement
            created.append(job_id)
            not_finished.append(job_id)
    if promised is None:
        judgement.inconclusive = (
            f"no 429 within {len(created)} jobs: pass --concurrency-limit N (the limit the server promises) to "
            "require one, or raise --max-limit-jobs"
        )
    else:
        judgement.inconclusive = (
            f"no 429 within {len(created)} jobs, but never {promised} unfinished at once (jobs finished too fast)"
        )
    return judgement


CONCURRENCY_LIMIT_429 = SemanticCheck(
    "concurrency_limit_429",
    "Once the account has as many unfinished jobs as its limit (--concurrency-limit), a new job is refused "
    "with 429 and the documented body.",
    frozenset({Need.JOBS, Need.LIMIT}),
    _limit,
)
