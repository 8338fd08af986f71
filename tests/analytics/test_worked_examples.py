"""Hand-worked examples for Laney p′ and NHSRplotthedots moving-range screening.

No published Laney (2002) data set was available to copy, so the p′ example is computed by hand
below, step by step, from the formulas in Laney, "Improved control charts for attributes",
Quality Engineering 14(4):531-537 (2002).
"""

from itertools import pairwise
from math import sqrt

import pytest

from app.analytics import ChartType, Direction, Observation, compute_chart, preset

# Laney example: (nonconforming, inspected) in four periods.
LANEY_DATA = [(12, 100), (30, 150), (15, 120), (40, 200)]


def test_laney_p_prime_limits_match_the_hand_computation() -> None:
    """1. p̄ = 97 / 570 = 0.170175.
    2. σᵢ = √(p̄(1 − p̄)/nᵢ) = 0.037579, 0.030683, 0.034304, 0.026572.
    3. pᵢ = 0.12, 0.2, 0.125, 0.2, so zᵢ = (pᵢ − p̄)/σᵢ = −1.33521, 0.97203, −1.31690, 1.12240.
    4. Moving ranges of z: 2.30724, 2.28892, 2.43930; mean 2.34515; σ_z = 2.34515/1.128 = 2.07903.
    5. UCLᵢ = p̄ + 3σᵢσ_z = 0.40456, 0.36155, 0.38414, 0.33591;
       LCLᵢ = p̄ − 3σᵢσ_z = −0.0642, −0.0212, −0.0438 (clipped to 0), 0.00444."""
    observations = [Observation(c / n, c, n) for c, n in LANEY_DATA]
    rules = preset("mdc", minimum_points=4)
    result = compute_chart(observations, ChartType.P_PRIME, Direction.DECREASE, rules)
    assert result.points[0].centre == pytest.approx(0.170175, abs=1e-6)
    uppers = [p.upper for p in result.points]
    lowers = [p.lower for p in result.points]
    assert uppers == pytest.approx([0.40456, 0.36155, 0.38414, 0.33591], abs=1e-5)
    assert lowers == pytest.approx([0.0, 0.0, 0.0, 0.00444], abs=1e-5)


def test_laney_p_prime_with_equal_subgroups_is_the_individuals_chart_of_the_proportions() -> None:
    """Laney (2002): with equal subgroup sizes the p′ chart reduces to an individuals chart of the
    proportions, p̄ ± 3·MR̄/1.128 (σᵢ cancels between z and the limits)."""
    counts = [12, 15, 8, 10, 4, 7, 16, 9, 14, 10, 5, 6, 17, 12, 22]
    proportions = [c / 50 for c in counts]
    mean_mr = sum(abs(b - a) for a, b in pairwise(proportions)) / 14
    result = compute_chart(
        [Observation(c / 50, c, 50) for c in counts],
        ChartType.P_PRIME,
        Direction.DECREASE,
        preset("mdc"),
    )
    (phase,) = result.phases
    assert phase.centre == pytest.approx(sum(counts) / 750)
    assert phase.upper == pytest.approx(sum(counts) / 750 + 3 * mean_mr / 1.128)


def test_laney_u_prime_with_equal_exposure_is_the_individuals_chart_of_the_rates() -> None:
    """Laney (2002), u′ form: equal exposures give ū ± 3·MR̄/1.128 of the rates."""
    counts = [21, 24, 16, 12, 15, 5, 28, 20, 31, 25, 20, 24, 16]
    rates = [c / 100 for c in counts]
    mean_mr = sum(abs(b - a) for a, b in pairwise(rates)) / 12
    result = compute_chart(
        [Observation(c / 100, c, 100) for c in counts],
        ChartType.U_PRIME,
        Direction.DECREASE,
        preset("mdc"),
    )
    (phase,) = result.phases
    assert phase.upper == pytest.approx(sum(counts) / 1300 + 3 * mean_mr / 1.128)


def test_nhsr_screening_drops_moving_ranges_of_3267_times_the_mean_and_recomputes() -> None:
    """Data from the NHSRplotthedots vignette "Deviations from Excel defaults" (a single spike of
    10 among 1s and 2s). By hand: the 17 moving ranges are 1, 1, 1, 8, 9 and twelve 1s, mean
    32/17 = 1.882; 3.267 × 1.882 = 6.149 drops the 8 and the 9, leaving fifteen 1s, mean 1. The
    mean of the 18 values is 35/18 = 1.9444, so the screened limits are 1.9444 ± 2.66."""
    data = [1, 2, 1, 2, 10, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1]
    observations = [Observation(x) for x in data]
    screened = compute_chart(observations, ChartType.XMR, Direction.INCREASE, preset("nhsr"))
    plain = compute_chart(observations, ChartType.XMR, Direction.INCREASE, preset("mdc"))
    assert screened.phases[0].upper == pytest.approx(35 / 18 + 2.66)
    assert plain.phases[0].upper == pytest.approx(35 / 18 + 2.66 * 32 / 17)


def test_hand_computed_p_limits_vary_with_each_denominator() -> None:
    """p̄ = 97/570; point 1 (n = 100): p̄ + 3√(p̄(1 − p̄)/100) = 0.28291; point 4 (n = 200):
    p̄ + 3√(p̄(1 − p̄)/200) = 0.24989."""
    observations = [Observation(c / n, c, n) for c, n in LANEY_DATA]
    result = compute_chart(
        observations, ChartType.P, Direction.DECREASE, preset("mdc", minimum_points=4)
    )
    p = 97 / 570
    assert result.points[0].upper == pytest.approx(p + 3 * sqrt(p * (1 - p) / 100))
    assert result.points[0].upper == pytest.approx(0.28291, abs=1e-5)
    assert result.points[3].upper == pytest.approx(0.24989, abs=1e-5)
