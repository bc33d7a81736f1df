"""Sound links and portable patterns: what a link carries fits where it goes; a pattern means one thing everywhere."""

from __future__ import annotations

import re
from typing import Any

import jsonschema_rs
import pytest

from symbl_spec import Spec, default_spec
from symbl_spec.checks import check_links, check_patterns, schema_fits

# Characters on which regex dialects disagree: Python's \s also matches \x1c-\x1f and \x85; ECMA-262's and
# Python's \d and \w differ on non-ASCII digits and letters; and the ASCII controls, space and DEL.
TRICKY = [chr(c) for c in (*range(0x00, 0x21), 0x7F, 0x85, 0xA0, 0x1680, 0x2028, 0x2029, 0x3000, 0xFEFF)]
TRICKY += ["\u0662", "\uff11", "é", "ß", "_", "-", ".", "/", "@", ":", "%"]


def _schema_patterns(document: Any) -> list[str]:
    found: list[str] = []
    if isinstance(document, dict):
        if isinstance(document.get("pattern"), str):
            found.append(document["pattern"])
        for value in document.values():
            found.extend(_schema_patterns(value))
    elif isinstance(document, list):
        for item in document:
            found.extend(_schema_patterns(item))
    return found


def test_every_link_fits_its_target_parameter() -> None:
    assert check_links(default_spec()) == []


def test_a_link_from_an_unconstrained_field_is_reported(document: dict[str, Any]) -> None:
    # The defect of issue 8: a conversationId that any string may fill, fed to a path parameter with a pattern.
    document["components"]["schemas"]["AudioJobCreated"]["properties"]["conversationId"] = {
        "type": "string",
        "minLength": 1,
    }
    problems = check_links(document)
    assert problems
    assert all("AppendAudioUrl" in problem and "conversationId" in problem for problem in problems)
    assert any("pattern" in problem for problem in problems)


@pytest.mark.parametrize(
    ("source", "target", "fits"),
    [
        ({"type": "string", "pattern": "^a$", "maxLength": 3}, {"type": "string", "pattern": "^a$"}, True),
        ({"type": "string", "maxLength": 3}, {"type": "string", "maxLength": 5}, True),
        ({"type": "string", "maxLength": 9}, {"type": "string", "maxLength": 5}, False),
        ({"type": "string", "enum": ["a"]}, {"type": "string", "enum": ["a", "b"]}, True),
        ({"type": "string"}, {"type": "string", "anyOf": [{"minLength": 1}]}, False),  # not comparable: reported
        ({"type": "integer"}, {"type": "string"}, False),
    ],
)
def test_schema_fits(source: dict[str, Any], target: dict[str, Any], fits: bool) -> None:
    spec = Spec({"openapi": "3.1.0", "components": {"schemas": {"S": source, "T": target}}})
    assert (schema_fits(spec, "/components/schemas/S", "/components/schemas/T") == []) is fits


def test_no_pattern_uses_a_dialect_dependent_escape() -> None:
    assert check_patterns(default_spec()) == []


def test_the_pattern_check_finds_python_only_escapes(document: dict[str, Any]) -> None:
    document["components"]["schemas"]["AudioUrl"]["pattern"] = r"^https?://[^\s]+$"
    document["components"]["schemas"]["ConversationId"]["pattern"] = r"^\d+\\s$"  # \\ is an escaped backslash
    problems = {problem.split("/pattern:")[0]: problem for problem in check_patterns(document)}
    assert set(problems) == {"/components/schemas/AudioUrl", "/components/schemas/ConversationId"}
    assert "\\s" in problems["/components/schemas/AudioUrl"]
    assert "\\d" in problems["/components/schemas/ConversationId"]
    assert "\\s" not in problems["/components/schemas/ConversationId"].split(" in ")[0]


@pytest.mark.parametrize("pattern", _schema_patterns(default_spec().document))
def test_every_pattern_means_the_same_in_python_and_in_the_validator(pattern: str) -> None:
    """Python's re (a Python server) and jsonschema-rs (the mock's validator) agree on every tricky character."""
    validator = jsonschema_rs.validator_for({"type": "string", "pattern": pattern})
    # Python's closing `$` also matches before a final newline: a Python reader spells it `\Z`, as schemathesis
    # does (portable patterns keep `$`, which RE2 and Rust's regex need; a lookahead would not be portable).
    compiled = re.compile(pattern[:-1] + r"\Z" if pattern.endswith("$") else pattern)
    for char in TRICKY:
        for text in (char, f"https://h{char}x/a", f"https://host/a{char}b", f"1{char}", f"tru{char}"):
            assert bool(compiled.search(text)) == validator.is_valid(text), (pattern, text)


@pytest.mark.parametrize(
    ("url", "valid"),
    [
        ("http:///etc/passwd", False),  # no host (issue 10)
        ("https:///a.wav", False),
        ("http://:80/a.wav", False),
        ("http://@/a.wav", False),
        ("http://a b/c.wav", False),
        ("http://host\x1c/a.wav", False),  # Python's \s matched this one; the spelled-out class refuses it too
        ("https://example.com/a.wav", True),
        ("https://user@example.com:8443/a.wav?sig=1#t", True),
        ("http://[::1]:8080/a.wav", True),
        ("https://bucket.s3.amazonaws.com/id/output.m4a?X-Amz-Signature=abc&X-Amz-Expires=60", True),
    ],
)
def test_audio_and_webhook_urls_need_a_host(url: str, valid: bool) -> None:
    spec = default_spec()
    assert spec.validator(spec.schema_pointer("AudioUrl")).is_valid(url) is valid
    assert spec.validator(spec.schema_pointer("WebhookUrl")).is_valid(url) is valid
    assert spec.validator(spec.schema_pointer("WebhookUrl")).is_valid("")  # no webhook
