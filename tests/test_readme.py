"""The README's tour runs as written: its client snippet, against the mock started as the README starts it."""

from __future__ import annotations

import contextlib
import io
import re
import shlex
from pathlib import Path

from symbl_mock import MockConfig, running_mock
from symbl_mock.cli import build_parser, config_from_args

README = Path(__file__).resolve().parent.parent / "README.md"


def _tour() -> tuple[list[str], str]:
    """The ``symbl-mock`` command line and the Python snippet of the tour's second step."""
    text = README.read_text(encoding="utf-8")
    step = text.split("**Run the mock and call it with the generated client.**", 1)[1]
    command = re.search(r"```sh\nuv run (symbl-mock [^\n]*)\n", step)
    snippet = re.search(r"```python\n(.*?)```", step, re.DOTALL)
    assert command is not None
    assert snippet is not None
    return shlex.split(command.group(1))[1:], snippet.group(1)


def test_the_tour_snippet_runs_against_the_mock_as_the_readme_starts_it() -> None:
    argv, snippet = _tour()
    config, _generated = config_from_args(build_parser().parse_args(argv))
    assert isinstance(config, MockConfig)
    port = re.search(r"--port (\d+)", " ".join(argv))
    assert port is not None
    with running_mock(config) as mock:  # the README's options, on a free port instead of its fixed one
        code = snippet.replace(f"http://127.0.0.1:{port.group(1)}", mock.url)
        assert code != snippet, "the snippet calls the mock the README starts"
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            exec(compile(code, str(README), "exec"), {})  # noqa: S102 - the README's own snippet
    assert out.getvalue().strip() == "completed"
