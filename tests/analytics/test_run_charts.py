"""Run charts: Anhøj rules, IHI (Perla, Provost & Murray 2011) rules and their tables."""

from collections.abc import Sequence

import pytest

from app.analytics import (
    ChartResult,
    ChartType,
    Direction,
    Observation,
    Phases,
    RunAnalysis,
    compute_chart,
    preset,
)
from app.analytics.runs import crossings_min, longest_run_max, runs_expected

# "Critical values for run length in run chart" (unaettie.com quality-improvement FAQ), the
# longest-run limit round(log2(n) + 3) of Anhøj & Olesen (2014) for n = 10-59 useful observations.
PUBLISHED_LONGEST_RUN = {
    **dict.fromkeys(range(10, 12), 6),
    **dict.fromkeys(range(12, 23), 7),
    **dict.fromkeys(range(23, 46), 8),
    **dict.fromkeys(range(46, 60), 9),
}


def run_chart(values: Sequence[float], rules: str, phases: Phases = Phases()) -> ChartResult:
    return compute_chart(
        [Observation(v) for v in values], ChartType.RUN, Direction.INCREASE, preset(rules), phases
    )


def analysis(values: Sequence[float], rules: str) -> RunAnalysis:
    result = run_chart(values, rules).summary.run_analysis
    assert result is not None
    return result


def exact_binomial_5th_percentile(trials: int) -> int:
    """Oracle for R's qbinom(0.05, trials, 0.5) in exact integers: the least k with
    P(X ≤ k) = Σ C(trials, i) / 2^trials ≥ 1/20."""
    cumulative, term = 0, 1
    for k in range(trials + 1):
        cumulative += term
        if 20 * cumulative >= 2**trials:
            return k
        term = term * (trials - k) // (k + 1)
    raise AssertionError("unreachable")


@pytest.mark.parametrize(("useful", "limit"), sorted(PUBLISHED_LONGEST_RUN.items()))
def test_anhoj_longest_run_limit_matches_the_published_table(useful: int, limit: int) -> None:
    assert longest_run_max(useful) == limit


def test_anhoj_crossings_limit_for_13_points_is_3() -> None:
    """Wentzel-Larsen & Anhøj, "Improving tools for quality improvement: crossings, runs, and
    crossrun" (Science Trends, 2019): with 13 data points fewer than three crossings signal."""
    assert crossings_min(13) == 3


@pytest.mark.parametrize("useful", [*range(10, 61), 100, 1_000, 10_001])
def test_anhoj_crossings_limit_is_the_5th_percentile_of_binomial_n_minus_1(useful: int) -> None:
    """Anhøj & Olesen (2014); qicharts2 computes qbinom(0.05, n - 1, 0.5)."""
    assert crossings_min(useful) == exact_binomial_5th_percentile(useful - 1)


@pytest.mark.parametrize(
    ("useful", "limits"),
    [(10, (3, 9)), (14, (4, 12)), (20, (6, 16)), (24, (8, 18)), (26, (9, 19)), (40, (15, 27))],
)
def test_ihi_runs_table_rows(useful: int, limits: tuple[int, int]) -> None:
    """Perla, Provost & Murray (2011), Table 1, rows read identically in two transcriptions."""
    assert runs_expected(useful) == limits


def test_ihi_runs_table_is_symmetric_for_even_numbers_of_observations() -> None:
    """With n/2 points on each side the number of runs is symmetric about n/2 + 1 (Swed &
    Eisenhart 1943), so each even row's limits must add up to n + 2: a check on transcription."""
    for useful in range(10, 61, 2):
        low, high = runs_expected(useful) or (0, 0)
        assert low + high == useful + 2, useful


def test_ihi_runs_table_covers_only_10_to_60_useful_observations() -> None:
    assert runs_expected(9) is None
    assert runs_expected(61) is None


def test_anhoj_signals_a_level_shift_by_a_long_run_and_too_few_crossings() -> None:
    """20 points, ten below then ten above the median 10.5: longest run 10 > 7, and 1 crossing
    < 6 (limits for n = 20: 7 and 6)."""
    result = analysis(list(range(1, 21)), "anhoj")
    assert result.median == 10.5
    assert (result.longest_run, result.longest_run_max) == (10, 7)
    assert (result.crossings, result.crossings_min) == (1, 6)
    assert result.shifts == ((0, 9), (10, 19))
    assert result.signal


def test_anhoj_signals_too_few_crossings_without_a_long_run() -> None:
    """Blocks of five below and above the median: longest run 5 is within 7, but 3 crossings
    are fewer than the 6 expected for 20 useful observations."""
    result = analysis([1, 2, 3, 2, 1, 8, 9, 8, 9, 8] * 2, "anhoj")
    assert (result.longest_run, result.crossings) == (5, 3)
    assert result.shifts == ()
    assert result.signal


def test_anhoj_has_no_trend_rule() -> None:
    """Anhøj & Olesen (2014) drop the trend rule; 1..20 rises throughout yet reports no trend."""
    assert analysis(list(range(1, 21)), "anhoj").trends == ()


def test_points_on_the_median_neither_add_to_nor_break_a_run() -> None:
    """Perla et al. (2011). Six 9s, one 5 and six 1s have median 5: the 5 at index 3 sits inside
    the 9s, which still make one run of 6 useful points (a shift)."""
    values = [9, 9, 9, 5, 9, 9, 9, 1, 1, 1, 1, 1, 1]
    result = analysis(values, "ihi")
    assert result.median == 5
    assert result.useful_observations == 12
    assert (result.longest_run, result.number_of_runs) == (6, 2)
    assert result.shifts == ((0, 6), (7, 12))
    points = run_chart(values, "ihi").points
    assert points[3].special_cause == ()


def test_ihi_trend_counts_equal_neighbours_once() -> None:
    """Perla et al. (2011): like values are counted once in a trend. 3, 4, 4, 5, 6, 7 is a trend
    of five points (3 4 5 6 7); 3, 4, 4, 5, 6 is only four."""
    five = analysis([8, 2, 9, 8, 3, 4, 4, 5, 6, 7, 2, 8], "ihi")
    four = analysis([8, 2, 9, 8, 3, 4, 4, 5, 6, 1, 8, 2], "ihi")
    assert five.trends == ((4, 9),)
    assert four.trends == ()


def test_ihi_signals_too_many_runs() -> None:
    """20 alternating points make 20 runs; Perla et al. Table 1 allows 6 to 16 for n = 20."""
    result = analysis([1, 3] * 10, "ihi")
    assert (result.number_of_runs, result.runs_expected) == (20, (6, 16))
    assert result.signal


def test_data_without_long_runs_trends_or_odd_run_counts_give_no_signal() -> None:
    """Median 5.5; 10 runs (IHI range for 14 is 4-12), longest run 2, 9 crossings (minimum 4)."""
    values = [3, 6, 7, 2, 1, 8, 5, 4, 9, 2, 6, 3, 7, 8]
    assert not analysis(values, "ihi").signal
    assert not analysis(values, "anhoj").signal


def test_run_chart_has_a_median_centre_and_no_limits_or_assurance() -> None:
    result = compute_chart(
        [Observation(v) for v in [4, 8, 1, 9, 3, 7, 2, 6, 5, 10]],
        ChartType.RUN,
        Direction.INCREASE,
        preset("ihi"),
        target=3,
    )
    assert {p.centre for p in result.points} == {5.5}
    assert all(p.upper is None and p.lower_two_sigma is None for p in result.points)
    assert result.summary.assurance_icon is None


def test_too_few_points_for_run_analysis_give_counts_but_no_signal() -> None:
    result = run_chart(list(range(1, 10)), "anhoj")
    assert result.summary.run_analysis == analysis(list(range(1, 10)), "anhoj")
    assert analysis(list(range(1, 10)), "anhoj").longest_run == 4
    assert not analysis(list(range(1, 10)), "anhoj").signal
    assert result.warnings == ("too_few_points_for_run_analysis",)


def test_a_run_chart_baseline_median_is_extended_over_later_points() -> None:
    """Perla et al. (2011): a baseline median is frozen and later points judged against it."""
    values = [3, 5, 4, 6, 5, 4, 6, 3, 5, 4, 9, 9, 9, 9, 9, 9]
    result = run_chart(values, "ihi", Phases(baseline_points=10))
    assert result.points[-1].centre == 4.5
    shifted = [p.index for p in result.points if "shift" in p.special_cause]
    assert shifted == list(range(10, 16))
