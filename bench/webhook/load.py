"""The bench's load generators. wrk (native, one thread) by default: a Python generator on the same two cores tops
out near the server's own rate, so it would cap both sides and the ratio would say little. The Python generator
(httpx, asyncio) stays as the fallback when wrk is missing, and the bench says so."""
import asyncio
import json
import shutil
import statistics
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

import httpx

from bench.webhook.events import signature

SCRIPT = Path(__file__).with_name("post.lua")


@dataclass(frozen=True)
class Round:
    rps: float
    p50_ms: float
    p99_ms: float
    ok: int  # 2xx answers
    other: int  # non-2xx answers and socket errors


def wrk_available() -> bool:
    return shutil.which("wrk") is not None


def wrk_round(url: str, seconds: float, connections: int, bodies_file: Path | None = None) -> Round:
    """GET `url`, or POST each body of `bodies_file` once (in order), for `seconds`."""
    command = ["wrk", "-t1", f"-c{connections}", f"-d{max(round(seconds), 1)}s", "--timeout", "10s",
               "-H", "Host: localhost", "-s", str(SCRIPT), url]
    if bodies_file is not None:
        command += ["--", str(bodies_file)]
    output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    (line,) = [line for line in output.splitlines() if line.startswith("WRK_JSON ")]
    figures = json.loads(line.removeprefix("WRK_JSON "))
    other = figures["non_2xx"] + figures["socket_errors"]
    return Round(rps=figures["requests"] / figures["seconds"], p50_ms=figures["p50_ms"], p99_ms=figures["p99_ms"],
                 ok=figures["requests"] - figures["non_2xx"], other=other)


def bodies_file_write(path: Path, bodies: list[bytes]) -> Path:
    """The bodies as post.lua reads them: one '<signature> <body>' per line (compact JSON has no newline)."""
    with path.open("wb") as out:
        for body in bodies:
            out.write(signature(body).encode() + b" " + body + b"\n")
    return path


def python_round(url: str, seconds: float, connections: int, bodies: list[bytes] | None = None) -> Round:
    """The fallback: the same rounds from asyncio + httpx (each body once, in order)."""
    return asyncio.run(_python_load(url, seconds, connections, bodies))


async def _python_load(url: str, seconds: float, connections: int, bodies: list[bytes] | None) -> Round:
    latencies: list[float] = []
    answers = {"ok": 0, "other": 0}
    counter = iter(range(10**9))
    deadline = time.perf_counter() + seconds
    limits = httpx.Limits(max_connections=connections, max_keepalive_connections=connections)
    async with httpx.AsyncClient(limits=limits, timeout=30, headers={"Host": "localhost"}) as client:
        async def worker():
            while time.perf_counter() < deadline:
                started = time.perf_counter()
                if bodies is None:
                    response = await client.get(url)
                else:
                    body = bodies[next(counter) % len(bodies)]
                    response = await client.post(url, content=body, headers={
                        "Content-Type": "application/json", "X-Hub-Signature-256": signature(body)})
                latencies.append(time.perf_counter() - started)
                answers["ok" if response.is_success else "other"] += 1

        began = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(connections)))
        elapsed = time.perf_counter() - began
    latencies.sort()
    return Round(rps=len(latencies) / elapsed, p50_ms=statistics.median(latencies) * 1000,
                 p99_ms=latencies[max(int(len(latencies) * 0.99) - 1, 0)] * 1000, **answers)
