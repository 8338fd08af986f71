"""The results: rows measured against their baselines, rendered as a markdown table."""

import math
import operator
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass

COMPARISONS: dict[str, Callable[[float, float], bool]] = {
    "≥": operator.ge,
    "≤": operator.le,
    "=": operator.eq,
}


@dataclass(frozen=True)
class Target:
    """`op bound` on the ratio to the baseline or, with a unit, on the measured value itself."""

    op: str
    bound: float
    unit: str = ""

    def met(self, value: float, ratio: float) -> bool:
        return COMPARISONS[self.op](value if self.unit else ratio, self.bound)

    def __str__(self) -> str:
        return f"{self.op} {_number(self.bound)} {self.unit}".rstrip()


@dataclass(frozen=True)
class Row:
    scenario: str
    backend: str
    figure: str
    value: float
    baseline: str
    baseline_value: float
    target: Target | None = None
    failures: str | None = None  # how many requests failed
    refusal: str | None = None  # the first refusal's status and body

    @property
    def ratio(self) -> float:
        return self.value / self.baseline_value if self.baseline_value else math.nan

    @property
    def met(self) -> bool | None:
        if self.failures:
            return False
        if self.target is None:
            return None
        return self.target.met(self.value, self.ratio)


def table(rows: Sequence[Row]) -> str:
    lines = [
        "| scenario | backend | figure | measured | baseline | ratio | target | met? |",
        "| --- | --- | --- | ---: | --- | ---: | --- | --- |",
    ]
    lines += [
        f"| {r.scenario} | {r.backend} | {r.figure} | {_number(r.value)} "
        f"| {_number(r.baseline_value)} ({r.baseline}) | {_number(r.ratio, 2)} "
        f"| {r.target or '—'} | {_verdict(r)} |"
        for r in rows
    ]
    return "\n".join(lines)


def refusals(rows: Sequence[Row]) -> str:
    """Why requests were refused, a line per row that saw a refusal."""
    return "\n".join(f"- {r.scenario} ({r.backend}): `{r.refusal}`" for r in rows if r.refusal)


def progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _verdict(row: Row) -> str:
    if row.failures:
        return f"**no**: {row.failures}"
    return {None: "—", True: "yes", False: "**no**"}[row.met]


def _number(x: float, decimals: int | None = None) -> str:
    if math.isnan(x):
        return "—"
    if decimals is not None:
        return f"{x:.{decimals}f}"
    if abs(x) >= 100 or float(x).is_integer():
        return f"{x:,.0f}"
    if abs(x) >= 10:
        return f"{x:.1f}"
    return f"{x:.3g}"
