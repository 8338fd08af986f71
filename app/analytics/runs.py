"""Run-chart analysis against the median: Anhøj rules and IHI (Perla, Provost & Murray) rules.

Useful observations are the points not on the median; a run is a maximal sequence of useful points
on one side; crossings = runs − 1.

- Anhøj & Olesen (2014), PLoS ONE 9(11): e113825, as implemented in qicharts2: non-random variation
  when the longest run exceeds round(log2(n)) + 3, or when there are fewer crossings than the lower
  5th percentile of Binomial(n − 1, 0.5) (qicharts2: ``qbinom(0.05, n - 1, 0.5)``), n = useful
  observations. There is no trend rule (the paper shows it to be of no use).
- Perla, Provost & Murray (2011), BMJ Qual Saf 20:46-51 (the IHI rules): a shift of `shift_points`
  or more useful points on one side, a trend of `trend_points` or more points going one way (a tie
  counts once), or a number of runs outside the paper's Table 1 range, which covers 10-60 useful
  observations. The astronomical-point rule needs judgement and is not computed.
"""

from collections.abc import Iterable, Sequence
from math import exp, floor, lgamma, log, log2, sqrt

from app.analytics.rules import Run, runs, sign, trends
from app.analytics.types import RuleSet, RunAnalysis

ANHOJ = "anhoj"
CROSSINGS_QUANTILE = 0.05

# Perla, Provost & Murray (2011), Table 1 (after Swed & Eisenhart 1943): for n useful observations,
# fewer runs than the first number or more than the second signal non-random variation.
# fmt: off
_RUNS_TABLE: dict[int, tuple[int, int]] = {
    10: (3, 9), 11: (3, 10), 12: (3, 11), 13: (4, 11), 14: (4, 12), 15: (5, 12), 16: (5, 13),
    17: (5, 13), 18: (6, 14), 19: (6, 15), 20: (6, 16), 21: (7, 16), 22: (7, 17), 23: (7, 17),
    24: (8, 18), 25: (8, 18), 26: (9, 19), 27: (10, 19), 28: (10, 20), 29: (10, 20), 30: (11, 21),
    31: (11, 22), 32: (11, 23), 33: (12, 23), 34: (12, 24), 35: (13, 24), 36: (13, 25),
    37: (13, 25), 38: (14, 26), 39: (14, 26), 40: (15, 27), 41: (16, 27), 42: (16, 28),
    43: (17, 28), 44: (17, 29), 45: (17, 30), 46: (17, 31), 47: (18, 31), 48: (18, 32),
    49: (19, 32), 50: (19, 33), 51: (20, 33), 52: (20, 34), 53: (21, 34), 54: (21, 35),
    55: (22, 35), 56: (22, 36), 57: (23, 36), 58: (23, 37), 59: (24, 38), 60: (24, 38),
}
# fmt: on


def longest_run_max(useful: int) -> int:
    """Anhøj: the longest run expected in random data, round(log2(n)) + 3."""
    return round(log2(useful)) + 3


def crossings_min(useful: int) -> int:
    """Anhøj: the 5th percentile of Binomial(n − 1, 0.5), i.e. R's ``qbinom(0.05, n - 1, 0.5)``:
    the smallest k with P(X ≤ k) ≥ 0.05. Summed in log space from ten standard deviations below
    the mean (the mass below is < 1e-20), so 100,000 points cost about 1,300 terms."""
    trials = useful - 1
    if trials < 1:
        return 0
    k = max(0, floor(trials / 2 - 5 * sqrt(trials)))
    log_norm = lgamma(trials + 1) - trials * log(2)
    cumulative = 0.0
    while True:
        cumulative += exp(log_norm - lgamma(k + 1) - lgamma(trials - k + 1))
        if cumulative >= CROSSINGS_QUANTILE:
            return k
        k += 1


def runs_expected(useful: int) -> tuple[int, int] | None:
    """IHI: the (lowest, highest) number of runs expected by chance, for 10-60 useful points."""
    return _RUNS_TABLE.get(useful)


def analyse_runs(
    values: Sequence[float], median: float, rules: RuleSet, enough_points: bool
) -> RunAnalysis:
    """Runs analysis of `values` against `median`; no signals unless `enough_points`."""
    sides = (sign(x - median) for x in values)
    side_runs = list(runs((i, side) for i, side in enumerate(sides) if side))
    useful = sum(run.size for run in side_runs)
    longest_max = longest_run_max(useful) if useful else None
    fewest_crossings = crossings_min(useful) if useful else None
    length = shift_length(rules, longest_max) if enough_points else 0
    trend_length = rules.trend_points if enough_points else 0
    found_shifts = _spans(run for run in side_runs if length and run.size >= length)
    found_trends = _spans(trends(values, trend_length, ties_break=False))
    expected = runs_expected(useful)
    crossings = max(len(side_runs) - 1, 0)
    if rules.preset == ANHOJ:
        unusual = fewest_crossings is not None and crossings < fewest_crossings
    else:
        unusual = expected is not None and not expected[0] <= len(side_runs) <= expected[1]
    return RunAnalysis(
        median=median,
        useful_observations=useful,
        longest_run=max((run.size for run in side_runs), default=0),
        longest_run_max=longest_max,
        crossings=crossings,
        crossings_min=fewest_crossings,
        number_of_runs=len(side_runs),
        runs_expected=expected,
        shifts=found_shifts,
        trends=found_trends,
        signal=enough_points and (unusual or bool(found_shifts or found_trends)),
    )


def shift_length(rules: RuleSet, longest_expected: int | None) -> int:
    """Shortest run that signals: Anhøj's longest-run limit + 1, else the preset's shift."""
    if rules.preset == ANHOJ:
        return 0 if longest_expected is None else longest_expected + 1
    return rules.shift_points


def _spans(found: Iterable[Run]) -> tuple[tuple[int, int], ...]:
    return tuple((run.first, run.last) for run in found)
