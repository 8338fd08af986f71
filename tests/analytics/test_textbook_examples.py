"""Worked examples from Montgomery, *Introduction to Statistical Quality Control* (6th ed., 2009).

The attribute data are those distributed with the R package qcc (``data/orangejuice.txt``,
``circuit.txt`` and ``pcmanufact.txt``), which cites Montgomery; qicharts2 tests against the same
examples. Expected figures are Montgomery's printed ones. Rules are the mdc preset with the
minimum lowered where an example has fewer than 13 points.
"""

import pytest

from app.analytics import (
    ChartType,
    Direction,
    Observation,
    Phases,
    compute_chart,
    preset,
)

MDC = preset("mdc")

# Example 7.1: nonconforming orange-juice cans in 30 samples of 50.
ORANGE_JUICE = [12, 15, 8, 10, 4, 7, 16, 9, 14, 10, 5, 6, 17, 12, 22,
                8, 10, 5, 13, 11, 20, 18, 24, 15, 9, 12, 7, 13, 9, 6]  # fmt: skip

# Example 7.3: nonconformities in 26 samples of 100 printed circuit boards.
CIRCUIT_BOARDS = [21, 24, 16, 12, 15, 5, 28, 20, 31, 25, 20, 24, 16,
                  19, 10, 17, 13, 22, 18, 39, 30, 24, 16, 19, 17, 15]  # fmt: skip

# Example 7.4: nonconformities in 20 samples of 5 personal computers.
COMPUTERS = [10, 12, 8, 14, 10, 16, 11, 7, 10, 15, 9, 5, 7, 11, 12, 6, 8, 10, 7, 5]

# Example 6.5: weekly cost of processing mortgage loan applications, 20 weeks.
LOAN_COSTS = [310, 288, 297, 298, 307, 303, 294, 297, 308, 306,
              294, 299, 297, 299, 314, 295, 293, 306, 301, 304]  # fmt: skip


def ratios(counts: list[int], size: int, multiplier: float = 1.0) -> list[Observation]:
    return [Observation(multiplier * c / size, c, size) for c in counts]


def test_p_chart_reproduces_montgomerys_orange_juice_limits() -> None:
    """Montgomery Example 7.1: p̄ = 347/1500 = 0.2313, UCL = 0.4102, LCL = 0.0524."""
    result = compute_chart(ratios(ORANGE_JUICE, 50), ChartType.P, Direction.DECREASE, MDC)
    (phase,) = result.phases
    assert phase.centre == pytest.approx(0.2313, abs=5e-5)
    assert phase.upper == pytest.approx(0.4102, abs=5e-5)
    assert phase.lower == pytest.approx(0.0524, abs=5e-5)


def test_p_chart_flags_montgomerys_samples_15_and_23_above_the_upper_limit() -> None:
    """Montgomery Example 7.1: samples 15 and 23 plot above the upper control limit."""
    result = compute_chart(ratios(ORANGE_JUICE, 50), ChartType.P, Direction.DECREASE, MDC)
    outside = [p.index + 1 for p in result.points if "outside_limits" in p.special_cause]
    assert outside == [15, 23]
    assert [result.points[i].variation.value for i in (14, 22)] == ["concern", "concern"]


def test_c_chart_reproduces_montgomerys_circuit_board_limits() -> None:
    """Montgomery Example 7.3: c̄ = 516/26 = 19.85, UCL = 33.22, LCL = 6.48. Montgomery rounds
    c̄ to 19.85 before adding 3√c̄, which puts his UCL 0.005 above the unrounded 33.211."""
    result = compute_chart(
        [Observation(c) for c in CIRCUIT_BOARDS], ChartType.C, Direction.DECREASE, MDC
    )
    (phase,) = result.phases
    assert phase.centre == pytest.approx(19.85, abs=0.005)
    assert phase.upper == pytest.approx(33.22, abs=0.01)
    assert phase.lower == pytest.approx(6.48, abs=0.005)


def test_c_chart_flags_montgomerys_samples_6_and_20_outside_the_limits() -> None:
    """Montgomery Example 7.3: sample 6 below the LCL, sample 20 above the UCL."""
    result = compute_chart(
        [Observation(c) for c in CIRCUIT_BOARDS], ChartType.C, Direction.DECREASE, MDC
    )
    outside = [p.index + 1 for p in result.points if "outside_limits" in p.special_cause]
    assert outside == [6, 20]


def test_u_chart_reproduces_montgomerys_personal_computer_limits() -> None:
    """Montgomery Example 7.4: ū = 193/100 = 1.93, UCL = 3.79, LCL = 0.07 (n = 5)."""
    result = compute_chart(ratios(COMPUTERS, 5), ChartType.U, Direction.DECREASE, MDC)
    (phase,) = result.phases
    assert phase.centre == pytest.approx(1.93, abs=0.005)
    assert phase.upper == pytest.approx(3.79, abs=0.005)
    assert phase.lower == pytest.approx(0.07, abs=0.005)
    assert not any(p.special_cause for p in result.points)


def test_u_chart_multiplier_scales_centre_and_limits_with_the_values() -> None:
    """Per 100 computers, Montgomery Example 7.4 reads ū = 193, UCL = 379, LCL = 7."""
    result = compute_chart(
        ratios(COMPUTERS, 5, multiplier=100), ChartType.U, Direction.DECREASE, MDC, multiplier=100
    )
    (phase,) = result.phases
    assert phase.centre == pytest.approx(193)
    assert phase.upper == pytest.approx(379, abs=0.5)
    assert phase.lower == pytest.approx(7, abs=0.5)


def test_xmr_baseline_reproduces_montgomerys_loan_cost_limits_and_extends_them() -> None:
    """Montgomery Example 6.5 (qicharts2 tests it with ``freeze = 20``): x̄ = 300.5,
    MR̄ = 7.79, UCL = 321.22, LCL = 279.78 from the 20 weeks. Five later weeks (made up here)
    keep the frozen limits, and the 325 beyond the UCL is flagged."""
    later = [305, 298, 325, 301, 299]
    observations = [Observation(x) for x in LOAN_COSTS + later]
    result = compute_chart(
        observations, ChartType.XMR, Direction.DECREASE, MDC, Phases(baseline_points=20)
    )
    for point in result.points:
        assert point.centre == pytest.approx(300.5)
        assert point.upper == pytest.approx(321.22, abs=0.005)
        assert point.lower == pytest.approx(279.78, abs=0.005)
    assert [p.index for p in result.points if p.special_cause] == [22]
    assert result.points[22].variation.value == "concern"
