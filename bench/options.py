"""The command's options and the run plans they choose (standard library only: `run.py`
parses them before anything is installed)."""

import argparse
from collections.abc import Sequence
from dataclasses import dataclass

LOCAL_POSTGRES = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
BACKENDS = {"sqlite": ("sqlite",), "postgresql": ("postgresql",), "both": ("sqlite", "postgresql")}
SCENARIOS = ("chart", "scorecard", "matrix", "bulk", "mixed", "retry", "post", "analytics")


@dataclass(frozen=True)
class Plan:
    """How long and how often each load runs; every figure is the median of `runs` runs."""

    duration: int  # seconds of one wrk run
    warmup: int  # seconds of the discarded run that warms each server first
    runs: int
    analytics_repeats: int


# Runs of 5 s keep a full run of both backends near ten minutes on two cores.
FULL = Plan(duration=5, warmup=2, runs=3, analytics_repeats=5)
QUICK = Plan(duration=3, warmup=1, runs=1, analytics_repeats=1)


@dataclass(frozen=True)
class Options:
    plan: Plan
    backends: tuple[str, ...]
    postgres_url: str
    scenarios: frozenset[str] = frozenset(SCENARIOS)


def parse(argv: Sequence[str]) -> Options:
    parser = argparse.ArgumentParser(
        prog="python3 bench/run.py",
        description="Benchmark the service as it runs in production and print the results table.",
    )
    parser.add_argument("--quick", action="store_true", help="one short run of each load")
    parser.add_argument("--backend", choices=sorted(BACKENDS), default="both")
    parser.add_argument(
        "--postgres-url",
        default=LOCAL_POSTGRES,
        help="a server on which a throwaway database may be created (default: %(default)s)",
    )
    parser.add_argument(
        "--only",
        action="append",
        choices=SCENARIOS,
        help="run this scenario only (repeatable): to check one change quickly",
    )
    args = parser.parse_args(argv)
    plan = QUICK if args.quick else FULL
    scenarios = frozenset(args.only or SCENARIOS)
    return Options(plan, BACKENDS[args.backend], args.postgres_url, scenarios)
