"""Benchmark: the generated client's `append_audio_url` against a raw `httpx.Client.put` with the same body.

Both talk to the same minimal ASGI app (a fixed `201` with an `AudioJobCreated` body) served by uvicorn in a child
process on a free 127.0.0.1 port. The two are measured in interleaved rounds (their order alternating) on kept-alive
connections, after a warm-up of both; the script prints the median per-call time of each and the ratio: the median
of the per-round ratios, so that a change of the machine's load between rounds hits both sides of a ratio alike.
Bounded by --budget seconds.

    scripts/bench_client [--rounds 25] [--calls 100] [--budget 40] [--max-ratio R]
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

import httpx

CONVERSATION_ID = "5815170693595136"
CREATED = json.dumps({"conversationId": CONVERSATION_ID, "jobId": "9b1deb4d-3b7d-4bad-9bdd-2b0d7b3dcb6d"}).encode()
TARGET_RATIO = 1.10

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]


async def app(
    scope: Scope, receive: Callable[[], Awaitable[Message]], send: Callable[[Message], Awaitable[None]]
) -> None:
    """Answer every HTTP request with 201 and a fixed AudioJobCreated body, after reading the request body."""
    if scope["type"] != "http":
        return
    more = True
    while more:
        more = (await receive()).get("more_body", False)
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(CREATED)).encode())]
    await send({"type": "http.response.start", "status": 201, "headers": headers})
    await send({"type": "http.response.body", "body": CREATED})


def serve(fd: int) -> None:
    import uvicorn

    # socket.socket(fileno=...) reads the socket's real family (AF_INET). uvicorn's own `fd=` takes every inherited
    # socket for AF_UNIX, so asyncio would not set TCP_NODELAY on the connections and each response (headers and
    # body written apart) would wait ~40 ms for the client's delayed ACK: that would measure Nagle, not the client.
    sock = socket.socket(fileno=fd)
    config = uvicorn.Config(app, log_level="warning", access_log=False, lifespan="off", http="h11", loop="asyncio")
    uvicorn.Server(config).run(sockets=[sock])


def _start_server() -> tuple[subprocess.Popen[bytes], str]:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    sock.listen(128)
    port = sock.getsockname()[1]
    child = subprocess.Popen(  # noqa: S603 (this script itself)
        [sys.executable, __file__, "--serve-fd", str(sock.fileno())], pass_fds=(sock.fileno(),)
    )
    sock.close()
    base_url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 15
    while True:
        try:
            httpx.put(f"{base_url}/ready", content=b"{}", timeout=1.0)
            return child, base_url
        except httpx.TransportError:
            if time.monotonic() > deadline or child.poll() is not None:
                child.kill()
                raise RuntimeError("the benchmark server did not start") from None
            time.sleep(0.05)


def _time_calls(call: Callable[[], object], calls: int) -> float:
    start = time.perf_counter()
    for _ in range(calls):
        call()
    return (time.perf_counter() - start) / calls


def bench(base_url: str, rounds: int, calls: int, budget: float) -> tuple[list[float], list[float]]:
    from symbl_async_audio_client import Client
    from symbl_async_audio_client.api.async_audio import append_audio_url
    from symbl_async_audio_client.models import AudioJobCreated, AudioUrlRequest

    body = AudioUrlRequest(url="https://symbltestdata.s3.us-east-2.amazonaws.com/sample_audio_file.wav", name="Bench")
    payload = body.to_dict()
    path = f"/v1/process/audio/url/{CONVERSATION_ID}"

    with Client(base_url=base_url) as client, httpx.Client(base_url=base_url) as raw:

        def generated() -> object:
            result = append_audio_url.sync(CONVERSATION_ID, client=client, body=body)
            assert isinstance(result, AudioJobCreated)
            return result

        def raw_put() -> object:
            response = raw.put(path, json=payload, headers={"Content-Type": "application/json"})
            assert response.status_code == 201
            return response.json()

        for _ in range(max(calls // 2, 20)):  # warm up both connections and code paths
            generated()
            raw_put()
        generated_times: list[float] = []
        raw_times: list[float] = []
        stop = time.monotonic() + budget
        for index in range(rounds):
            order = [(generated, generated_times), (raw_put, raw_times)]
            for call, times in order if index % 2 == 0 else reversed(order):
                times.append(_time_calls(call, calls))
            if time.monotonic() > stop:
                break
    return generated_times, raw_times


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="scripts/bench_client", description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=25)
    parser.add_argument("--calls", type=int, default=100, help="calls per round and per side")
    parser.add_argument("--budget", type=float, default=40.0, help="seconds after which no new round starts")
    parser.add_argument("--max-ratio", type=float, default=None, help="exit 1 when the ratio is above this")
    parser.add_argument("--serve-fd", type=int, default=None, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.serve_fd is not None:
        serve(args.serve_fd)
        return 0
    child, base_url = _start_server()
    try:
        generated_times, raw_times = bench(base_url, args.rounds, args.calls, args.budget)
    finally:
        child.terminate()
        try:
            child.wait(timeout=10)
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()
    generated, raw = statistics.median(generated_times), statistics.median(raw_times)
    ratio = statistics.median(g / r for g, r in zip(generated_times, raw_times, strict=True))
    load = ", ".join(f"{value:.2f}" for value in os.getloadavg())
    print(f"server: uvicorn on {base_url}; {len(raw_times)} interleaved rounds of {args.calls} calls per side")
    print(f"  {os.cpu_count()} CPUs, load average {load}")
    print(f"  generated append_audio_url.sync : {generated * 1e6:8.1f} µs/call (median)")
    print(f"  raw httpx.Client.put            : {raw * 1e6:8.1f} µs/call (median)")
    verdict = "met" if ratio <= TARGET_RATIO else "NOT met"
    print(f"  ratio generated/raw (per round) : {ratio:8.3f}x  (target <= {TARGET_RATIO:.2f}x: {verdict})")
    return 1 if args.max_ratio is not None and ratio > args.max_ratio else 0


if __name__ == "__main__":
    sys.exit(main())
