"""The chart analytics alone, in-process: XmR charts of growing length."""

import random
import statistics
import timeit

from app.analytics import ChartType, Direction, Observation, compute_chart, preset
from bench.organisation import SEED
from bench.report import Row, Target

SCENARIO = "chart analytics in-process, XmR"
SIZES = (1_000, 10_000, 100_000)


def chart_seconds(points: int, repeats: int) -> float:
    """The median time of `compute_chart` on an XmR chart of `points` points (mdc rules)."""
    rng = random.Random(SEED)
    observations = [Observation(rng.gauss(50, 5)) for _ in range(points)]
    rules = preset("mdc")
    timings = timeit.repeat(
        lambda: compute_chart(observations, ChartType.XMR, Direction.INCREASE, rules),
        number=1,
        repeat=repeats,
    )
    return statistics.median(timings)


def rows(repeats: int) -> list[Row]:
    """Time per point at each size against the smallest, and the growth from 10k to 100k."""
    seconds = {n: chart_seconds(n, repeats) for n in SIZES}
    micros = {n: seconds[n] / n * 1e6 for n in SIZES}
    smallest, middle, largest = SIZES
    per_point = [
        Row(
            f"{SCENARIO}, n = {n:,}",
            "—",
            "µs per point",
            micros[n],
            f"µs per point at n = {smallest:,}",
            micros[smallest],
        )
        for n in SIZES
    ]
    growth = Row(
        f"{SCENARIO}, n = {largest:,} against {middle:,}",
        "—",
        "s per chart",
        seconds[largest],
        f"s at n = {middle:,}",
        seconds[middle],
        Target("≤", 12),
    )
    return [*per_point, growth]
