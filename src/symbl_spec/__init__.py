"""The OpenAPI document, and the one reader of it that every hand-written component uses.

The mock, the conformance suite, the spec checks and the tests all read the document through
:class:`Spec` (``default_spec()`` for the project's own), so that none of them carries a copy of
a fact in it, resolves ``$ref``s its own way or builds its own validators.
"""

from symbl_spec.document import HTTP_METHODS, SPEC_FILENAME, load_spec, spec_path
from symbl_spec.model import FINAL_VALUES_KEY, Spec, default_spec
from symbl_spec.objects import (
    Callback,
    Lifecycle,
    Link,
    MediaType,
    Operation,
    Parameter,
    RequestBody,
    Response,
    SecurityScheme,
)
from symbl_spec.refs import SpecError, deref, resolve

__all__ = [
    "FINAL_VALUES_KEY",
    "HTTP_METHODS",
    "SPEC_FILENAME",
    "Callback",
    "Lifecycle",
    "Link",
    "MediaType",
    "Operation",
    "Parameter",
    "RequestBody",
    "Response",
    "SecurityScheme",
    "Spec",
    "SpecError",
    "default_spec",
    "deref",
    "load_spec",
    "resolve",
    "spec_path",
]
