"""Bad input: each answered by a 4xx with the spec's error body, and the server still serving afterwards."""

from __future__ import annotations

import json
from collections.abc import Callable

import httpx
import pytest

from symbl_mock import RunningMock
from tests.mock.helpers import AUDIO, AUTH, assert_error, created, raw_http, raw_request

SUBMIT = "/v1/process/audio/url"
JSON = {"Content-Type": "application/json"}


def _still_serving(mock: RunningMock) -> None:
    with httpx.Client(base_url=mock.url, timeout=5) as client:
        job = created(client)
        assert client.get(f"/v1/job/{job['jobId']}", headers=AUTH).status_code == 200


BODIES: list[tuple[str, bytes, dict[str, str], int, tuple[str, ...]]] = [
    ("malformed JSON", b'{"url": "https://example.com/a.wav"', JSON, 400, ("not valid JSON",)),
    ("trailing comma", b'{"url": "https://example.com/a.wav",}', JSON, 400, ("JSON",)),
    ("wrong content type", json.dumps({"url": AUDIO}).encode(), {"Content-Type": "text/plain"}, 415, ()),
    (
        "form content type",
        b"url=https://example.com/a.wav",
        {"Content-Type": "application/x-www-form-urlencoded"},
        415,
        (),
    ),
    ("missing content type", json.dumps({"url": AUDIO}).encode(), {}, 415, ()),
    ("empty body", b"", JSON, 400, ("required",)),
    ("whitespace body", b"   \n", JSON, 400, ("required",)),
    ("JSON null", b"null", JSON, 400, ("body",)),
    ("JSON array", b"[]", JSON, 400, ("body",)),
    (
        "deeply nested",
        b'{"url": "https://example.com/a.wav", "name": ' + b"[" * 100_000 + b"]" * 100_000 + b"}",
        JSON,
        400,
        (),
    ),
    ("nested objects", b'{"a":' * 50_000 + b"1" + b"}" * 50_000, JSON, 400, ()),
    ("NaN", b'{"url": "https://example.com/a.wav", "confidenceThreshold": NaN}', JSON, 400, ("NaN",)),
    ("Infinity", b'{"url": "https://example.com/a.wav", "confidenceThreshold": Infinity}', JSON, 400, ("Infinity",)),
    ("-Infinity", b'{"url": "https://example.com/a.wav", "confidenceThreshold": -Infinity}', JSON, 400, ()),
    ("huge float", b'{"url": "https://example.com/a.wav", "confidenceThreshold": 1e400}', JSON, 400, ("range",)),
    (
        "huge integer",
        b'{"url": "https://example.com/a.wav", "diarizationSpeakerCount": ' + b"9" * 5000 + b"}",
        JSON,
        400,
        (),
    ),
    (
        "big integer",  # in a property the spec does not declare, which it accepts (reading 12)
        b'{"url": "https://example.com/a.wav", "clientCounter": ' + b"9" * 40 + b"}",
        JSON,
        201,
        (),
    ),
    (
        "count past its bound",
        b'{"url": "https://example.com/a.wav", "diarizationSpeakerCount": ' + b"9" * 40 + b"}",
        JSON,
        400,
        ("diarizationSpeakerCount",),
    ),
    ("invalid UTF-8", b'{"url": "https://example.com/\xff\xfe.wav"}', JSON, 400, ("UTF-8",)),
    ("lone surrogate", b'{"url": "https://example.com/a.wav", "name": "\\ud800"}', JSON, 400, ("UTF-8",)),
    ("file URL", b'{"url": "file:///etc/passwd"}', JSON, 400, ("body.url", "pattern")),
    ("ftp URL", b'{"url": "ftp://example.com/a.wav"}', JSON, 400, ("body.url",)),
    ("javascript URL", b'{"url": "javascript:alert(1)//aaaaaa"}', JSON, 400, ("body.url",)),
    (
        "javascript webhook",
        b'{"url": "https://example.com/a.wav", "webhookUrl": "javascript:alert(1)"}',
        JSON,
        400,
        ("body.webhookUrl",),
    ),
    ("missing url", b'{"name": "x"}', JSON, 400, ("url", "required")),
    ("unknown property", b'{"url": "https://example.com/a.wav", "urll": 1}', JSON, 201, ()),  # reading 12
    ("URL without a host", b'{"url": "http:///etc/passwd"}', JSON, 400, ("body.url", "pattern")),
    (
        "webhook without a host",
        b'{"url": "https://example.com/a.wav", "webhookUrl": "https:///hook"}',
        JSON,
        400,
        ("body.webhookUrl", "pattern"),
    ),
    (
        "wrapper object",  # symbl-rest's declared AsyncConfidenceThreshold() is an empty object (reading 16)
        b'{"url": "https://example.com/a.wav", "confidenceThreshold": {}}',
        JSON,
        400,
        ("body.confidenceThreshold",),
    ),
    (
        "wrong type",
        b'{"url": "https://example.com/a.wav", "detectPhrases": "yes"}',
        JSON,
        400,
        ("body.detectPhrases", "type"),
    ),
    (
        "out of range",
        b'{"url": "https://example.com/a.wav", "confidenceThreshold": 1.2}',
        JSON,
        400,
        ("confidenceThreshold",),
    ),
    (
        "nested field",
        b'{"url": "https://example.com/a.wav", "channelMetadata": [{"channel": 0, "speaker": {}}]}',
        JSON,
        400,
        ("body.channelMetadata[0].channel",),
    ),
]


@pytest.mark.parametrize(
    ("body", "headers", "status", "fragments"), [b[1:] for b in BODIES], ids=[b[0] for b in BODIES]
)
def test_bad_body_is_refused_with_the_error_body(
    mock: RunningMock,
    checked: Callable[[RunningMock], httpx.Client],
    body: bytes,
    headers: dict[str, str],
    status: int,
    fragments: tuple[str, ...],
) -> None:
    client = checked(mock)
    conversation = created(client)["conversationId"]
    for path in (SUBMIT, f"{SUBMIT}/{conversation}"):
        response = client.request("POST" if path == SUBMIT else "PUT", path, content=body, headers={**AUTH, **headers})
        if status == 201:
            assert response.status_code == 201, response.text
            continue
        assert_error(response, status, *fragments)
    _still_serving(mock)


@pytest.mark.parametrize("chunked", [False, True], ids=["content-length", "chunked"])
def test_body_over_the_limit_gets_413(start_mock: Callable[..., RunningMock], chunked: bool) -> None:
    mock = start_mock(max_body_bytes=4096)
    name = "x" * 5000
    payload = json.dumps({"url": AUDIO, "name": name}).encode()
    if chunked:
        chunks = [payload[i : i + 1000] for i in range(0, len(payload), 1000)]
        framed = b"".join(b"%x\r\n%s\r\n" % (len(c), c) for c in chunks) + b"0\r\n\r\n"
        head = raw_http("POST", SUBMIT, headers={**JSON, "Transfer-Encoding": "chunked"})
        request = head.replace(b"Content-Length: 0\r\n", b"") + framed
    else:
        request = raw_http("POST", SUBMIT, body=payload, headers=JSON)
    status, _headers, body = raw_request(mock.url, request)
    assert status == 413
    assert json.loads(body) == {"statusCode": 413, "message": "Request body exceeds the limit of 4096 bytes."}
    _still_serving(mock)


def test_declared_length_over_the_limit_gets_413_without_reading(mock: RunningMock) -> None:
    request = raw_http("POST", SUBMIT, headers={**JSON, "Content-Length": str(10**9)}).replace(
        b"Content-Length: 0\r\n", b""
    )
    status, _, body = raw_request(mock.url, request)
    assert status == 413
    assert json.loads(body)["statusCode"] == 413
    _still_serving(mock)


# A path value outside its parameter's schema names nothing: 404 (the spec's reading 15); one that is not even
# UTF-8 text is a malformed request: 400.
PATHS = [
    ("PUT", f"{SUBMIT}/..", 404),
    ("PUT", f"{SUBMIT}/.", 404),
    ("PUT", f"{SUBMIT}/%2E%2E", 404),
    ("PUT", f"{SUBMIT}/a%2Fb", 404),
    ("PUT", f"{SUBMIT}/..%2F..%2Fjob", 404),
    ("PUT", f"{SUBMIT}/%2e%2e%2f%2e%2e%2fjob%2f1", 404),
    ("PUT", f"{SUBMIT}/a%00b", 404),
    ("PUT", f"{SUBMIT}/%ff", 400),
    ("PUT", f"{SUBMIT}/1234%20", 404),
    ("PUT", f"{SUBMIT}/" + "1" * 65, 404),
    ("PUT", f"{SUBMIT}/:conversationId", 404),  # Symbl's cURL sample, copied literally
    ("PUT", f"{SUBMIT}/../../../v1/job/1", 404),
    ("PUT", f"{SUBMIT}/1/extra", 404),
    ("PUT", f"{SUBMIT}//", 405),  # trailing slashes are ignored: this is the submit path
    ("PUT", f"{SUBMIT}/1234", 404),  # well-formed but unknown
    ("GET", "/v1/job/..", 404),
    ("GET", "/v1/job/%2E%2E%2Fjob", 404),
    ("GET", "/v1/job/not-a-uuid", 404),
    ("GET", "/v1/job/undefined", 404),  # Pipedream's action, which loses the job's ID
    ("GET", "/v1/job/9b1deb4d-3b7d-4bad-9bdd-2b0d7b3dcb6d", 404),
    ("GET", "/v1/job/9b1deb4d-3b7d-4bad-9bdd-2b0d7b3dcb6d%0A", 404),
    ("GET", "/v1/job/%C0%AF", 400),
    ("GET", "/nothing/here", 404),
    ("DELETE", "/v1/job/9b1deb4d-3b7d-4bad-9bdd-2b0d7b3dcb6d", 405),
    ("GET", SUBMIT, 405),
]


@pytest.mark.parametrize(("method", "target", "status"), PATHS, ids=[f"{m} {t}" for m, t, _ in PATHS])
def test_path_tricks_are_refused(mock: RunningMock, method: str, target: str, status: int) -> None:
    body = json.dumps({"url": AUDIO}).encode() if method == "PUT" else b""
    result, headers, raw = raw_request(mock.url, raw_http(method, target, body=body, headers=JSON))
    assert result == status, raw
    assert headers["content-type"] == "application/json"
    error = json.loads(raw)
    assert error["statusCode"] == status
    assert error["message"]
    if status == 405:
        assert headers["allow"]
    assert mock.conversations()["conversations"] == []
    _still_serving(mock)


QUERIES = [
    ("diarizationSpeakerCount=abc", "query.diarizationSpeakerCount"),
    ("diarizationSpeakerCount=0", "query.diarizationSpeakerCount"),
    ("diarizationSpeakerCount=2.5", "query.diarizationSpeakerCount"),
    ("diarizationSpeakerCount=", "query.diarizationSpeakerCount"),
    ("enableSpeakerDiarization=yes", "query.enableSpeakerDiarization"),
    ("enableSpeakerDiarization=TRUE", "query.enableSpeakerDiarization"),
    ("enableSummary=1", "query.enableSummary"),
    ("webhookUrl=http:///etc/passwd", "query.webhookUrl"),
    ("webhookUrl=javascript:alert(1)", "query.webhookUrl"),
    ("webhookUrl=file:///etc/passwd", "query.webhookUrl"),
    ("webhookUrl=a&webhookUrl=b", "query.webhookUrl"),
    ("webhookUrl=%ff", "query"),
]


@pytest.mark.parametrize(("query", "fragment"), QUERIES, ids=[q for q, _ in QUERIES])
def test_bad_query_parameters_are_refused(
    mock: RunningMock, checked: Callable[[RunningMock], httpx.Client], query: str, fragment: str
) -> None:
    client = checked(mock)
    response = client.post(f"{SUBMIT}?{query}", json={"url": AUDIO}, headers=AUTH)
    assert_error(response, 400, fragment)
    _still_serving(mock)


def test_nothing_is_created_by_refused_requests(
    mock: RunningMock, checked: Callable[[RunningMock], httpx.Client]
) -> None:
    client = checked(mock)
    for body in (b"{", b"[]", b'{"url": "ftp://x.example/a"}'):
        assert client.post(SUBMIT, content=body, headers={**AUTH, **JSON}).status_code == 400
    assert mock.conversations()["conversations"] == []
