"""A client library for accessing Symbl.ai Async Audio URL API"""

from .auth import TokenAuth, client_from_credentials
from .client import DEFAULT_TIMEOUT, AuthenticatedClient, Client
from .errors import (
    ApiError,
    ErrorResponse,
    InvalidResponseBody,
    InvalidWebhookPayload,
    JobFailedError,
    JobTimeoutError,
    SymblClientError,
    TokenError,
    UnexpectedStatus,
)
from .jobs import async_wait_for_job, wait_for_job
from .retry import RetryPolicy
from .webhooks import parse_webhook

__all__ = (
    "DEFAULT_TIMEOUT",
    "ApiError",
    "AuthenticatedClient",
    "Client",
    "ErrorResponse",
    "InvalidResponseBody",
    "InvalidWebhookPayload",
    "JobFailedError",
    "JobTimeoutError",
    "RetryPolicy",
    "SymblClientError",
    "TokenAuth",
    "TokenError",
    "UnexpectedStatus",
    "async_wait_for_job",
    "client_from_credentials",
    "parse_webhook",
    "wait_for_job",
)
