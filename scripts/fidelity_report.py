"""Replay the corpus of real call shapes (tests/fidelity/corpus.yaml) against the reference mock, and count them.

    scripts/fidelity_report            print how many shapes from how many clients are answered as the real API
                                       would; exit 1 if any is not

Each shape is sent as its client sends it (method, path, query, headers, body bytes) to a mock on a free loopback
port, with the placeholders filled in (TOKEN, APP_ID, APP_SECRET, an existing {conversationId} or {jobId} of the
caller's account). Its answer must have the status the corpus gives, a body valid against the spec, the fields the
client reads, and, where the corpus says what the options mean, the job must record them in canonical form. Shapes
of webhook receivers are checked on what the mock POSTs to a loopback receiver. tests/fidelity runs the same code.
"""

from __future__ import annotations

import collections
import contextlib
import json
import sys
import threading
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
import yaml

from symbl_mock import MockConfig, RunningMock, running_mock
from symbl_mock.routing import Router
from symbl_spec import Spec, default_spec

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "tests" / "fidelity" / "corpus.yaml"

TOKEN = "fidelity-token"  # noqa: S105 - the replay mock's own credentials, not secrets
APP_ID = "fidelity-app"
APP_SECRET = "fidelity-secret"  # noqa: S105
AUDIO = "https://symbltestdata.s3.us-east-2.amazonaws.com/sample_audio_file.wav"

__all__ = [
    "CORPUS",
    "Counts",
    "Replayer",
    "counts",
    "load_corpus",
    "receiver_problems",
    "replay_config",
    "replay_corpus",
    "running_receiver",
]


def load_corpus(path: Path = CORPUS) -> list[dict[str, Any]]:
    shapes: list[dict[str, Any]] = yaml.safe_load(path.read_text(encoding="utf-8"))["shapes"]
    return shapes


def replay_config(**overrides: Any) -> MockConfig:
    """The replay's mock: one account with a static token and app credentials; webhooks recorded, never sent
    (the corpus names real hosts, and one a localhost port that may be someone else's)."""
    settings: dict[str, Any] = {
        "tokens": (TOKEN,),
        "app_id": APP_ID,
        "app_secret": APP_SECRET,
        "job_duration": 0.0,
        "deliver_webhooks": False,
    }
    settings.update(overrides)
    return MockConfig(**settings)


@dataclass(frozen=True, slots=True)
class Counts:
    shapes: int
    clients: int
    accepted: int
    refused: int
    by_status: Mapping[int, int]


def counts(shapes: list[dict[str, Any]]) -> Counts:
    """What the corpus says the real API answers: shapes and clients, accepted (2xx) and refused client bugs."""
    statuses = collections.Counter(s["answer"]["status"] for s in shapes if "answer" in s)
    accepted = sum(n for status, n in statuses.items() if status < 300) + sum(1 for s in shapes if "webhook" in s)
    return Counts(
        shapes=len(shapes),
        clients=len({s["client"] for s in shapes}),
        accepted=accepted,
        refused=len(shapes) - accepted,
        by_status=dict(sorted(statuses.items())),
    )


class Replayer:
    """Sends shapes to a running mock and says what, if anything, differs from the answer the corpus gives."""

    def __init__(self, mock: RunningMock, spec: Spec | None = None) -> None:
        self.mock = mock
        self.spec = spec if spec is not None else default_spec()
        self.router = Router(self.spec.operations.values())
        self.client = httpx.Client(base_url=mock.url, timeout=10.0)

    def close(self) -> None:
        self.client.close()

    def _created(self) -> dict[str, str]:
        response = self.client.post("/v1/process/audio/url", json={"url": AUDIO}, headers={"x-api-key": TOKEN})
        response.raise_for_status()
        created: dict[str, str] = response.json()
        return created

    def replay(self, shape: Mapping[str, Any]) -> list[str]:
        request, answer = shape["request"], shape["answer"]
        path: str = request["path"]
        if "{conversationId}" in path or "{jobId}" in path:
            created = self._created()
            path = path.replace("{conversationId}", created["conversationId"]).replace("{jobId}", created["jobId"])
        headers = {name: str(value).replace("TOKEN", TOKEN) for name, value in request.get("headers", {}).items()}
        body = request.get("body")
        content = None if body is None else body.replace("APP_ID", APP_ID).replace("APP_SECRET", APP_SECRET).encode()
        response = self.client.request(
            request["method"], path, params=list(request.get("query", {}).items()), headers=headers, content=content
        )
        where = f"{shape['id']}: {request['method']} {path} -> {response.status_code}"
        if response.status_code != answer["status"]:
            return [f"{where}, expected {answer['status']}: {response.text[:200]}"]
        problems = self._check_body(where, request["method"], path, response)
        if problems or response.status_code >= 300:
            return problems
        payload = response.json()
        problems += [f"{where}: the answer lacks {name!r}" for name in answer.get("reads", []) if name not in payload]
        if "means" in answer:
            recorded = self._options(payload["jobId"])
            wrong = {k: recorded.get(k) for k, v in answer["means"].items() if _typed(recorded.get(k)) != _typed(v)}
            if wrong:
                problems.append(f"{where}: the job records {wrong}, the corpus says {answer['means']}")
        return problems

    def _check_body(self, where: str, method: str, path: str, response: httpx.Response) -> list[str]:
        found = self.router.find(path.split("?", 1)[0])
        operation = found[0].operations.get(method) if found is not None else None
        declared = operation.responses.get(str(response.status_code)) if operation is not None else None
        if operation is not None and declared is None:
            return [f"{where}: status not declared by {operation.operation_id}"]
        pointer = declared.json_schema_pointer if declared is not None else self.spec.schema_pointer("Error")
        if pointer is None:
            return []
        try:
            body = response.json()
        except ValueError:
            return [f"{where}: the answer is not JSON"]
        return [f"{where}: {error.message}" for error in self.spec.validator(pointer).iter_errors(body)]

    def _options(self, job_id: str) -> dict[str, Any]:
        for conversation in self.mock.conversations()["conversations"]:
            for job in conversation["jobs"]:
                if job["jobId"] == job_id:
                    options: dict[str, Any] = job["options"]
                    return options
        return {}


def _typed(value: Any) -> str:
    """A value with its JSON type, so that ``True`` differs from ``1`` and ``2`` from ``2.0``."""
    return json.dumps(value, sort_keys=True)


# -- webhook receivers -------------------------------------------------------------------------------------------


class _Receiver(ThreadingHTTPServer):
    daemon_threads = True
    payloads: list[Any]


class _Handler(BaseHTTPRequestHandler):
    server: _Receiver

    def log_message(self, format: str, *args: Any) -> None:  # quiet
        pass

    def do_POST(self) -> None:
        length = int(self.headers.get("content-length") or 0)
        self.server.payloads.append(json.loads(self.rfile.read(length) or b"null"))
        self.send_response(200)
        self.send_header("content-length", "0")
        self.end_headers()


@contextlib.contextmanager
def running_receiver() -> Iterator[tuple[str, list[Any]]]:
    """A webhook receiver on 127.0.0.1 answering 200; yields its URL and the payloads it took."""
    server = _Receiver(("127.0.0.1", 0), _Handler)
    server.payloads = []
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/hook", server.payloads
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def receiver_problems(shapes: list[dict[str, Any]], spec: Spec | None = None) -> dict[str, list[str]]:
    """For each webhook receiver shape, what the mock's notifications lack of what the receiver reads."""
    spec = spec if spec is not None else default_spec()
    validator = spec.validator(spec.webhook_payload().schema_pointer or "")
    with (
        running_receiver() as (url, payloads),
        running_mock(replay_config(deliver_webhooks=True)) as mock,
        httpx.Client(base_url=mock.url, timeout=10.0) as client,
    ):
        body = {"url": AUDIO, "webhookUrl": url}
        job = client.post("/v1/process/audio/url", json=body, headers={"x-api-key": TOKEN}).json()["jobId"]
        mock.wait_idle(10)
    problems: dict[str, list[str]] = {}
    for shape in (s for s in shapes if "webhook" in s):
        found = problems[shape["id"]] = []
        if len(payloads) != 3:
            found.append(f"{len(payloads)} notifications, expected scheduled, in_progress, completed")
        for payload in payloads:
            found += [error.message for error in validator.iter_errors(payload)]
            found += [f"{payload} lacks {name!r}" for name in shape["webhook"]["receiver_reads"] if name not in payload]
            if payload.get("id", job) != job:
                found.append(f"{payload}: id is not the job's ID")
    return problems


def replay_corpus(shapes: list[dict[str, Any]]) -> dict[str, list[str]]:
    """Every shape's problems (an empty list: answered as the real API would)."""
    results: dict[str, list[str]] = {}
    with running_mock(replay_config()) as mock:
        replayer = Replayer(mock)
        try:
            for shape in shapes:
                if "request" in shape:
                    results[shape["id"]] = replayer.replay(shape)
        finally:
            replayer.close()
    results.update(receiver_problems(shapes))
    return {shape["id"]: results[shape["id"]] for shape in shapes}


def main() -> int:
    shapes = load_corpus()
    results = replay_corpus(shapes)
    passed = [s for s in shapes if not results[s["id"]]]
    total = counts(shapes)
    good = counts(passed)
    print(
        f"{good.shapes} of {total.shapes} call shapes from {good.clients} of {total.clients} clients are answered "
        f"as the real API would ({CORPUS.relative_to(ROOT)})"
    )
    statuses = ", ".join(f"{status}: {n}" for status, n in good.by_status.items() if status >= 300)
    print(f"  {good.accepted} accepted as sent; {good.refused} client bugs refused ({statuses})")
    per_client = collections.Counter(s["client"] for s in shapes)
    passed_per_client = collections.Counter(s["client"] for s in passed)
    for client, n in sorted(per_client.items(), key=lambda item: (-item[1], item[0])):
        print(f"  {client}: {passed_per_client[client]}/{n}")
    for shape_id, problems in results.items():
        for problem in problems:
            print(f"FAIL {shape_id}: {problem}")
    return 0 if len(passed) == len(shapes) else 1


if __name__ == "__main__":
    sys.exit(main())
