"""Fixtures of the mock's reliability tests: in-process mocks on free loopback ports, spec-checked clients."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest

from symbl_mock import MockConfig, RunningMock, running_mock
from tests.mock.helpers import TOKEN, SpecResponses

MockFactory = Callable[..., RunningMock]


@pytest.fixture(scope="session")
def spec_responses() -> SpecResponses:
    return SpecResponses()


@pytest.fixture
def start_mock() -> Iterator[MockFactory]:
    """``start_mock(**config)``: a mock on a free 127.0.0.1 port, stopped when the test ends."""
    with contextlib.ExitStack() as stack:

        def start(**overrides: Any) -> RunningMock:
            settings: dict[str, Any] = {"tokens": (TOKEN,), "job_duration": 0.0, "webhook_backoff": 0.01}
            settings.update(overrides)
            return stack.enter_context(running_mock(MockConfig(**settings)))

        yield start


@pytest.fixture
def mock(start_mock: MockFactory) -> RunningMock:
    return start_mock()


@pytest.fixture
def checked(spec_responses: SpecResponses) -> Iterator[Callable[[RunningMock], httpx.Client]]:
    """``checked(mock)``: an httpx client whose every response is validated against the spec at teardown."""
    clients: list[httpx.Client] = []
    seen: list[httpx.Response] = []

    def make(mock: RunningMock) -> httpx.Client:
        client = httpx.Client(base_url=mock.url, timeout=10.0, event_hooks={"response": [_keep(seen)]})
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.close()
    problems = [p for response in seen for p in spec_responses.problems(response)]
    assert not problems, "responses that break the spec:\n" + "\n".join(problems)


def _keep(seen: list[httpx.Response]) -> Callable[[httpx.Response], None]:
    def hook(response: httpx.Response) -> None:
        response.read()
        seen.append(response)

    return hook
