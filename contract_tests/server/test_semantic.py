"""The checks schemathesis cannot express (``symbl_conformance.semantic``), one test each.

They run once per session against the target (a conversation with appends, followed to the end, its
webhooks received on loopback; the 429 against a small mock of its own in embedded mode); each test
reports one check's outcome. A check the mode does not allow is skipped, with the reason.
"""

from __future__ import annotations

import pytest

from symbl_conformance.results import CheckStatus, SemanticOutcome
from symbl_conformance.semantic import SEMANTIC_CHECKS


def _explain(outcome: SemanticOutcome) -> str:
    lines = [f"[{outcome.check}] {outcome.status.value}: {outcome.detail}"]
    for failure in outcome.failures:
        lines.append(f"- {failure.title}\n  {failure.message}")
        if failure.curl:
            lines.append(f"  reproduce with: {failure.curl}")
    return "\n".join(lines)


@pytest.mark.parametrize("check", SEMANTIC_CHECKS)
def test_semantic_check(check: str, semantic_outcomes: dict[str, SemanticOutcome]) -> None:
    outcome = semantic_outcomes.get(check)
    assert outcome is not None, f"{check} did not run"
    if outcome.status is CheckStatus.SKIPPED:
        pytest.skip(f"{check}: {outcome.detail}")
    assert outcome.status is CheckStatus.PASSED, _explain(outcome)
    assert not outcome.failures


def test_every_check_reported(semantic_outcomes: dict[str, SemanticOutcome]) -> None:
    assert sorted(semantic_outcomes) == sorted(SEMANTIC_CHECKS)
