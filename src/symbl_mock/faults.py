"""Switchable bugs, so that the conformance suite can prove it catches each one.

The default mock has none. Each fault is checked at one seam of the faithful code path (look for
``Fault.`` in the package); none of them changes anything else.
"""

from __future__ import annotations

from enum import StrEnum

__all__ = ["Fault"]


class Fault(StrEnum):
    """A deliberate departure from the spec, selected with ``--fault NAME`` or ``MockConfig.faults``."""

    CREATED_200 = "created_200"
    """A successful submit/append answers 200 instead of 201."""
    JOB_ID_MISSING = "job_id_missing"
    """The 201 body lacks ``jobId``."""
    JOB_ID_NOT_UUID = "job_id_not_uuid"
    """The 201 body's ``jobId`` is not a UUID."""
    ACCEPT_INVALID_INPUT = "accept_invalid_input"
    """Parameters and bodies are not validated: invalid requests get 201."""
    IGNORE_AUTH = "ignore_auth"
    """Missing or invalid tokens are accepted."""
    TEXT_500 = "text_500"
    """A ``name`` containing a non-ASCII character gets a 500 with a text/plain body."""
    ERROR_BODY_SHAPE = "error_body_shape"
    """Error responses are ``{"error": ...}`` instead of ``{statusCode, message}``."""
    APPEND_UNKNOWN_SUCCEEDS = "append_unknown_succeeds"
    """appendAudioUrl on an unknown conversation creates it and answers 201 instead of 404."""
    CREATED_JOB_404 = "created_job_404"
    """getJobStatus answers 404 for jobs that exist."""
    STATUS_OUTSIDE_ENUM = "status_outside_enum"
    """getJobStatus reports the status ``done``, which is outside the spec's enum."""
    APPENDS_OUT_OF_ORDER = "appends_out_of_order"
    """A conversation's queued jobs run newest first instead of in submission order."""
    WEBHOOK_FIELD_NAME = "webhook_field_name"
    """Webhook payloads carry ``id`` instead of ``jobId``."""
    WEBHOOK_OUT_OF_ORDER = "webhook_out_of_order"
    """A job's webhook deliveries are held until the job finishes, then sent newest first."""
