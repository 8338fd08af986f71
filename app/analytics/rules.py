"""Special-cause rules, each one linear-time pass over the points.

Conventions (Making Data Count Single Chart Tool v5 and its XmR test pack; NHSRplotthedots agrees):

- outside limits: a point strictly above the upper or below the lower process limit;
- shift: `length` consecutive points on one side of the centre; on a control chart a point on the
  centre breaks it (on a run chart it neither adds nor breaks: Perla, Provost & Murray 2011);
- trend: `length` points, i.e. `length` − 1 consecutive increases or decreases; it may cross the
  centre. On a control chart an equal value breaks it (MDC); on a run chart a tie counts once and
  neither adds nor breaks (Perla et al. 2011);
- two of three: in any 3 consecutive points all on the same side of the centre, 2 or 3 lying
  beyond the two-sigma line but not beyond the process limit; those points are flagged.

A signal is reported as (index, side) with side +1 for high, -1 for low; a trend's side is its
direction (increasing is high).
"""

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

Signal = tuple[int, int]


@dataclass(frozen=True)
class Run:
    """A maximal stretch of items sharing one non-zero key: first and last positions, key, size."""

    first: int
    last: int
    key: int
    size: int


def sign(x: float) -> int:
    return (x > 0) - (x < 0)


def runs(items: Iterable[tuple[int, int]]) -> Iterator[Run]:
    """Group consecutive (position, key) items into runs of equal non-zero key; 0 ends a run."""
    first = last = key = size = 0
    for position, item_key in items:
        if size and item_key == key:
            last, size = position, size + 1
            continue
        if size:
            yield Run(first, last, key, size)
        first, last, key, size = position, position, item_key, 1 if item_key else 0
    if size:
        yield Run(first, last, key, size)


def outside_limits(
    values: Sequence[float], upper: Sequence[float | None], lower: Sequence[float | None]
) -> Iterator[Signal]:
    for i, (x, hi, lo) in enumerate(zip(values, upper, lower, strict=True)):
        if hi is not None and x > hi:
            yield i, 1
        elif lo is not None and x < lo:
            yield i, -1


def shifts(sides: Sequence[int], length: int) -> Iterator[Run]:
    """Runs of at least `length` points on one side (side: sign of value − centre); a point on
    the centre (side 0) breaks a run. Run charts skip such points instead (see `runs.py`)."""
    return (run for run in runs(enumerate(sides)) if length and run.size >= length)


def trends(values: Sequence[float], length: int, ties_break: bool) -> Iterator[Run]:
    """Monotone stretches of at least `length` points; `first`/`last` are point indices."""
    moves = ((i, sign(values[i] - values[i - 1])) for i in range(1, len(values)))
    items = (move for move in moves if move[1] or ties_break)
    for run in runs(items):
        if length and run.size + 1 >= length:
            yield Run(run.first - 1, run.last, run.key, run.size + 1)


def two_of_three(sides: Sequence[int], beyond_two_sigma: Sequence[bool]) -> Iterator[Signal]:
    """`beyond_two_sigma[i]`: beyond the two-sigma line and within the process limits."""
    flagged: set[int] = set()
    for start in range(len(sides) - 2):
        window = range(start, start + 3)
        side = sides[start]
        if side and all(sides[i] == side for i in window):
            hits = [i for i in window if beyond_two_sigma[i]]
            if len(hits) >= 2:
                flagged.update(hits)
    return ((i, sides[i]) for i in sorted(flagged))
