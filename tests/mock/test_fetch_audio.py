"""--fetch-audio: audio served from loopback (with --allow-private-urls) is downloaded and sniffed."""

from __future__ import annotations

import io
import time
import wave
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler
from typing import Any

import httpx
import pytest

from symbl_mock import RunningMock
from tests.mock.conftest import MockFactory
from tests.mock.helpers import AUTH, created, loopback_server, reply, wait_for


def _wav() -> bytes:
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(8000)
        out.writeframes(b"\x00\x00" * 800)
    return buffer.getvalue()


FILES = {
    "/speech.wav": (_wav(), "audio/wav"),
    "/speech.mp3": (b"ID3\x04\x00\x00\x00\x00\x00\x00" + b"\xff\xfb\x90\x00" * 64, "audio/mpeg"),
    "/notes.txt": (b"these are meeting notes, not audio\n" * 10, "audio/wav"),  # the content type lies
    "/page.html": (b"<html><body>no audio here</body></html>", "text/html"),
}


def _serve(handler: BaseHTTPRequestHandler, body: bytes) -> None:
    if handler.path == "/slow.wav":
        time.sleep(1.0)
    found = FILES.get(handler.path)
    if found is None:
        reply(handler, 404, b"not found")
    else:
        reply(handler, 200, found[0], found[1])


@pytest.fixture
def audio_server() -> Iterator[str]:
    with loopback_server(_serve) as url:
        yield url


def _final_job(mock: RunningMock, client: httpx.Client, url: str) -> dict[str, Any]:
    job_id = created(client, url)["jobId"]
    final: dict[str, Any] = {}

    def done() -> bool:
        status = client.get(f"/v1/job/{job_id}", headers=AUTH).json()["status"]
        return status in ("completed", "failed")

    wait_for(done, timeout=10)
    for conversation in mock.conversations()["conversations"]:
        for job in conversation["jobs"]:
            if job["jobId"] == job_id:
                final = job
    return final


def test_audio_completes_and_other_files_fail(start_mock: MockFactory, audio_server: str) -> None:
    mock = start_mock(fetch_audio=True, allow_private_urls=True, audio_timeout=0.5)
    with httpx.Client(base_url=mock.url, timeout=10) as client:
        for path in ("/speech.wav", "/speech.mp3"):
            job = _final_job(mock, client, audio_server + path)
            assert job["status"] == "completed", job
            assert job["error"] is None
        for path, reason in (
            ("/notes.txt", "not WAV"),
            ("/page.html", "not WAV"),
            ("/missing.wav", "HTTP 404"),
            ("/slow.wav", "longer than"),
        ):
            job = _final_job(mock, client, audio_server + path)
            assert job["status"] == "failed", job
            assert reason in job["error"], job


def test_size_limit_fails_the_job(start_mock: MockFactory, audio_server: str) -> None:
    mock = start_mock(fetch_audio=True, allow_private_urls=True, max_audio_bytes=100)
    with httpx.Client(base_url=mock.url, timeout=10) as client:
        job = _final_job(mock, client, audio_server + "/speech.wav")
    assert job["status"] == "failed"
    assert "larger than" in job["error"]


def test_private_address_refused_without_the_flag(start_mock: MockFactory, audio_server: str) -> None:
    mock = start_mock(fetch_audio=True)
    with httpx.Client(base_url=mock.url, timeout=10) as client:
        for url in (audio_server + "/speech.wav", audio_server.replace("127.0.0.1", "localhost") + "/speech.wav"):
            job = _final_job(mock, client, url)
            assert job["status"] == "failed", job
            assert "non-public" in job["error"], job
