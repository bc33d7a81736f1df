"""429: exactly N unfinished jobs accepted, the seed's body beyond, acceptance again once jobs finish."""

from __future__ import annotations

from collections.abc import Callable

import httpx

from symbl_mock import RunningMock
from symbl_spec import load_spec
from tests.mock.conftest import MockFactory
from tests.mock.helpers import AUDIO, AUTH, assert_error, created, submit, wait_for

LIMIT = 3


def _seed_message(limit: int) -> str:
    """The spec's 429 example message, with its figure set to the mock's limit."""
    response = load_spec()["components"]["responses"]["TooManyConcurrentJobs"]
    message: str = response["content"]["application/json"]["examples"]["limit"]["value"]["message"]
    assert "`50`" in message
    return message.replace("`50`", f"`{limit}`")


def test_exactly_n_jobs_accepted_then_429_then_accepted_again(
    start_mock: MockFactory, checked: Callable[[RunningMock], httpx.Client]
) -> None:
    mock = start_mock(concurrency_limit=LIMIT, job_duration=1.0)
    client = checked(mock)
    first = created(client)
    conversation = first["conversationId"]
    append = client.put(f"/v1/process/audio/url/{conversation}", json={"url": AUDIO}, headers=AUTH)
    assert append.status_code == 201
    created(client)  # the third unfinished job: the limit is reached
    assert mock.conversations()["unfinishedJobs"] == LIMIT

    before = mock.conversations()
    for response in (
        submit(client),
        client.put(f"/v1/process/audio/url/{conversation}", json={"url": AUDIO}, headers=AUTH),
        submit(client, name="again"),
    ):
        assert_error(response, 429)
        assert response.json() == {"statusCode": 429, "message": _seed_message(LIMIT)}
    assert mock.conversations() == before, "a refused request changed the account"

    # Other operations are not limited.
    assert client.get(f"/v1/job/{first['jobId']}", headers=AUTH).status_code == 200

    wait_for(lambda: mock.conversations()["unfinishedJobs"] == 0, timeout=10)
    for _ in range(LIMIT):
        created(client)
    assert_error(submit(client), 429)


def test_default_limit_is_the_paid_accounts_50(start_mock: MockFactory) -> None:
    mock = start_mock(job_duration=5.0)
    with httpx.Client(base_url=mock.url) as client:
        for _ in range(50):
            created(client)
        response = submit(client)
        assert response.json() == {"statusCode": 429, "message": _seed_message(50)}
