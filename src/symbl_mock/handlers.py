"""What each operation does once its request passed the pipeline: the API's semantics over the state."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from symbl_mock.accounts import Account
from symbl_mock.codec import Reject, json_string, with_number
from symbl_mock.config import MockConfig
from symbl_mock.faults import Fault
from symbl_mock.pipeline import Call, Handler
from symbl_mock.state import MockState
from symbl_spec import Operation, Spec, SpecError
from symbl_spec.encodings import Encoding
from symbl_spec.pointer import escape

__all__ = ["NAMES_USED", "handlers"]

NAMES_USED: Mapping[str, tuple[str, ...]] = {
    "AudioUrlRequest": ("url", "name", "webhookUrl"),
    "AudioJobCreated": ("conversationId", "jobId"),
    "JobStatus": ("id", "status"),
    "JobStatusWebhook": ("jobId", "id", "status"),
    "TokenRequest": ("appId", "appSecret"),
    "TokenResponse": ("accessToken", "expiresIn"),
    "Error": ("statusCode", "message"),
}
"""Properties the mock reads or writes. Not a copy of the spec: ``create_app`` checks that the spec declares
each of them, and refuses to start if not."""

_NOT_OPTIONS = frozenset({"url", "name", "webhookUrl"})  # what a job records apart from its options


def _created(conversation_id: str, job_id: str) -> tuple[int, bytes]:
    # The hot path: the body as bytes, without a JSON encoder per request.
    return 201, b'{"conversationId":%s,"jobId":%s}' % (
        json_string(conversation_id).encode(),
        json_string(job_id).encode(),
    )


class _AudioRequest:
    """Reads an audio request: its URL, name and webhook, and its options in their canonical spelling.

    An option given both as a query parameter and as a body field takes the query's value (readings 3, 4 and 11
    of the spec); a value clients spell several ways is recorded as the value it means (reading 10).
    """

    def __init__(self, spec: Spec, operation: Operation) -> None:
        media = operation.request_body.json if operation.request_body is not None else None
        pointer = media.schema_pointer if media is not None else None
        properties = spec.properties(pointer) if pointer is not None else {}
        written = spec.resolve({"$ref": "#" + pointer}, pointer)[1] if pointer is not None else ""
        # Every declared option, with its encoding; undeclared properties are ignored (reading 12), not kept.
        self.body: dict[str, Encoding | None] = {}
        for name in properties:
            if name not in _NOT_OPTIONS:
                encoding = spec.encoding(f"{written}/properties/{escape(name)}")
                self.body[name] = encoding if encoding.has_spellings else None
        self.query = {
            p.name: spec.encoding(p.schema_pointer)
            for p in operation.parameters
            if p.location == "query" and p.name != "webhookUrl"
        }

    def read(self, call: Call) -> tuple[str, str | None, str | None, dict[str, Any] | None]:
        body = call.body if isinstance(call.body, dict) else {}
        url = body.get("url")
        name = body.get("name")
        webhook = call.params.get("webhookUrl", body.get("webhookUrl"))  # the query wins (reading 4 of the spec)
        options: dict[str, Any] | None = None
        path_params = 1 if "conversationId" in call.params else 0
        # Only when the request has more than the url, name and path (the hot path has nothing more).
        if len(body) > (1 if name is None else 2) or len(call.params) > path_params:
            options = {}
            for key, value in body.items():
                if key in self.body:
                    encoding = self.body[key]
                    options[key] = encoding.canonical(value) if encoding is not None else value
            for key, query_encoding in self.query.items():
                if key in call.params and not query_encoding.absent(call.params[key]):
                    options[key] = query_encoding.canonical(call.params[key])
        return (
            url if isinstance(url, str) else "",
            name if isinstance(name, str) else None,
            webhook if isinstance(webhook, str) and webhook else None,
            options or None,
        )


def handlers(config: MockConfig, spec: Spec, state: MockState) -> dict[str, Handler]:
    """The handler of each operation of the spec, by operationId."""
    for schema, names in NAMES_USED.items():
        spec.require_properties(spec.schema_pointer(schema), names, "the mock")
    readers = {op: _AudioRequest(spec, spec.operations[op]) for op in ("submitAudioUrl", "appendAudioUrl")}

    def account_of(call: Call) -> Account:
        assert call.account is not None, "the pipeline authenticates every operation that has security"
        return call.account

    def check_capacity(account: Account, operation: Operation) -> None:
        if not state.slot_available(account):
            raise Reject(429, with_number(operation.message(429), state.limits[account.name]))

    async def submit_audio_url(call: Call) -> tuple[int, Any]:
        account = account_of(call)
        url, name, webhook, options = readers[call.operation.operation_id].read(call)
        check_capacity(account, call.operation)
        conversation = state.new_conversation(account, name)
        job = state.add_job(conversation, url, webhook, options)
        return _created(conversation.id, job.id)

    async def append_audio_url(call: Call) -> tuple[int, Any]:
        account = account_of(call)
        url, name, webhook, options = readers[call.operation.operation_id].read(call)
        # Another account's conversation is as unknown as one that does not exist (reading 15 of the spec).
        conversation = state.conversation(account, str(call.params.get("conversationId", "")))
        if conversation is None:
            if not config.has(Fault.APPEND_UNKNOWN_SUCCEEDS):
                raise Reject(404, call.operation.message(404))
            conversation = state.new_conversation(account, name)
        check_capacity(account, call.operation)
        job = state.add_job(conversation, url, webhook, options)
        return _created(conversation.id, job.id)

    async def get_job_status(call: Call) -> tuple[int, Any]:
        job = state.job(account_of(call), str(call.params.get("jobId", "")))
        if job is None:
            raise Reject(404, call.operation.message(404))
        return 200, {"id": job.id, "status": job.status}

    async def generate_token(call: Call) -> tuple[int, Any]:
        body = call.body if isinstance(call.body, dict) else {}
        app_id, app_secret = body.get("appId"), body.get("appSecret")
        if not (isinstance(app_id, str) and isinstance(app_secret, str)):
            raise Reject(401, call.operation.message(401))
        account = state.tokens.app_account(app_id, app_secret)
        if account is None:
            raise Reject(401, call.operation.message(401))
        token, expires_in = state.tokens.issue(account)
        return 200, {"accessToken": token, "expiresIn": expires_in}

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
