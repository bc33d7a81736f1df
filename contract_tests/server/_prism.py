"""Prism (pinned, through npx, as ``scripts/bench_mock`` starts it) serving the project's document on 127.0.0.1.

Prism runs the document's callbacks: it POSTs to the ``webhookUrl`` of every request it accepts. A run of
``symbl-conformance`` points those URLs at its own receiver (``symbl_conformance.webhook_urls``); Prism's log
says where each callback went, so the tests can prove that none left the machine.
"""

from __future__ import annotations

import contextlib
import re
import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from scripts.bench_mock import PRISM, free_port, server
from symbl_spec import spec_path

__all__ = ["PRISM", "PrismServer", "npx_missing", "running_prism"]

START_TIMEOUT = 300.0
"""Seconds for Prism to answer: a cold npx cache downloads about 110 MB first."""
_CALLBACK = re.compile(r'Executing "post" callback to (\S+)')


def npx_missing() -> str | None:
    """Why Prism cannot run here, or ``None``."""
    return None if shutil.which("npx") else "npx (Node.js) is not installed: Prism cannot run"


@dataclass(frozen=True, slots=True)
class PrismServer:
    url: str
    log: Path

    def callback_targets(self) -> list[str]:
        """Where Prism sent callbacks (as its log shows them, shortened by Prism to about 50 characters)."""
        return _CALLBACK.findall(self.log.read_text(errors="replace"))


@contextlib.contextmanager
def running_prism(*, dynamic: bool) -> Iterator[PrismServer]:
    """``prism mock`` on a free loopback port (``--dynamic --seed 1`` when ``dynamic``: reproducible answers)."""
    npx = shutil.which("npx")
    assert npx is not None, npx_missing()
    port = free_port()
    command = [npx, "--yes", PRISM, "mock", "-h", "127.0.0.1", "-p", str(port), str(spec_path())]
    if dynamic:
        command += ["--dynamic", "--seed", "1"]
    url = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryDirectory(prefix="prism-") as tmp:
        log = Path(tmp) / "prism.log"
        # The same start and stop as scripts/bench_mock's Prism: a process group, ready once it answers.
        with server(command, f"{url}/v1/job/00000000-0000-4000-8000-000000000000", START_TIMEOUT, log=log):
            yield PrismServer(url, log)
