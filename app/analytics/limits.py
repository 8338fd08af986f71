"""Centre lines and control limits for each chart type.

- XmR (individuals): mean ± 2.66 × mean moving range, two-sigma lines at two thirds of that width.
  2.66 is 3 / d2 with d2 = 1.128 for ranges of two, rounded as Wheeler and the MDC tool print it.
  Optional screening (NHSRplotthedots ``screen_outliers``): moving ranges of 3.267 × the mean
  moving range (D4 for n = 2) or more are dropped and the mean recomputed once.
- p: p̄ = Σ numerators / Σ denominators, p̄ ± 3 √(p̄(1 − p̄)/nᵢ), clipped to [0, 1].
- u: ū = Σ numerators / Σ denominators, ū ± 3 √(ū/nᵢ), lower limit floored at 0.
- c: c̄ ± 3 √c̄, lower limit floored at 0.
  (Montgomery, Introduction to Statistical Quality Control, chapter 7.)
- Laney p′ and u′ (Laney 2002, "Improved control charts for attributes", Quality Engineering
  14(4):531-537): zᵢ = (yᵢ − centre)/σᵢ, σ_z = mean moving range of z / 1.128 (screened like the XmR
  ranges when screening is on), limits centre ± 3 σᵢ σ_z.
- Run charts: the median, no limits.

Attribute charts are computed on numerator/denominator and then scaled by the measure's
`multiplier` (e.g. 100 for a percentage, 1000 for a rate per 1,000), so that their centre and
limits are in the same units as the observation values the API passes in.
"""

from collections.abc import Callable, Sequence
from itertools import pairwise
from math import sqrt
from statistics import fmean, median

from app.analytics.types import ChartType, Observation

XMR_LIMIT_FACTOR = 2.66
MOVING_RANGE_SCREEN = 3.267
D2 = 1.128

Sigma = Callable[[float | None], float]
"""One-sigma width for a point, given its denominator (ignored by XmR and c charts)."""

Clip = tuple[float | None, float | None]
"""(floor, ceiling) for limits; None where a side is unbounded."""

_PROPORTIONS = {ChartType.P, ChartType.P_PRIME}
_RATES = {ChartType.U, ChartType.U_PRIME}
_LANEY_BASE = {ChartType.P_PRIME: ChartType.P, ChartType.U_PRIME: ChartType.U}


def centre_line(chart_type: ChartType, basis: Sequence[Observation], multiplier: float) -> float:
    """The centre: median (run), mean (XmR, c) or pooled ratio × multiplier (p, u and primes)."""
    if chart_type is ChartType.RUN:
        return median(o.value for o in basis)
    if chart_type in {ChartType.XMR, ChartType.C}:
        return fmean(o.value for o in basis)
    return multiplier * _pooled_ratio(basis)


def sigma_model(
    chart_type: ChartType, basis: Sequence[Observation], screen: bool, multiplier: float
) -> Sigma:
    """The one-sigma width function fitted on `basis` (at least two points)."""
    if chart_type is ChartType.XMR:
        width = XMR_LIMIT_FACTOR / 3 * mean_moving_range([o.value for o in basis], screen)
        return lambda _denominator: width
    if chart_type is ChartType.C:
        width = sqrt(fmean(o.value for o in basis))
        return lambda _denominator: width
    base = _LANEY_BASE.get(chart_type, chart_type)
    raw = _binomial_or_poisson(base, _pooled_ratio(basis))
    scale = multiplier * (laney_sigma_z(base, basis, screen) if base is not chart_type else 1.0)
    return lambda denominator: scale * raw(denominator)


def bounds(chart_type: ChartType, multiplier: float) -> Clip:
    """Where limits are clipped: proportions to [0, multiplier], counts and rates at 0."""
    if chart_type in _PROPORTIONS:
        return 0.0, multiplier
    if chart_type in _RATES or chart_type is ChartType.C:
        return 0.0, None
    return None, None


def mean_moving_range(values: Sequence[float], screen: bool) -> float:
    ranges = [abs(b - a) for a, b in pairwise(values)]
    mean = fmean(ranges)
    if screen and mean > 0:
        # Some range is always at or below the mean, so the screened list is never empty.
        mean = fmean(r for r in ranges if r < MOVING_RANGE_SCREEN * mean)
    return mean


def laney_sigma_z(base: ChartType, basis: Sequence[Observation], screen: bool) -> float:
    """Laney's σ_z: the spread of the z-scores between points (1 when binomial/Poisson holds)."""
    centre = _pooled_ratio(basis)
    raw = _binomial_or_poisson(base, centre)
    z = [_z(o, centre, raw(o.denominator)) for o in basis]
    return mean_moving_range(z, screen) / D2


def _z(observation: Observation, centre: float, sigma: float) -> float:
    # A centre of 0 (or 1 for proportions) has no spread; every point then sits on it.
    if sigma == 0:
        return 0.0
    return (_ratio(observation) - centre) / sigma


def _binomial_or_poisson(base: ChartType, centre: float) -> Sigma:
    spread = centre * (1 - centre) if base is ChartType.P else centre
    return lambda denominator: sqrt(spread / _require(denominator))


def _pooled_ratio(basis: Sequence[Observation]) -> float:
    return sum(_require(o.numerator) for o in basis) / sum(_require(o.denominator) for o in basis)


def _ratio(observation: Observation) -> float:
    return _require(observation.numerator) / _require(observation.denominator)


def _require(number: float | None) -> float:
    if number is None:
        raise ValueError("p and u charts need a numerator and a denominator for every point")
    return number
