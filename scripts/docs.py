"""Regenerate the generated blocks of the documentation, or check that they are in step with the code.

    scripts/docs            rewrite every generated block in README.md and docs/*.md
    scripts/docs --check    exit 1, naming the blocks, when a block differs from what the code says

A block is the text between ``<!-- generated: NAME -->`` and ``<!-- end generated: NAME -->``. Tables that repeat
what the code defines (command-line options, faults) live in such blocks, so that they cannot drift from it.
"""

from __future__ import annotations

import argparse
import ast
import itertools
import json
import re
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
_BLOCK = re.compile(
    r"(?P<open><!-- generated: (?P<name>[a-z0-9-]+) -->\n)(?P<body>.*?)(?P<close><!-- end generated: (?P=name) -->)",
    re.DOTALL,
)


def _cell(text: str) -> str:
    """Docstring text as one Markdown table cell (reST ````literals```` become Markdown ones)."""
    return text.replace("``", "`").replace("|", "\\|").replace("\n", " ")


_HELP_DEFAULT = re.compile(r"^(?P<meaning>.*?)\s*\(default:? (?P<default>[^()]*)\)$", re.DOTALL)


def options_table(parser: argparse.ArgumentParser) -> str:
    """A Markdown table of a parser's options: option, default, meaning (from the parser itself).

    A help text that ends with ``(default: …)`` gives the default as it says it (an environment variable, "a free
    one"); otherwise the default is the option's own value (``off`` for a flag, ``—`` for none).
    """
    rows = ["| option | default | meaning |", "| --- | --- | --- |"]
    for action in parser._actions:
        if not action.option_strings or isinstance(action, argparse._HelpAction):
            continue
        names = ", ".join(f"`{name}`" for name in action.option_strings)
        if action.nargs != 0:
            metavar = action.metavar or action.dest.upper()
            names = ", ".join(f"`{name} {metavar}`" for name in action.option_strings)
        if isinstance(action, argparse._AppendAction):
            names += " (repeatable)"
        text = (action.help or "") % {"default": action.default, "prog": parser.prog}
        if action.choices:
            text = f"{text} (one of {', '.join(map(str, action.choices))})".strip()
        found = _HELP_DEFAULT.match(text)
        if found is not None:
            text, default = found["meaning"], found["default"]
        elif action.nargs == 0:
            default = "off"
        elif action.default in (None, [], ()):
            default = "—"
        else:
            default = f"`{action.default}`"
        rows.append(f"| {names} | {_cell(default)} | {_cell(text)} |")
    return "\n".join(rows) + "\n"


def attribute_docs(path: Path, class_name: str) -> dict[str, str]:
    """The docstrings written under the attributes of a class (``NAME = value`` then a string literal)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: dict[str, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.ClassDef) and node.name == class_name:
            body = node.body
            for first, second in itertools.pairwise(body):
                if (
                    isinstance(first, ast.Assign | ast.AnnAssign)
                    and isinstance(second, ast.Expr)
                    and isinstance(second.value, ast.Constant)
                    and isinstance(second.value.value, str)
                ):
                    target = first.targets[0] if isinstance(first, ast.Assign) else first.target
                    if isinstance(target, ast.Name):
                        found[target.id] = " ".join(second.value.value.split())
    return found


def mock_options() -> str:
    from symbl_mock.cli import build_parser

    return options_table(build_parser())


def conformance_options() -> str:
    from symbl_conformance.cli import build_parser

    return options_table(build_parser())


def conformance_checks() -> str:
    from symbl_conformance.checks import CHECKS, Need

    rows = ["| check | needs | what a pass proves |", "| --- | --- | --- |"]
    for check in CHECKS:
        needs = ", ".join(need.value for need in Need if need in check.needs) or "—"
        rows.append(f"| `{check.name}` | {needs} | {_cell(check.proves)} |")
    return "\n".join(rows) + "\n"


def prism_findings() -> str:
    table = json.loads((ROOT / "contract_tests" / "server" / "prism_findings.json").read_text(encoding="utf-8"))
    rows = ["| finding | class | modes | required | what Prism does |", "| --- | --- | --- | --- | --- |"]
    for row in table["rows"]:
        required = "yes" if row.get("required", True) else "no"
        rows.append(
            f"| `{row['id']}` | {row['class']} | {', '.join(row['modes'])} | {required} | {_cell(row['what'])} |"
        )
    return "\n".join(rows) + "\n"


def faults() -> str:
    import symbl_mock.faults
    from symbl_mock.faults import Fault

    docs = attribute_docs(Path(symbl_mock.faults.__file__), "Fault")
    rows = ["| fault | effect |", "| --- | --- |"]
    rows += [f"| `{fault.value}` | {_cell(docs.get(fault.name, ''))} |" for fault in Fault]
    return "\n".join(rows) + "\n"


BLOCKS: dict[str, Callable[[], str]] = {
    "symbl-mock-options": mock_options,
    "faults": faults,
    "symbl-conformance-options": conformance_options,
    "conformance-checks": conformance_checks,
    "prism-findings": prism_findings,
}


def documents() -> list[Path]:
    return [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]


def render(text: str, where: str) -> tuple[str, list[str]]:
    """``text`` with every generated block rewritten, and the names of the blocks that changed."""
    changed: list[str] = []

    def replace(match: re.Match[str]) -> str:
        name = match.group("name")
        if name not in BLOCKS:
            raise SystemExit(f"scripts/docs: {where}: unknown generated block {name!r} (known: {', '.join(BLOCKS)})")
        body = BLOCKS[name]()
        if body != match.group("body"):
            changed.append(f"{where}: {name}")
        return match.group("open") + body + match.group("close")

    return _BLOCK.sub(replace, text), changed


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="scripts/docs", description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only report blocks that are out of step")
    args = parser.parse_args(argv)
    stale: list[str] = []
    for path in documents():
        text = path.read_text(encoding="utf-8")
        new, changed = render(text, str(path.relative_to(ROOT)))
        stale += changed
        if changed and not args.check:
            path.write_text(new, encoding="utf-8")
    if args.check and stale:
        print("generated documentation blocks out of step with the code (run scripts/docs):", file=sys.stderr)
        print("\n".join(f"  {item}" for item in stale), file=sys.stderr)
        return 1
    print("documentation blocks in step." if args.check else f"{len(stale)} block(s) rewritten.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
