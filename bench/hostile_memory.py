#!/usr/bin/env python3
"""A worker's memory across a hostile load: `python3 bench/hostile_memory.py [rounds]`.

The service (`pdsa serve`, one worker, on a SQLite file) answers a warm-up of ordinary calls,
then `rounds` rounds of the hostile bodies of issue #11: the 8 MB CSV whose header names
millions of columns, a CSV cell over csv's bound, ten thousand invalid points (a bounded error
list), NUL characters, non-finite numbers, offsets past 2^63, unknown and repeated query
parameters. It prints the worker's RSS after the warm-up and after the rounds, and the growth,
which the issue bounds at 50 MB. Measured here, never asserted in the tests.
"""

import json
import sys
import tempfile
import uuid
from collections.abc import Callable
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.servers import free_ports, production_command, serving  # noqa: E402

KEY = f"pdsa_{uuid.uuid4().hex}"
LIMIT_MB = 50
Call = Callable[[httpx.Client, str], httpx.Response]


def measure_body() -> dict[str, object]:
    return {
        "name": "Falls per day",
        "value_type": "count",
        "frequency": "day",
        "role": "outcome",
        "direction": "decrease",
    }


def hostile_calls() -> list[Call]:
    wide_header = ("x," * 4_000_000).encode()
    huge_cell = b"period,value\n2026-03-02," + b"9" * 200_000 + b"\n"
    invalid_points = json.dumps([{"period": "not a date"}] * 10_000).encode()

    def csv(body: bytes) -> Call:
        return lambda client, measure: client.post(
            f"/api/v1/measures/{measure}/data", content=body, headers={"Content-Type": "text/csv"}
        )

    return [
        csv(wide_header),
        csv(huge_cell),
        lambda client, measure: client.post(
            f"/api/v1/measures/{measure}/data",
            content=invalid_points,
            headers={"Content-Type": "application/json"},
        ),
        lambda client, _: client.post("/api/v1/goals", json={"title": "a\x00b"}),
        lambda client, _: client.post("/api/v1/measures", content=b'{"name": "x", "target": NaN}'),
        lambda client, _: client.get("/api/v1/goals", params={"offset": 2**63}),
        lambda client, _: client.get("/api/v1/goals?limt=1&owner=a&owner=b"),
    ]


def warm_up(client: httpx.Client, measure: str) -> None:
    for day in range(1, 29):
        client.post(
            f"/api/v1/measures/{measure}/data", json={"period": f"2026-02-{day:02}", "value": day}
        )
    for _ in range(20):
        client.get(f"/api/v1/measures/{measure}/chart")
        client.get("/api/v1/goals")


def main(rounds: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        env = {
            "DATABASE_URL": f"sqlite:///{folder}/hostile.db",
            "PDSA_BOOTSTRAP_KEY": KEY,
            "LOG_LEVEL": "WARNING",
        }
        (port,) = free_ports(1)
        with serving(
            "service", production_command(port), port, env, Path(folder), "/livez"
        ) as server:
            headers = {"Authorization": f"Bearer {KEY}"}
            with httpx.Client(base_url=server.url, headers=headers, timeout=120) as client:
                measure = client.post("/api/v1/measures", json=measure_body()).json()["id"]
                warm_up(client, measure)
                before = server.rss_mb()
                statuses: dict[int, int] = {}
                for _ in range(rounds):
                    for call in hostile_calls():
                        status = call(client, measure).status_code
                        statuses[status] = statuses.get(status, 0) + 1
                after = server.rss_mb()
    growth = after - before
    verdict = "within" if growth <= LIMIT_MB else "OVER"
    print(f"answers: {dict(sorted(statuses.items()))}")
    print(f"worker RSS: {before:.0f} MB after warm-up, {after:.0f} MB after {rounds} rounds")
    print(f"growth: {growth:+.0f} MB ({verdict} the {LIMIT_MB} MB bound)")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 10)
