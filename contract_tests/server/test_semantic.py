"""The checks schemathesis cannot express (``symbl_conformance.checks``), one test each.

They run once per session against the server (a conversation with appends, followed to the end, its
webhooks received on loopback; the 429 against a small mock of its own in embedded mode); each test
reports one check's verdict. A check the mode does not allow is skipped with the reason; an inconclusive
one too, saying so.
"""

from __future__ import annotations

import pytest

from symbl_conformance.checks import CHECK_NAMES
from symbl_conformance.results import CheckResult, Verdict


def _explain(result: CheckResult) -> str:
    lines = [f"[{result.name}] {result.verdict.value}: {result.detail}"]
    for failure in result.failures:
        lines.append(f"- {failure.title}\n  {failure.message}")
        if failure.curl:
            lines.append(f"  reproduce with: {failure.curl}")
    return "\n".join(lines)


@pytest.mark.parametrize("check", CHECK_NAMES)
def test_semantic_check(check: str, semantic_results: dict[str, CheckResult]) -> None:
    result = semantic_results.get(check)
    assert result is not None, f"{check} did not run"
    if result.verdict in (Verdict.SKIPPED, Verdict.INCONCLUSIVE):
        pytest.skip(f"{check} {result.verdict.value}: {result.detail}")
    assert result.verdict is Verdict.PASSED, _explain(result)
    assert not result.failures


def test_every_check_reported(semantic_results: dict[str, CheckResult]) -> None:
    assert list(semantic_results) == list(CHECK_NAMES)
