"""Responses: bodies generated from every response schema of every operation, through the generated client.

For each documented (operation, status) with a JSON body, schemathesis generates bodies valid against the
response schema; the mock transport serves them with their status, and the client must return the model
the spec gives for that status, whose ``to_dict()`` gives back the body exactly (extra properties
included: response schemas allow them). With ``raise_on_error_status``, an error status raises
``ErrorResponse`` carrying the same parsed body instead.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from symbl_async_audio_client import errors

from ._calls import (
    call,
    client_for,
    encoded,
    example_arguments,
    expected_auth,
    serve,
)
from ._spec import (
    CONTRACT_SETTINGS,
    OPERATIONS,
    PER_STATUS_EXAMPLES,
    ResponseCase,
    body_strategy,
    canonical,
    response_cases,
)

RESPONSES = response_cases()


def test_every_documented_response_with_a_body_is_covered() -> None:
    documented = {(op.operation_id, status) for op in OPERATIONS.values() for status in op.spec["responses"]}
    covered = {(case.operation_id, case.status) for case in RESPONSES}
    # Every response of the four operations has a JSON body in this spec.
    assert covered == documented


@pytest.mark.parametrize("response_case", RESPONSES, ids=lambda case: case.id)
@settings(CONTRACT_SETTINGS, max_examples=PER_STATUS_EXAMPLES)
@given(data=st.data())
def test_a_documented_response_parses_into_its_model_and_back(response_case: ResponseCase, data: st.DataObject) -> None:
    operation = OPERATIONS[response_case.operation_id]
    status = int(response_case.status)
    body = data.draw(body_strategy(response_case.schema_pointer), label="body")
    path_parameters, query, request_body = example_arguments(operation)

    auth = expected_auth(operation, {})
    capture = serve(status, encoded(body))
    with client_for(operation, auth, capture) as c:
        response = call(operation, c, path_parameters, query, request_body)
    assert response.status_code == status
    assert type(response.parsed) is response_case.model
    assert canonical(response.parsed.to_dict()) == canonical(body)

    # Asked to raise, the client raises ErrorResponse for a documented error status, with the same parsed body.
    capture = serve(status, encoded(body))
    with client_for(operation, auth, capture, raise_on_error_status=True) as c:
        if status < 400:
            parsed = call(operation, c, path_parameters, query, request_body).parsed
        else:
            with pytest.raises(errors.ErrorResponse) as raised:
                call(operation, c, path_parameters, query, request_body)
            assert raised.value.status_code == status
            assert raised.value.content == capture.respond(capture.requests[0]).content
            parsed = raised.value.parsed
    assert type(parsed) is response_case.model
    assert canonical(parsed.to_dict()) == canonical(body)
