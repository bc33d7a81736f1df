"""The spellings clients use (reading 10), read by the one rule of ``symbl_spec.encodings``; closed validators."""

from __future__ import annotations

from typing import Any

import pytest

from symbl_spec import default_spec

SPEC = default_spec()
FLAG = "/components/parameters/EnableSpeakerDiarizationQuery/schema"
COUNT = "/components/parameters/DiarizationSpeakerCountQuery/schema"
WEBHOOK = "/components/parameters/WebhookUrlQuery/schema"
BODY = SPEC.schema_pointer("AudioUrlRequest")


def test_a_count_is_read_as_its_alternatives_say_and_bounded() -> None:
    # "1.000000000000000" is no integer literal: it is text, which the text alternative bounds (schemathesis, too,
    # takes it for an invalid count); read as the JSON number 1.0, it would have been a valid integer.
    read = SPEC.encoding(COUNT).read("1.000000000000000")
    assert read == "1.000000000000000"
    assert not SPEC.validator(COUNT).is_valid(read)


@pytest.mark.parametrize(
    ("pointer", "text", "value", "meaning"),
    [
        (FLAG, "true", True, True),
        (FLAG, "false", False, False),
        (FLAG, "True", "True", True),  # symbl-rest writes Python's str(True)
        (FLAG, "False", "False", False),
        (COUNT, "2", 2, 2),
        (COUNT, "2.0", "2.0", 2),  # symbl-rest's count is a float: not an integer literal, the text alternative's
        (WEBHOOK, "https://example.com/hook", "https://example.com/hook", "https://example.com/hook"),
        (WEBHOOK, "http://127.0.0.1:1/2.0", "http://127.0.0.1:1/2.0", "http://127.0.0.1:1/2.0"),
    ],
)
def test_parameter_text_is_read_by_the_schema(pointer: str, text: str, value: Any, meaning: Any) -> None:
    encoding = SPEC.encoding(pointer)
    read = encoding.read(text)
    assert (type(read), read) == (type(value), value)
    assert SPEC.validator(pointer).is_valid(read)
    canonical = encoding.canonical(read)
    assert (type(canonical), canonical) == (type(meaning), meaning)


@pytest.mark.parametrize(
    ("pointer", "text"),
    [(FLAG, "yes"), (FLAG, "1"), (FLAG, "TRUE"), (COUNT, "0"), (COUNT, "2.5"), (COUNT, "two"), (COUNT, "-1")],
)
def test_text_no_spelling_admits_stays_invalid(pointer: str, text: str) -> None:
    assert not SPEC.validator(pointer).is_valid(SPEC.encoding(pointer).read(text))


@pytest.mark.parametrize(
    ("field", "value", "meaning"),
    [
        ("enableSpeakerDiarization", "true", True),  # symbl-python-sdk's example body
        ("enableSpeakerDiarization", True, True),
        ("diarizationSpeakerCount", "2", 2),  # Pipedream, the C# SDK
        ("diarizationSpeakerCount", 2.0, 2),
        ("confidenceThreshold", "0.6", 0.6),  # Pipedream
        ("confidenceThreshold", 0.6, 0.6),
    ],
)
def test_body_spellings_mean_their_canonical_value(field: str, value: Any, meaning: Any) -> None:
    pointer = f"{BODY}/properties/{field}"
    assert SPEC.validator(BODY).is_valid({"url": "https://example.com/a.wav", field: value})
    canonical = SPEC.encoding(pointer).canonical(value)
    assert (type(canonical), canonical) == (type(meaning), meaning)


def test_the_canonical_alternative_comes_first() -> None:
    for name, kind in (("Flag", "boolean"), ("SpeakerCount", "integer"), ("ConfidenceThreshold", "number")):
        encoding = SPEC.encoding(SPEC.schema_pointer(name))
        assert encoding.has_spellings
        assert encoding.kinds == (kind, "string")


def test_unknown_properties_are_accepted_and_a_closed_validator_refuses_them() -> None:
    body = {"url": "https://example.com/a.wav", "urll": 1, "channelMetadata": [{"channel": 1, "speaker": {"x": 1}}]}
    assert SPEC.validator(BODY).is_valid(body)
    closed = SPEC.validator(BODY, closed=True)
    errors = sorted(str(error.instance_path) for error in closed.iter_errors(body))
    assert len(errors) == 2  # the top-level property and the nested one
    assert closed.is_valid({"url": "https://example.com/a.wav", "features": {"featureList": None}})
