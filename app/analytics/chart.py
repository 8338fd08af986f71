"""`compute_chart`: the one entry point, composing limits, rules, runs analysis and icons.

Phases (Making Data Count): a recalculation starts a section with its own centre and limits; a
baseline fixes centre and limits on its first N points and extends them forward; with both, only
the baseline applies (warning ``baseline_overrides_recalculation``). A section whose basis has
fewer than `minimum_points` points gets a centre but no limits, and its points are not judged
(all common cause); the summary icons need the last point to be judged.

On control charts the shift, trend and two-of-three rules run over the whole series when
`rules_cross_phases` (each point compared with its own section's lines), else within each section.
Run charts are analysed section by section against each section's median. With the ``anhoj``
preset, a shift is a run longer than Anhøj's limit for the points in scope.

``laney_advised`` is raised for a p or u chart when Laney's σ_z of a section exceeds
`LANEY_ADVICE_SIGMA_Z`: the points then vary over twice as much as binomial or Poisson sampling
allows (overdispersion, usual with large denominators), and p/u limits would be too narrow.
The threshold of 2 is this project's choice: Laney (2002) reads σ_z ≈ 1 as no overdispersion but
gives no cut-off. In our simulation of truly binomial p charts (n from 30 to 300, p = 0.2) the
99th percentile of σ_z was 1.67 with 13 points and 1.43 with 30, and σ_z passed 2 in under 0.1%
of 13-point charts, so advice at 2 is rarely given in error.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from math import isfinite
from statistics import fmean

from app.analytics.icons import assurance_icon, resolve, variation_icon
from app.analytics.limits import Clip, Sigma, bounds, centre_line, laney_sigma_z, sigma_model
from app.analytics.rules import outside_limits, shifts, sign, trends, two_of_three
from app.analytics.runs import analyse_runs, longest_run_max, shift_length
from app.analytics.types import (
    ChartResult,
    ChartType,
    ChartWarning,
    Direction,
    Observation,
    PhaseResult,
    Phases,
    PointResult,
    Rule,
    RuleSet,
    RunAnalysis,
    Summary,
    Variation,
)

LANEY_ADVICE_SIGMA_Z = 2.0

_RATIO_CHARTS = {ChartType.P, ChartType.U, ChartType.P_PRIME, ChartType.U_PRIME}

Flags = list[list[tuple[Rule, int]]]


@dataclass(frozen=True)
class _Section:
    start: int
    end: int
    basis_end: int
    kind: str
    centre: float
    sigma: Sigma | None
    judged: bool


@dataclass(frozen=True)
class _Lines:
    centre: list[float]
    upper: list[float | None]
    lower: list[float | None]
    upper_two: list[float | None]
    lower_two: list[float | None]
    judged: list[bool]


def compute_chart(
    observations: Sequence[Observation],
    chart_type: ChartType,
    direction: Direction,
    rules: RuleSet,
    phases: Phases = Phases(),
    target: float | None = None,
    multiplier: float = 1.0,
) -> ChartResult:
    """Centre, limits, special causes, icons and warnings for one chart."""
    points = tuple(observations)
    _validate(points, chart_type, phases, target, multiplier)
    clip = bounds(chart_type, multiplier)
    sections = [
        _fit(points, section, chart_type, rules, multiplier)
        for section in _section_bounds(len(points), phases)
    ]
    lines = _lines(points, sections, clip)
    values = [o.value for o in points]
    if chart_type is ChartType.RUN:
        flags, analysis = _run_chart_flags(values, sections, rules)
    else:
        flags, analysis = _control_chart_flags(values, sections, lines, rules), None
    statuses = [resolve([side for _, side in f], direction) for f in flags]
    return ChartResult(
        chart_type=chart_type,
        direction=direction,
        rules=rules,
        points=_point_results(points, lines, flags, statuses),
        phases=tuple(_phase_result(points, section, clip) for section in sections),
        summary=_summary(lines, statuses, analysis, target, direction),
        warnings=_warnings(points, phases, sections, chart_type, rules),
    )


def _validate(
    points: Sequence[Observation],
    chart_type: ChartType,
    phases: Phases,
    target: float | None,
    multiplier: float,
) -> None:
    if not (isfinite(multiplier) and multiplier > 0):
        raise ValueError("multiplier must be a positive number")
    if target is not None and not isfinite(target):
        raise ValueError("target must be a finite number")
    if not all(isfinite(o.value) for o in points):
        raise ValueError("every value must be a finite number")
    if chart_type in _RATIO_CHARTS and not all(_valid_ratio(o, chart_type) for o in points):
        raise ValueError(
            f"a {chart_type} chart needs 0 <= numerator (<= denominator for p) and denominator > 0"
        )
    if phases.baseline_points is not None and phases.baseline_points < 1:
        raise ValueError("baseline_points must be at least 1")
    if not all(0 < i < len(points) for i in phases.recalculate_at):
        raise ValueError("recalculate_at indices must lie strictly inside the series")


def _valid_ratio(o: Observation, chart_type: ChartType) -> bool:
    num, den = o.numerator, o.denominator
    if num is None or den is None or not (isfinite(num) and isfinite(den)):
        return False
    proportion = chart_type in {ChartType.P, ChartType.P_PRIME}
    return num >= 0 and den > 0 and (num <= den or not proportion)


def _section_bounds(n: int, phases: Phases) -> list[tuple[int, int, int, str]]:
    """(start, end, basis_end, kind) for each section."""
    if n == 0:
        return []
    if phases.baseline_points is not None:
        return [(0, n - 1, min(phases.baseline_points, n) - 1, "baseline")]
    starts = [0, *sorted(set(phases.recalculate_at))]
    ends = [s - 1 for s in starts[1:]] + [n - 1]
    return [(s, e, e, "phase") for s, e in zip(starts, ends, strict=True)]


def _fit(
    points: Sequence[Observation],
    section: tuple[int, int, int, str],
    chart_type: ChartType,
    rules: RuleSet,
    multiplier: float,
) -> _Section:
    start, end, basis_end, kind = section
    basis = points[start : basis_end + 1]
    judged = len(basis) >= rules.minimum_points
    sigma = None
    if judged and chart_type is not ChartType.RUN:
        sigma = sigma_model(chart_type, basis, rules.screen_moving_ranges, multiplier)
    centre = centre_line(chart_type, basis, multiplier)
    return _Section(start, end, basis_end, kind, centre, sigma, judged)


def _lines(points: Sequence[Observation], sections: Sequence[_Section], clip: Clip) -> _Lines:
    lines = _Lines([], [], [], [], [], [])
    for section in sections:
        for o in points[section.start : section.end + 1]:
            width = None if section.sigma is None else section.sigma(o.denominator)
            lines.centre.append(section.centre)
            lines.upper.append(_line(section.centre, width, 3, clip))
            lines.lower.append(_line(section.centre, width, -3, clip))
            lines.upper_two.append(_line(section.centre, width, 2, clip))
            lines.lower_two.append(_line(section.centre, width, -2, clip))
            lines.judged.append(section.judged)
    return lines


def _line(centre: float, width: float | None, sigmas: int, clip: Clip) -> float | None:
    if width is None:
        return None
    floor, ceiling = clip
    value = centre + sigmas * width
    if floor is not None:
        value = max(value, floor)
    return value if ceiling is None else min(value, ceiling)


def _control_chart_flags(
    values: Sequence[float], sections: Sequence[_Section], lines: _Lines, rules: RuleSet
) -> Flags:
    flags: Flags = [[] for _ in values]
    for i, side in outside_limits(values, lines.upper, lines.lower):
        flags[i].append((Rule.OUTSIDE_LIMITS, side))
    sides = [sign(x - c) for x, c in zip(values, lines.centre, strict=True)]
    scopes = (
        [(0, len(values) - 1)] if rules.rules_cross_phases else [(s.start, s.end) for s in sections]
    )
    for start, end in scopes:
        _scope_flags(values, sides, lines, rules, range(start, end + 1), flags)
    return [f if judged else [] for f, judged in zip(flags, lines.judged, strict=True)]


def _scope_flags(
    values: Sequence[float],
    sides: Sequence[int],
    lines: _Lines,
    rules: RuleSet,
    scope: range,
    flags: Flags,
) -> None:
    start, scope_sides = scope.start, sides[scope.start : scope.stop]
    useful = sum(1 for s in scope_sides if s)
    length = shift_length(rules, longest_run_max(useful) if useful else None)
    for run in shifts(scope_sides, length):
        for i in range(start + run.first, start + run.last + 1):
            flags[i].append((Rule.SHIFT, run.key))
    if rules.two_of_three:
        near = [_beyond_two_sigma(values[i], lines, i) for i in scope]
        for i, side in two_of_three(scope_sides, near):
            flags[start + i].append((Rule.TWO_OF_THREE, side))
    for run in trends(values[scope.start : scope.stop], rules.trend_points, ties_break=True):
        for i in range(start + run.first, start + run.last + 1):
            flags[i].append((Rule.TREND, run.key))


def _beyond_two_sigma(x: float, lines: _Lines, i: int) -> bool:
    upper, lower = lines.upper[i], lines.lower[i]
    upper_two, lower_two = lines.upper_two[i], lines.lower_two[i]
    if upper is None or lower is None or upper_two is None or lower_two is None:
        return False
    return upper_two < x <= upper or lower <= x < lower_two


def _run_chart_flags(
    values: Sequence[float], sections: Sequence[_Section], rules: RuleSet
) -> tuple[Flags, RunAnalysis | None]:
    flags: Flags = [[] for _ in values]
    analysis = None
    for section in sections:
        part = values[section.start : section.end + 1]
        analysis = analyse_runs(part, section.centre, rules, section.judged)
        for first, last in analysis.shifts:
            for i in range(section.start + first, section.start + last + 1):
                side = sign(values[i] - section.centre)
                if side:
                    flags[i].append((Rule.SHIFT, side))
        for first, last in analysis.trends:
            direction = sign(part[last] - part[first])
            for i in range(section.start + first, section.start + last + 1):
                flags[i].append((Rule.TREND, direction))
    return flags, analysis


def _warnings(
    points: Sequence[Observation],
    phases: Phases,
    sections: Sequence[_Section],
    chart_type: ChartType,
    rules: RuleSet,
) -> tuple[str, ...]:
    warnings: list[str] = []
    if not sections or not all(s.judged for s in sections):
        warnings.append(
            ChartWarning.TOO_FEW_POINTS_FOR_RUN_ANALYSIS
            if chart_type is ChartType.RUN
            else ChartWarning.TOO_FEW_POINTS_FOR_LIMITS
        )
    if phases.baseline_points is not None and phases.recalculate_at:
        warnings.append(ChartWarning.BASELINE_OVERRIDES_RECALCULATION)
    if chart_type in {ChartType.P, ChartType.U} and any(
        laney_sigma_z(chart_type, points[s.start : s.basis_end + 1], rules.screen_moving_ranges)
        > LANEY_ADVICE_SIGMA_Z
        for s in sections
        if s.judged
    ):
        warnings.append(ChartWarning.LANEY_ADVISED)
    return tuple(warnings)


def _point_results(
    points: Sequence[Observation],
    lines: _Lines,
    flags: Flags,
    statuses: Sequence[tuple[Variation, int]],
) -> tuple[PointResult, ...]:
    return tuple(
        PointResult(
            index=i,
            value=o.value,
            centre=lines.centre[i],
            upper=lines.upper[i],
            lower=lines.lower[i],
            upper_two_sigma=lines.upper_two[i],
            lower_two_sigma=lines.lower_two[i],
            special_cause=tuple(dict.fromkeys(rule for rule, _ in flags[i])),
            variation=statuses[i][0],
        )
        for i, o in enumerate(points)
    )


def _phase_result(points: Sequence[Observation], section: _Section, clip: Clip) -> PhaseResult:
    basis = points[section.start : section.basis_end + 1]
    denominators = [o.denominator for o in basis if o.denominator is not None]
    width = None
    if section.sigma is not None:
        width = section.sigma(fmean(denominators) if denominators else None)
    return PhaseResult(
        start=section.start,
        end=section.end,
        basis_end=section.basis_end,
        kind=section.kind,
        centre=section.centre,
        upper=_line(section.centre, width, 3, clip),
        lower=_line(section.centre, width, -3, clip),
        upper_two_sigma=_line(section.centre, width, 2, clip),
        lower_two_sigma=_line(section.centre, width, -2, clip),
    )


def _summary(
    lines: _Lines,
    statuses: Sequence[tuple[Variation, int]],
    analysis: RunAnalysis | None,
    target: float | None,
    direction: Direction,
) -> Summary:
    if not (lines.judged and lines.judged[-1]):
        return Summary(None, None, analysis)
    return Summary(
        variation_icon=variation_icon(*statuses[-1]),
        assurance_icon=assurance_icon(target, direction, lines.upper[-1], lines.lower[-1]),
        run_analysis=analysis,
    )
