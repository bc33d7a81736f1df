"""The default ``symbl-conformance`` run opens no connection and resolves no name outside loopback.

Why strace, and why it is a proof: the run is a process tree — the command, the embedded mock (a child
running uvloop, whose name lookups go through libuv's thread pool into libc, never through Python's
``socket.getaddrinfo``), and the mock for the 429 check. Anything any of them does on the network is a system
call: a TCP or UDP ``connect``, a ``sendto``/``sendmsg``/``sendmmsg`` with an address (unconnected UDP, as a
DNS query may be sent), or a ``connect`` to a local resolver's socket (nscd, systemd-resolved). ``strace -f``
follows every process and thread the command starts and records those calls whatever language or event loop
made them; ``--seccomp-bpf`` keeps the cost negligible. A monkeypatched ``socket`` would see only Python's
own calls in one process, and a network namespace would only make such attempts fail — a run that tried and
failed would still pass. Tracing one's own children needs no root; only installing strace does, so the test
is skipped (with the reason) where strace is missing or ptrace is not permitted.

The rules, checked on every traced call: an IPv4/IPv6 destination is a loopback address; no destination is
port 53 (a resolver on loopback forwards the query off the machine); no ``AF_UNIX`` connect goes to a
resolver (nscd, systemd-resolved, D-Bus). A control run shows the tracer and the rules catch a UDP "connect"
to a DNS server made by uvloop in a grandchild process (a UDP connect sends no packet: nothing leaves).
"""

from __future__ import annotations

import ipaddress
import re
import shutil
import subprocess
import sys
import textwrap
from dataclasses import dataclass
from pathlib import Path

import pytest

from contract_tests.server._cli import run_cli

STRACE = shutil.which("strace")
TRACED = "trace=connect,sendto,sendmsg,sendmmsg"
_CALL = re.compile(r"^(?P<pid>\d+)\s+(?P<call>connect|sendto|sendmsg|sendmmsg)\(")
_INET = re.compile(r'sa_family=AF_INET, sin_port=htons\((?P<port>\d+)\), sin_addr=inet_addr\("(?P<addr>[^"]+)"\)')
_INET6 = re.compile(r'sa_family=AF_INET6, sin6_port=htons\((?P<port>\d+)\).*?inet_pton\(AF_INET6, "(?P<addr>[^"]+)"')
_UNIX = re.compile(r'sa_family=AF_UNIX, sun_path=(?P<path>@?"[^"]*")')
_RESOLVERS = ("nscd", "resolve", "dbus")


@dataclass(frozen=True, slots=True)
class Contact:
    pid: int
    call: str
    family: str
    address: str
    port: int | None
    line: str


def contacts(trace: str) -> list[Contact]:
    """Every traced call that names a destination (calls on connected sockets name none)."""
    found = []
    for line in trace.splitlines():
        call = _CALL.match(line)
        if call is None:
            continue
        pid, name = int(call["pid"]), call["call"]
        for family, pattern in (("AF_INET", _INET), ("AF_INET6", _INET6)):
            for match in pattern.finditer(line):
                found.append(Contact(pid, name, family, match["addr"], int(match["port"]), line))
        for match in _UNIX.finditer(line):
            found.append(Contact(pid, name, "AF_UNIX", match["path"], None, line))
    return found


def violations(found: list[Contact]) -> list[str]:
    problems = []
    for contact in found:
        if contact.family == "AF_UNIX":
            if any(word in contact.address for word in _RESOLVERS):
                problems.append(f"name lookup through {contact.address}: {contact.line}")
            continue
        if not ipaddress.ip_address(contact.address).is_loopback:
            problems.append(f"{contact.call} off the machine, to {contact.address}: {contact.line}")
        elif contact.port == 53:
            problems.append(f"DNS query to a resolver on loopback: {contact.line}")
    return problems


def _tracing_unavailable() -> str | None:
    if STRACE is None:
        return "strace is not installed (Debian: apt-get install strace): the no-network proof cannot run"
    probe = subprocess.run(  # noqa: S603 - strace on /bin/true
        [STRACE, "-f", "-qq", "-e", "trace=connect", "-o", "/dev/null", "true"],
        capture_output=True,
        text=True,
        check=False,
    )
    if probe.returncode != 0:
        return f"strace cannot trace here (ptrace not permitted?): {probe.stderr.strip()[-200:]}"
    return None


def _strace(output: Path) -> list[str]:
    assert STRACE is not None
    return [STRACE, "-f", "--seccomp-bpf", "-qq", "-e", TRACED, "-o", str(output)]


@pytest.fixture
def tracer(tmp_path: Path) -> tuple[list[str], Path]:
    unavailable = _tracing_unavailable()
    if unavailable:
        pytest.skip(unavailable)
    output = tmp_path / "trace.txt"
    return _strace(output), output


def test_rules() -> None:
    """The parser and the rules on lines as strace writes them."""
    lines = [
        '11 connect(4, {sa_family=AF_INET, sin_port=htons(43927), sin_addr=inet_addr("127.0.0.1")}, 16) = 0',
        '12 connect(5, {sa_family=AF_INET, sin_port=htons(53), sin_addr=inet_addr("10.255.255.53")}, 16) = 0',
        '13 connect(5, {sa_family=AF_UNIX, sun_path="/var/run/nscd/socket"}, 110) = -1 ENOENT',
        '14 sendto(3, "x", 1, 0, {sa_family=AF_INET6, sin6_port=htons(443), sin6_flowinfo=htonl(0), '
        'inet_pton(AF_INET6, "2001:db8::1", &sin6_addr), sin6_scope_id=0}, 28) = 1',
        '15 sendto(7, "GET / HTTP/1.1", 14, 0, NULL, 0) = 14',
        "16 connect(6, {sa_family=AF_INET6, sin6_port=htons(8080), sin6_flowinfo=htonl(0), "
        'inet_pton(AF_INET6, "::1", &sin6_addr), sin6_scope_id=0}, 28) = 0',
    ]
    found = contacts("\n".join(lines))
    assert [contact.pid for contact in found] == [11, 12, 13, 14, 16]
    problems = violations(found)
    assert len(problems) == 3
    assert "10.255.255.53" in problems[0]
    assert "nscd" in problems[1]
    assert "2001:db8::1" in problems[2]


_GRANDCHILD = textwrap.dedent(
    """
    import asyncio, uvloop
    async def main():
        # A UDP "connection" to a DNS server: the connect() is a syscall; no packet is sent.
        transport, _ = await asyncio.get_running_loop().create_datagram_endpoint(
            asyncio.DatagramProtocol, remote_addr=("192.0.2.53", 53))
        transport.close()
    uvloop.run(main())
    """
)


def test_the_tracer_sees_uvloop_in_a_grandchild(tracer: tuple[list[str], Path]) -> None:
    """Control: what the mock's event loop would do, two processes down, is seen and refused by the rules."""
    command, output = tracer
    child = f"import subprocess, sys; subprocess.run([sys.executable, '-c', {_GRANDCHILD!r}], check=True)"
    subprocess.run([*command, sys.executable, "-c", child], check=True, timeout=60)  # noqa: S603
    found = contacts(output.read_text())
    problems = violations(found)
    assert any("192.0.2.53" in problem for problem in problems), found


@pytest.mark.slow
def test_the_default_run_stays_on_loopback(tracer: tuple[list[str], Path]) -> None:
    command, output = tracer
    run = run_cli(["--seed", "1", "--quiet"], prefix=command, timeout=600)
    # What the run concluded is the other tests' business; this one needs a whole run, semantic checks included.
    assert run.report is not None, run.explain()
    assert run.report["cases"]["total"] > 0, run.explain()
    assert run.check("webhook_order")["verdict"] != "skipped", run.explain()
    found = contacts(output.read_text())
    assert {contact.pid for contact in found if contact.family == "AF_INET"}, "the trace saw no connection at all"
    pids = {int(line.split()[0]) for line in output.read_text().splitlines() if line[:1].isdigit()}
    assert len(pids) > 2, "the trace did not follow the child processes"
    problems = violations(found)
    assert not problems, "\n".join(problems[:20])
