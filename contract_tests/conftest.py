"""Options shared by the contract tests (the Stainless ``TEST_API_BASE_URL`` pattern).

Each option can also be given by an environment variable; the command-line option wins.

- ``--base-url`` / ``TEST_API_BASE_URL``: the server the server-side suite checks. Default: the embedded
  mock, started as a child process on a free 127.0.0.1 port for the session and stopped at its end.
- ``--api-token`` / ``TEST_API_TOKEN``: a bearer token for that server (or ``TEST_API_APP_ID`` and
  ``TEST_API_APP_SECRET``, exchanged through ``generateToken``).
- ``--allow-side-effects`` / ``TEST_API_ALLOW_SIDE_EFFECTS=1``: create jobs on a non-loopback server.
- ``--safe`` / ``TEST_API_SAFE=1``: never create a job, even on loopback.
- ``--api-seed`` / ``TEST_API_SEED`` and ``--api-max-examples`` / ``TEST_API_MAX_EXAMPLES``: generation
  (defaults: seed 1, and ``symbl_conformance.options.DEFAULTS``).
"""

from __future__ import annotations

import pytest

from symbl_conformance.options import DEFAULTS


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("contract", "contract tests (server side: any server of the API)")
    group.addoption("--base-url", default=None, help="server to check (env TEST_API_BASE_URL; default: embedded mock)")
    group.addoption("--api-token", default=None, help="bearer token for --base-url (env TEST_API_TOKEN)")
    group.addoption(
        "--allow-side-effects",
        action="store_true",
        default=False,
        help="create jobs on a non-loopback server (env TEST_API_ALLOW_SIDE_EFFECTS=1)",
    )
    group.addoption("--safe", action="store_true", default=False, help="never create a job (env TEST_API_SAFE=1)")
    group.addoption("--api-seed", default=None, help="seed of the generated cases (env TEST_API_SEED; default 1)")
    group.addoption(
        "--api-max-examples",
        default=None,
        help=f"schemathesis max-examples (env TEST_API_MAX_EXAMPLES; default {DEFAULTS.max_examples})",
    )
