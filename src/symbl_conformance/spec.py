"""What the semantic checks need to know about the API: roles of operations, read from the document.

A thin view over :mod:`symbl_spec`: operation roles come from the document's links and security, field
names from link and callback expressions, statuses from the status enum and its ``x-final-values``, request
bodies from the document's own examples. A change to the document changes what is checked.
"""

from __future__ import annotations

import copy
import functools
import re
from dataclasses import dataclass
from typing import Any

from symbl_spec import Lifecycle, Operation, Spec, SpecError, default_spec
from symbl_spec.checks import field_schema_pointer
from symbl_spec.pointer import unescape

__all__ = ["ApiFacts", "facts"]

_BODY_POINTER = re.compile(r"^\$response\.body#(?P<pointer>/.*)$")
_CALLBACK_BODY_POINTER = re.compile(r"^\{\$request\.body#(?P<pointer>/[^}]*)\}$")


@dataclass(frozen=True, slots=True)
class ApiFacts:
    """The document, read for the semantic checks."""

    spec: Spec
    submit: Operation
    """Creates a conversation and a job; its success response links to ``append`` and ``job_status``."""
    append: Operation
    """Adds a job to an existing conversation (the link target that takes the conversation's ID)."""
    job_status: Operation
    """Reads a job's status (the GET link target)."""
    token: Operation | None
    """Exchanges application credentials for a token (the operation with no security)."""
    conversation_param: str
    conversation_pointer: str
    job_param: str
    job_pointer: str
    lifecycle: Lifecycle
    """The job status enum, in lifecycle order, and its final values."""
    status_field: str
    """The property of the job-status body (and webhook payload) that holds the status."""
    job_id_field: str | None
    """The property of the job-status body that holds the job's ID (its schema is the job parameter's)."""
    webhook_body_field: str | None
    """The request-body field that carries the webhook URL (from the callbacks' runtime expression)."""
    example_body: dict[str, Any]
    """A valid request body for ``submit``/``append``: the document's first example."""

    @property
    def operations(self) -> dict[str, Operation]:
        return dict(self.spec.operations)

    @property
    def statuses(self) -> tuple[str, ...]:
        return self.lifecycle.values

    @property
    def terminal_statuses(self) -> frozenset[str]:
        return self.lifecycle.final

    def job_status_path(self, job_id: str) -> str:
        """The path of ``job_status`` for this job."""
        return self.job_status.url_path(**{self.job_param: job_id})

    def append_path(self, conversation_id: str) -> str:
        """The path of ``append`` to this conversation."""
        return self.append.url_path(**{self.conversation_param: conversation_id})

    def rank(self, status: str) -> int:
        return self.lifecycle.rank(status)

    def response_schema_pointer(self, operation: Operation, status: int) -> str | None:
        """Where the JSON schema of ``operation``'s ``status`` answer is written (inline or a ``$ref``)."""
        response = operation.response(status)
        return None if response is None else response.json_schema_pointer

    def webhook_schema_pointer(self) -> str | None:
        try:
            return self.spec.webhook_payload().schema_pointer
        except SpecError:
            return None


def _link_pointer(expression: Any) -> str:
    match = _BODY_POINTER.match(expression) if isinstance(expression, str) else None
    if match is None:
        raise SpecError(f"link parameter {expression!r} is not a $response.body pointer")
    return match.group("pointer")


def read_facts(spec: Spec) -> ApiFacts:
    """Find each role in the document; SpecError when the document no longer has one."""
    found = [
        (op, response.links)
        for op in spec.operations.values()
        for response in op.responses.values()
        if response.status.startswith("2") and len(response.links) >= 2
    ]
    if not found:
        raise SpecError("no operation links its success to both an append and a job-status operation")
    submit, links = found[0]
    targets = [
        (link, spec.operations[link.operation_id])
        for link in links
        if link.operation_id is not None and link.operation_id in spec.operations
    ]
    job_link, job_status = next((link, op) for link, op in targets if op.method == "get")
    append_link, append = next((link, op) for link, op in targets if op.method != "get")
    ((conversation_param, conversation_expr),) = append_link.parameters.items()
    ((job_param, job_expr),) = job_link.parameters.items()
    token = next((op for op in spec.operations.values() if not op.needs_auth), None)

    status_response = job_status.response(200)
    status_schema = status_response.json_schema_pointer if status_response is not None else None
    if status_schema is None:
        raise SpecError(f"{job_status.operation_id} has no JSON 200 body")
    status_field, lifecycle = next(
        (name, spec.lifecycle(pointer))
        for name in spec.properties(status_schema)
        if (pointer := field_schema_pointer(spec, status_schema, "/" + name)) is not None and "enum" in spec.at(pointer)
    )

    def written_at(pointer: str) -> str:
        return spec.resolve({"$ref": "#" + pointer}, pointer)[1]

    job_parameter = job_status.parameter(job_param)
    job_schema = written_at(job_parameter.schema_pointer) if job_parameter is not None else None
    job_id_field = next(
        (
            name
            for name in spec.properties(status_schema)
            if (pointer := field_schema_pointer(spec, status_schema, "/" + name)) is not None
            and written_at(pointer) == job_schema
        ),
        None,
    )

    webhook_field = None
    for callback in submit.callbacks:
        match = _CALLBACK_BODY_POINTER.match(callback.expression)
        if match is not None:
            webhook_field = unescape(match.group("pointer").lstrip("/"))
    body = submit.request_body.json if submit.request_body is not None else None
    if body is None or not body.examples:
        raise SpecError(f"{submit.operation_id} has no JSON request body example")
    example_body = copy.deepcopy(body.examples[0][1])

    return ApiFacts(
        spec=spec,
        submit=submit,
        append=append,
        job_status=job_status,
        token=token,
        conversation_param=conversation_param,
        conversation_pointer=_link_pointer(conversation_expr),
        job_param=job_param,
        job_pointer=_link_pointer(job_expr),
        lifecycle=lifecycle,
        status_field=status_field,
        job_id_field=job_id_field,
        webhook_body_field=webhook_field,
        example_body=example_body,
    )


@functools.cache
def facts() -> ApiFacts:
    """The project's document, read once."""
    return read_facts(default_spec())
