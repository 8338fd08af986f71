"""Charts as dashboards read them: every dot with its lines, signals, notes and cycles."""

import uuid
from datetime import date
from enum import StrEnum
from typing import Annotated, Self

from annotated_types import Interval
from pydantic import BeforeValidator, StrictInt, StrictStr, model_validator
from sqlmodel import Field, SQLModel

from app.analytics import AssuranceIcon, ChartType, Direction, Variation, VariationIcon
from app.models.common import InputModel, IsoDate, broken_rule, integral_float_as_int
from app.models.cycle import Decision


class Recalculation(InputModel):
    period: IsoDate = Field(description="The first period of the new phase.")
    reason: StrictStr = Field(
        min_length=1, max_length=500, schema_extra={"examples": ["Change adopted after PDSA 4"]}
    )


class MeasurePhases(InputModel):
    """A baseline (first N points, or up to a date) whose limits extend forward, and/or
    recalculations that each start a new phase. With both, only the baseline applies (MDC)."""

    baseline_points: (
        Annotated[StrictInt, Interval(ge=2, le=10_000), BeforeValidator(integral_float_as_int)]
        | None
    ) = None
    baseline_until: IsoDate | None = Field(
        default=None, description="The last period of the baseline (inclusive)."
    )
    recalculations: list[Recalculation] = Field(default_factory=list, max_length=50)

    @model_validator(mode="after")
    def _one_kind_of_baseline(self) -> Self:
        if self.baseline_points is not None and self.baseline_until is not None:
            raise broken_rule("give baseline_points or baseline_until, not both")
        periods = [r.period for r in self.recalculations]
        if len(set(periods)) != len(periods):
            raise broken_rule("two recalculations start in the same period")
        return self


class AnnotationKind(StrEnum):
    NOTE = "note"
    CYCLE_START = "cycle_start"
    CYCLE_END = "cycle_end"


class PointAnnotation(SQLModel):
    kind: AnnotationKind
    text: str
    cycle_id: uuid.UUID | None = None
    decision: Decision | None = None


class Lines(SQLModel):
    centre: float | None
    upper: float | None
    lower: float | None
    upper_two_sigma: float | None
    lower_two_sigma: float | None


class ChartPoint(Lines):
    period: date
    value: float
    numerator: float | None
    denominator: float | None
    special_cause: list[str] = Field(description="Rules that flag the point, e.g. ['shift'].")
    variation: Variation
    annotations: list[PointAnnotation]


class ChartPhase(Lines):
    kind: str = Field(description="`baseline` (limits extended forward) or `phase`.")
    start_period: date
    end_period: date
    basis_end_period: date = Field(description="The last period the limits were computed from.")
    reason: str | None


class RulesApplied(SQLModel):
    preset: str
    shift_points: int
    trend_points: int
    minimum_points: int
    screen_moving_ranges: bool
    two_of_three: bool
    rules_cross_phases: bool
    overridden: list[str]


class TargetSource(StrEnum):
    MEASURE = "measure"
    NATIONAL_TARGET = "national_target"


class TargetUsed(SQLModel):
    value: float
    source: TargetSource
    national_target_id: uuid.UUID | None = None
    code: str | None = None


class PeriodSpan(SQLModel):
    start_period: date
    end_period: date


class RunAnalysisOut(SQLModel):
    median: float
    useful_observations: int
    longest_run: int
    longest_run_max: int | None
    crossings: int
    crossings_min: int | None
    number_of_runs: int
    runs_expected: tuple[int, int] | None
    shifts: list[PeriodSpan]
    trends: list[PeriodSpan]
    signal: bool = Field(description="Non-random variation under the rule set.")


class ChartSummary(SQLModel):
    variation_icon: VariationIcon | None
    assurance_icon: AssuranceIcon | None
    target: TargetUsed | None
    run_analysis: RunAnalysisOut | None


class ChartWarningOut(SQLModel):
    code: str
    message: str


class Chart(SQLModel):
    measure_id: uuid.UUID
    chart_type: ChartType
    direction: Direction
    rules: RulesApplied
    points: list[ChartPoint]
    phases: list[ChartPhase]
    summary: ChartSummary
    warnings: list[ChartWarningOut]


class MeasureStatus(SQLModel):
    """A measure's row on a scorecard: its latest dot and its icons."""

    measure_id: uuid.UUID
    name: str
    unit: str
    chart_type: ChartType
    latest_period: date | None
    latest_value: float | None
    variation_icon: VariationIcon | None
    assurance_icon: AssuranceIcon | None
    target: TargetUsed | None


class Scorecard(SQLModel):
    measures: list[MeasureStatus]
