"""The documentation's generated tables (options, faults) say what the code says (``scripts/docs --check``)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _docs_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("docs_script", ROOT / "scripts" / "docs.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def test_generated_blocks_are_in_step_with_the_code(capsys: pytest.CaptureFixture[str]) -> None:
    assert _docs_script().main(["--check"]) == 0, capsys.readouterr().err


def test_every_generated_block_is_used_somewhere() -> None:
    docs = _docs_script()
    text = "".join(path.read_text(encoding="utf-8") for path in docs.documents())
    unused = [name for name in docs.BLOCKS if f"<!-- generated: {name} -->" not in text]
    assert not unused, f"blocks no document shows: {unused}"


def test_a_stale_option_table_is_caught(monkeypatch: pytest.MonkeyPatch) -> None:
    docs = _docs_script()
    text = "<!-- generated: faults -->\n| stale |\n<!-- end generated: faults -->"
    rendered, changed = docs.render(text, "x.md")
    assert changed == ["x.md: faults"]
    assert "created_200" in rendered
    assert docs.render(rendered, "x.md")[1] == []
