"""``symbl-conformance``: the contract suite for any server of the Symbl.ai Async Audio URL API.

Schemathesis (all checks and phases, reproducible from a seed) plus the semantic checks the seed's
prose demands (see ``symbl_conformance.semantic``), in embedded-mock, full or safe mode (see
``symbl_conformance.safety``). Command line: ``uv run symbl-conformance --help``.
"""

from symbl_conformance.conformance import ConformanceOptions, UsageError, run_conformance
from symbl_conformance.results import CheckStatus, FailureRecord, RunResults, SemanticOutcome
from symbl_conformance.safety import Mode, decide_mode, is_loopback_url
from symbl_conformance.semantic import SEMANTIC_CHECKS

__all__ = [
    "SEMANTIC_CHECKS",
    "CheckStatus",
    "ConformanceOptions",
    "FailureRecord",
    "Mode",
    "RunResults",
    "SemanticOutcome",
    "UsageError",
    "decide_mode",
    "is_loopback_url",
    "run_conformance",
]
