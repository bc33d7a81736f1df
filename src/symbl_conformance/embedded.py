"""The embedded mock: the reference mock, started for a run in a child process on a free loopback port.

The mock package starts it (``symbl_mock.mock_process``); this module only says how the run wants it.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from symbl_mock import Account, MockConfig, MockStartError, mock_process

__all__ = ["embedded_config", "limit_config", "running_embedded"]


OTHER_ACCOUNT = "other"


def embedded_config(token: str, other_token: str | None = None) -> MockConfig:
    """The run's mock: jobs long enough for the order check to see them queued, a job limit schemathesis'
    jobs never meet, and webhooks only to loopback (schemathesis makes up webhook URLs; the run's own
    receiver is on 127.0.0.1), given up quickly. With ``other_token``, a second account holds it, for the
    account-isolation check."""
    return MockConfig(
        tokens=(token,),
        accounts=(Account(OTHER_ACCOUNT, tokens=(other_token,)),) if other_token is not None else (),
        job_duration=0.15,
        concurrency_limit=100_000,
        webhooks_loopback_only=True,
        webhook_max_attempts=2,
        webhook_timeout=1.0,
        webhook_backoff=0.05,
    )


def limit_config(token: str) -> MockConfig:
    """The 429 check's own mock: a limit of 2 and jobs that outlast the check, so that it meets the limit."""
    return MockConfig(tokens=(token,), concurrency_limit=2, job_duration=5.0, webhooks_loopback_only=True)


class EmbeddedStartError(RuntimeError):
    pass


@contextmanager
def running_embedded(config: MockConfig) -> Iterator[str]:
    """The mock with ``config`` in a child process; yields its base URL (EmbeddedStartError: why it did not start)."""
    try:
        with mock_process(config) as url:
            yield url
    except MockStartError as error:
        raise EmbeddedStartError(f"the embedded mock did not start: {error}") from None
