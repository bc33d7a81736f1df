"""The generated README's usage section runs as written against the reference mock."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from symbl_async_audio_client import ErrorResponse, client_from_credentials
from symbl_async_audio_client.api.async_audio import append_audio_url
from symbl_async_audio_client.models import AudioUrlRequest

from scripts import regenerate
from symbl_mock import MockConfig, running_mock

from .helpers import JOB_ID

README = regenerate.OUTPUT / "README.md"
SNIPPET_BASE_URL = '"https://api.symbl.ai"'
# The snippet's placeholder for the application ID and secret: made the mock's application credentials.
PLACEHOLDER = "..."


def _usage_snippet() -> str:
    blocks = re.findall(r"```python\n(.*?)```", README.read_text(encoding="utf-8"), re.DOTALL)
    assert len(blocks) == 1, "the README has one usage snippet"
    snippet: str = blocks[0]
    assert SNIPPET_BASE_URL in snippet
    return snippet


def test_the_usage_snippet_creates_appends_waits_and_handles_webhooks(capsys: pytest.CaptureFixture[str]) -> None:
    config = MockConfig(app_id=PLACEHOLDER, app_secret=PLACEHOLDER, job_duration=0.0)  # jobs finish at once
    with running_mock(config) as mock:
        namespace: dict[str, Any] = {}
        code = _usage_snippet().replace(SNIPPET_BASE_URL, repr(mock.url))
        exec(compile(code, str(README), "exec"), namespace)  # noqa: S102 (the project's own README)
        assert capsys.readouterr().out.splitlines()[-1] == "completed"

        on_job_status: Callable[[bytes], int] = namespace["on_job_status"]
        assert on_job_status(b'{"jobId": "%s", "status": "completed"}' % JOB_ID.encode()) == 200
        assert on_job_status(b'{"id": "%s", "status": "in_progress"}' % JOB_ID.encode()) == 200
        assert capsys.readouterr().out.splitlines() == [f"{JOB_ID} completed", f"{JOB_ID} in_progress"]
        for malformed in (b"not json", b'{"status": "completed"}', b'{"jobId": "not-a-uuid", "status": "completed"}'):
            assert on_job_status(malformed) == 400

        # The snippet's error handling: a documented error raises ErrorResponse with the parsed Error body.
        with (
            client_from_credentials(mock.url, PLACEHOLDER, PLACEHOLDER, raise_on_error_status=True) as client,
            pytest.raises(ErrorResponse) as caught,
        ):
            append_audio_url.sync("1234", client=client, body=AudioUrlRequest(url="https://example.com/a.wav"))
    assert caught.value.status_code == 404
    assert caught.value.parsed is not None
    assert caught.value.parsed.message
