"""Driving a server with wrk, scripted by bench/lua, and reading the JSON line it prints."""

import json
import math
import statistics
import subprocess
from collections.abc import Callable, Mapping, Sequence
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import Any

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
    refused: int  # statuses the script does not expect: by default, any of 400 or more
    failed: int  # refused, timed out, or cut off
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
    (result,) = together(server, [load], seconds)
    return result


def together(server: Server, loads: Sequence[Load], seconds: int) -> list[Result]:
    """Run `loads` against `server` at the same time for `seconds`, then wait until it has
    answered all they sent. The requests it leaves unanswered are counted against the first
    load (the access log cannot tell whose they were)."""
    before = server.answered()
    with ExitStack() as stack:
        processes = [
            stack.enter_context(
                subprocess.Popen(
                    _command(server, load, seconds),
                    stdout=subprocess.PIPE,
                    stderr=subprocess.PIPE,
                    text=True,
                )
            )
            for load in loads
        ]
        outputs = [_output(process, seconds) for process in processes]
    unanswered = server.wait_until_answered(before + sum(data["sent"] for data in outputs))
    return [_result(data, unanswered if i == 0 else 0) for i, data in enumerate(outputs)]


def _command(server: Server, load: Load, seconds: int) -> list[str]:
    return [
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


def _output(process: subprocess.Popen[str], seconds: int) -> dict[str, Any]:
    """The JSON line of a wrk process, once it has ended."""
    try:
        output, errors = process.communicate(timeout=seconds + 60)
    except subprocess.TimeoutExpired:
        process.kill()
        raise
    if process.returncode:
        raise subprocess.CalledProcessError(process.returncode, process.args, output, errors)
    lines = [line for line in output.splitlines() if line.startswith(MARKER)]
    if len(lines) != 1:
        raise RuntimeError(f"wrk printed no result:\n{output}")
    data: dict[str, Any] = json.loads(lines[0].removeprefix(MARKER))
    return data


def _result(data: dict[str, Any], unanswered: int) -> Result:
    to_ms = 1e-3 if data["requests"] else math.nan  # no latency without an answer
    counted = data["unexpected"]  # by a script that says which statuses it expects
    refused = data["status_errors"] if counted is None else counted
    return Result(
        sent=data["sent"],
        answered=data["requests"],
        refused=refused,
        failed=data["socket_errors"] + refused,
        unanswered=unanswered,
        per_second=(data["requests"] - refused) / data["duration_us"] * 1e6,
        p50_ms=data["p50_us"] * to_ms,
        p99_ms=data["p99_us"] * to_ms,
        refusal=data["refusal"],
    )


def median(results: Sequence[Result]) -> Result:
    """Each rate's and latency's median over the runs; the requests and failures of all."""
    return Result(
        sent=sum(r.sent for r in results),
        answered=sum(r.answered for r in results),
        refused=sum(r.refused for r in results),
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
    """Each server's medians over `plan.runs` rounds of the same load (see `alternating`)."""
    return alternating({name: (server, make_load) for name, server in servers.items()}, plan)


def alternating(
    loads: Mapping[str, tuple[Server, Callable[[], Load]]], plan: Plan
) -> dict[str, Result]:
    """Each named load's medians over `plan.runs` rounds, after a warm-up run each. Every round
    runs each load once, in turn, so that the machine's drift weighs on all of them alike. A
    load whose server stalls is given no more runs. Each run's load is made just before it."""
    warm = {
        name: run(server, make_load(), plan.warmup) for name, (server, make_load) in loads.items()
    }
    stalled = {name for name, result in warm.items() if result.unanswered}
    runs: dict[str, list[Result]] = {name: [] for name in loads}
    for round_number in range(1, plan.runs + 1):
        for name, (server, make_load) in loads.items():
            if name in stalled:
                continue
            result = run(server, make_load(), plan.duration)
            progress(f"  {name}, run {round_number}/{plan.runs}: {result.per_second:,.1f}/s")
            runs[name].append(result)
            if result.unanswered:
                stalled.add(name)
    return {name: median(runs[name] or [warm[name]]) for name in loads}
