"""Schemathesis' pytest integration: every operation, all checks, the examples/coverage/fuzzing phases, and
the stateful phase as a state machine over the document's links.

The schema is configured by ``symbl_conformance.runner.load_schema``, as for ``symbl-conformance`` (seed,
max-examples, all checks, no example database, the run's credentials provider), and comes
from a session fixture, because the server (embedded mock or ``TEST_API_BASE_URL``) is only known then.
In safe mode the operations that create jobs are sent without credentials (the spec says 401) and the
stateful test is skipped.
"""

from __future__ import annotations

from typing import Any

import hypothesis
import pytest
import schemathesis
from schemathesis import Case

from contract_tests.server.conftest import Session
from symbl_conformance.run import operation_groups

READ_ONLY, CREATING, PUBLIC = operation_groups()

read_only_schema = schemathesis.pytest.from_fixture("api_schema").include(operation_id=list(READ_ONLY))
creating_schema = schemathesis.pytest.from_fixture("creating_schema").include(operation_id=list(CREATING))
public_schema = schemathesis.pytest.from_fixture("public_schema").include(operation_id=list(PUBLIC))


def test_operation_groups_cover_the_document() -> None:
    from symbl_conformance.spec import facts

    assert sorted(READ_ONLY + CREATING + PUBLIC) == sorted(facts().operations)
    assert all((READ_ONLY, CREATING, PUBLIC))


@read_only_schema.parametrize()
def test_read_only_operations(case: Case[Any]) -> None:
    case.call_and_validate()


@creating_schema.parametrize()
def test_job_creating_operations(case: Case[Any]) -> None:
    case.call_and_validate()


@public_schema.parametrize()
def test_unauthenticated_operations(case: Case[Any]) -> None:
    case.call_and_validate()


def test_stateful_links(server: Session, api_schema: schemathesis.schemas.BaseSchema) -> None:
    """Sequences that follow the document's links (submit → append → job status), every response validated."""
    if not server.side_effects:
        pytest.skip("safe mode: the stateful phase creates jobs")
    machine = api_schema.as_state_machine()
    machine.run(
        settings=hypothesis.settings(
            machine.TestCase.settings,
            max_examples=server.options.max_examples,
            database=None,
            derandomize=True,
        )
    )
