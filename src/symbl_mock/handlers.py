"""What each operation does once its request passed the pipeline: the API's semantics over the state."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from symbl_mock.codec import Reject, json_string, with_number
from symbl_mock.config import MockConfig
from symbl_mock.faults import Fault
from symbl_mock.pipeline import Call, Handler
from symbl_mock.state import MockState
from symbl_spec import Operation, Spec, SpecError

__all__ = ["NAMES_USED", "handlers"]

NAMES_USED: Mapping[str, tuple[str, ...]] = {
    "AudioUrlRequest": ("url", "name", "webhookUrl"),
    "AudioJobCreated": ("conversationId", "jobId"),
    "JobStatus": ("id", "status"),
    "JobStatusWebhook": ("jobId", "status"),
    "TokenRequest": ("appId", "appSecret"),
    "TokenResponse": ("accessToken", "expiresIn"),
    "Error": ("statusCode", "message"),
}
"""Properties the mock reads or writes. Not a copy of the spec: ``create_app`` checks that the spec declares
each of them, and refuses to start if not."""


def _created(conversation_id: str, job_id: str) -> tuple[int, bytes]:
    # The hot path: the body as bytes, without a JSON encoder per request.
    return 201, b'{"conversationId":%s,"jobId":%s}' % (
        json_string(conversation_id).encode(),
        json_string(job_id).encode(),
    )


def _audio_request(call: Call) -> tuple[str, str | None, str | None]:
    body = call.body if isinstance(call.body, dict) else {}
    url = body.get("url")
    name = body.get("name")
    webhook = call.params.get("webhookUrl", body.get("webhookUrl"))  # the query wins (reading 4 of the spec)
    return (
        url if isinstance(url, str) else "",
        name if isinstance(name, str) else None,
        webhook if isinstance(webhook, str) and webhook else None,
    )


def handlers(config: MockConfig, spec: Spec, state: MockState) -> dict[str, Handler]:
    """The handler of each operation of the spec, by operationId."""
    for schema, names in NAMES_USED.items():
        spec.require_properties(spec.schema_pointer(schema), names, "the mock")

    def check_capacity(operation: Operation) -> None:
        if not state.slot_available():
            raise Reject(429, with_number(operation.message(429), config.concurrency_limit))

    async def submit_audio_url(call: Call) -> tuple[int, Any]:
        url, name, webhook = _audio_request(call)
        check_capacity(call.operation)
        conversation = state.new_conversation(name)
        job = state.add_job(conversation, url, webhook)
        return _created(conversation.id, job.id)

    async def append_audio_url(call: Call) -> tuple[int, Any]:
        url, name, webhook = _audio_request(call)
        conversation = state.conversations.get(str(call.params.get("conversationId", "")))
        if conversation is None:
            if not config.has(Fault.APPEND_UNKNOWN_SUCCEEDS):
                raise Reject(404, call.operation.message(404))
            conversation = state.new_conversation(name)
        check_capacity(call.operation)
        job = state.add_job(conversation, url, webhook)
        return _created(conversation.id, job.id)

    async def get_job_status(call: Call) -> tuple[int, Any]:
        job = state.jobs.get(str(call.params.get("jobId", "")))
        if job is None:
            raise Reject(404, call.operation.message(404))
        return 200, {"id": job.id, "status": job.status}

    async def generate_token(call: Call) -> tuple[int, Any]:
        body = call.body if isinstance(call.body, dict) else {}
        app_id, app_secret = body.get("appId"), body.get("appSecret")
        if not (isinstance(app_id, str) and isinstance(app_secret, str)):
            raise Reject(401, call.operation.message(401))
        if not state.tokens.check_app_credentials(app_id, app_secret):
            raise Reject(401, call.operation.message(401))
        return 200, {"accessToken": state.tokens.issue(), "expiresIn": config.token_ttl}

    found: dict[str, Handler] = {
        "submitAudioUrl": submit_audio_url,
        "appendAudioUrl": append_audio_url,
        "getJobStatus": get_job_status,
        "generateToken": generate_token,
    }
    missing = sorted(set(spec.operations) - set(found))
    if missing:
        raise SpecError(f"the spec has operations the mock does not implement: {', '.join(missing)}")
    return found
