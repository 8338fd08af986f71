"""Behaviour of `compute_chart` around phases, warnings, icons and its input checks."""

from collections.abc import Sequence

import pytest

from app.analytics import (
    AssuranceIcon,
    ChartResult,
    ChartType,
    Direction,
    Observation,
    Phases,
    RuleSet,
    VariationIcon,
    compute_chart,
    preset,
)
from tests.analytics.mdc_pack import load_scenarios

MDC = preset("mdc")
STEADY = [20, 22, 19, 21, 20, 23, 18, 21, 20, 22, 19, 21, 20, 22, 19, 21]


def xmr(
    values: Sequence[float],
    rules: RuleSet = MDC,
    phases: Phases = Phases(),
    direction: Direction = Direction.INCREASE,
    target: float | None = None,
) -> ChartResult:
    return compute_chart(
        [Observation(v) for v in values], ChartType.XMR, direction, rules, phases, target
    )


def flagged(result: ChartResult, rule: str) -> list[int]:
    return [p.index for p in result.points if rule in p.special_cause]


def test_a_recalculation_gives_each_phase_its_own_centre() -> None:
    result = xmr(STEADY + [v + 10 for v in STEADY], phases=Phases(recalculate_at=(16,)))
    first, second = result.phases
    assert (first.start, first.end, first.kind) == (0, 15, "phase")
    assert (second.start, second.end) == (16, 31)
    assert second.centre == pytest.approx(first.centre + 10)
    assert result.points[16].centre == second.centre


def test_with_a_baseline_and_recalculations_only_the_baseline_applies() -> None:
    result = xmr(STEADY * 2, phases=Phases(baseline_points=14, recalculate_at=(16,)))
    (phase,) = result.phases
    assert (phase.kind, phase.basis_end, phase.end) == ("baseline", 13, 31)
    assert "baseline_overrides_recalculation" in result.warnings


def test_rules_confined_to_phases_miss_a_shift_that_straddles_a_recalculation() -> None:
    """MDC pack "Special cause crossing recalculations - shift": points 14-19 form a shift only
    across the recalculation at point 16, so confining the rules (as NHSRplotthedots does)
    leaves them common cause."""
    scenario = next(s for s in load_scenarios() if s.name.endswith("recalculations - shift"))
    values = [row.value for row in scenario.rows]
    phases = Phases(recalculate_at=(15,))
    across = xmr(values, phases=phases)
    within = xmr(values, preset("mdc", rules_cross_phases=False), phases)
    assert flagged(across, "shift") == list(range(13, 19))
    assert flagged(within, "shift") == []


def test_a_point_on_the_centre_breaks_a_control_chart_shift() -> None:
    """MDC: a point on the mean breaks a shift. The values sum to 320, mean 20, and the 20 at
    index 10 splits six 24s; once it is a 24 too (mean 20.25) the seven points are a shift."""
    values = [10, 30, 10, 30, 10, 30, 10, 24, 24, 24, 20, 24, 24, 24, 13, 13]
    assert flagged(xmr(values), "shift") == []
    values[10] = 24
    assert flagged(xmr(values), "shift") == list(range(7, 14))


def test_a_phase_too_short_for_limits_gets_a_centre_but_no_judgement() -> None:
    result = xmr([*STEADY, 40, 41, 42], phases=Phases(recalculate_at=(16,)))
    assert result.phases[1].centre == 41
    assert result.phases[1].upper is None
    assert all(p.special_cause == () for p in result.points[16:])
    assert result.summary.variation_icon is None
    assert result.warnings == ("too_few_points_for_limits",)


def test_no_observations_give_an_empty_chart_with_a_warning() -> None:
    result = xmr([])
    assert (result.points, result.phases) == ((), ())
    assert result.summary.variation_icon is None
    assert result.warnings == ("too_few_points_for_limits",)


def test_assurance_needs_a_target_and_a_direction() -> None:
    assert xmr(STEADY).summary.assurance_icon is None
    assert xmr(STEADY, direction=Direction.NEITHER, target=5).summary.assurance_icon is None
    assert xmr(STEADY, target=5).summary.assurance_icon is AssuranceIcon.PASS


def test_variation_icon_for_a_last_point_in_a_falling_trend_is_low() -> None:
    """For a trend the side is its direction (MDC): the last six points fall, ending above the
    mean, so the icon is a low concern for "higher is better" (shift of 7 so only the trend
    fires)."""
    values = [*STEADY[:10], 30, 29, 28, 27, 26, 25]
    result = xmr(values, preset("mdc", shift_points=7))
    assert result.points[-1].special_cause == ("trend",)
    assert result.points[-1].value > result.points[-1].centre  # type: ignore[operator]
    assert result.summary.variation_icon is VariationIcon.CONCERN_LOW


def test_p_chart_limits_use_the_last_points_limits_for_assurance() -> None:
    """p̄ = 0.9: the lower limit is 0.77 for n = 50 but 0.89 for the last point's n = 10,000."""
    observations = [Observation(c / n, c, n) for c, n in [(45, 50), (9000, 10_000)] * 7]
    result = compute_chart(observations, ChartType.P, Direction.INCREASE, MDC, target=0.85)
    assert result.points[0].lower == pytest.approx(0.9 - 3 * (0.09 / 50) ** 0.5)
    assert result.points[-1].lower == pytest.approx(0.9 - 3 * (0.09 / 10_000) ** 0.5)
    assert result.summary.assurance_icon is AssuranceIcon.PASS


def test_percentage_p_chart_limits_are_clipped_at_100() -> None:
    observations = [Observation(100 * c / 10, c, 10) for c in [10, 9, 10, 10, 9] * 3]
    result = compute_chart(observations, ChartType.P, Direction.INCREASE, MDC, multiplier=100)
    assert max(p.upper or 0 for p in result.points) == 100


def test_overdispersed_p_chart_advises_laney() -> None:
    """Proportions of 10%-30% with 10,000 per subgroup: σ_z far above 1."""
    counts = [1000, 3000, 2000, 1500, 2500, 1200, 2800, 1800, 2200, 1000, 3000, 2000, 1600]
    observations = [Observation(c / 10_000, c, 10_000) for c in counts]
    result = compute_chart(observations, ChartType.P, Direction.INCREASE, MDC)
    assert "laney_advised" in result.warnings


def test_binomial_looking_p_chart_does_not_advise_laney() -> None:
    """n = 50, p̄ = 130/650 = 0.2, so binomial sampling gives counts an SD of √(50·0.2·0.8) = 2.83;
    the counts' moving ranges average 34/12 = 2.83, i.e. an SD of 2.83/1.128 = 2.51: σ_z = 0.89."""
    counts = [10, 12, 8, 11, 9, 10, 13, 7, 10, 11, 9, 12, 8]
    observations = [Observation(c / 50, c, 50) for c in counts]
    result = compute_chart(observations, ChartType.P, Direction.INCREASE, MDC)
    assert "laney_advised" not in result.warnings


def test_anhoj_rules_on_a_control_chart_flag_runs_longer_than_the_anhoj_limit() -> None:
    """16 points: the limit is round(log2(16)) + 3 = 7, so the last 9 points above the mean signal;
    with the last two dropped, 14 points keep the limit at 7 and a run of 7 does not."""
    values = [10, 16, 9, 15, 10, 16, 9, 15, 14, 15, 14, 15, 14, 15, 14, 15]  # mean 13.5
    result = xmr(values, preset("anhoj", minimum_points=13))
    assert flagged(result, "shift") == list(range(7, 16))
    assert flagged(xmr(values[:-2], preset("anhoj", minimum_points=13)), "shift") == []


@pytest.mark.parametrize(
    ("chart_type", "observation"),
    [
        (ChartType.P, Observation(0.5)),
        (ChartType.U, Observation(0.5, 1, 0)),
        (ChartType.P_PRIME, Observation(0.5, -1, 2)),
        (ChartType.P, Observation(1.5, 3, 2)),
        (ChartType.XMR, Observation(float("nan"))),
    ],
)
def test_unusable_observations_are_refused(chart_type: ChartType, observation: Observation) -> None:
    with pytest.raises(ValueError, match=r"numerator|finite"):
        compute_chart([observation] * 3, chart_type, Direction.INCREASE, MDC)


@pytest.mark.parametrize(
    ("phases", "multiplier"),
    [
        (Phases(recalculate_at=(0,)), 1.0),
        (Phases(recalculate_at=(16,)), 1.0),
        (Phases(baseline_points=0), 1.0),
        (Phases(), 0.0),
    ],
)
def test_impossible_phases_or_multipliers_are_refused(phases: Phases, multiplier: float) -> None:
    with pytest.raises(ValueError, match=r"recalculate_at|baseline_points|multiplier"):
        compute_chart(
            [Observation(v) for v in STEADY],
            ChartType.XMR,
            Direction.INCREASE,
            MDC,
            phases,
            multiplier=multiplier,
        )
