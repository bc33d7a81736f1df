"""Webhook URLs in generated data go to the run's own receiver; negative values stay negative."""

from __future__ import annotations

from typing import Any

import pytest

from symbl_conformance.webhook_urls import DISCARD_URL, webhook_url_rewrite

TARGET = "http://127.0.0.1:40000/generated/abc"


@pytest.fixture
def rewrite() -> Any:
    found = webhook_url_rewrite(TARGET)
    assert found is not None
    return found


@pytest.mark.parametrize(
    "value",
    ["https://yourdomain.com/jobs/callback", "http://k", "https://" + "a" * 2030],
)
def test_a_valid_url_goes_to_the_target(rewrite: Any, value: str) -> None:
    assert rewrite.is_valid(value)
    assert rewrite.value(value) == TARGET


@pytest.mark.parametrize(
    "value",
    ["https://yourdomain.com/jobs/ callback", "HTTPS://evil.example/x\n", "https://" + "a" * 2100],
)
def test_an_invalid_url_stays_invalid_without_its_host(rewrite: Any, value: str) -> None:
    assert not rewrite.is_valid(value)
    changed = rewrite.value(value)
    assert not rewrite.is_valid(changed)
    assert "yourdomain" not in changed
    assert "evil.example" not in changed
    assert "aaaa" not in changed.split("/")[2]


@pytest.mark.parametrize("value", ["", "not a url", 42, None, ["https://x.example"]])
def test_what_is_not_a_url_is_left_alone(rewrite: Any, value: Any) -> None:
    assert rewrite.value(value) == value


def test_the_body_field_and_the_query_parameter_are_rewritten(rewrite: Any) -> None:
    class Case:
        def __init__(self) -> None:
            self.body = {"url": "https://a.example/x.wav", "webhookUrl": "https://yourdomain.com/cb"}
            self.query = {"webhookUrl": "https://yourdomain.com/cb", "other": "https://keep.example"}

    case = Case()
    rewrite.apply(case)
    assert case.body == {"url": "https://a.example/x.wav", "webhookUrl": TARGET}
    assert case.query == {"webhookUrl": TARGET, "other": "https://keep.example"}


def test_the_discard_address_is_loopback() -> None:
    assert DISCARD_URL.startswith("http://127.0.0.1:")
