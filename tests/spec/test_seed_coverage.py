"""The document covers every fact of the seed page, read from a transcription of its tables.

Where the document departs from the page's literal type, the departure must be one of the readings
the document states (its description cites the reading), not an accident.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, NamedTuple

import pytest

from symbl_spec import deref

FIXTURE = Path(__file__).with_name("fixtures") / "seed_facts.txt"


class Fact(NamedTuple):
    section: str
    name: str
    required: bool
    seed_type: str


def _facts() -> list[Fact]:
    facts = []
    for line in FIXTURE.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        section, name, required, seed_type = (part.strip() for part in line.split("|"))
        facts.append(Fact(section, name, required == "Mandatory", seed_type))
    return facts


FACTS = _facts()

# How the page's type words read in JSON Schema.
SEED_TYPES: dict[str, dict[str, Any]] = {
    "String": {"type": "string"},
    "Integer": {"type": "integer"},
    "Double": {"type": "number"},
    "Boolean": {"type": "boolean"},
    "String[]": {"type": "array", "items": {"type": "string"}},
    "Object[]": {"type": "array", "items": {"type": "object"}},
    "List": {"type": "array", "items": {"type": "object"}},
}

# Departures from the page's literal type, and the reading of the document that explains each.
READINGS = {("body", "diarizationSpeakerCount"): 3, ("query", "diarizationSpeakerCount"): 3, ("channel", "speaker"): 9}


def _of(section: str) -> list[Fact]:
    return [fact for fact in FACTS if fact.section == section]


def _ids(facts: list[Fact]) -> list[str]:
    return [f"{fact.section}:{fact.name}" for fact in facts]


def _object_schema(document: dict[str, Any], name: str) -> dict[str, Any]:
    schema: dict[str, Any] = document["components"]["schemas"][name]
    return schema


def _assert_type(document: dict[str, Any], fact: Fact, schema: Any, description: str) -> None:
    schema = deref(document, schema)
    if "anyOf" in schema:
        # Several spellings of one value (reading 10): the page's type is the canonical, first, alternative's.
        assert "reading 10" in description + schema.get("description", ""), f"{fact.name}: anyOf without reading 10"
        description += schema.get("description", "")
        schema = deref(document, schema["anyOf"][0])
    expected = SEED_TYPES[fact.seed_type]
    reading = READINGS.get((fact.section, fact.name))
    if reading is not None:
        assert schema.get("type") != expected["type"], f"{fact.name}: reading {reading} no longer departs from the page"
        assert f"reading {reading}" in description + schema.get("description", ""), (
            f"{fact.name} departs from the page's {fact.seed_type!r} without citing reading {reading}"
        )
        return
    assert schema.get("type") == expected["type"], f"{fact.name}: page says {fact.seed_type}, schema {schema}"
    if "items" in expected:
        items = deref(document, schema["items"])
        assert items.get("type") == expected["items"]["type"], f"{fact.name}: items {items}"


def _audio_operations(document: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        document["paths"]["/v1/process/audio/url"]["post"],
        document["paths"]["/v1/process/audio/url/{conversationId}"]["put"],
    ]


@pytest.mark.parametrize("fact", _of("body"), ids=_ids(_of("body")))
def test_body_field(document: dict[str, Any], fact: Fact) -> None:
    body = _object_schema(document, "AudioUrlRequest")
    assert fact.name in body["properties"], f"request body lacks the page's field {fact.name!r}"
    assert (fact.name in body.get("required", [])) == fact.required
    prop = body["properties"][fact.name]
    _assert_type(document, fact, prop, prop.get("description", ""))


@pytest.mark.parametrize("fact", _of("query"), ids=_ids(_of("query")))
def test_query_parameter_on_both_audio_operations(document: dict[str, Any], fact: Fact) -> None:
    for operation in _audio_operations(document):
        parameters = {p["name"]: p for p in (deref(document, p) for p in operation["parameters"])}
        assert fact.name in parameters, f"{operation['operationId']} lacks query parameter {fact.name}"
        parameter = parameters[fact.name]
        assert parameter["in"] == "query"
        assert parameter.get("required", False) == fact.required
        _assert_type(document, fact, parameter["schema"], parameter.get("description", ""))


@pytest.mark.parametrize(
    ("fact", "schema_name"),
    [(fact, "ChannelMetadata") for fact in _of("channel")]
    + [(fact, "Speaker") for fact in _of("speaker")]
    + [(fact, "AudioJobCreated") for fact in _of("response")]
    + [(fact, "JobStatusWebhook") for fact in _of("webhook")]
    + [(fact, "Error") for fact in _of("error")],
    ids=_ids(_of("channel") + _of("speaker") + _of("response") + _of("webhook") + _of("error")),
)
def test_member(document: dict[str, Any], fact: Fact, schema_name: str) -> None:
    schema = _object_schema(document, schema_name)
    assert fact.name in schema["properties"], f"{schema_name} lacks the page's member {fact.name!r}"
    assert (fact.name in schema.get("required", [])) == fact.required
    prop = deref(document, schema["properties"][fact.name])
    _assert_type(document, fact, prop, schema.get("description", "") + prop.get("description", ""))


def test_job_statuses(document: dict[str, Any]) -> None:
    assert document["components"]["schemas"]["JobStatusValue"]["enum"] == [fact.name for fact in _of("job-status")]


@pytest.mark.parametrize("fact", _of("status"), ids=_ids(_of("status")))
def test_error_status_on_append(document: dict[str, Any], fact: Fact) -> None:
    put = document["paths"]["/v1/process/audio/url/{conversationId}"]["put"]
    response = deref(document, put["responses"][fact.name])
    schema = response["content"]["application/json"]["schema"]
    assert schema == {"$ref": "#/components/schemas/Error"}


def test_headers(document: dict[str, Any]) -> None:
    schemes = document["components"]["securitySchemes"]
    headers = {fact.name: fact for fact in _of("header")}
    assert schemes["bearerAuth"] == {**schemes["bearerAuth"], "type": "http", "scheme": "bearer"}
    assert "Authorization" in headers
    api_key = schemes["apiKeyAuth"]
    assert (api_key["type"], api_key["in"], api_key["name"]) == ("apiKey", "header", "x-api-key")
    assert headers["x-api-key"].seed_type in api_key["description"]
    # Content-Type is mandatory: every audio operation requires a JSON body and accepts nothing else.
    for operation in _audio_operations(document):
        body = deref(document, operation["requestBody"])
        assert body["required"] is True
        assert list(body["content"]) == [headers["Content-Type"].seed_type]


def test_path_parameter(document: dict[str, Any]) -> None:
    (fact,) = _of("path")
    put = document["paths"]["/v1/process/audio/url/{conversationId}"]["put"]
    parameters = {p["name"]: p for p in (deref(document, p) for p in put["parameters"])}
    assert parameters[fact.name]["in"] == "path"
    assert parameters[fact.name]["required"] is True
    assert deref(document, parameters[fact.name]["schema"])["type"] == "string"
