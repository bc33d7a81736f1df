"""Requests: spec-generated data through the generated client, checked on the wire against the spec.

For every operation, schemathesis generates a valid request (path parameters, query, auth headers, JSON
body). The body goes through the generated model's ``from_dict``, the rest to the generated function's
arguments (sync and asyncio), and the request the client sends is captured by an ``httpx.MockTransport``:
its method, path, query, headers and body must validate against the spec and carry exactly the generated
data.
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from schemathesis.core import NotSet

from symbl_spec import deref as resolve
from symbl_spec.pointer import pointer_get

from ._calls import call, check_request, client_for, expected_auth, success_response
from ._spec import CONTRACT_SETTINGS, OPERATIONS, Capture, document, request_strategy


def test_every_operation_of_the_spec_has_a_generated_function() -> None:
    # OPERATIONS imports api.<tag>.<operationId> for each operation of the spec; none may be missing or extra.
    assert sorted(OPERATIONS) == ["appendAudioUrl", "generateToken", "getJobStatus", "submitAudioUrl"]
    for operation in OPERATIONS.values():
        for name in ("sync_detailed", "sync", "asyncio_detailed", "asyncio"):
            assert callable(getattr(operation.module, name)), f"{operation.operation_id}.{name}"


@pytest.mark.parametrize("operation_id", sorted(OPERATIONS))
@CONTRACT_SETTINGS
@given(data=st.data())
def test_the_request_is_valid_and_carries_exactly_the_generated_data(operation_id: str, data: st.DataObject) -> None:
    operation = OPERATIONS[operation_id]
    case = data.draw(request_strategy(operation), label="case")
    body: Any = None if isinstance(case.body, NotSet) else case.body
    auth = expected_auth(operation, case.headers or {})
    for use_async in (False, True):
        capture = Capture(success_response(operation))
        with client_for(operation, auth, capture) as client:
            response = call(operation, client, case.path_parameters or {}, case.query or {}, body, use_async=use_async)
        assert len(capture.requests) == 1
        check_request(
            operation,
            capture.requests[0],
            path_parameters=case.path_parameters or {},
            query=case.query or {},
            body=body,
            auth=auth,
        )
        assert response.parsed is not None


def _shared_options() -> set[str]:
    """Options the spec accepts both as a query parameter and as a body field (readings 3, 4 and 11)."""
    doc = document()
    shared: set[str] = set()
    for operation in OPERATIONS.values():
        if operation.body_pointer is None:
            continue
        body_schema = resolve(doc, pointer_get(doc, operation.body_pointer))
        query = {p.name for p in operation.parameters if p.location == "query"}
        shared |= query & set(body_schema.get("properties", {}))
    return shared


def test_the_options_accepted_in_query_and_body_are_the_ones_the_readings_name() -> None:
    assert _shared_options() == {
        "enableSpeakerDiarization",
        "diarizationSpeakerCount",
        "webhookUrl",
        "enableSummary",
        "customVocabulary",
    }


@pytest.mark.parametrize("operation_id", ["submitAudioUrl", "appendAudioUrl"])
@CONTRACT_SETTINGS
@given(data=st.data())
def test_an_option_given_in_both_places_is_sent_in_both_places_unmerged(operation_id: str, data: st.DataObject) -> None:
    # The generated function takes the query form as keyword arguments and the body form in the model; the client
    # must send each where it was given and leave precedence (the query wins) to the server.
    operation = OPERATIONS[operation_id]
    case = data.draw(request_strategy(operation), label="case")
    diarization = data.draw(st.booleans(), label="query diarization")
    count = data.draw(st.integers(min_value=1, max_value=10), label="query count")
    query: dict[str, Any] = {
        "enableSpeakerDiarization": diarization,
        "diarizationSpeakerCount": count,
        "webhookUrl": "https://query.example/hook",
    }
    body: dict[str, Any] = {
        **case.body,
        "enableSpeakerDiarization": not diarization,
        "diarizationSpeakerCount": count + 1,
        "webhookUrl": "https://body.example/hook",
    }
    auth = expected_auth(operation, {})
    capture = Capture(success_response(operation))
    with client_for(operation, auth, capture) as client:
        call(operation, client, case.path_parameters or {}, query, body)
    check_request(
        operation, capture.requests[0], path_parameters=case.path_parameters or {}, query=query, body=body, auth=auth
    )
