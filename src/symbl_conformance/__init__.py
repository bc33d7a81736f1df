"""``symbl-conformance``: the contract suite for any server of the Symbl.ai Async Audio URL API.

Schemathesis (all checks and phases, reproducible from a seed) plus the semantic checks the seed's prose
demands (``symbl_conformance.checks``), in embedded-mock, full or safe mode (``symbl_conformance.safety``).
One results model (``symbl_conformance.results``), three renderers (``symbl_conformance.reports``: text,
JUnit XML, JSON). Command line: ``uv run symbl-conformance --help``; documentation: ``docs/conformance.md``.
"""

from symbl_conformance.checks import CHECK_NAMES, CHECKS
from symbl_conformance.options import DEFAULTS, ConformanceOptions, UsageError
from symbl_conformance.results import CheckResult, Failure, RunReport, Source, Verdict
from symbl_conformance.run import run_conformance
from symbl_conformance.safety import Mode, decide_mode, is_loopback_url

__all__ = [
    "CHECKS",
    "CHECK_NAMES",
    "DEFAULTS",
    "CheckResult",
    "ConformanceOptions",
    "Failure",
    "Mode",
    "RunReport",
    "Source",
    "UsageError",
    "Verdict",
    "decide_mode",
    "is_loopback_url",
    "run_conformance",
]
