"""The regeneration pipeline: golden record, drift check and API-change report (scripts/regenerate)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from scripts import regenerate

ROOT = Path(__file__).resolve().parents[2]


def _spec_without_request_name(tmp_path: Path) -> Path:
    """A copy of the spec whose `AudioUrlRequest` lost its optional `name` field (a breaking change for users)."""
    spec: dict[str, Any] = yaml.safe_load(regenerate.SPEC.read_text(encoding="utf-8"))
    del spec["components"]["schemas"]["AudioUrlRequest"]["properties"]["name"]
    edited = tmp_path / "edited.yaml"
    edited.write_text(yaml.safe_dump(spec, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return edited


@pytest.fixture(scope="module")
def fresh_tree(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tree = tmp_path_factory.mktemp("golden") / regenerate.OUTPUT.name
    regenerate.generate(tree)
    return tree


def test_regeneration_matches_the_committed_tree_byte_for_byte(fresh_tree: Path) -> None:
    diff = regenerate.compare_trees(regenerate.OUTPUT, fresh_tree)
    assert diff.in_sync, regenerate.format_tree_diff(diff, regenerate.OUTPUT)
    names = {path.relative_to(fresh_tree).as_posix() for path in fresh_tree.rglob("*") if path.is_file()}
    # The tree is a vendorable project: metadata, typed package, the hand-written modules copied in.
    for expected in ("pyproject.toml", "README.md", "symbl_async_audio_client/py.typed"):
        assert expected in names
    for module in regenerate.EXTRAS.glob("*.py"):
        assert f"symbl_async_audio_client/{module.name}" in names


def test_no_cache_directory_leaks_into_the_output(fresh_tree: Path) -> None:
    assert not [path for path in fresh_tree.rglob("*") if "cache" in path.name]


def test_generated_package_passes_mypy_strict(fresh_tree: Path, tmp_path: Path) -> None:
    done = subprocess.run(  # noqa: S603 (fixed commands of this repository)
        [
            sys.executable,
            "-m",
            "mypy",
            "--strict",
            "--config-file=",
            "--cache-dir",
            str(tmp_path / "mypy"),
            "symbl_async_audio_client",
        ],
        cwd=fresh_tree,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_generated_package_needs_only_httpx_and_attrs(fresh_tree: Path) -> None:
    import tomllib

    project = tomllib.loads((fresh_tree / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert project["name"] == "symbl-async-audio-client"
    assert sorted(dep.split(">")[0].split("=")[0] for dep in project["dependencies"]) == ["attrs", "httpx"]


def test_compare_trees_names_differing_missing_and_extra_files(tmp_path: Path) -> None:
    committed, fresh = tmp_path / "committed", tmp_path / "fresh"
    for tree in (committed, fresh):
        (tree / "pkg").mkdir(parents=True)
        (tree / "pkg" / "same.py").write_text("x = 1\n")
    (committed / "pkg" / "changed.py").write_text("a = 1\n")
    (fresh / "pkg" / "changed.py").write_text("a = 2\n")
    (fresh / "pkg" / "new.py").write_text("")
    (committed / "pkg" / "stale.py").write_text("")
    (committed / "pkg" / "__pycache__").mkdir()
    (committed / "pkg" / "__pycache__" / "same.cpython-311.pyc").write_bytes(b"\0")
    diff = regenerate.compare_trees(committed, fresh)
    assert (diff.differing, diff.missing, diff.extra) == (["pkg/changed.py"], ["pkg/new.py"], ["pkg/stale.py"])
    text = regenerate.format_tree_diff(diff, committed)
    assert "-a = 1" in text
    assert "+a = 2" in text


def test_check_fails_and_names_the_file_after_a_spec_edit(tmp_path: Path) -> None:
    edited = _spec_without_request_name(tmp_path)
    done = subprocess.run(  # noqa: S603 (fixed commands of this repository)
        [str(ROOT / "scripts" / "regenerate"), "--check", "--spec", str(edited)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 1, done.stdout + done.stderr
    assert "differs:  symbl_async_audio_client/models/audio_url_request.py" in done.stderr
    assert "Run scripts/regenerate" in done.stderr


def test_check_passes_on_the_committed_tree() -> None:
    assert regenerate.main(["--check"]) == 0


def test_api_report_flags_a_removed_model_field_as_breaking(tmp_path: Path, fresh_tree: Path) -> None:
    edited_tree = tmp_path / regenerate.OUTPUT.name
    regenerate.generate(edited_tree, _spec_without_request_name(tmp_path))
    report = regenerate.api_report(regenerate.load_package(fresh_tree), regenerate.load_package(edited_tree))
    assert any("AudioUrlRequest.name" in line for line in report.breaking), report.render()
    assert "BREAKING" in report.render()
    # The reverse direction adds the field back: an addition, nothing breaking.
    reverse = regenerate.api_report(regenerate.load_package(edited_tree), regenerate.load_package(fresh_tree))
    assert not any("AudioUrlRequest.name" in line for line in reverse.breaking), reverse.render()
    assert any("AudioUrlRequest.name" in line for line in reverse.added), reverse.render()


def test_api_report_flags_a_renamed_query_parameter_and_shows_the_new_name(tmp_path: Path, fresh_tree: Path) -> None:
    spec: dict[str, Any] = yaml.safe_load(regenerate.SPEC.read_text(encoding="utf-8"))
    spec["components"]["parameters"]["DiarizationSpeakerCountQuery"]["name"] = "speakerCount"
    edited = tmp_path / "renamed.yaml"
    edited.write_text(yaml.safe_dump(spec, sort_keys=False, allow_unicode=True), encoding="utf-8")
    edited_tree = tmp_path / regenerate.OUTPUT.name
    regenerate.generate(edited_tree, edited)
    report = regenerate.api_report(regenerate.load_package(fresh_tree), regenerate.load_package(edited_tree))
    sync = "symbl_async_audio_client.api.async_audio.append_audio_url.sync"
    assert any(line.startswith(f"{sync}:") and "diarization_speaker_count" in line for line in report.breaking)
    now = report.breaking_now
    assert any(line.startswith(f"{sync}(") and "speaker_count: int | str | Unset" in line for line in now)


@pytest.mark.skipif(not (ROOT / ".git").exists(), reason="not a git checkout")
def test_the_committed_package_loads_from_git_without_touching_the_repository() -> None:
    def git_state() -> list[str]:
        commands = (["branch", "--list"], ["worktree", "list"])
        return [
            subprocess.run(  # noqa: S603 (read-only git commands on this repository)
                ["git", "-C", str(ROOT), *command],  # noqa: S607
                capture_output=True,
                text=True,
                check=True,
            ).stdout
            for command in commands
        ]

    before = git_state()
    committed = regenerate.load_package_at_ref("HEAD")
    assert git_state() == before
    assert committed is not None
    assert "AudioUrlRequest" in committed["models"].members
    assert regenerate.load_package_at_ref("no-such-ref") is None
