"""The OpenAPI document is valid, self-consistent, and says what the project promises it says."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from openapi_spec_validator import validate
from openapi_spec_validator.validation.exceptions import OpenAPIValidationError

from symbl_spec import Spec, deref
from symbl_spec.checks import check_examples, check_links, iter_examples

AUDIO_PATHS = {"/v1/process/audio/url": "post", "/v1/process/audio/url/{conversationId}": "put"}


def _walk(node: Any) -> Iterator[tuple[str, Any]]:
    if isinstance(node, dict):
        for key, value in node.items():
            yield key, value
            yield from _walk(value)
    elif isinstance(node, list):
        for item in node:
            yield from _walk(item)


def test_is_valid_openapi_3_1(document: dict[str, Any]) -> None:
    assert document["openapi"] == "3.1.0"
    validate(document)


def test_validator_rejects_a_broken_document(document: dict[str, Any]) -> None:
    document["components"]["parameters"]["JobId"]["in"] = "body"  # not a parameter location in 3.x
    with pytest.raises(OpenAPIValidationError):
        validate(document)


def test_operation_ids(document: dict[str, Any]) -> None:
    ids = {(op.section, op.operation_id) for op in Spec(document).all_operations()}
    assert ids == {
        ("paths", "appendAudioUrl"),
        ("paths", "submitAudioUrl"),
        ("paths", "getJobStatus"),
        ("paths", "generateToken"),
        ("webhooks", "jobStatusChanged"),
    }


def test_security(document: dict[str, Any]) -> None:
    alternatives: list[dict[str, list[str]]] = [{"bearerAuth": []}, {"apiKeyAuth": []}]
    assert document["security"] == alternatives
    for operation in Spec(document).all_operations():
        if operation.operation_id == "generateToken" or operation.section == "webhooks":
            assert operation.security == ()
        else:
            assert [{scheme.name: [] for scheme in alternative} for alternative in operation.security] == alternatives
            assert "401" in operation.responses
    assert "DEPRECATED" in document["components"]["securitySchemes"]["apiKeyAuth"]["description"]


def test_audio_operations_share_body_parameters_and_responses(document: dict[str, Any]) -> None:
    operations = [document["paths"][path][method] for path, method in AUDIO_PATHS.items()]
    bodies = [op["requestBody"] for op in operations]
    assert bodies[0] == bodies[1] == {"$ref": "#/components/requestBodies/AudioUrlRequest"}
    for operation in operations:
        query = {p["name"] for p in (deref(document, p) for p in operation["parameters"]) if p["in"] == "query"}
        assert query == {
            "enableSpeakerDiarization",
            "diarizationSpeakerCount",
            "webhookUrl",
            "enableSummary",
            "detectActionPhraseForMessages",
            "customVocabulary",
        }
        assert {"201", "400", "401", "429", "500"} <= set(operation["responses"])
        created = deref(document, operation["responses"]["201"])
        assert created["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/AudioJobCreated"}
    put = document["paths"]["/v1/process/audio/url/{conversationId}"]["put"]
    assert "404" in put["responses"]
    assert "404" in document["paths"]["/v1/job/{jobId}"]["get"]["responses"]
    job_id = deref(document, document["components"]["schemas"]["AudioJobCreated"]["properties"]["jobId"])
    assert job_id["format"] == "uuid"


def test_callbacks_are_the_webhook(document: dict[str, Any]) -> None:
    for path, method in AUDIO_PATHS.items():
        callbacks = document["paths"][path][method]["callbacks"]
        notification = {"$ref": "#/webhooks/jobStatusChanged"}
        assert callbacks == {  # the query's URL first: it wins over the body's (reading 4)
            "jobStatus": {"{$request.query.webhookUrl}": notification, "{$request.body#/webhookUrl}": notification}
        }
    webhook = document["webhooks"]["jobStatusChanged"]["post"]
    body = deref(document, webhook["requestBody"])
    assert body["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/JobStatusWebhook"}


def test_links(document: dict[str, Any]) -> None:
    assert check_links(document) == []
    submit = deref(document, document["paths"]["/v1/process/audio/url"]["post"]["responses"]["201"])
    append = deref(document, document["paths"]["/v1/process/audio/url/{conversationId}"]["put"]["responses"]["201"])
    assert submit["links"]["AppendAudioUrl"]["operationId"] == "appendAudioUrl"
    assert submit["links"]["AppendAudioUrl"]["parameters"] == {"conversationId": "$response.body#/conversationId"}
    for response in (submit, append):
        assert response["links"]["GetJobStatus"]["operationId"] == "getJobStatus"
        assert response["links"]["GetJobStatus"]["parameters"] == {"jobId": "$response.body#/jobId"}


@pytest.mark.parametrize(
    ("mutation", "expected"),
    [
        (lambda link: link.update(operationId="getJob"), "operationId 'getJob' does not exist"),
        (lambda link: link.update(parameters={"job": "$response.body#/jobId"}), "has no parameter 'job'"),
        (lambda link: link.update(parameters={"jobId": "$response.body#/job"}), "does not declare"),
    ],
)
def test_link_check_finds_broken_links(document: dict[str, Any], mutation: Any, expected: str) -> None:
    mutation(document["components"]["responses"]["AudioJobCreatedFromAppend"]["links"]["GetJobStatus"])
    problems = check_links(document)
    assert len(problems) == 1
    assert expected in problems[0]


def test_every_example_validates(document: dict[str, Any]) -> None:
    examples = list(iter_examples(document))
    # Every request and response body example of the page is among them.
    assert len(examples) >= 30
    assert check_examples(document) == []


def test_example_check_finds_an_invalid_example(document: dict[str, Any]) -> None:
    full = document["components"]["requestBodies"]["AudioUrlRequest"]["content"]["application/json"]["examples"]
    full["full"]["value"]["confidenceThreshold"] = 1.4
    full["full"]["value"]["mode"] = "studio"
    problems = check_examples(document)
    assert len(problems) == 2
    assert all("/examples/full" in problem for problem in problems)


def test_page_body_example_is_complete(document: dict[str, Any]) -> None:
    """The page's example body, made valid JSON (reading 8), is in the document."""
    examples = document["components"]["requestBodies"]["AudioUrlRequest"]["content"]["application/json"]["examples"]
    assert set(examples["full"]["value"]) == {
        "url",
        "customVocabulary",
        "confidenceThreshold",
        "detectPhrases",
        "name",
        "webhookUrl",
        "entities",
        "detectEntities",
        "languageCode",
        "mode",
        "enableSeparateRecognitionPerChannel",
        "channelMetadata",
        "trackers",
    }


def test_every_body_schema_is_a_component(document: dict[str, Any]) -> None:
    """openapi-python-client only makes models from components/schemas: no inline body schemas."""
    for key, value in _walk({k: document[k] for k in ("paths", "webhooks", "components")}):
        if key == "content":
            for media in value.values():
                assert set(media["schema"]) == {"$ref"}
                assert media["schema"]["$ref"].startswith("#/components/schemas/")


def test_nullability_is_expressed_one_way(document: dict[str, Any]) -> None:
    """Only `features.featureList` is nullable (reading 11), as a `null` in its type list; nothing else says null."""
    nullable = document["components"]["schemas"]["CallScoreFeatures"]["properties"]["featureList"]
    assert nullable["type"] == ["array", "null"]
    assert "reading 11" in nullable["description"]
    nullable["type"] = "array"
    for key, value in _walk(document):
        assert key != "nullable"
        if key == "type":
            assert value != "null"
            assert not (isinstance(value, list) and "null" in value)


def test_defaults_and_constraints(document: dict[str, Any]) -> None:
    schemas = document["components"]["schemas"]
    body = schemas["AudioUrlRequest"]["properties"]
    threshold = deref(document, body["confidenceThreshold"])
    assert (threshold["anyOf"][0]["minimum"], threshold["anyOf"][0]["maximum"]) == (0.0, 1.0)  # reading 5
    assert threshold["default"] == 0.5
    assert body["timezoneOffset"] == {**body["timezoneOffset"], "type": "integer", "format": "int32"}
    assert schemas["LanguageCode"]["default"] == "en-US"
    assert len(schemas["LanguageCode"]["enum"]) == 20
    assert schemas["AudioMode"] == {**schemas["AudioMode"], "enum": ["phone", "default"], "default": "default"}
    assert body["customEntities"]["deprecated"] is True
    assert body["customEntities"]["items"] == body["entities"]["items"]
    assert schemas["Error"]["required"] == ["message"]
    assert schemas["ChannelMetadata"]["properties"]["channel"]["minimum"] == 1
    assert schemas["SpeakerCount"]["anyOf"][0] == {"type": "integer", "minimum": 1, "maximum": 999_999_999}
    assert "additionalProperties" not in schemas["AudioUrlRequest"]  # reading 12


def test_readings_are_stated_where_they_apply(document: dict[str, Any]) -> None:
    """Each reading is a row of the table in info, and is cited at the element it concerns."""
    listed = {int(n) for n in re.findall(r"^\| (\d+) \|", document["info"]["description"], flags=re.MULTILINE)}
    assert listed == set(range(1, max(listed) + 1)), "readings are numbered 1, 2, 3 and so on"
    cited: set[int] = set()
    for key, value in _walk({k: document[k] for k in ("paths", "webhooks", "components")}):
        if key == "description" and isinstance(value, str):
            cited.update(int(n) for n in re.findall(r"reading (\d+)", value))
    # Reading 8 is about the examples themselves, which test_every_example_validates checks.
    assert cited == listed - {8}
