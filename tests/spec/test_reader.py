"""The one reader of the document (``symbl_spec.Spec``) and the views built on it."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from symbl_conformance.spec import read_facts
from symbl_spec import FINAL_VALUES_KEY, Spec, SpecError, default_spec, resolve

JOB_ID = "9b1deb4d-3b7d-4bad-9bdd-2b0d7b3dcb6d"


def _inline(document: dict[str, Any], media: dict[str, Any]) -> None:
    """Replace the ``$ref`` of a media type's schema by a copy of the schema it points at."""
    ref = media["schema"]["$ref"]
    media["schema"] = copy.deepcopy(resolve(document, {"$ref": ref})[0])


def test_an_inline_response_schema_is_validated_as_itself(document: dict[str, Any]) -> None:
    # The conformance view once returned the *operation's* pointer for an inline response schema: a body was then
    # validated against an operation object, where anything passes.
    _inline(document, document["paths"]["/v1/job/{jobId}"]["get"]["responses"]["200"]["content"]["application/json"])
    spec = Spec(document)
    facts = read_facts(spec)
    pointer = facts.response_schema_pointer(facts.job_status, 200)
    assert pointer == "/paths/~1v1~1job~1{jobId}/get/responses/200/content/application~1json/schema"
    validator = spec.validator(pointer)
    assert validator.is_valid({"id": JOB_ID, "status": "completed"})
    assert not validator.is_valid({"id": JOB_ID, "status": "done"})
    assert not validator.is_valid({"id": 1})
    # The status enum is still found through the inline schema's $ref to the status values.
    assert facts.lifecycle.final == {"completed", "failed"}


def test_an_inline_webhook_schema_is_validated_as_itself(document: dict[str, Any]) -> None:
    body = document["components"]["requestBodies"]["JobStatusNotification"]["content"]["application/json"]
    _inline(document, body)
    spec = Spec(document)
    pointer = read_facts(spec).webhook_schema_pointer()
    assert pointer == "/components/requestBodies/JobStatusNotification/content/application~1json/schema"
    assert pointer is not None
    assert spec.validator(pointer).is_valid({"jobId": JOB_ID, "status": "scheduled"})
    assert not spec.validator(pointer).is_valid({"id": JOB_ID, "status": "scheduled"})


def test_validators_are_built_once_per_schema() -> None:
    spec = default_spec()
    pointer = spec.schema_pointer("JobStatus")
    assert spec.validator(pointer) is spec.validator(pointer)


@pytest.mark.parametrize(
    ("ref", "message"),
    [
        ("https://example.com/schemas.json#/Error", "only local references"),
        ("#/components/schemas/Nothing", "points at nothing"),
        ("#/components/schemas/Loop", "reference cycle"),
    ],
)
def test_the_resolver_refuses_what_it_cannot_follow(document: dict[str, Any], ref: str, message: str) -> None:
    document["components"]["schemas"]["Loop"] = {"$ref": "#/components/schemas/Loop"}
    with pytest.raises(SpecError, match=message):
        resolve(document, {"$ref": ref})


def test_the_final_statuses_come_from_the_document(document: dict[str, Any]) -> None:
    pointer = "/components/schemas/JobStatusValue"
    assert Spec(document).lifecycle(pointer).final == {"completed", "failed"}
    document["components"]["schemas"]["JobStatusValue"][FINAL_VALUES_KEY] = ["completed"]
    assert Spec(document).lifecycle(pointer).final == {"completed"}
    document["components"]["schemas"]["JobStatusValue"][FINAL_VALUES_KEY] = ["done"]
    with pytest.raises(SpecError, match="subset of its enum"):
        Spec(document).lifecycle(pointer)


def test_every_reader_takes_the_final_statuses_from_the_document() -> None:
    from symbl_async_audio_client.jobs import FINAL_STATUSES

    from symbl_conformance.spec import facts
    from symbl_mock.state import Lifecycle

    marked = set(default_spec().document["components"]["schemas"]["JobStatusValue"][FINAL_VALUES_KEY])
    assert {str(status) for status in FINAL_STATUSES} == marked
    assert facts().lifecycle.final == marked
    assert Lifecycle.from_spec(default_spec()).final == marked


def test_operations_parameters_security_and_links() -> None:
    spec = default_spec()
    append = spec.operations["appendAudioUrl"]
    assert append.method == "put"
    assert append.path == "/v1/process/audio/url/{conversationId}"
    path_param = append.parameter("conversationId", "path")
    assert path_param is not None
    assert path_param.required
    assert path_param.pointer == "/components/parameters/ConversationId"
    assert [[scheme.name for scheme in alternative] for alternative in append.security] == [
        ["bearerAuth"],
        ["apiKeyAuth"],
    ]
    assert spec.security_schemes["apiKeyAuth"].header == "x-api-key"
    assert not spec.operations["generateToken"].needs_auth
    created = append.response(201)
    assert created is not None
    assert [(link.name, link.operation_id) for link in created.links] == [("GetJobStatus", "getJobStatus")]
    assert append.response(418) is None
    assert spec.webhooks["jobStatusChanged"].response(503) is spec.webhooks["jobStatusChanged"].responses["5XX"]
