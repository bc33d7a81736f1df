"""How a failure is reproduced: the curl command of a request (``$SYMBL_TOKEN`` stands for the token)."""

from __future__ import annotations

import json
import shlex
from typing import Any

__all__ = ["curl"]


def curl(method: str, url: str, body: Any | None, authenticated: bool) -> str:
    """A shell command that sends the same request."""
    command = shlex.join(["curl", "-X", method.upper()])
    if authenticated:
        command += ' -H "Authorization: Bearer $SYMBL_TOKEN"'
    if body is not None:
        command += " -H 'Content-Type: application/json' -d " + shlex.quote(json.dumps(body))
    return command + " " + shlex.quote(url)
