"""Responses the spec does not document: the client answers with its typed errors, never a bare exception.

- An undocumented status: ``UnexpectedStatus`` when the client is asked to raise, else no parsed value.
- A documented status whose body breaks the response schema (schemathesis' negative generation: not JSON,
  not an object, a required field missing, a value of the wrong type, out of its enum, format, pattern or
  bounds): ``InvalidResponseBody``, and never a bare ``KeyError``/``TypeError``/``ValueError``/``AttributeError``
  whatever the body.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from http import HTTPStatus
from typing import Any

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from symbl_async_audio_client import errors

from ._calls import (
    OFF_PATTERN_UUIDS,
    call_with_response,
    encoded,
    example_body,
    first_response_case,
    property_schema,
    response_properties,
)
from ._spec import (
    CONTRACT_SETTINGS,
    OPERATIONS,
    PER_STATUS_EXAMPLES,
    Operation,
    ResponseCase,
    body_strategy,
    invalid_body_strategy,
    response_cases,
    validator,
)

RESPONSES = response_cases()

# Flags of the client that change how a response is returned: (raise_on_unexpected_status, raise_on_error_status).
FLAGS = [(False, False), (True, False), (False, True), (True, True)]

REGISTERED = [status.value for status in HTTPStatus if status.value >= 200]


def _documented(operation: Operation, status: int) -> bool:
    codes = set(operation.spec["responses"])
    return str(status) in codes or f"{str(status)[0]}XX" in codes or "default" in codes


def _any_body() -> st.SearchStrategy[bytes]:
    """Raw bytes, or a JSON body valid for one of the spec's response schemas."""
    pointers = sorted({case.schema_pointer for case in RESPONSES})
    return st.one_of(st.binary(max_size=64), st.sampled_from(pointers).flatmap(body_strategy).map(encoded))


def _flags(raise_unexpected: bool, raise_error: bool) -> dict[str, bool]:
    return {"raise_on_unexpected_status": raise_unexpected, "raise_on_error_status": raise_error}


# -- Undocumented statuses -------------------------------------------------------------------------------------------


def _check_undocumented_status(operation: Operation, status: int, content: bytes) -> None:
    assert not _documented(operation, status)
    for raise_unexpected, raise_error in FLAGS:
        flags = _flags(raise_unexpected, raise_error)
        if raise_unexpected:
            with pytest.raises(errors.UnexpectedStatus) as raised:
                call_with_response(operation, content, status, **flags)
            assert raised.value.status_code == status
            assert raised.value.content == content
        else:
            response = call_with_response(operation, content, status, **flags)
            assert response.status_code == status
            assert response.content == content
            assert response.parsed is None


@pytest.mark.parametrize("operation_id", sorted(OPERATIONS))
@CONTRACT_SETTINGS
@given(data=st.data())
def test_an_undocumented_registered_status_is_unexpected(operation_id: str, data: st.DataObject) -> None:
    operation = OPERATIONS[operation_id]
    undocumented = [status for status in REGISTERED if not _documented(operation, status)]
    status = data.draw(st.sampled_from(undocumented), label="status")
    _check_undocumented_status(operation, status, data.draw(_any_body(), label="body"))


@pytest.mark.parametrize("operation_id", sorted(OPERATIONS))
@CONTRACT_SETTINGS
@given(data=st.data())
def test_an_undocumented_unregistered_status_is_unexpected(operation_id: str, data: st.DataObject) -> None:
    operation = OPERATIONS[operation_id]
    status = data.draw(st.integers(min_value=200, max_value=599).filter(lambda s: s not in REGISTERED), label="status")
    _check_undocumented_status(operation, status, data.draw(_any_body(), label="body"))


# -- Documented statuses, bodies that break the schema ---------------------------------------------------------------


def _breaks_the_model(schema_pointer: str, content: bytes) -> bool:
    """Whether the body breaks the response schema, so that the client must raise InvalidResponseBody.

    The models check every keyword of the response schemas: required fields, JSON types, enums, the UUID form
    of ``JobId`` (its format and lower-case pattern) and the value bounds, so any invalid body is refused.
    """
    try:
        value = json.loads(content)
    except ValueError:
        return True
    return not validator(schema_pointer).is_valid(value)


@pytest.mark.parametrize("response_case", RESPONSES, ids=lambda case: case.id)
@settings(CONTRACT_SETTINGS, max_examples=PER_STATUS_EXAMPLES)
@given(data=st.data())
def test_a_body_that_breaks_the_schema_gives_a_typed_error_never_a_bare_one(
    response_case: ResponseCase, data: st.DataObject
) -> None:
    operation = OPERATIONS[response_case.operation_id]
    status = int(response_case.status)
    content = encoded(data.draw(invalid_body_strategy(response_case.schema_pointer), label="body"))
    must_raise = _breaks_the_model(response_case.schema_pointer, content)
    model = response_case.model.__name__
    for raise_unexpected, raise_error in FLAGS:
        outcome: Any
        try:
            outcome = call_with_response(operation, content, status, **_flags(raise_unexpected, raise_error)).parsed
        except (errors.InvalidResponseBody, errors.ErrorResponse) as error:
            outcome = error
        except Exception as error:  # the property under test: nothing else escapes the client
            pytest.fail(f"bare {type(error).__name__} from the client for {content!r}: {error}")
        if isinstance(outcome, errors.InvalidResponseBody):
            assert (outcome.status_code, outcome.content) == (status, content)
            continue
        assert not must_raise, f"{content!r} cannot make a {model}, yet it parsed"
        if isinstance(outcome, errors.ErrorResponse):
            assert raise_error
            assert status >= 400
            outcome = outcome.parsed
        assert type(outcome) is response_case.model


def _assert_refused(schema_pointer: str, body: Any) -> None:
    """The first documented response with the schema at ``schema_pointer``, serving ``body``, is an invalid body."""
    response_case = first_response_case(schema_pointer)
    with pytest.raises(errors.InvalidResponseBody):
        call_with_response(OPERATIONS[response_case.operation_id], encoded(body), int(response_case.status))


_JSON_VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=8),
    st.lists(st.integers(), max_size=2),
    st.dictionaries(st.text(max_size=4), st.integers(), max_size=2),
)


def _type_matches(schema: Mapping[str, Any], value: Any) -> bool:
    kind = schema.get("type")
    if kind == "string":
        return isinstance(value, str)
    if kind == "integer":
        return isinstance(value, int) and not isinstance(value, bool)
    if kind == "number":
        return isinstance(value, int | float) and not isinstance(value, bool)
    if kind == "boolean":
        return isinstance(value, bool)
    return True


def _label(pointer: str, name: str) -> str:
    return f"{pointer.rsplit('/', 1)[-1]}.{name}"


@pytest.mark.parametrize(
    ("schema_pointer", "name"),
    [pytest.param(pointer, name, id=_label(pointer, name)) for pointer, name, _ in response_properties()],
)
@CONTRACT_SETTINGS
@given(data=st.data())
def test_a_field_of_the_wrong_type_raises_invalid_response_body(
    schema_pointer: str, name: str, data: st.DataObject
) -> None:
    schema = property_schema(schema_pointer, name)
    body = data.draw(body_strategy(schema_pointer), label="valid body")
    body = {**body, name: data.draw(_JSON_VALUES.filter(lambda v: not _type_matches(schema, v)), label=name)}
    assume(not validator(schema_pointer).is_valid(body))
    _assert_refused(schema_pointer, body)


def _bound_violations() -> list[Any]:
    """(schema pointer, property, value just outside the bound) for every bound of every response schema."""
    params = []
    for pointer, name, schema in response_properties():
        label = _label(pointer, name)
        if "minLength" in schema:
            params.append(pytest.param(pointer, name, "x" * (schema["minLength"] - 1), id=f"{label}-minLength"))
        if "maxLength" in schema:
            params.append(pytest.param(pointer, name, "x" * (schema["maxLength"] + 1), id=f"{label}-maxLength"))
        if "minimum" in schema:
            params.append(pytest.param(pointer, name, schema["minimum"] - 1, id=f"{label}-minimum"))
        if "maximum" in schema:
            params.append(pytest.param(pointer, name, schema["maximum"] + 1, id=f"{label}-maximum"))
    return params


@pytest.mark.parametrize(("schema_pointer", "name", "value"), _bound_violations())
def test_a_value_out_of_its_bounds_raises_invalid_response_body(schema_pointer: str, name: str, value: Any) -> None:
    body = {**example_body(schema_pointer), name: value}
    assert not validator(schema_pointer).is_valid(body)
    _assert_refused(schema_pointer, body)


@pytest.mark.parametrize("spelling", sorted(OFF_PATTERN_UUIDS))
@pytest.mark.parametrize(
    ("schema_pointer", "name"),
    [
        pytest.param(pointer, name, id=_label(pointer, name))
        for pointer, name, schema in response_properties()
        if schema.get("format") == "uuid"
    ],
)
def test_a_uuid_spelt_against_its_schema_raises_invalid_response_body(
    schema_pointer: str, name: str, spelling: str
) -> None:
    body = {**example_body(schema_pointer), name: OFF_PATTERN_UUIDS[spelling]}
    assert not validator(schema_pointer).is_valid(body)
    _assert_refused(schema_pointer, body)
