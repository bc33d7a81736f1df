"""Every response the mock sends is valid against the spec, for every operation and every declared status."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from symbl_mock import RunningMock
from symbl_spec import default_spec
from tests.mock.conftest import MockFactory
from tests.mock.helpers import AUDIO, AUTH, SpecResponses, wait_for

APP = {"app_id": "app", "app_secret": "secret"}
TOKEN_BODY = {"type": "application", "appId": "app", "appSecret": "secret"}
JSON = {"Content-Type": "application/json"}
UNKNOWN_JOB = "9b1deb4d-3b7d-4bad-9bdd-2b0d7b3dcb6d"


def _declared() -> set[tuple[str, int]]:
    return {(op.operation_id, status) for op in default_spec().operations.values() for status in op.statuses}


class Exchange:
    """Sends requests, validates each response against the spec, and notes which (operation, status) it saw."""

    def __init__(self, mock: RunningMock, spec: SpecResponses) -> None:
        self.client = httpx.Client(base_url=mock.url, timeout=10)
        self.spec = spec
        self.seen: set[tuple[str, int]] = set()
        self.problems: list[str] = []

    def send(self, method: str, path: str, expected: int, **kwargs: Any) -> httpx.Response:
        response = self.client.request(method, path, **kwargs)
        assert response.status_code == expected, (method, path, response.status_code, response.text)
        self.problems.extend(self.spec.problems(response))
        found = self.spec.operation(method, path.split("?", 1)[0])
        assert found is not None
        self.seen.add((found.operation_id, response.status_code))
        return response


class _BrokenDict(dict[str, Any]):
    def get(self, *args: Any) -> Any:
        raise RuntimeError("injected by the test")


def _break(target: object, name: str) -> None:
    """Make one method of the mock's state raise, to reach the 500 path; the answer must still be the error body."""

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("injected by the test")

    setattr(target, name, broken)


def test_every_operation_and_status_answers_as_the_spec_says(
    start_mock: MockFactory, spec_responses: SpecResponses, caplog: pytest.LogCaptureFixture
) -> None:
    mock = start_mock(
        concurrency_limit=2, job_duration=0.5, max_body_bytes=2048, max_target_bytes=1024, max_header_bytes=4096, **APP
    )
    x = Exchange(mock, spec_responses)
    big = json.dumps({"url": AUDIO, "name": "n" * 3000})
    with x.client:
        created = x.send("POST", "/v1/process/audio/url", 201, json={"url": AUDIO, "name": "a"}, headers=AUTH).json()
        conversation, job = created["conversationId"], created["jobId"]
        x.send("PUT", f"/v1/process/audio/url/{conversation}", 201, json={"url": AUDIO}, headers=AUTH)
        x.send("POST", "/v1/process/audio/url", 429, json={"url": AUDIO}, headers=AUTH)
        x.send("PUT", f"/v1/process/audio/url/{conversation}", 429, json={"url": AUDIO}, headers=AUTH)
        x.send("GET", f"/v1/job/{job}", 200, headers=AUTH)
        x.send("POST", "/oauth2/token:generate", 200, json=TOKEN_BODY)
        for method, path in (
            ("POST", "/v1/process/audio/url"),
            ("PUT", f"/v1/process/audio/url/{conversation}"),
            ("POST", "/oauth2/token:generate"),
        ):
            x.send(method, path, 400, content=b"{", headers={**AUTH, **JSON})
            x.send(method, path, 413, content=big, headers={**AUTH, **JSON})
            x.send(method, path, 415, content=big.encode()[:10], headers={**AUTH, "Content-Type": "text/csv"})
        for method, path in (
            ("POST", "/v1/process/audio/url"),
            ("PUT", f"/v1/process/audio/url/{conversation}"),
            ("GET", f"/v1/job/{job}"),
            ("POST", "/oauth2/token:generate"),
        ):  # the request's size (reading 18): answered before any operation is chosen
            x.send(method, f"{path}?q={'a' * 1100}", 414, json={"url": AUDIO}, headers=AUTH)
            x.send(method, path, 431, json={"url": AUDIO}, headers={**AUTH, "X-Filler": "b" * 5000})
        x.send("POST", "/v1/process/audio/url", 401, json={"url": AUDIO})
        x.send("PUT", f"/v1/process/audio/url/{conversation}", 401, json={"url": AUDIO})
        x.send("GET", f"/v1/job/{job}", 401)
        x.send("POST", "/oauth2/token:generate", 401, json={**TOKEN_BODY, "appSecret": "wrong"})
        x.send("GET", "/v1/job/%ff", 400, headers=AUTH)  # not UTF-8: malformed
        x.send("GET", "/v1/job/nope", 404, headers=AUTH)  # cannot be a job ID: names nothing (reading 15)
        x.send("GET", f"/v1/job/{UNKNOWN_JOB}", 404, headers=AUTH)
        x.send("PUT", "/v1/process/audio/url/123", 404, json={"url": AUDIO}, headers=AUTH)

        wait_for(lambda: mock.conversations()["unfinishedJobs"] == 0, timeout=10)
        _break(mock.state, "new_conversation")
        _break(mock.state, "add_job")
        _break(mock.state.tokens, "issue")
        jobs = mock.state.jobs
        mock.state.jobs = _BrokenDict()
        x.send("POST", "/v1/process/audio/url", 500, json={"url": AUDIO}, headers=AUTH)
        x.send("PUT", f"/v1/process/audio/url/{conversation}", 500, json={"url": AUDIO}, headers=AUTH)
        x.send("GET", f"/v1/job/{job}", 500, headers=AUTH)
        x.send("POST", "/oauth2/token:generate", 500, json=TOKEN_BODY)
        for target, name in ((mock.state, "new_conversation"), (mock.state, "add_job"), (mock.state.tokens, "issue")):
            delattr(target, name)  # repaired, it serves again
        mock.state.jobs = jobs
        x.send("GET", f"/v1/job/{job}", 200, headers=AUTH)

    assert not x.problems, "\n".join(x.problems)
    assert x.seen == _declared(), f"not exercised: {sorted(_declared() - x.seen)}"
    assert "injected by the test" in caplog.text  # the 500s were logged with their cause


def test_job_status_values_on_the_wire_are_valid(start_mock: MockFactory, spec_responses: SpecResponses) -> None:
    """Poll jobs through their whole life (and a failing one): every status the mock reports fits the spec."""
    mock = start_mock(job_duration=0.2)
    x = Exchange(mock, spec_responses)
    statuses: set[str] = set()
    with x.client:
        conversation = x.send("POST", "/v1/process/audio/url", 201, json={"url": AUDIO}, headers=AUTH).json()
        jobs = [conversation["jobId"]]
        for url in ("https://host.example.invalid/a.wav", AUDIO):
            path = f"/v1/process/audio/url/{conversation['conversationId']}"
            jobs.append(x.send("PUT", path, 201, json={"url": url}, headers=AUTH).json()["jobId"])

        def all_final() -> bool:
            current = [x.send("GET", f"/v1/job/{j}", 200, headers=AUTH).json()["status"] for j in jobs]
            statuses.update(current)
            return all(s in ("completed", "failed") for s in current)

        wait_for(all_final, timeout=10, interval=0.01)
    assert statuses == {"scheduled", "in_progress", "completed", "failed"}
    assert not x.problems, "\n".join(x.problems)
