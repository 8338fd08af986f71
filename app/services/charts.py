"""Charts: a measure's data and settings in, the analytics module's verdict out, as JSON."""

import uuid
from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from typing import Any, NamedTuple

from sqlalchemy import Select, and_, bindparam, func
from sqlmodel import Session, col, select

from app.analytics import (
    ChartResult,
    ChartType,
    Observation,
    PhaseResult,
    Phases,
    PointResult,
    RuleSet,
    compute_chart,
    preset,
)
from app.audit import record_change
from app.etag import fingerprint
from app.models.audit import AuditAction
from app.models.chart import (
    AnnotationKind,
    Chart,
    ChartPhase,
    ChartPoint,
    ChartSummary,
    ChartWarningOut,
    MeasurePhases,
    MeasureStatus,
    PeriodSpan,
    PointAnnotation,
    RulesApplied,
    RunAnalysisOut,
    TargetSource,
    TargetUsed,
)
from app.models.common import utcnow
from app.models.cycle import CycleEvent
from app.models.data import DataPoint
from app.models.links import MeasureGoalLink, ProjectMeasureLink
from app.models.measure import Measure, ValueType
from app.models.target import NationalTarget
from app.periods import misalignment, missing_periods, period_start
from app.pictures.chart import PICTURE_TYPES, Picture, draw
from app.polled import ORGANISATION, Polled, Renderings, Version, poll_statement
from app.principal import Principal
from app.problems import NotFound, RuleBroken, counted, field_error, listed
from app.services.cycle_views import annotations
from app.tenancy import get_owned

DEFAULT_CHART = {
    ValueType.CONTINUOUS: ChartType.XMR,
    ValueType.PROPORTION: ChartType.P,
    ValueType.RATE: ChartType.U,
    ValueType.COUNT: ChartType.C,
}
# XmR and run charts suit any series of numbers; the attribute charts only their own data.
FITTING_CHARTS = {
    ValueType.CONTINUOUS: {ChartType.XMR, ChartType.RUN},
    ValueType.PROPORTION: {ChartType.P, ChartType.P_PRIME, ChartType.XMR, ChartType.RUN},
    ValueType.RATE: {ChartType.U, ChartType.U_PRIME, ChartType.XMR, ChartType.RUN},
    ValueType.COUNT: {ChartType.C, ChartType.XMR, ChartType.RUN},
}
WARNINGS = {
    "too_few_points_for_limits": "Limits and special-cause rules need at least {minimum} points "
    "in a phase; until then the chart shows the points and the centre line only.",
    "too_few_points_for_run_analysis": "The runs analysis needs at least {minimum} useful points.",
    "baseline_overrides_recalculation": "A baseline and recalculations are both set: only the "
    "baseline applies, as in the Making Data Count tool.",
    "laney_advised": "The denominators are so large that the limits are too narrow for the data "
    "(overdispersion); Laney's p_prime or u_prime chart is advisable.",
}


class Dot(NamedTuple):
    """A stored data point, read as a plain row: charts read many and change none."""

    measure_id: uuid.UUID
    period: date
    value: float
    numerator: float | None
    denominator: float | None
    annotation: str | None


@dataclass(frozen=True)
class ChartOptions:
    chart_type: ChartType | None = None
    rules: str | None = None
    overrides: dict[str, int | bool] = field(default_factory=dict)
    period_from: date | None = None
    period_to: date | None = None


def build_chart(session: Session, measure: Measure, options: ChartOptions) -> Chart:
    chart_type = _chart_type(measure, options.chart_type)
    rules = _rules(chart_type, options)
    points = _points(session, [measure.id], options.period_from, options.period_to)[measure.id]
    target = _targets(session, [measure]).get(measure.id)
    phases, reasons, phase_warnings = _phases(measure, points)
    result = _compute(measure, chart_type, rules, points, phases, target)
    notes = _annotations(session, measure)
    return Chart(
        measure_id=measure.id,
        chart_type=chart_type,
        direction=measure.direction,
        rules=RulesApplied(**{**vars(rules), "overridden": list(rules.overridden)}),
        points=[
            _point(p, r, notes.get(p.period, []))
            for p, r in zip(points, result.points, strict=True)
        ],
        phases=[_phase(points, ph, reasons) for ph in result.phases],
        summary=_summary(result, points, target),
        warnings=_warnings(result, rules, measure, points) + phase_warnings,
    )


class Series(NamedTuple):
    """A measure as a status is versioned by: which, and how often its data changed."""

    id: uuid.UUID
    data_revision: int


SERIES = select(col(Measure.id), col(Measure.data_revision)).order_by(
    col(Measure.created_at), col(Measure.id)
)


def status_bodies(
    session: Session, renderings: Renderings, measures: Sequence[Series]
) -> dict[uuid.UUID, bytes]:
    """Each measure's status (its latest point and icons on its default chart) as JSON.

    Each status is itself a rendering, versioned by the organisation's revision and the
    measure's data revision: after one measure's data changes, only its status is drawn again
    (a fixed number of queries however many are drawn); the others are used as stored."""
    stored = renderings.stored(session, _STATUS)
    bodies: dict[uuid.UUID, bytes] = {}
    for series in measures:
        version, body = stored.get(_status_key(series.id), (None, b""))
        if version == _status_version(renderings.revision, series.data_revision):
            bodies[series.id] = body
    stale = [m.id for m in measures if m.id not in bodies]
    if stale:
        drawn = list(session.exec(select(Measure).where(col(Measure.id).in_(stale))))
        for measure, status in zip(drawn, _draw_statuses(session, drawn), strict=True):
            body = status.model_dump_json().encode()
            bodies[measure.id] = body
            version = _status_version(renderings.revision, measure.data_revision)
            renderings.keep(
                _status_key(measure.id), version, body, measure.id, measure.data_revision
            )
    return bodies


_STATUS = "status:"


def _status_key(measure_id: uuid.UUID) -> str:
    return f"{_STATUS}{measure_id}"


def _status_version(revision: int, data_revision: int) -> str:
    return f"{revision}.{data_revision}"


def _draw_statuses(session: Session, measures: Sequence[Measure]) -> list[MeasureStatus]:
    if not measures:
        return []
    points = _points(session, [m.id for m in measures])
    targets = _targets(session, measures)
    statuses = []
    for measure in measures:
        chart_type = DEFAULT_CHART[measure.value_type]
        series, target = points[measure.id], targets.get(measure.id)
        phases, _, _ = _phases(measure, series)
        summary = _compute(
            measure, chart_type, _rules(chart_type, ChartOptions()), series, phases, target
        ).summary
        latest = series[-1] if series else None
        statuses.append(
            MeasureStatus(
                measure_id=measure.id,
                name=measure.name,
                unit=measure.unit,
                chart_type=chart_type,
                latest_period=latest.period if latest else None,
                latest_value=latest.value if latest else None,
                variation_icon=summary.variation_icon,
                assurance_icon=summary.assurance_icon,
                target=target,
            )
        )
    return statuses


def polled_chart(measure_id: uuid.UUID, options: ChartOptions) -> Polled:
    def version(_: Principal, revision: int, parts: Sequence[Any]) -> Version:
        (data_revision,) = parts
        if data_revision is None:  # no such measure in the organisation
            raise NotFound("Measure", measure_id)
        return Version(fingerprint(measure_id, options, revision, data_revision), data_revision)

    def render(session: Session, _: Principal, __: Renderings) -> Chart:
        return build_chart(session, get_owned(session, Measure, measure_id), options)

    key = f"chart:{measure_id}:{fingerprint(options)}"
    return Polled(key, _CHART_STATE, version, render, {"measure_id": measure_id}, measure_id)


def polled_chart_picture(measure_id: uuid.UUID, options: ChartOptions, picture: Picture) -> Polled:
    """The chart drawn (`app.pictures.chart`): versioned as the chart is, stored as drawn."""
    chart = polled_chart(measure_id, options)

    def render(session: Session, _: Principal, __: Renderings) -> bytes:
        measure = get_owned(session, Measure, measure_id)
        return draw(build_chart(session, measure, options), measure, picture)

    def version(principal: Principal, revision: int, parts: Sequence[Any]) -> Version:
        drawn = chart.version(principal, revision, parts)
        return Version(fingerprint(drawn.tag, picture), drawn.data_revision)

    key = f"chart.{picture.format}:{measure_id}:{fingerprint(options, picture)}"
    return Polled(
        key,
        _CHART_STATE,
        version,
        render,
        chart.parameters,
        measure_id,
        media_type=PICTURE_TYPES[picture.format],
    )


def polled_scorecard(goal_id: uuid.UUID | None, project_id: uuid.UUID | None) -> Polled:
    by = (goal_id is not None, project_id is not None)
    selection = {"goal_id": goal_id, "project_id": project_id}

    def version(principal: Principal, revision: int, parts: Sequence[Any]) -> Version:
        return Version(fingerprint(principal.organisation_id, revision, parts, goal_id, project_id))

    def render(session: Session, _: Principal, renderings: Renderings) -> bytes:
        # Composed as JSON from the stored statuses, as `Scorecard` would dump them.
        chosen = SERIES.where(*_scorecard_choice(*by, None))
        measures = [Series(*row) for row in session.execute(chosen, selection)]
        bodies = status_bodies(session, renderings, measures)
        return b'{"measures":[' + b",".join(bodies[m.id] for m in measures) + b"]}"

    key = f"scorecard:{goal_id}:{project_id}"
    return Polled(key, _scorecard_state(*by), version, render, selection, composed=True)


def series_revisions(where: Any) -> Any:
    """The sum of the chosen measures' data revisions: it grows whenever any of their data
    changes (membership changes bump the organisation's revision)."""
    return select(func.coalesce(func.sum(Measure.data_revision), 0)).where(where).scalar_subquery()


_CHART_STATE = poll_statement(
    select(Measure.data_revision)
    .where(Measure.id == bindparam("measure_id"), Measure.organisation_id == ORGANISATION)
    .scalar_subquery()
)


@cache
def _scorecard_state(by_goal: bool, by_project: bool) -> Select[Any]:
    chosen = _scorecard_choice(by_goal, by_project, ORGANISATION)
    return poll_statement(series_revisions(and_(*chosen)))


def _scorecard_choice(by_goal: bool, by_project: bool, organisation: Any) -> list[Any]:
    """Conditions choosing the measures of the `goal_id` and of the `project_id` parameters if
    asked, and of `organisation` if given (polls, which run outside any session's scope)."""
    chosen = [] if organisation is None else [Measure.organisation_id == organisation]
    if by_goal:
        of_goal = select(MeasureGoalLink.measure_id).where(
            MeasureGoalLink.goal_id == bindparam("goal_id")
        )
        chosen.append(col(Measure.id).in_(of_goal))
    if by_project:
        of_project = select(ProjectMeasureLink.measure_id).where(
            ProjectMeasureLink.project_id == bindparam("project_id")
        )
        chosen.append(col(Measure.id).in_(of_project))
    return chosen


def set_phases(
    session: Session, principal: Principal, measure_id: uuid.UUID, phases: MeasurePhases
) -> MeasurePhases:
    """Store the measure's baseline and recalculations (each on a period of its frequency)."""
    measure = get_owned(session, Measure, measure_id, lock=True)
    dated = [("baseline_until", phases.baseline_until)] + [
        (f"recalculations.{i}.period", r.period) for i, r in enumerate(phases.recalculations)
    ]
    errors = [
        field_error(f"body.{name}", reason)
        for name, day in dated
        if day is not None and (reason := misalignment(day, measure.frequency))
    ]
    if errors:
        raise RuleBroken("Phases start on the first day of a period", errors=errors)
    before, after = measure_phases(measure), phases.model_dump(mode="json")
    measure.phases = after
    measure.updated_at = utcnow()
    session.add(measure)
    record_change(
        session,
        organisation_id=measure.organisation_id,
        principal=principal,
        action=AuditAction.UPDATE,
        resource_type="measure",
        resource_id=measure.id,
        changes={"phases": {"before": before.model_dump(mode="json"), "after": after}},
    )
    return phases


def measure_phases(measure: Measure) -> MeasurePhases:
    return MeasurePhases.model_validate(measure.phases or {})


def _chart_type(measure: Measure, wanted: ChartType | None) -> ChartType:
    chart_type = wanted or DEFAULT_CHART[measure.value_type]
    if chart_type not in FITTING_CHARTS[measure.value_type]:
        fitting = ", ".join(sorted(FITTING_CHARTS[measure.value_type]))
        raise RuleBroken(
            f"A {chart_type.value} chart does not fit a {measure.value_type.value} measure",
            errors=[field_error("query.chart_type", f"choose one of {fitting}")],
        )
    return chart_type


def _rules(chart_type: ChartType, options: ChartOptions) -> RuleSet:
    name = options.rules or ("ihi" if chart_type is ChartType.RUN else "mdc")
    try:
        return preset(name, **options.overrides)
    except ValueError as exc:
        raise RuleBroken(str(exc), errors=[field_error("query", str(exc))]) from exc


def _compute(
    measure: Measure,
    chart_type: ChartType,
    rules: RuleSet,
    points: Sequence[Dot],
    phases: Phases,
    target: TargetUsed | None,
) -> ChartResult:
    observations = [Observation(p.value, p.numerator, p.denominator) for p in points]
    multiplier = measure.rate_multiplier if measure.value_type is ValueType.RATE else 1.0
    try:
        return compute_chart(
            observations,
            chart_type,
            measure.direction,
            rules,
            phases,
            target.value if target else None,
            multiplier,
        )
    except ValueError as exc:
        raise RuleBroken(f"The chart cannot be drawn: {exc}") from exc


def _points(
    session: Session,
    measure_ids: Sequence[uuid.UUID],
    period_from: date | None = None,
    period_to: date | None = None,
) -> defaultdict[uuid.UUID, list[Dot]]:
    columns = [col(getattr(DataPoint, name)) for name in Dot._fields]
    query = select(*columns).where(col(DataPoint.measure_id).in_(measure_ids))
    if period_from is not None:
        query = query.where(DataPoint.period >= period_from)
    if period_to is not None:
        query = query.where(DataPoint.period <= period_to)
    grouped: defaultdict[uuid.UUID, list[Dot]] = defaultdict(list)
    for row in session.execute(query.order_by(col(DataPoint.measure_id), col(DataPoint.period))):
        dot = Dot(*row)
        grouped[dot.measure_id].append(dot)
    return grouped


def _targets(session: Session, measures: Sequence[Measure]) -> dict[uuid.UUID, TargetUsed]:
    """The measure's own target, else the threshold of the soonest-due national target it tracks."""
    targets = {
        m.id: TargetUsed(value=m.target, source=TargetSource.MEASURE)
        for m in measures
        if m.target is not None
    }
    national = session.exec(
        select(NationalTarget)
        .where(col(NationalTarget.measure_id).in_([m.id for m in measures]))
        .order_by(col(NationalTarget.due_date).nulls_last(), col(NationalTarget.code))
    )
    for target in national:
        assert target.measure_id is not None
        targets.setdefault(
            target.measure_id,
            TargetUsed(
                value=target.threshold,
                source=TargetSource.NATIONAL_TARGET,
                national_target_id=target.id,
                code=target.code,
            ),
        )
    return targets


def _phases(
    measure: Measure, points: Sequence[Dot]
) -> tuple[Phases, dict[int, str], list[ChartWarningOut]]:
    """The stored phases as point indices of this series, with each phase's reason."""
    spec = measure_phases(measure)
    periods = [p.period for p in points]
    baseline = spec.baseline_points
    if spec.baseline_until is not None:
        baseline = bisect_right(periods, spec.baseline_until) or None
    starts = {bisect_left(periods, r.period): r for r in spec.recalculations}
    inside = {i: r.reason for i, r in starts.items() if 0 < i < len(points)}
    outside = [r.period.isoformat() for i, r in starts.items() if not 0 < i < len(points)]
    warnings = (
        [
            ChartWarningOut(
                code="recalculation_outside_data",
                message=f"Recalculations at {', '.join(outside)} start no phase in this series.",
            )
        ]
        if outside
        else []
    )
    return Phases(baseline, tuple(sorted(inside))), inside, warnings


def _annotations(session: Session, measure: Measure) -> dict[date, list[PointAnnotation]]:
    by_period: defaultdict[date, list[PointAnnotation]] = defaultdict(list)
    # Unfiltered by date: an event late in the last period shown still marks that period's dot;
    # events outside the range find no dot to mark.
    for event in annotations(session, measure, None, None):
        started = event.event is CycleEvent.START
        by_period[period_start(event.date, measure.frequency)].append(
            PointAnnotation(
                kind=AnnotationKind.CYCLE_START if started else AnnotationKind.CYCLE_END,
                text=f"{event.title} {'starts' if started else 'ends'}",
                cycle_id=event.cycle_id,
                decision=event.decision,
            )
        )
    return by_period


def _point(point: Dot, result: PointResult, cycles: list[PointAnnotation]) -> ChartPoint:
    note = (
        [PointAnnotation(kind=AnnotationKind.NOTE, text=point.annotation)]
        if point.annotation
        else []
    )
    return ChartPoint(
        period=point.period,
        value=point.value,
        numerator=point.numerator,
        denominator=point.denominator,
        centre=result.centre,
        upper=result.upper,
        lower=result.lower,
        upper_two_sigma=result.upper_two_sigma,
        lower_two_sigma=result.lower_two_sigma,
        special_cause=list(result.special_cause),
        variation=result.variation,
        annotations=note + cycles,
    )


def _phase(points: Sequence[Dot], phase: PhaseResult, reasons: dict[int, str]) -> ChartPhase:
    return ChartPhase(
        kind=phase.kind,
        start_period=points[phase.start].period,
        end_period=points[phase.end].period,
        basis_end_period=points[phase.basis_end].period,
        reason=reasons.get(phase.start),
        centre=phase.centre,
        upper=phase.upper,
        lower=phase.lower,
        upper_two_sigma=phase.upper_two_sigma,
        lower_two_sigma=phase.lower_two_sigma,
    )


def _summary(result: ChartResult, points: Sequence[Dot], target: TargetUsed | None) -> ChartSummary:
    runs = result.summary.run_analysis

    def spans(found: Iterable[tuple[int, int]]) -> list[PeriodSpan]:
        return [
            PeriodSpan(start_period=points[a].period, end_period=points[b].period) for a, b in found
        ]

    return ChartSummary(
        variation_icon=result.summary.variation_icon,
        assurance_icon=result.summary.assurance_icon,
        target=target,
        run_analysis=RunAnalysisOut(
            **{**vars(runs), "shifts": spans(runs.shifts), "trends": spans(runs.trends)}
        )
        if runs
        else None,
    )


def _warnings(
    result: ChartResult, rules: RuleSet, measure: Measure, points: Sequence[Dot]
) -> list[ChartWarningOut]:
    warnings = [
        ChartWarningOut(code=code, message=WARNINGS[code].format(minimum=rules.minimum_points))
        for code in result.warnings
    ]
    gaps = missing_periods([p.period for p in points], measure.frequency)
    if gaps:
        days = listed([day.isoformat() for day in gaps[:10]], len(gaps))
        warnings.append(
            ChartWarningOut(
                code="missing_periods",
                message=f"No data for {counted(len(gaps), 'period')}: {days}. The chart joins "
                "the points either side, and rules count them as neighbours.",
            )
        )
    return warnings
