"""Webhook URLs in generated data go to the run's own receiver, never to the hosts the data makes up.

Schemathesis generates request bodies and query strings from the document, whose example webhook URL is
``https://yourdomain.com/jobs/callback``; a server that calls back (Prism does, at once) would send a
stranger's domain the run's job IDs. Every request schemathesis sends to a server other than the embedded
mock (which delivers only to loopback) has its webhook URLs rewritten just before it goes out — the body
field named by the document's callback expression and the query parameters of the same name:

- a valid, non-empty URL becomes the run's target (the receiver's sink, or a loopback discard address);
- an invalid one keeps being invalid, with its host replaced: negative tests stay negative.

Validity is judged by the document's own schema of the field (``symbl_spec``'s validator). Schemathesis
revalidates a case after a ``before_call`` hook edits it, so its checks judge what was actually sent.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from schemathesis.hooks import GLOBAL_HOOK_DISPATCHER

from symbl_conformance.spec import ApiFacts, facts
from symbl_spec.checks import field_schema_pointer

__all__ = ["DISCARD_URL", "WebhookUrlRewrite", "rewriting_webhook_urls"]

DISCARD_URL = "http://127.0.0.1:9/discard"
"""Where generated webhook URLs point when the run has no receiver: the server's own loopback discard port."""
_ORIGIN = re.compile(r"https?://[^/?#\s]*", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class WebhookUrlRewrite:
    target: str
    body_field: str
    query_names: frozenset[str]
    is_valid: Callable[[Any], bool]

    def value(self, value: Any) -> Any:
        if not isinstance(value, str) or not value or not _ORIGIN.search(value):
            return value
        if self.is_valid(value):
            return self.target
        origin = _ORIGIN.match(self.target)
        assert origin is not None
        for candidate in (_ORIGIN.sub(origin.group(0), value), self.target + " ", self.target + "\n"):
            if not self.is_valid(candidate):
                return candidate
        return value

    def apply(self, case: Any) -> None:
        body = getattr(case, "body", None)
        if isinstance(body, dict) and self.body_field in body:
            body[self.body_field] = self.value(body[self.body_field])
        query = getattr(case, "query", None)
        if isinstance(query, dict):
            for name in self.query_names & set(query):
                query[name] = self.value(query[name])


def webhook_url_rewrite(target: str, api: ApiFacts | None = None) -> WebhookUrlRewrite | None:
    """The rewrite for this document, or ``None`` when it has no callback URL in a request body."""
    api = api or facts()
    field = api.webhook_body_field
    body = api.submit.request_body.json if api.submit.request_body is not None else None
    schema = body.schema_pointer if body is not None else None
    pointer = field_schema_pointer(api.spec, schema, "/" + field) if field and schema else None
    if field is None or pointer is None:
        return None
    validator = api.spec.validator(pointer)
    names = frozenset(p.name for op in api.operations.values() for p in op.parameters if p.name == field)
    return WebhookUrlRewrite(target, field, names, validator.is_valid)


@contextmanager
def rewriting_webhook_urls(target: str | None) -> Iterator[None]:
    """While the block runs, every request schemathesis sends has its webhook URLs pointed at ``target``
    (``None``: left as generated — the embedded mock's own policy keeps them on loopback)."""
    rewrite = webhook_url_rewrite(target) if target is not None else None
    if rewrite is None:
        yield
        return

    def before_call(context: Any, case: Any, kwargs: dict[str, Any]) -> None:
        rewrite.apply(case)

    GLOBAL_HOOK_DISPATCHER.register_hook_with_name(before_call, "before_call")
    try:
        yield
    finally:
        GLOBAL_HOOK_DISPATCHER.unregister(before_call)
