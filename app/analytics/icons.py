"""Point status and the two summary icons of NHS England's Making Data Count.

- A flagged point is high or low (above/below the centre; for a trend its direction) and, through
  the improvement direction, improvement or concern ("neither" when no direction is better). A
  point flagged both ways is shown as improvement (MDC test pack: "special cause conflict").
- Variation icon: the status of the last point, with its side.
- Assurance icon: target within the latest limits (lower ≤ target ≤ upper) is hit and miss;
  otherwise pass when the whole range is on the good side of the target, fail when on the bad side.
  NHSRplotthedots ``ptd_calculate_assurance_type`` does the same. p and u limits vary with the
  denominator, so the caller passes the last point's limits.
"""

from collections.abc import Sequence

from app.analytics.types import AssuranceIcon, Direction, Variation, VariationIcon

_PREFERENCE = (Variation.IMPROVEMENT, Variation.CONCERN, Variation.NEITHER)

_ICONS = {
    (Variation.IMPROVEMENT, 1): VariationIcon.IMPROVEMENT_HIGH,
    (Variation.IMPROVEMENT, -1): VariationIcon.IMPROVEMENT_LOW,
    (Variation.CONCERN, 1): VariationIcon.CONCERN_HIGH,
    (Variation.CONCERN, -1): VariationIcon.CONCERN_LOW,
    (Variation.NEITHER, 1): VariationIcon.NEITHER_HIGH,
    (Variation.NEITHER, -1): VariationIcon.NEITHER_LOW,
}


def classify(side: int, direction: Direction) -> Variation:
    """Improvement, concern or neither for a signal on `side` (+1 high, -1 low)."""
    if direction is Direction.NEITHER:
        return Variation.NEITHER
    good = 1 if direction is Direction.INCREASE else -1
    return Variation.IMPROVEMENT if side == good else Variation.CONCERN


def resolve(sides: Sequence[int], direction: Direction) -> tuple[Variation, int]:
    """A point's status and side from the sides of its signals, in rule-priority order."""
    if not sides:
        return Variation.COMMON_CAUSE, 0
    statuses = [(classify(side, direction), side) for side in sides]
    for wanted in _PREFERENCE:
        for status, side in statuses:
            if status is wanted:
                return status, side
    return Variation.COMMON_CAUSE, 0


def variation_icon(status: Variation, side: int) -> VariationIcon:
    if status is Variation.COMMON_CAUSE:
        return VariationIcon.COMMON_CAUSE
    return _ICONS[status, side]


def assurance_icon(
    target: float | None, direction: Direction, upper: float | None, lower: float | None
) -> AssuranceIcon | None:
    if target is None or direction is Direction.NEITHER or upper is None or lower is None:
        return None
    if lower <= target <= upper:
        return AssuranceIcon.HIT_AND_MISS
    above_target = lower > target
    wants_high = direction is Direction.INCREASE
    return AssuranceIcon.PASS if above_target == wants_high else AssuranceIcon.FAIL
