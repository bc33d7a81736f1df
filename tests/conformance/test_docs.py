"""docs/conformance.md's tables are the code's: the options are ``--help``, the checks are ``CHECKS``, the Prism
table is ``prism_findings.json``. On a difference, the message holds the table to paste."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from symbl_conformance.checks import CHECKS, Need
from symbl_conformance.cli import build_parser

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "conformance.md"
PRISM_TABLE = ROOT / "contract_tests" / "server" / "prism_findings.json"
_DEFAULT = re.compile(r"^(?P<meaning>.*) \(default: (?P<default>[^)]*)\)$", re.DOTALL)


def options_table() -> list[str]:
    rows = ["| option | default | meaning |", "|---|---|---|"]
    for action in build_parser()._actions:
        if not action.option_strings or action.option_strings[0] == "-h":
            continue
        match = _DEFAULT.match(action.help or "")
        assert match is not None, f"{action.option_strings[0]}: its help must end with (default: …)"
        name = action.option_strings[0] + (f" {action.metavar}" if action.metavar else "")
        rows.append(f"| `{name}` | {match['default']} | {match['meaning']} |")
    return rows


def checks_table() -> list[str]:
    rows = ["| check | needs | what a pass proves |", "|---|---|---|"]
    for check in CHECKS:
        needs = ", ".join(need.value for need in Need if need in check.needs) or "—"
        rows.append(f"| `{check.name}` | {needs} | {check.proves} |")
    return rows


def prism_table() -> list[str]:
    rows = ["| finding | class | modes | required | what Prism does |", "|---|---|---|---|---|"]
    for row in json.loads(PRISM_TABLE.read_text())["rows"]:
        required = "yes" if row.get("required", True) else "no"
        rows.append(f"| `{row['id']}` | {row['class']} | {', '.join(row['modes'])} | {required} | {row['what']} |")
    return rows


def documented(name: str) -> list[str]:
    text = DOC.read_text()
    match = re.search(rf"<!-- {name} -->\n(.*?)\n<!-- /{name} -->", text, re.DOTALL)
    assert match is not None, f"docs/conformance.md has no <!-- {name} --> section"
    return match.group(1).splitlines()


@pytest.mark.parametrize(
    ("name", "render"), [("options", options_table), ("checks", checks_table), ("prism", prism_table)]
)
def test_table_is_in_step(name: str, render: object) -> None:
    assert callable(render)
    expected = render()
    assert documented(name) == expected, f"docs/conformance.md <!-- {name} --> should read:\n" + "\n".join(expected)
