"""Value types shared by the analytics modules: what goes into a chart and what comes out.

Everything here is frozen and free of behaviour so that the API layer can serialise it as it is.
Vocabulary follows NHS England's Making Data Count (MDC) guidance: "improvement", "concern" and
"neither" for special-cause variation, "pass", "fail" and "hit and miss" for assurance.
"""

from dataclasses import dataclass
from enum import StrEnum


class Direction(StrEnum):
    """Which way is better for the measure."""

    INCREASE = "increase"
    DECREASE = "decrease"
    NEITHER = "neither"


class ChartType(StrEnum):
    RUN = "run"
    XMR = "xmr"
    P = "p"
    U = "u"
    C = "c"
    P_PRIME = "p_prime"
    U_PRIME = "u_prime"


class Variation(StrEnum):
    COMMON_CAUSE = "common_cause"
    IMPROVEMENT = "improvement"
    CONCERN = "concern"
    NEITHER = "neither"


class VariationIcon(StrEnum):
    COMMON_CAUSE = "common_cause"
    IMPROVEMENT_HIGH = "improvement_high"
    IMPROVEMENT_LOW = "improvement_low"
    CONCERN_HIGH = "concern_high"
    CONCERN_LOW = "concern_low"
    NEITHER_HIGH = "neither_high"
    NEITHER_LOW = "neither_low"


class AssuranceIcon(StrEnum):
    PASS = "pass"
    FAIL = "fail"
    HIT_AND_MISS = "hit_and_miss"


class Rule(StrEnum):
    """Names of the special-cause rules, as reported in `PointResult.special_cause`."""

    OUTSIDE_LIMITS = "outside_limits"
    SHIFT = "shift"
    TREND = "trend"
    TWO_OF_THREE = "two_of_three"


class ChartWarning(StrEnum):
    """Machine codes for `ChartResult.warnings`; the API turns them into text."""

    TOO_FEW_POINTS_FOR_LIMITS = "too_few_points_for_limits"
    TOO_FEW_POINTS_FOR_RUN_ANALYSIS = "too_few_points_for_run_analysis"
    BASELINE_OVERRIDES_RECALCULATION = "baseline_overrides_recalculation"
    LANEY_ADVISED = "laney_advised"


@dataclass(frozen=True)
class Observation:
    """One dot. For p and u charts (and their Laney forms) `value` is numerator / denominator,
    already scaled by the measure's multiplier; numerator and denominator are then required."""

    value: float
    numerator: float | None = None
    denominator: float | None = None


@dataclass(frozen=True)
class RuleSet:
    """The rules actually applied; `presets.preset` builds one. A length of 0 turns a rule off."""

    preset: str
    shift_points: int
    trend_points: int
    minimum_points: int
    screen_moving_ranges: bool
    two_of_three: bool
    rules_cross_phases: bool
    overridden: tuple[str, ...] = ()


@dataclass(frozen=True)
class Phases:
    """How the points are split. With both a baseline and recalculations only the baseline
    applies (as in the MDC tool) and the result carries a warning saying so."""

    baseline_points: int | None = None
    recalculate_at: tuple[int, ...] = ()


@dataclass(frozen=True)
class PointResult:
    index: int
    value: float
    centre: float | None
    upper: float | None
    lower: float | None
    upper_two_sigma: float | None
    lower_two_sigma: float | None
    special_cause: tuple[str, ...]
    variation: Variation


@dataclass(frozen=True)
class PhaseResult:
    """A section with its own centre and limits. `basis_end` is the last index the centre and
    limits were computed from: equal to `end` for kind "phase", the last baseline point for kind
    "baseline". For p and u charts the limits reported here are those at the basis's mean
    denominator; each point carries its own limits."""

    start: int
    end: int
    basis_end: int
    kind: str
    centre: float
    upper: float | None
    lower: float | None
    upper_two_sigma: float | None
    lower_two_sigma: float | None


@dataclass(frozen=True)
class RunAnalysis:
    """Runs analysis of a run chart's latest phase against its median."""

    median: float
    useful_observations: int
    longest_run: int
    longest_run_max: int | None
    crossings: int
    crossings_min: int | None
    number_of_runs: int
    runs_expected: tuple[int, int] | None
    shifts: tuple[tuple[int, int], ...]
    trends: tuple[tuple[int, int], ...]
    signal: bool


@dataclass(frozen=True)
class Summary:
    variation_icon: VariationIcon | None
    assurance_icon: AssuranceIcon | None
    run_analysis: RunAnalysis | None


@dataclass(frozen=True)
class ChartResult:
    chart_type: ChartType
    direction: Direction
    rules: RuleSet
    points: tuple[PointResult, ...]
    phases: tuple[PhaseResult, ...]
    summary: Summary
    warnings: tuple[str, ...]
