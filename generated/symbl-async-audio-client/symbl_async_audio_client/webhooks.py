"""Parse the job-status notification that Symbl POSTs to a job's ``webhookUrl``.

Hand-written module of the generator (``generator/extras/``), copied into the package by ``scripts/regenerate``.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from .errors import BODY_PARSE_ERRORS, InvalidWebhookPayload
from .limits import MAX_WEBHOOK_BYTES
from .models.job_status_webhook import JobStatusWebhook


def parse_webhook(body: bytes | str | Mapping[str, Any]) -> JobStatusWebhook:
    """The typed payload of a job-status webhook request, from its raw body (or its already decoded JSON object).

    The documented field is ``jobId``; as Symbl's own sample receiver reads ``id``, a payload with ``id`` and no
    ``jobId`` is accepted too (``jobId`` wins when both are present).

    Raises:
        errors.InvalidWebhookPayload: The body is not UTF-8 JSON, not an object, has no job ID or status, or one
            of them is not valid (the job ID must be a UUID, the status one of the job statuses); or it is larger
            than `limits.MAX_WEBHOOK_BYTES` (1 MiB; a notification is about 80 bytes) or nested too deep to decode.
            Never another exception, whatever the body: it comes from the network.
    """
    if isinstance(body, bytes | bytearray | str):
        if len(body) > MAX_WEBHOOK_BYTES:
            raise InvalidWebhookPayload(f"webhook body is larger than {MAX_WEBHOOK_BYTES} bytes")
        try:
            data: Any = json.loads(body)
        except BODY_PARSE_ERRORS as error:  # not UTF-8, not JSON, or nested deeper than Python decodes
            raise InvalidWebhookPayload(f"webhook body is not JSON: {error}") from error
    else:
        data = body
    if not isinstance(data, Mapping):
        raise InvalidWebhookPayload(f"webhook body is not a JSON object but {type(data).__name__}")
    payload = dict(data)
    if "jobId" not in payload and "id" in payload:
        payload["jobId"] = payload.pop("id")
    for required in ("jobId", "status"):
        if required not in payload:
            raise InvalidWebhookPayload(f"webhook body has no {required!r}")
    try:
        return JobStatusWebhook.from_dict(payload)
    except BODY_PARSE_ERRORS as error:
        raise InvalidWebhookPayload(f"webhook body is not a job status notification: {error}") from error


__all__ = ["parse_webhook"]
