"""The semantic checks: what the document's prose demands of jobs over time, which schemathesis cannot express.

Each check is a small unit (``SemanticCheck``): a name, what it needs, what it proves, and a function that
judges. :data:`CHECKS` is the one list of them, in the order they run; their names exist only there.
"""

from symbl_conformance.checks.base import Judgement, Need, SemanticCheck, Unavailable
from symbl_conformance.checks.context import CheckContext, LimitTarget, SemanticSettings
from symbl_conformance.checks.isolation import ACCOUNT_ISOLATION
from symbl_conformance.checks.jobs import APPEND_ORDER, DISTINCT_JOB_IDS, JOB_LIFECYCLE, JOB_RETRIEVABLE
from symbl_conformance.checks.limit import CONCURRENCY_LIMIT_429
from symbl_conformance.checks.not_found import UNKNOWN_CONVERSATION_404, UNKNOWN_JOB_404
from symbl_conformance.checks.run import run_checks
from symbl_conformance.checks.webhooks import WEBHOOK_ORDER, WEBHOOK_PAYLOAD

__all__ = [
    "CHECKS",
    "CHECK_NAMES",
    "CheckContext",
    "Judgement",
    "LimitTarget",
    "Need",
    "SemanticCheck",
    "SemanticSettings",
    "Unavailable",
    "run_checks",
]

CHECKS: tuple[SemanticCheck, ...] = (
    UNKNOWN_JOB_404,
    JOB_RETRIEVABLE,
    DISTINCT_JOB_IDS,
    JOB_LIFECYCLE,
    APPEND_ORDER,
    WEBHOOK_PAYLOAD,
    WEBHOOK_ORDER,
    UNKNOWN_CONVERSATION_404,
    CONCURRENCY_LIMIT_429,
    ACCOUNT_ISOLATION,
)
CHECK_NAMES: tuple[str, ...] = tuple(check.name for check in CHECKS)
