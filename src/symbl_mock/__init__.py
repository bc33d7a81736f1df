"""The reference mock of Symbl.ai's Async Audio URL API: a stateful, spec-driven fake for tests.

    from symbl_mock import MockConfig, running_mock

    with running_mock(MockConfig(tokens=("t",))) as mock:
        ...  # call mock.url with "Authorization: Bearer t"

``running_mock`` serves in a thread of the calling process; ``mock_process`` in a child process of its
own. Command line: ``uv run symbl-mock --help``.
"""

from symbl_mock.accounts import Account
from symbl_mock.app import create_app
from symbl_mock.config import DEFAULT_TEST_TOKEN, MockConfig
from symbl_mock.faults import Fault
from symbl_mock.process import MockStartError, mock_process
from symbl_mock.server import RunningMock, running_mock
from symbl_mock.state import FAILING_HOST_SUFFIX, MockState

__all__ = [
    "DEFAULT_TEST_TOKEN",
    "FAILING_HOST_SUFFIX",
    "Account",
    "Fault",
    "MockConfig",
    "MockStartError",
    "MockState",
    "RunningMock",
    "create_app",
    "mock_process",
    "running_mock",
]
