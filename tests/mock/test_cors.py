"""Browser clients (the spec's reading 19): CORS preflights are answered and allowed origins may read answers."""

from __future__ import annotations

import httpx
import pytest

from symbl_mock import MockConfig
from symbl_mock.cli import build_parser, config_from_args
from tests.mock.conftest import MockFactory
from tests.mock.helpers import AUDIO, TOKEN

SUBMIT = "/v1/process/audio/url"
PAGE = "http://localhost:3000"  # a dev server serving the browser app
PREFLIGHT = {
    "Origin": PAGE,
    "Access-Control-Request-Method": "POST",
    "Access-Control-Request-Headers": "content-type,x-api-key",
}


def test_a_browser_page_can_submit_as_symbls_demo_does(start_mock: MockFactory) -> None:
    mock = start_mock()
    with httpx.Client(base_url=mock.url, timeout=10) as client:
        preflight = client.options(SUBMIT, headers=PREFLIGHT)  # no token: browsers send none with a preflight
        created = client.post(SUBMIT, json={"url": AUDIO}, headers={"Origin": PAGE, "x-api-key": TOKEN})
        refused = client.post(SUBMIT, json={"url": AUDIO}, headers={"Origin": PAGE})
    assert preflight.status_code == 204
    assert preflight.headers["access-control-allow-origin"] == "*"
    assert preflight.headers["access-control-allow-methods"] == "POST"
    assert preflight.headers["access-control-allow-headers"] == "content-type,x-api-key"
    assert preflight.headers["allow"] == "POST"
    assert created.status_code == 201
    assert created.headers["access-control-allow-origin"] == "*"
    assert refused.status_code == 401  # an error the page must be able to read too
    assert refused.headers["access-control-allow-origin"] == "*"


def test_only_the_origins_given_are_allowed(start_mock: MockFactory) -> None:
    mock = start_mock(cors_origins=(PAGE,))
    with httpx.Client(base_url=mock.url, timeout=10) as client:
        allowed = client.options(SUBMIT, headers=PREFLIGHT)
        other = client.options(SUBMIT, headers={**PREFLIGHT, "Origin": "https://elsewhere.example"})
        read = client.get(f"/v1/job/{'0' * 8}-0000-4000-8000-{'0' * 12}", headers={"Origin": PAGE, "x-api-key": TOKEN})
    assert allowed.headers["access-control-allow-origin"] == PAGE
    assert allowed.headers["vary"] == "Origin"
    assert other.status_code == 204  # a plain OPTIONS answer, without the headers a browser needs to go on
    assert "access-control-allow-origin" not in other.headers
    assert read.status_code == 404
    assert read.headers["access-control-allow-origin"] == PAGE


def test_without_cors_options_is_a_method_the_document_does_not_declare(start_mock: MockFactory) -> None:
    mock = start_mock(cors_origins=())
    with httpx.Client(base_url=mock.url, timeout=10) as client:
        preflight = client.options(SUBMIT, headers=PREFLIGHT)
        created = client.post(SUBMIT, json={"url": AUDIO}, headers={"Origin": PAGE, "x-api-key": TOKEN})
    assert preflight.status_code == 405
    assert preflight.headers["allow"] == "POST"
    assert "access-control-allow-origin" not in created.headers


def test_options_on_a_path_of_no_operation_is_404(start_mock: MockFactory) -> None:
    mock = start_mock()
    response = httpx.options(f"{mock.url}/v1/nothing/here", headers=PREFLIGHT, timeout=10)
    assert response.status_code == 404
    assert response.json()["statusCode"] == 404


@pytest.mark.parametrize(
    ("flags", "origins"),
    [
        ([], ("*",)),
        (["--cors-origin", PAGE, "--cors-origin", "https://app.example"], (PAGE, "https://app.example")),
        (["--no-cors"], ()),
    ],
)
def test_the_command_line_sets_the_origins(flags: list[str], origins: tuple[str, ...]) -> None:
    config, _ = config_from_args(build_parser().parse_args(["--token", TOKEN, *flags]))
    assert config.cors_origins == origins


@pytest.mark.parametrize("origin", ["localhost:3000", "http://localhost:3000/", "ftp://x", "http://h:99999", ""])
def test_what_is_not_an_origin_is_refused(origin: str) -> None:
    with pytest.raises(ValueError, match="cors_origins"):
        MockConfig(cors_origins=(origin,))


def test_no_cors_and_an_origin_contradict_each_other() -> None:
    args = build_parser().parse_args(["--token", TOKEN, "--no-cors", "--cors-origin", PAGE])
    with pytest.raises(ValueError, match="contradict"):
        config_from_args(args)
