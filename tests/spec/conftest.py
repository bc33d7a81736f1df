from __future__ import annotations

import copy
from typing import Any

import pytest

from symbl_spec import load_spec


@pytest.fixture
def document() -> dict[str, Any]:
    """A private copy of the document, so that a test may mutate it."""
    return copy.deepcopy(load_spec())
