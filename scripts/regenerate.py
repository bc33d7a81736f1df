"""Regenerate the Python client from the OpenAPI document, or check that generated/ is in sync with it.

    scripts/regenerate            regenerate generated/symbl-async-audio-client and report API changes for users
    scripts/regenerate --check    regenerate into a temporary directory and compare; exit 1 when out of sync

The pipeline: openapi-python-client (pinned, from the locked dev group) with generator/config.yaml, --meta uv,
--fail-on-warning and the custom templates of generator/templates; then the hand-written modules of
generator/extras are copied into the package and the config's post-hooks (the pinned ruff, --no-cache) are run
over the whole tree again. Stale files go: the output is built in a fresh directory that replaces the old one.
"""

from __future__ import annotations

import argparse
import difflib
import importlib.metadata
import io
import os
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import griffe
import yaml

from symbl_spec import FINAL_VALUES_KEY, Spec, load_spec

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "openapi" / "symbl-async-audio.yaml"
GENERATOR_DIR = ROOT / "generator"
CONFIG = GENERATOR_DIR / "config.yaml"
TEMPLATES = GENERATOR_DIR / "templates"
EXTRAS = GENERATOR_DIR / "extras"
OUTPUT = ROOT / "generated" / "symbl-async-audio-client"
PACKAGE = "symbl_async_audio_client"

GENERATOR_VERSION = "0.29.1"
RUFF_VERSION = "0.17.6"

# Left in a checked-out tree by tools (imports, type checks, tests); never part of the generated output.
IGNORED_NAMES = frozenset({"__pycache__", ".mypy_cache", ".ruff_cache", ".pytest_cache"})
MAX_DIFF_LINES = 60
_ANSI = re.compile(r"\x1b\[[0-9;]*m")


class RegenerateError(Exception):
    """The generator or a post-hook failed, or a pinned tool has another version."""


def _bin_dir() -> Path:
    return Path(sys.executable).parent


def _tool_env() -> dict[str, str]:
    """The environment for the generator and its post-hooks: the project's own tools first on PATH."""
    env = dict(os.environ)
    env["PATH"] = f"{_bin_dir()}{os.pathsep}{env.get('PATH', '')}"
    return env


def check_tool_versions() -> None:
    """Refuse to run with another generator or ruff than the pinned ones (they would change the output)."""
    generator = importlib.metadata.version("openapi-python-client")
    if generator != GENERATOR_VERSION:
        raise RegenerateError(f"openapi-python-client {generator} is installed; {GENERATOR_VERSION} is pinned")
    ruff = subprocess.run(  # noqa: S603 (the project's own ruff)
        [_bin_dir() / "ruff", "--version"], env=_tool_env(), capture_output=True, text=True, check=True
    ).stdout.split()
    if ruff[-1] != RUFF_VERSION:
        raise RegenerateError(f"ruff {ruff[-1]} is on PATH; {RUFF_VERSION} is pinned")


def _run(cmd: Sequence[str | Path] | str, cwd: Path, what: str) -> None:
    # The commands are this script's own and generator/config.yaml's post-hooks (shell strings by design).
    done = subprocess.run(  # noqa: S603
        cmd, cwd=cwd, env=_tool_env(), capture_output=True, text=True, check=False, shell=isinstance(cmd, str)
    )
    if done.returncode != 0:
        raise RegenerateError(f"{what} failed (exit {done.returncode}):\n{done.stdout}{done.stderr}")


def post_hooks() -> list[str]:
    config = yaml.safe_load(CONFIG.read_text(encoding="utf-8"))
    hooks = config.get("post_hooks") or []
    if not all(isinstance(hook, str) for hook in hooks):
        raise RegenerateError(f"{CONFIG}: post_hooks must be a list of strings")
    return list(hooks)


def generate(dest: Path, spec: Path = SPEC) -> None:
    """Generate the client project into ``dest``, which must not exist yet."""
    if dest.exists():
        raise RegenerateError(f"{dest} exists")
    _run(
        [
            _bin_dir() / "openapi-python-client",
            "generate",
            "--path",
            spec.resolve(),
            "--config",
            CONFIG,
            "--meta",
            "uv",
            "--fail-on-warning",
            "--custom-template-path",
            TEMPLATES,
            "--output-path",
            dest.resolve(),
        ],
        cwd=ROOT,
        what="openapi-python-client",
    )
    for module in sorted(EXTRAS.glob("*.py")):
        shutil.copyfile(module, dest / PACKAGE / module.name)
    write_lifecycle_module(dest / PACKAGE, spec)
    # The generator ran the hooks before the hand-written modules were there: run them over the whole tree.
    for hook in post_hooks():
        _run(hook, cwd=dest, what=f"post-hook {hook!r}")
    leaked = [path for path in dest.rglob("*") if path.name in IGNORED_NAMES]
    if leaked:
        raise RegenerateError(f"cache directories leaked into the output: {leaked}")


LIFECYCLE_MODULE = "lifecycle.py"


def write_lifecycle_module(package: Path, spec_file: Path) -> None:
    """The final values of each status enum the document marks (``x-final-values``), as a module of the package.

    The generator's templates see an enum's values but not its vendor extensions; this carries the mark over, so
    that ``wait_for_job`` stops at the statuses the document calls final and nowhere else states them.
    """
    spec = Spec(load_spec(spec_file.resolve()))
    schemas = spec.document.get("components", {}).get("schemas", {})
    marked = sorted(name for name, schema in schemas.items() if FINAL_VALUES_KEY in schema)
    if not marked:
        raise RegenerateError(f"no component schema lists {FINAL_VALUES_KEY}: wait_for_job cannot know when to stop")
    lines = [
        f'"""Final values of the status enums (``{FINAL_VALUES_KEY}``). Written by scripts/regenerate."""',
        "",
    ]
    names = []
    for name in marked:
        module = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", name).lower()
        if not (package / "models" / f"{module}.py").is_file():
            raise RegenerateError(f"{name} lists {FINAL_VALUES_KEY} but the generator made no models/{module}.py")
        final = sorted(spec.lifecycle(spec.schema_pointer(name)).final)
        constant = f"{module.upper()}_FINAL"
        names.append(constant)
        lines.append(f"from .models.{module} import {name}")
        lines.append("")
        lines.append(f"#: The values of {name} a lifecycle never leaves.")
        lines.append(f"{constant} = frozenset({{{', '.join(f'{name}({value!r})' for value in final)}}})")
    lines += ["", f"__all__ = {names!r}", ""]
    (package / LIFECYCLE_MODULE).write_text("\n".join(lines), encoding="utf-8")


def _files(tree: Path) -> dict[str, bytes]:
    files: dict[str, bytes] = {}
    for path in sorted(tree.rglob("*")):
        relative = path.relative_to(tree)
        if any(part in IGNORED_NAMES for part in relative.parts) or path.suffix == ".pyc" or not path.is_file():
            continue
        files[relative.as_posix()] = path.read_bytes()
    return files


@dataclass
class TreeDiff:
    differing: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)  # in the fresh generation, not in the committed tree
    extra: list[str] = field(default_factory=list)  # in the committed tree, not in the fresh generation
    diff_lines: list[str] = field(default_factory=list)

    @property
    def in_sync(self) -> bool:
        return not (self.differing or self.missing or self.extra)


def compare_trees(committed: Path, fresh: Path) -> TreeDiff:
    """Compare a committed tree with a fresh generation, file by file and byte for byte."""
    old, new = _files(committed) if committed.is_dir() else {}, _files(fresh)
    result = TreeDiff(
        differing=[name for name in sorted(old.keys() & new.keys()) if old[name] != new[name]],
        missing=sorted(new.keys() - old.keys()),
        extra=sorted(old.keys() - new.keys()),
    )
    for name in result.differing:
        result.diff_lines.extend(
            difflib.unified_diff(
                old[name].decode(errors="replace").splitlines(),
                new[name].decode(errors="replace").splitlines(),
                fromfile=f"committed/{name}",
                tofile=f"regenerated/{name}",
                lineterm="",
            )
        )
    return result


def _shown(path: Path) -> Path:
    """``path`` relative to the repository when it is inside it."""
    return path.relative_to(ROOT) if path.is_relative_to(ROOT) else path


def format_tree_diff(diff: TreeDiff, committed: Path) -> str:
    shown = _shown(committed)
    lines = [f"{shown} is out of date with the OpenAPI document and the generator config:"]
    lines += [f"  differs:  {name}" for name in diff.differing]
    lines += [f"  missing:  {name}  (generated, not in {shown})" for name in diff.missing]
    lines += [f"  extra:    {name}  (in {shown}, not generated)" for name in diff.extra]
    if diff.diff_lines:
        lines.append("")
        lines += diff.diff_lines[:MAX_DIFF_LINES]
        if len(diff.diff_lines) > MAX_DIFF_LINES:
            lines.append(f"... ({len(diff.diff_lines) - MAX_DIFF_LINES} more diff lines)")
    lines += ["", "Run scripts/regenerate and commit the result."]
    return "\n".join(lines)


# --- API-change report -------------------------------------------------------------------------------------------


@dataclass
class ApiReport:
    breaking: list[str] = field(default_factory=list)
    breaking_now: list[str] = field(default_factory=list)  # the new signatures of the objects in `breaking`
    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    first: bool = False  # no previous version to compare with: everything is in `added`

    @property
    def empty(self) -> bool:
        return not (self.breaking or self.added or self.changed)

    def render(self) -> str:
        if self.first:
            return f"API of symbl_async_audio_client: no previous version to compare with ({len(self.added)} objects)."
        if self.empty:
            return "API of symbl_async_audio_client: no change for users."
        lines = ["API changes of symbl_async_audio_client for users of the client:"]
        if self.breaking:
            lines.append(f"  BREAKING ({len(self.breaking)}):")
            lines += [f"    ! {line}" for line in self.breaking]
            if self.breaking_now:
                lines.append("  their signatures now:")
                lines += [f"    = {line}" for line in self.breaking_now]
        if self.changed:
            lines.append(f"  changed, compatible ({len(self.changed)}):")
            lines += [f"    ~ {line}" for line in self.changed]
        if self.added:
            lines.append(f"  added ({len(self.added)}):")
            lines += [f"    + {line}" for line in self.added]
        return "\n".join(lines)


def _public_members(obj: griffe.Object | griffe.Alias) -> Iterator[griffe.Object | griffe.Alias]:
    """The public API objects under ``obj`` (modules, classes, functions, attributes), depth first."""
    for member in obj.members.values():
        if member.is_alias or not member.is_public:
            continue
        yield member
        if member.is_module or member.is_class:
            yield from _public_members(member)


def _signature(obj: griffe.Object | griffe.Alias) -> str:
    """A one-line rendering of what users of ``obj`` depend on: parameters and return type, or attribute type."""
    if isinstance(obj, griffe.Function):
        params = ", ".join(
            param.name
            + (f": {param.annotation}" if param.annotation is not None else "")
            + (f" = {param.default}" if param.default is not None else "")
            for param in obj.parameters
            if param.name != "self"
        )
        return f"({params})" + (f" -> {obj.returns}" if obj.returns is not None else "")
    if isinstance(obj, griffe.Attribute):
        return f": {obj.annotation}" if obj.annotation is not None else ""
    return ""


def api_report(old: griffe.Object | griffe.Alias | None, new: griffe.Object | griffe.Alias) -> ApiReport:
    """What changed in the public API between two loaded versions of the package.

    Breaking changes are griffe's (``griffe.find_breaking_changes``); additions and compatible changes come from
    comparing griffe's public objects and their signatures.
    """
    report = ApiReport()
    if old is None:
        report.added = [member.path for member in _public_members(new)]
        report.first = True
        return report
    breakages = list(griffe.find_breaking_changes(old, new))
    report.breaking = [
        f"{breakage.obj.path}: "
        + _ANSI.sub("", breakage.explain(style=griffe.ExplanationStyle.ONE_LINE)).split(": ", 1)[1]
        for breakage in breakages
    ]
    broken = {breakage.obj.path for breakage in breakages}
    old_members = {member.path: member for member in _public_members(old)}
    new_members = {member.path: member for member in _public_members(new)}
    report.added = [f"{path}{_signature(member)}" for path, member in new_members.items() if path not in old_members]
    for path in sorted(old_members.keys() & new_members.keys()):
        before, after = _signature(old_members[path]), _signature(new_members[path])
        if before == after:
            continue
        if path in broken:  # what replaces the broken signature (a renamed parameter shows its new name here)
            report.breaking_now.append(f"{path}{after}")
        else:
            report.changed.append(f"{path}: {before} -> {after}")
    return report


def load_package(project_dir: Path) -> griffe.Object | griffe.Alias:
    return griffe.load(PACKAGE, search_paths=[project_dir], try_relative_path=False, resolve_aliases=False)


def load_package_at_ref(ref: str, project_dir: Path = OUTPUT) -> griffe.Object | griffe.Alias | None:
    """The package as committed at ``ref``, or None when it is not there.

    The files come from ``git archive`` (read-only) into a temporary directory. griffe's own ``load_git`` would
    add a temporary branch and worktree to the repository, which a script run inside someone's checkout should not.
    """
    git = shutil.which("git")
    package = f"{project_dir.relative_to(ROOT).as_posix()}/{PACKAGE}"
    if git is None:
        print(f"(no API report: git is not on PATH to read {PACKAGE} at {ref})", file=sys.stderr)
        return None
    archive = subprocess.run(  # noqa: S603 (git, on this repository)
        [git, "-C", str(ROOT), "archive", "--format=tar", ref, "--", package], capture_output=True, check=False
    )
    if archive.returncode != 0:
        reason = archive.stderr.decode(errors="replace").strip()
        print(f"(no API report: cannot read {package} at {ref}: {reason})", file=sys.stderr)
        return None
    with tempfile.TemporaryDirectory(prefix="regenerate-api-") as tmp:
        with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
            tar.extractall(tmp, filter="data")
        return load_package(Path(tmp) / project_dir.relative_to(ROOT))


# --- Entry point --------------------------------------------------------------------------------------------------


def _parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="scripts/regenerate", description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="only compare a fresh generation with the output")
    parser.add_argument("--spec", type=Path, default=SPEC, help="the OpenAPI document (default: %(default)s)")
    parser.add_argument("--output", type=Path, default=OUTPUT, help="the project directory (default: %(default)s)")
    parser.add_argument("--against", default="HEAD", help="git ref the API report compares with (default: HEAD)")
    parser.add_argument("--no-report", action="store_true", help="skip the API-change report")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = _parse_args(argv)
    output: Path = args.output.resolve()
    try:
        check_tool_versions()
        if args.check:
            with tempfile.TemporaryDirectory(prefix="regenerate-check-") as tmp:
                fresh = Path(tmp) / output.name
                generate(fresh, args.spec)
                diff = compare_trees(output, fresh)
            if not diff.in_sync:
                print(format_tree_diff(diff, output), file=sys.stderr)
                return 1
            print(f"{_shown(output)} is in sync.")
            return 0
        output.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=".regenerate-", dir=output.parent))
        try:
            fresh = staging / output.name
            generate(fresh, args.spec)
            report = None
            if not args.no_report and output.is_relative_to(ROOT):
                old = load_package_at_ref(args.against, output)
                report = api_report(old, load_package(fresh))
            if output.exists():
                shutil.rmtree(output)
            fresh.rename(output)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
        print(f"Regenerated {output}.")
        if report is not None:
            print(report.render())
        return 0
    except RegenerateError as error:
        print(f"scripts/regenerate: {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
