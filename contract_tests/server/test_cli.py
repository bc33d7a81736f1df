"""The other promises of ``symbl-conformance``, checked on the real console script (a child process).

JUnit XML, the modes and the line that announces them, safe mode creating nothing (seen through the
mock's introspection), exit code 2 with one line for usage errors, a reproducing ``curl`` per failure.
These test the command, so they always run against local mocks, whatever ``TEST_API_BASE_URL`` says.
"""

from __future__ import annotations

import json
import os
import shlex
import signal
import socket
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import httpx
import pytest

from contract_tests.server._cli import COMMAND, TOKEN, CliRun, environment, fault_mock, run_cli
from scripts.bench_mock import free_port
from symbl_conformance import cli
from symbl_conformance.checks import CHECK_NAMES
from symbl_conformance.safety import Mode, decide_mode
from symbl_mock.faults import Fault

QUICK = ("--seed", "1", "--max-examples", "3", "--phases", "examples")
"""A short run: the examples phase only (every operation's documented examples), then the semantic checks."""


def _mode_line(run: CliRun) -> str:
    head = run.stdout.splitlines()[:3]
    lines = [line for line in head if line.startswith("Mode: ")]
    assert lines, f"no Mode line at the top of the output\n{run.explain()}"
    return lines[0]


def _conversations(url: str) -> list[object]:
    document = httpx.get(f"{url}/__mock__/conversations", timeout=10).json()
    assert isinstance(document, dict)
    found = document["conversations"]
    assert isinstance(found, list)
    return found


# -- modes ------------------------------------------------------------------------------------------


def test_embedded_mode_runs_everything_and_says_so() -> None:
    run = run_cli([*QUICK])
    assert run.returncode == 0, run.explain()
    assert _mode_line(run).startswith("Mode: EMBEDDED"), run.explain()
    verdicts = run.verdicts
    # Embedded mode runs all of them: the 429 one against a small mock, the isolation one with a second account.
    for check in CHECK_NAMES:
        assert verdicts.get(check) == "passed", f"{check}: {verdicts.get(check)}\n{run.explain()}"
    assert "phase examples" in run.stdout  # progress lines while it runs
    assert "RESULT: PASSED" in run.stdout


def test_loopback_url_is_full_mode_and_creates_jobs() -> None:
    with fault_mock() as url:
        run = run_cli(["--base-url", url, "--token", TOKEN, *QUICK, "--quiet"])
        conversations = _conversations(url)
    assert run.returncode == 0, run.explain()
    assert _mode_line(run).startswith("Mode: FULL"), run.explain()
    assert run.verdicts["concurrency_limit_429"] == "skipped"  # only with --allow-side-effects
    assert conversations, "a full run creates jobs"


def test_safe_mode_creates_no_job() -> None:
    """``--safe`` on loopback: the mock's introspection shows no conversation (hence no job) after the run."""
    with fault_mock() as url:
        assert _conversations(url) == []
        run = run_cli(["--base-url", url, "--token", TOKEN, "--safe", "--seed", "1", "--max-examples", "10"])
        conversations = _conversations(url)
        webhooks = httpx.get(f"{url}/__mock__/webhooks", timeout=10).json()
    assert run.returncode == 0, run.explain()
    assert _mode_line(run).startswith("Mode: SAFE"), run.explain()
    assert conversations == [], f"safe mode created {len(conversations)} conversations\n{run.explain()}"
    assert webhooks["deliveries"] == []
    verdicts = run.verdicts
    assert verdicts["unknown_job_404"] == "passed"
    for check in set(CHECK_NAMES) - {"unknown_job_404"}:
        assert verdicts[check] == "skipped", run.explain()
    assert "without valid credentials" in run.stdout  # how the job-creating operations were sent


def _in_etc_hosts_as_127_0_0_1(host: str) -> bool:
    try:
        lines = Path("/etc/hosts").read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return False
    entries = (line.split("#", 1)[0].split() for line in lines)
    return any(fields[0] == "127.0.0.1" and host in fields[1:] for fields in entries if fields)


def test_non_loopback_url_without_allow_side_effects_is_safe() -> None:
    """A URL whose host is not literally loopback is treated as a remote, billed API: safe mode."""
    host = socket.gethostname()
    # Read /etc/hosts rather than ask the resolver: a name missing from it would be looked up in DNS.
    if not _in_etc_hosts_as_127_0_0_1(host):
        pytest.skip(f"this machine's name {host!r} is not 127.0.0.1 in /etc/hosts")
    with fault_mock() as url:
        remote_looking = url.replace("127.0.0.1", host)
        run = run_cli(["--base-url", remote_looking, "--token", TOKEN, "--seed", "1", "--max-examples", "5"])
        conversations = _conversations(url)
    assert run.returncode == 0, run.explain()
    assert _mode_line(run).startswith("Mode: SAFE"), run.explain()
    assert conversations == [], run.explain()


@pytest.mark.parametrize(
    ("url", "allow", "safe", "mode"),
    [
        (None, False, False, Mode.EMBEDDED),
        ("http://127.0.0.1:8080", False, False, Mode.FULL),
        ("http://localhost:8080", False, False, Mode.FULL),
        ("http://[::1]:8080", False, False, Mode.FULL),
        ("http://127.0.0.1:8080", False, True, Mode.SAFE),
        ("https://api.symbl.ai", False, False, Mode.SAFE),
        ("https://api.symbl.ai", True, False, Mode.FULL),
        ("https://api.symbl.ai", True, True, Mode.SAFE),
    ],
)
def test_mode_decision(url: str | None, allow: bool, safe: bool, mode: Mode) -> None:
    assert decide_mode(url, allow_side_effects=allow, force_safe=safe).mode is mode


def test_allow_side_effects_runs_the_429_check() -> None:
    """On a server of its own with a small job limit: the check fills the limit and validates the 429."""
    with fault_mock(concurrency_limit=6, job_duration=1.0) as url:
        run = run_cli(["--base-url", url, "--token", TOKEN, "--allow-side-effects", *QUICK, "--quiet"])
    assert run.returncode == 0, run.explain()
    assert _mode_line(run).startswith("Mode: FULL — --allow-side-effects"), run.explain()
    verdicts = run.verdicts
    assert verdicts["concurrency_limit_429"] == "passed", run.explain()
    assert run.check("concurrency_limit_429")["detail"].startswith("429 after"), run.explain()
    # The examples phase left jobs running, up to the limit: the checks that follow jobs waited for room (429).
    assert verdicts["job_lifecycle"] == "passed", run.explain()


# -- reports ----------------------------------------------------------------------------------------


def test_junit_xml_is_written_with_the_failures(tmp_path: Path) -> None:
    report = tmp_path / "reports" / "conformance.xml"
    with fault_mock(Fault.CREATED_200.value) as url:
        run = run_cli(["--base-url", url, "--token", TOKEN, *QUICK, "--quiet", "--junit-xml", str(report)])
    assert run.returncode == 1, run.explain()
    assert f"JUnit XML report written to {report}" in run.stdout
    root = ET.parse(report).getroot()  # noqa: S314 - our own report
    assert root.tag == "testsuites"
    suites = {suite.get("name"): suite for suite in root.findall("testsuite")}
    assert set(suites) == {"schemathesis", "run", "semantic"}
    total = failures = 0
    for suite in suites.values():
        cases = suite.findall("testcase")
        assert int(suite.get("tests", "-1")) == len(cases)
        assert int(suite.get("failures", "-1")) == sum(1 for case in cases if case.find("failure") is not None)
        total += len(cases)
        failures += int(suite.get("failures", "0"))
    assert int(root.get("tests", "-1")) == total
    assert int(root.get("failures", "-1")) == failures >= 1
    failed = [
        case for case in suites["schemathesis"].findall("testcase") if case.get("name") == "status_code_conformance"
    ]
    failing = [case for case in failed if case.find("failure") is not None]
    assert failing, "the failing check is recorded as a failed test case"
    failure = failing[0].find("failure")
    assert failure is not None
    assert "curl" in (failure.text or ""), "the failure carries its reproducing curl"
    semantic = [case.get("name") for case in suites["semantic"].findall("testcase")]
    assert semantic == list(CHECK_NAMES)
    skipped = [case for case in suites["semantic"].findall("testcase") if case.find("skipped") is not None]
    assert [case.get("name") for case in skipped] == ["concurrency_limit_429", "account_isolation"]
    assert [case.get("name") for case in suites["run"].findall("testcase")] == ["credentials_accepted"]


def test_ctrl_c_stops_the_run_and_still_writes_the_reports(tmp_path: Path) -> None:
    """Ctrl-C in the schemathesis phase: the run stops (schemathesis alone would go on with its next phase),
    skips the semantic checks, writes every report with what was seen, and exits 130."""
    junit = tmp_path / "junit.xml"

    def interrupt_at_coverage(line: str, process: subprocess.Popen[str]) -> None:
        # Twice: at "phase coverage …", and again at "phase coverage: … (interrupted)", while the run is finishing;
        # the second Ctrl-C must not cost the reports.
        if "phase coverage" in line:
            process.send_signal(signal.SIGINT)

    run = run_cli(["--seed", "1", "--junit-xml", str(junit)], on_line=interrupt_at_coverage)
    assert run.returncode == 130, run.explain()
    assert run.report is not None, run.explain()
    assert run.report["interrupted"] == "interrupted (Ctrl-C)"
    assert run.report["result"] == "failed"
    assert "phase fuzzing" not in run.stdout, "the engine went on after Ctrl-C"
    assert not [check for check in run.report["checks"] if check["source"] == "semantic"]
    assert junit.is_file()
    assert "stopped early: interrupted (Ctrl-C)" in run.stdout


def test_a_reader_that_goes_away_costs_neither_the_verdict_nor_the_report(tmp_path: Path) -> None:
    """``symbl-conformance | head -1``: once its output has no reader the run goes on, printing nowhere, to its
    exit code and report files (it used to die of BrokenPipeError at its next line, with no report)."""
    report = tmp_path / "report.json"
    process = subprocess.Popen(  # noqa: S603 - our own console script
        [str(COMMAND), *QUICK, "--report-json", str(report)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=environment(),
    )
    assert process.stdout is not None
    assert process.stderr is not None
    try:
        first = process.stdout.readline()
        process.stdout.close()  # what ``head -1`` does once it has its line
        errors = process.stderr.read()
        returncode = process.wait(timeout=120)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert first.startswith("symbl-conformance"), first
    assert (returncode, errors) == (0, "")
    assert json.loads(report.read_text())["result"] == "passed"


def test_failure_shows_a_reproducing_curl() -> None:
    with fault_mock(Fault.APPEND_UNKNOWN_SUCCEEDS.value) as url:
        run = run_cli(["--base-url", url, "--token", TOKEN, *QUICK, "--quiet"])
        assert run.returncode == 1, run.explain()
        block = run.stdout.split("[unknown_conversation_404]", 1)[1]
        curl = block.split("Reproduce with:", 1)[1].strip().splitlines()[0]
        assert curl.startswith("curl -X PUT "), run.explain()
        assert url in curl
        # The curl reproduces the failure: with the token, it gets the wrong 201 again.
        words = shlex.split(curl.replace("$SYMBL_TOKEN", TOKEN))
        body = words[words.index("-d") + 1]
        target = words[-1]
        response = httpx.put(
            target,
            content=body,
            headers={"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/json"},
            timeout=10,
        )
    assert response.status_code == 201


# -- usage errors: exit 2, one line, no traceback ---------------------------------------------------


def _assert_usage_error(run: CliRun, words: str) -> None:
    assert run.returncode == 2, run.explain()
    assert "Traceback" not in run.output, run.explain()
    lines = run.stderr.strip().splitlines()
    assert len(lines) == 1, run.explain()
    assert lines[0].startswith("symbl-conformance: error: "), run.explain()
    assert words in lines[0], run.explain()
    assert "RESULT" not in run.stdout
    assert run.report is None, "no report is written for a usage error"


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--base-url", "ftp://example.com", "--token", "t"], "http(s) URL"),
        (["--base-url", "http://", "--token", "t"], "http(s) URL"),
        (["--base-url", "not a url", "--token", "t"], "http(s) URL"),
        (["--base-url", "http://127.0.0.1:99999", "--token", "t"], "invalid port"),
        (["--max-examples", "0"], "--max-examples"),
        (["--max-examples", "many"], "--max-examples"),
        (["--phases", "examples,nonsense"], "--phases"),
        (["--rate-limit", "fast"], "--rate-limit"),
        (["--webhook-port", "70000"], "--webhook-port"),
        (["--no-such-option"], "unrecognized arguments"),
        (["--app-id", "only-the-id"], "--app-id and --app-secret"),
        (["--base-url", "https://api.symbl.ai"], "needs credentials"),
        (["--junit-xml", "/proc/no/such/report.xml"], "--junit-xml"),
        (["--report-json", "/proc/no/such/report.json"], "--report-json"),
        (["--report-json", "/proc/report.json"], "cannot be written"),  # root may "access" /proc, not write it
        (["--other-token", "t"], "needs --base-url"),
        (["--base-url", "http://127.0.0.1:1", "--token", "t", "--other-app-id", "x"], "--other-app-secret"),
        (["--concurrency-limit", "0"], "--concurrency-limit"),
        (["--max-failures", "none"], "--max-failures"),
    ],
)
def test_usage_errors(
    args: list[str], words: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # In this process, through the console script's own entry point: each variant costs milliseconds, not an
    # interpreter start. test_unreachable_server, test_bad_token and test_usage_error_from_the_console_script
    # run the real console script.
    for name in [name for name in os.environ if name.startswith(("SYMBL_", "TEST_API_"))]:
        monkeypatch.delenv(name)
    report = tmp_path / "report.json"
    try:
        report_args = [] if "--report-json" in args else ["--report-json", str(report)]
        returncode = cli.main([*args, *report_args])
    except SystemExit as exit_:  # argparse's errors
        returncode = int(exit_.code or 0)
    captured = capsys.readouterr()
    run = CliRun(tuple(args), returncode, captured.out, captured.err, 0.0, None if not report.is_file() else {})
    _assert_usage_error(run, words)


def test_usage_error_from_the_console_script() -> None:
    _assert_usage_error(run_cli(["--max-examples", "0"], timeout=60), "--max-examples")


def test_unreachable_server() -> None:
    port = free_port()  # nothing listens there
    run = run_cli(["--base-url", f"http://127.0.0.1:{port}", "--token", "t"], timeout=60)
    _assert_usage_error(run, "cannot reach")


def test_bad_token() -> None:
    with fault_mock() as url:
        run = run_cli(["--base-url", url, "--token", "not-the-token"], timeout=60)
        conversations = _conversations(url)
    _assert_usage_error(run, "bad credentials")
    assert conversations == []


def test_bad_application_credentials() -> None:
    with fault_mock() as url:
        run = run_cli(["--base-url", url, "--app-id", "nobody", "--app-secret", "wrong"], timeout=60)
    _assert_usage_error(run, "bad credentials")
