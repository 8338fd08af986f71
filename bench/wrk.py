"""Driving a server with wrk, scripted by bench/lua, and reading the JSON line it prints."""

import json
import math
import statistics
import subprocess
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from bench.options import Plan
from bench.report import progress
from bench.servers import SETTLE_SECONDS, Server

LUA = Path(__file__).resolve().parent / "lua"
MARKER = "BENCH_JSON "
TIMEOUT = "10s"  # per request: a slower answer counts as failed


@dataclass(frozen=True)
class Load:
    """What wrk sends: a path, a script of bench/lua with its arguments, at a concurrency."""

    path: str
    headers: tuple[str, ...]
    script: str = "get.lua"
    args: tuple[str, ...] = ()
    connections: int = 32
    threads: int = 2


@dataclass(frozen=True)
class Result:
    sent: int
    answered: int  # within the run
    failed: int  # refused (status 400 or more), timed out, or cut off
    unanswered: int  # still, well after the run: the server stalled
    per_second: float  # answered, and not refused
    p50_ms: float  # NaN when nothing was answered
    p99_ms: float
    refusal: str | None  # the first refusal's status and body, where the script keeps it

    def failures(self) -> str | None:
        found = [f"{self.failed} of {self.sent} requests failed"] if self.failed else []
        if self.unanswered:
            found.append(
                f"{self.unanswered} of {self.sent} unanswered {SETTLE_SECONDS:.0f} s after "
                "the load: the service stalled"
            )
        return "; ".join(found) or None


def run(server: Server, load: Load, seconds: int) -> Result:
    """Run `load` against `server` for `seconds`, then wait until it has answered all it got."""
    before = server.answered()
    command = [
        "wrk",
        f"-t{load.threads}",
        f"-c{load.connections}",
        f"-d{seconds}s",
        "--timeout",
        TIMEOUT,
        "-s",
        str(LUA / load.script),
        *(option for header in load.headers for option in ("-H", header)),
        server.url + load.path,
        "--",
        *load.args,
    ]
    output = subprocess.run(
        command, capture_output=True, text=True, check=True, timeout=seconds + 60
    ).stdout
    lines = [line for line in output.splitlines() if line.startswith(MARKER)]
    if len(lines) != 1:
        raise RuntimeError(f"wrk printed no result:\n{output}")
    data = json.loads(lines[0].removeprefix(MARKER))
    to_ms = 1e-3 if data["requests"] else math.nan  # no latency without an answer
    return Result(
        sent=data["sent"],
        answered=data["requests"],
        failed=data["socket_errors"] + data["status_errors"],
        unanswered=server.wait_until_answered(before + data["sent"]),
        per_second=(data["requests"] - data["status_errors"]) / data["duration_us"] * 1e6,
        p50_ms=data["p50_us"] * to_ms,
        p99_ms=data["p99_us"] * to_ms,
        refusal=data["refusal"],
    )


def median(results: Sequence[Result]) -> Result:
    """Each rate's and latency's median over the runs; the requests and failures of all."""
    return Result(
        sent=sum(r.sent for r in results),
        answered=sum(r.answered for r in results),
        failed=sum(r.failed for r in results),
        unanswered=sum(r.unanswered for r in results),
        per_second=statistics.median(r.per_second for r in results),
        p50_ms=statistics.median(r.p50_ms for r in results),
        p99_ms=statistics.median(r.p99_ms for r in results),
        refusal=next((r.refusal for r in results if r.refusal), None),
    )


def interleaved(
    servers: Mapping[str, Server], make_load: Callable[[], Load], plan: Plan
) -> dict[str, Result]:
    """Each server's medians over `plan.runs` rounds, after a warm-up run each. Every round runs
    each server once, in turn, so that the machine's drift weighs on all of them alike. A server
    that stalls is given no more runs."""
    warm = {name: run(server, make_load(), plan.warmup) for name, server in servers.items()}
    stalled = {name for name, result in warm.items() if result.unanswered}
    runs: dict[str, list[Result]] = {name: [] for name in servers}
    for round_number in range(1, plan.runs + 1):
        for name, server in servers.items():
            if name in stalled:
                continue
            result = run(server, make_load(), plan.duration)
            progress(f"  {name}, run {round_number}/{plan.runs}: {result.per_second:,.1f}/s")
            runs[name].append(result)
            if result.unanswered:
                stalled.add(name)
    return {name: median(runs[name] or [warm[name]]) for name in servers}
