"""Properties that hold for any data (hypothesis, derandomised so CI runs are repeatable)."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.analytics import (
    AssuranceIcon,
    ChartResult,
    ChartType,
    Direction,
    Observation,
    Variation,
    VariationIcon,
    compute_chart,
    preset,
)

SETTINGS = settings(database=None, derandomize=True, deadline=None, max_examples=150)
MDC = preset("mdc")

values = st.lists(st.integers(-1000, 1000), min_size=13, max_size=60)
ratios = st.lists(
    st.integers(1, 500).flatmap(lambda n: st.tuples(st.integers(0, n), st.just(n))),
    min_size=13,
    max_size=60,
)


def xmr(
    data: list[int], direction: Direction = Direction.INCREASE, target: float | None = None
) -> ChartResult:
    observations = [Observation(v) for v in data]
    return compute_chart(observations, ChartType.XMR, direction, MDC, target=target)


@SETTINGS
@given(values)
def test_xmr_limits_are_symmetric_about_the_centre(data: list[int]) -> None:
    for p in xmr(data).points:
        assert p.upper is not None
        assert p.lower is not None
        assert p.centre is not None
        assert p.upper - p.centre == pytest.approx(p.centre - p.lower, abs=1e-9)


@SETTINGS
@given(ratios)
def test_p_limits_stay_within_0_and_1(data: list[tuple[int, int]]) -> None:
    observations = [Observation(c / n, c, n) for c, n in data]
    result = compute_chart(observations, ChartType.P, Direction.INCREASE, MDC)
    for p in result.points:
        limits = (p.lower, p.lower_two_sigma, p.upper_two_sigma, p.upper)
        assert all(x is not None and 0 <= x <= 1 for x in limits)


@SETTINGS
@given(values, st.integers(-10_000, 10_000))
def test_adding_a_constant_moves_centre_and_limits_and_changes_no_signal(
    data: list[int], constant: int
) -> None:
    before, after = xmr(data), xmr([v + constant for v in data])
    for a, b in zip(before.points, after.points, strict=True):
        assert (b.centre, b.upper, b.lower) == pytest.approx(
            (a.centre + constant, a.upper + constant, a.lower + constant)  # type: ignore[operator]
        )
        assert (b.special_cause, b.variation) == (a.special_cause, a.variation)


SWAPPED_VARIATION = {
    Variation.IMPROVEMENT: Variation.CONCERN,
    Variation.CONCERN: Variation.IMPROVEMENT,
}
SWAPPED_ICON = {
    VariationIcon.IMPROVEMENT_HIGH: VariationIcon.CONCERN_HIGH,
    VariationIcon.IMPROVEMENT_LOW: VariationIcon.CONCERN_LOW,
    VariationIcon.CONCERN_HIGH: VariationIcon.IMPROVEMENT_HIGH,
    VariationIcon.CONCERN_LOW: VariationIcon.IMPROVEMENT_LOW,
}
SWAPPED_ASSURANCE = {AssuranceIcon.PASS: AssuranceIcon.FAIL, AssuranceIcon.FAIL: AssuranceIcon.PASS}


@SETTINGS
@given(values, st.integers(-1000, 1000))
def test_reversing_the_direction_swaps_improvement_and_concern_and_nothing_else(
    data: list[int], target: int
) -> None:
    up = xmr(data, Direction.INCREASE, target=target)
    down = xmr(data, Direction.DECREASE, target=target)
    for a, b in zip(up.points, down.points, strict=True):
        assert (a.centre, a.upper, a.lower, a.special_cause) == (
            b.centre,
            b.upper,
            b.lower,
            b.special_cause,
        )
        # A point flagged both ways is improvement whichever way is better.
        if a.variation is b.variation:
            assert a.variation in {Variation.COMMON_CAUSE, Variation.IMPROVEMENT}
        else:
            assert SWAPPED_VARIATION[a.variation] is b.variation
    if up.points[-1].variation is not down.points[-1].variation:
        icon = up.summary.variation_icon
        assert down.summary.variation_icon is SWAPPED_ICON.get(icon, icon)  # type: ignore[arg-type]
    assurance = up.summary.assurance_icon
    assert down.summary.assurance_icon is SWAPPED_ASSURANCE.get(assurance, assurance)  # type: ignore[arg-type]


@SETTINGS
@given(st.lists(st.integers(-5, 5), min_size=13, max_size=80))
def test_each_flagged_point_has_a_rule_and_each_unflagged_point_is_common_cause(
    data: list[int],
) -> None:
    for p in xmr(data, Direction.NEITHER).points:
        assert (p.variation is Variation.COMMON_CAUSE) == (p.special_cause == ())


@pytest.mark.parametrize("chart_type", [ChartType.XMR, ChartType.P, ChartType.RUN])
def test_ten_thousand_points_are_computed(chart_type: ChartType) -> None:
    observations = [Observation((i * 7919 % 101) / 101, i * 7919 % 101, 101) for i in range(10_000)]
    result = compute_chart(observations, chart_type, Direction.INCREASE, MDC)
    assert len(result.points) == 10_000
    assert result.points[-1].centre is not None
