"""Benchmark: the default ``symbl-conformance`` run against bare ``schemathesis run`` (the ceiling).

1. ``symbl-conformance --seed S`` as a child process — the default run: embedded mock, all checks, all
   phases, max-examples 25, then the semantic checks. Measured: its wall time, and its schemathesis
   cases per second (cases / seconds of its schemathesis part, read from its ``--report-json``).
   Its cases are counted as schemathesis counts them (the document's operations; not the one-request
   probes of undocumented methods, which both runs send).
2. A mock started with the embedded mock's exact settings (``symbl_conformance.embedded``), and
   ``schemathesis run`` on the same document with the configuration ``symbl-conformance`` uses, written
   to a ``schemathesis.toml`` (``symbl_conformance.runner.schemathesis_config``: same checks, phases,
   max-examples, seed, workers, timeout, no example database; the same token, as a static one, where the
   run sends it through its credentials provider). Measured: the cases it generated and its running time,
   from its JSON report.

Prints both, and the overhead ratio: our schemathesis cases/s over bare schemathesis' cases/s. Targets
(2-core machine): the default run completes in <= 60 s, at >= 80 % of bare schemathesis' cases/s.
``--rounds N`` alternates the two N times and reports medians. Exit 1 when a target is missed.

    scripts/bench_conformance [--rounds 1] [--seed 1]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from symbl_conformance.embedded import embedded_config
from symbl_conformance.options import DEFAULTS
from symbl_conformance.runner import RunnerSettings, schemathesis_config, static_auth_config
from symbl_conformance.target import embedded_mock
from symbl_spec import spec_path

MAX_WALL_SECONDS = 60.0
MIN_RATIO = 0.80


@dataclass(frozen=True, slots=True)
class Measure:
    cases: int
    seconds: float
    """Seconds of schemathesis' own run (its generation, requests and checks)."""
    wall: float
    """Wall time of the whole command, process start to exit."""
    cpu: float = 0.0
    """CPU seconds (user + system) of the command and of the mock it ran against."""

    @property
    def rate(self) -> float:
        return self.cases / self.seconds if self.seconds > 0 else 0.0


def _environment() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SYMBL_", "TEST_API_"))}
    env["NO_COLOR"] = "1"
    return env


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_conformance(seed: int, workdir: Path) -> tuple[Measure, float]:
    report_path = workdir / "conformance.json"
    command = [str(Path(sys.executable).with_name("symbl-conformance")), "--seed", str(seed), "--quiet"]
    command += ["--report-json", str(report_path)]
    cpu = _children_cpu()
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, env=_environment(), check=False)  # noqa: S603
    wall = time.perf_counter() - started
    cpu = _children_cpu() - cpu
    if done.returncode != 0 or not report_path.is_file():
        sys.exit(f"symbl-conformance failed (exit {done.returncode}):\n{done.stdout[-3000:]}{done.stderr[-2000:]}")
    report = json.loads(report_path.read_text())
    timings = report["timings"]
    # Counted as schemathesis counts "generated" cases: the cases of the document's operations. The one-request
    # probes of undocumented methods (``DELETE /v1/job/{jobId}``, …) are in our report but not in its count.
    cases = sum(row["cases"] for row in report["cases"]["operations"] if " (" in row["operation"])
    return Measure(cases, float(timings["schemathesis_seconds"]), wall, cpu), float(timings["semantic_seconds"])


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value)  # a JSON string is a valid TOML basic string
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(item) for item in value) + "]"
    raise TypeError(f"no TOML form for {value!r}")


def to_toml(document: dict[str, Any], prefix: str = "") -> str:
    """The little TOML the schemathesis configuration needs: scalars, lists of scalars and nested tables."""
    lines = [
        f"{json.dumps(key)} = {_toml_value(value)}" for key, value in document.items() if not isinstance(value, dict)
    ]
    for key, value in document.items():
        if isinstance(value, dict):
            name = f"{prefix}.{json.dumps(key)}" if prefix else json.dumps(key)
            lines.append(f"\n[{name}]")
            lines.append(to_toml(value, name))
    return "\n".join(lines)


def run_bare_schemathesis(seed: int, workdir: Path) -> Measure:
    cpu = _children_cpu()
    token = secrets.token_urlsafe(24)
    with embedded_mock(embedded_config(token)) as url:  # the embedded mock of a symbl-conformance run
        settings = RunnerSettings.from_options(DEFAULTS, url, None, seed)
        config = workdir / "schemathesis.toml"
        config.write_text(to_toml({**schemathesis_config(settings), **static_auth_config(token)}) + "\n")
        report = workdir / "report.json"
        command = [
            *(sys.executable, "-m", "schemathesis.cli", "--config-file", str(config), "run", str(spec_path())),
            *("--no-color", "--report", "json", "--report-json-path", str(report)),
        ]
        started = time.perf_counter()
        done = subprocess.run(command, capture_output=True, text=True, env=_environment(), check=False)  # noqa: S603
        wall = time.perf_counter() - started
    cpu = _children_cpu() - cpu
    if not report.is_file():
        sys.exit(f"schemathesis wrote no report (exit {done.returncode}):\n{done.stdout[-3000:]}{done.stderr[-2000:]}")
    result = json.loads(report.read_text())
    if done.returncode != 0:
        print(f"note: bare schemathesis exited {done.returncode}: {result.get('failures')}", file=sys.stderr)
    return Measure(int(result["test_cases"]["generated"]), float(result["running_time"]), wall, cpu)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--rounds", type=int, default=1, help="alternate the two runs N times (default 1)")
    parser.add_argument("--seed", type=int, default=1, help="seed of both runs (default 1)")
    args = parser.parse_args(argv)
    ours: list[Measure] = []
    bare: list[Measure] = []
    semantic: list[float] = []
    with tempfile.TemporaryDirectory(prefix="bench-conformance-") as tmp:
        for round_ in range(args.rounds):
            order = ("ours", "bare") if round_ % 2 == 0 else ("bare", "ours")
            for which in order:
                if which == "ours":
                    measure, seconds = run_conformance(args.seed, Path(tmp))
                    ours.append(measure)
                    semantic.append(seconds)
                else:
                    bare.append(run_bare_schemathesis(args.seed, Path(tmp)))
                last = ours[-1] if which == "ours" else bare[-1]
                print(
                    f"  round {round_ + 1} {which:<4}: {last.cases} cases, schemathesis {last.seconds:.1f}s "
                    f"({last.rate:.1f} cases/s), wall {last.wall:.1f}s, CPU {last.cpu:.1f}s",
                    flush=True,
                )

    def median(values: list[float]) -> float:
        return statistics.median(values)

    our_rate = median([m.rate for m in ours])
    bare_rate = median([m.rate for m in bare])
    our_wall = median([m.wall for m in ours])
    bare_wall = median([m.wall for m in bare])
    # The median of the rounds' ratios: a change of the machine's load between rounds hits both sides of a ratio.
    ratio = median([o.rate / b.rate for o, b in zip(ours, bare, strict=True) if b.rate > 0])
    wall_ratio = median([(o.cases / o.wall) / (b.cases / b.wall) for o, b in zip(ours, bare, strict=True)])
    cpu_ratio = median(
        [(o.cases / o.cpu) / (b.cases / b.cpu) for o, b in zip(ours, bare, strict=True) if o.cpu and b.cpu]
    )
    print()
    print(f"symbl-conformance (default run, seed {args.seed}, {os.cpu_count()} CPUs, {args.rounds} round(s), medians)")
    print(f"  wall time          {our_wall:6.1f} s   (target <= {MAX_WALL_SECONDS:.0f} s)")
    print(
        f"  schemathesis part  {median([m.seconds for m in ours]):6.1f} s   {median([m.cases for m in ours]):.0f} cases"
    )
    print(f"  cases/s            {our_rate:6.1f}")
    print(f"  semantic checks    {median(semantic):6.1f} s")
    print("bare schemathesis run (same document, configuration and mock settings)")
    print(f"  wall time          {bare_wall:6.1f} s")
    print(
        f"  running time       {median([m.seconds for m in bare]):6.1f} s   {median([m.cases for m in bare]):.0f} cases"
    )
    print(f"  cases/s            {bare_rate:6.1f}")
    print(f"overhead ratio (our cases/s / bare cases/s, median of rounds): {ratio:.2f}   (target >= {MIN_RATIO:.2f})")
    print(f"  end to end (cases / wall time, ours vs bare, semantic checks included): {wall_ratio:.2f}")
    best = max(m.rate for m in ours) / max(m.rate for m in bare)
    print(f"  best round of each (the least disturbed by other load): {best:.2f}")
    print(f"  per CPU second (cases / CPU s of command + mock, ours vs bare): {cpu_ratio:.2f}")
    print(f"  CPU seconds: ours {median([m.cpu for m in ours]):.1f}, bare {median([m.cpu for m in bare]):.1f}")
    ok = our_wall <= MAX_WALL_SECONDS and ratio >= MIN_RATIO
    print("targets met" if ok else "TARGET MISSED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
