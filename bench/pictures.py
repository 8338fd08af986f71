#!/usr/bin/env python3
"""Cold render of a 260-point chart as SVG and PNG: `python3 bench/pictures.py [repeats]`.

Draws in-process from a chart model (what a poll does after a change, once the JSON chart is
computed), so the figures are the drawing alone; the median of `repeats` draws each, after
one warm-up draw that pays matplotlib's one-off set-up (fonts, backends).
"""

import statistics
import sys
import time
import uuid
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app.analytics import ChartType, Direction, Variation  # noqa: E402
from app.models.chart import Chart, ChartPoint, ChartSummary, RulesApplied  # noqa: E402
from app.models.links import MeasureRole  # noqa: E402
from app.models.measure import Frequency, Measure, ValueType  # noqa: E402
from app.pictures.chart import Picture, draw  # noqa: E402

POINTS = 260


def chart() -> Chart:
    points = [
        ChartPoint(
            period=date(2021, 1, 4) + timedelta(weeks=i),
            value=0.7 + 0.05 * ((i * 7919) % 13) / 13,
            numerator=None,
            denominator=None,
            centre=0.73,
            upper=0.8,
            lower=0.66,
            upper_two_sigma=None,
            lower_two_sigma=None,
            special_cause=[],
            variation=Variation.COMMON_CAUSE if i % 17 else Variation.IMPROVEMENT,
            annotations=[],
        )
        for i in range(POINTS)
    ]
    rules = RulesApplied(
        preset="mdc",
        shift_points=6,
        trend_points=6,
        minimum_points=13,
        screen_moving_ranges=False,
        two_of_three=True,
        rules_cross_phases=True,
        overridden=[],
    )
    summary = ChartSummary(variation_icon=None, assurance_icon=None, target=None, run_analysis=None)
    return Chart(
        measure_id=uuid.uuid4(),
        chart_type=ChartType.P,
        direction=Direction.INCREASE,
        rules=rules,
        points=points,
        phases=[],
        summary=summary,
        warnings=[],
    )


def main(repeats: int) -> None:
    measure = Measure(
        name="Care plans signed by the person",
        value_type=ValueType.PROPORTION,
        frequency=Frequency.WEEK,
        unit="proportion",
        role=MeasureRole.OUTCOME,
        direction=Direction.INCREASE,
        organisation_id=uuid.uuid4(),
    )
    drawn = chart()
    for format in ("svg", "png"):
        picture = Picture(format, 960, 540)
        draw(drawn, measure, picture)  # matplotlib's one-off set-up
        seconds = []
        for _ in range(repeats):
            started = time.perf_counter()
            size = len(draw(drawn, measure, picture))
            seconds.append(time.perf_counter() - started)
        median = statistics.median(seconds) * 1000
        print(f"{format}: {POINTS} points, median {median:.0f} ms of {repeats}, {size:,} bytes")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 10)
