"""A chart as a picture (SVG or PNG), drawn with matplotlib from the chart's JSON model.

Matplotlib's object API only (no pyplot): each drawing has a figure of its own, so worker
threads draw side by side. Every mark a reader or a test looks for carries an id (`gid`):
`points-<variation>`, `centre-line`, `upper-limit`, `lower-limit`, `target-line`,
`phase-<n>`, `pdsa-<cycle id>-start|end`, `variation-icon`, `assurance-icon`.
"""

import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from html import escape
from typing import Literal

import matplotlib
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, PercentFormatter

from app.analytics import Variation
from app.models.chart import AnnotationKind, Chart, ChartPoint
from app.models.measure import Frequency, Measure, ValueType
from app.pictures import colours, icons

matplotlib.rcParams.update(
    {
        "svg.fonttype": "none",  # text stays text: smaller, searchable, read by screen readers
        "svg.hashsalt": "pdsa",  # the same chart draws the same bytes
        "font.family": "DejaVu Sans",
        "font.size": 9,
    }
)

DPI = 100
EPOCH = date(1970, 1, 1)  # matplotlib's, for dates as numbers
DATES: dict[Frequency, Callable[[date], str]] = {
    Frequency.DAY: lambda day: day.strftime("%-d %b %Y"),
    Frequency.WEEK: lambda day: day.strftime("w/c %-d %b %Y"),
    Frequency.MONTH: lambda day: day.strftime("%b %Y"),
    Frequency.QUARTER: lambda day: f"Q{(day.month - 1) // 3 + 1} {day.year}",
    Frequency.YEAR: lambda day: str(day.year),
}
AXIS_DATES = {
    Frequency.DAY: "%-d %b",
    Frequency.WEEK: "%-d %b %y",
    Frequency.MONTH: "%b %Y",
    Frequency.QUARTER: "%b %Y",
    Frequency.YEAR: "%Y",
}


PictureFormat = Literal["svg", "png"]
PICTURE_TYPES: dict[PictureFormat, str] = {"svg": "image/svg+xml", "png": "image/png"}


@dataclass(frozen=True)
class Picture:
    format: PictureFormat
    width: int  # pixels
    height: int
    two_sigma: bool = False  # draw the 2σ lines too


def draw(chart: Chart, measure: Measure, picture: Picture) -> bytes:
    figure = Figure(figsize=(picture.width / DPI, picture.height / DPI), dpi=DPI)
    axes = figure.add_axes((0.08, 0.14, 0.8, 0.72))
    _lines(axes, chart.points, picture.two_sigma)
    _target(axes, chart)
    _dots(axes, chart.points)
    _phase_breaks(axes, chart)
    _cycles(axes, chart.points)
    _icons(figure, chart)
    _frame(figure, axes, chart, measure)
    if picture.format == "png":
        return _png(figure)
    return _accessible(_svg(figure), chart, measure)


def _x(periods: Sequence[date]) -> list[float]:
    """Periods as matplotlib's day numbers (days since its default epoch)."""
    return [float((period - EPOCH).days) for period in periods]


def _series(points: Sequence[ChartPoint], line: str) -> tuple[list[float], list[float]]:
    """A line's values, with NaN where it is absent, so each phase is drawn apart."""
    values = [getattr(p, line) for p in points]
    return _x([p.period for p in points]), [float("nan") if v is None else v for v in values]


def _lines(axes: matplotlib.axes.Axes, points: Sequence[ChartPoint], two_sigma: bool) -> None:
    styles = {"centre": ("centre-line", "-", 1.2), "upper": ("upper-limit", "--", 1.0)}
    styles["lower"] = ("lower-limit", "--", 1.0)
    if two_sigma:
        styles["upper_two_sigma"] = ("upper-two-sigma", ":", 0.8)
        styles["lower_two_sigma"] = ("lower-two-sigma", ":", 0.8)
    for line, (gid, style, width) in styles.items():
        periods, values = _series(points, line)
        if any(v == v for v in values):  # not all NaN
            axes.plot(
                periods,
                values,
                style,
                color=colours.LINES,
                lw=width,
                drawstyle="steps-mid",
                gid=gid,
            )
    periods, values = _series(points, "value")
    axes.plot(periods, values, "-", color=colours.COMMON_CAUSE, lw=0.8, gid="run")


def _target(axes: matplotlib.axes.Axes, chart: Chart) -> None:
    target = chart.summary.target
    if target is not None:
        axes.axhline(target.value, color=colours.TARGET, ls="-.", lw=1.0, gid="target-line")


def _dots(axes: matplotlib.axes.Axes, points: Sequence[ChartPoint]) -> None:
    for variation, colour in colours.OF_VARIATION.items():
        chosen = [p for p in points if p.variation is variation]
        if chosen:
            axes.scatter(
                _x([p.period for p in chosen]),
                [p.value for p in chosen],
                s=22,
                color=colour,
                zorder=3,
                gid=f"points-{variation.value}",
            )


def _phase_breaks(axes: matplotlib.axes.Axes, chart: Chart) -> None:
    for number, phase in enumerate(chart.phases[1:], start=2):
        (start,) = _x([phase.start_period])
        axes.axvline(start, color=colours.LINES, lw=0.8, gid=f"phase-{number}")
        axes.annotate(
            phase.reason or f"Phase {number}",
            (start, 1.0),
            xycoords=("data", "axes fraction"),
            xytext=(3, -10),
            textcoords="offset points",
            fontsize=7,
        )


def _cycles(axes: matplotlib.axes.Axes, points: Sequence[ChartPoint]) -> None:
    """PDSA cycles where they start (▲) and end (▼), their titles beside the starts."""
    for point in points:
        for note in point.annotations:
            if note.kind is AnnotationKind.NOTE or note.cycle_id is None:
                continue
            start = note.kind is AnnotationKind.CYCLE_START
            axes.plot(
                _x([point.period]),
                [0.0],
                "^" if start else "v",
                color=colours.NEITHER,
                transform=axes.get_xaxis_transform(),
                clip_on=False,
                gid=f"pdsa-{note.cycle_id}-{'start' if start else 'end'}",
            )
            if start:
                axes.annotate(
                    note.text[:40],
                    (_x([point.period])[0], 0.0),
                    xycoords=("data", "axes fraction"),
                    xytext=(2, 6),
                    textcoords="offset points",
                    rotation=90,
                    fontsize=6,
                    color=colours.NEITHER,
                )


def _icons(figure: Figure, chart: Chart) -> None:
    summary = chart.summary
    shown = [
        ("variation-icon", icons.VARIATION[summary.variation_icon], 0.925)
        if summary.variation_icon
        else None,
        ("assurance-icon", icons.ASSURANCE[summary.assurance_icon], 0.965)
        if summary.assurance_icon
        else None,
    ]
    for gid, (colour, letter, _), x in filter(None, shown):
        figure.text(
            x,
            0.93,
            letter or "•••",
            ha="center",
            va="center",
            fontsize=9,
            fontweight="bold",
            color=colour,
            bbox={"boxstyle": "circle", "fc": "white", "ec": colour, "lw": 2},
            gid=gid,
        )


def _frame(figure: Figure, axes: matplotlib.axes.Axes, chart: Chart, measure: Measure) -> None:
    figure.suptitle(measure.name, x=0.08, ha="left", fontsize=11, fontweight="bold")
    axes.set_ylabel(measure.unit or "")
    axis_dates = AXIS_DATES[measure.frequency]
    axes.xaxis.set_major_formatter(
        FuncFormatter(lambda x, _: (EPOCH + timedelta(days=x)).strftime(axis_dates))
    )
    if measure.value_type is ValueType.PROPORTION:
        axes.yaxis.set_major_formatter(PercentFormatter(xmax=1.0))
    axes.spines[["top", "right"]].set_visible(False)
    axes.grid(axis="y", color="#E8E8E8", lw=0.6)
    figure.autofmt_xdate(rotation=30, ha="right")
    figure.text(
        0.08, 0.02, f"{chart.chart_type.value} chart · rules: {chart.rules.preset}", fontsize=7
    )


def _svg(figure: Figure) -> str:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="svg", metadata={"Date": None})
    return buffer.getvalue().decode()


def _png(figure: Figure) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", metadata={"Software": None})
    return buffer.getvalue()


def _accessible(svg: str, chart: Chart, measure: Measure) -> bytes:
    """The SVG with a `<title>` and a `<desc>` that says in words what the dots show."""
    start = svg.index("<svg")  # after the XML declaration and doctype
    opening, _, after = svg[start:].partition(">")
    labelled = opening + ' role="img" aria-labelledby="chart-title chart-desc">'
    text = (
        f'<title id="chart-title">{escape(measure.name)}</title>'
        f'<desc id="chart-desc">{escape(describe(chart, measure))}</desc>'
    )
    return (svg[:start] + labelled + text + after).encode()


def describe(chart: Chart, measure: Measure) -> str:
    """The chart in words: its span, its latest point, and every signal."""
    points = chart.points
    if not points:
        return f"{measure.name}: no data yet."
    when = DATES[measure.frequency]
    shown = _formatter(measure)
    signals = [
        f"{when(p.period)}: {shown(p.value)}, {p.variation.value.replace('_', ' ')}"
        f" ({', '.join(p.special_cause)})"
        for p in points
        if p.variation is not Variation.COMMON_CAUSE
    ]
    latest = points[-1]
    return " ".join(
        [
            f"{chart.chart_type.value} chart of {len(points)} points, "
            f"{when(points[0].period)} to {when(latest.period)}.",
            f"Latest: {shown(latest.value)}.",
            f"Signals: {'; '.join(signals)}." if signals else "No special cause signals.",
        ]
    )


def _formatter(measure: Measure) -> Callable[[float], str]:
    if measure.value_type is ValueType.PROPORTION:
        return lambda value: f"{value:.1%}"
    return lambda value: f"{value:,.4g}"
