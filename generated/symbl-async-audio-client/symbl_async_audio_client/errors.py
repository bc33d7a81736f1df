"""Errors raised by the client.

Every error of this package derives from `SymblClientError`. Errors about an HTTP response derive from
`ApiError`, which carries the status code, the raw body, the parsed error body (when it is the documented
`Error` model) and the `httpx.Response`.
"""

import httpx

from .models.error import Error
from .models.job_status import JobStatus

# What the generated models' `from_dict` and `httpx.Response.json` raise on a body that does not match the
# documented model; the generated parse path turns them into `InvalidResponseBody` (and `parse_webhook` into
# `InvalidWebhookPayload`). RecursionError: JSON nested deeper than Python's recursion limit (`[[[[...]]]]`);
# MemoryError: a body (within the size bound of `limits`) whose decoded form does not fit in memory.
BODY_PARSE_ERRORS: tuple[type[Exception], ...] = (
    AttributeError,
    KeyError,
    TypeError,
    ValueError,
    RecursionError,
    MemoryError,
)

# How much of a body an error's message quotes.
_QUOTED_BYTES = 500


def _quote(content: bytes) -> str:
    """The start of a body, for a message (a whole body may be megabytes)."""
    text = content[:_QUOTED_BYTES].decode(errors="replace")
    return text + "..." if len(content) > _QUOTED_BYTES else text


class SymblClientError(Exception):
    """Base class of every error raised by this package."""


class ApiError(SymblClientError):
    """An HTTP response the caller asked not to receive as a value.

    Attributes:
        status_code: The HTTP status code of the response.
        content: The raw body of the response.
        parsed: The body parsed as the documented `Error` model, or None when it is not one.
        response: The `httpx.Response`, when there is one.
    """

    status_code: int
    content: bytes
    parsed: Error | None
    response: httpx.Response | None

    def __init__(
        self,
        status_code: int,
        content: bytes,
        *,
        parsed: Error | None = None,
        response: httpx.Response | None = None,
        message: str | None = None,
    ) -> None:
        self.status_code = status_code
        self.content = content
        self.parsed = parsed
        self.response = response
        super().__init__(message or self._default_message())

    def _default_message(self) -> str:
        detail = self.parsed.message if self.parsed is not None else _quote(self.content)
        return f"HTTP {self.status_code}: {detail}"


class UnexpectedStatus(ApiError):
    """The response has a status code that the OpenAPI document does not document for the operation.

    Raised when the client was created with `raise_on_unexpected_status=True`.
    """

    def __init__(self, status_code: int, content: bytes, *, response: httpx.Response | None = None) -> None:
        super().__init__(
            status_code,
            content,
            response=response,
            message=(f"Unexpected status code: {status_code}\n\nResponse content:\n{_quote(content)}"),
        )


class ErrorResponse(ApiError):
    """The response has a documented error status (4xx or 5xx); `parsed` holds its `Error` body.

    Raised when the client was created with `raise_on_error_status=True`; otherwise the documented error
    is returned as the parsed value (an `Error`).
    """

    def __init__(self, response: httpx.Response, parsed: object) -> None:
        super().__init__(
            response.status_code,
            response.content,
            parsed=parsed if isinstance(parsed, Error) else None,
            response=response,
        )


class InvalidResponseBody(ApiError):
    """The response's body does not parse into the model the OpenAPI document gives for its status.

    Raised whatever the client's flags: a body that is not JSON, misses a required field or has a field
    of the wrong type or value. `__cause__` is the underlying parsing error.

    What the models' `from_dict` checks: required fields; the JSON type of string, integer, number and boolean
    fields (a boolean is not a number); enums; `format: uuid` (the lower-case 8-4-4-4-12 form of `JobId`'s
    pattern, which `to_dict()` gives back as received); and the value bounds (`minLength`, `maxLength`,
    `minimum`, `maximum`, exclusive bounds) written in a model's own property schemas, which are every bound
    of the response schemas. Not checked: other formats and patterns, and the bounds of a property that
    `$ref`s a named primitive schema (request-side only: `AudioUrl`, `WebhookUrl`, `SpeakerCount`), which
    openapi-python-client 0.29.1 does not hand to the templates; the server validates requests.

    Also raised for a body larger than the client's ``max_response_bytes`` (then `content` is empty: the body
    was not read past the bound) and for JSON nested too deep to decode.
    """

    def __init__(self, response: httpx.Response, cause: BaseException) -> None:
        super().__init__(
            response.status_code,
            response.content,
            response=response,
            message=(
                f"The body of the HTTP {response.status_code} response does not match the documented model "
                f"({type(cause).__name__}: {cause})"
            ),
        )


class JobTimeoutError(SymblClientError, TimeoutError):
    """`wait_for_job` gave up: the job did not reach `completed` or `failed` in time.

    Attributes:
        job_id: The job waited for.
        timeout: The time waited, in seconds.
        last_status: The last status seen (a `JobStatus`), or None when none was received.
    """

    def __init__(self, job_id: str, timeout: float, last_status: JobStatus | None) -> None:
        self.job_id = job_id
        self.timeout = timeout
        self.last_status = last_status
        state = last_status.status.value if last_status is not None else "unknown"
        super().__init__(f"Job {job_id} did not finish within {timeout:g} s (last status: {state})")


class JobFailedError(SymblClientError):
    """`wait_for_job(..., raise_on_failure=True)` saw the job end in `failed`."""

    def __init__(self, job_id: str, status: JobStatus) -> None:
        self.job_id = job_id
        self.status = status
        super().__init__(f"Job {job_id} failed")


class InvalidWebhookPayload(SymblClientError, ValueError):
    """A webhook request's body is not a valid job status notification."""


class TokenError(SymblClientError):
    """A token could not be obtained from `generateToken`.

    Attributes:
        response: The `httpx.Response` of the token request, when there was one.
    """

    def __init__(self, message: str, response: httpx.Response | None = None) -> None:
        self.response = response
        super().__init__(message)


__all__ = [
    "ApiError",
    "ErrorResponse",
    "InvalidResponseBody",
    "InvalidWebhookPayload",
    "JobFailedError",
    "JobTimeoutError",
    "SymblClientError",
    "TokenError",
    "UnexpectedStatus",
]
