"""System-level measures (column 2 of the matrix)."""

import uuid
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from pydantic import StrictStr, ValidationInfo, field_validator
from sqlalchemy import JSON
from sqlmodel import Field, Relationship, SQLModel

from app.analytics import Direction
from app.models.common import (
    UNIQUE_ITEMS,
    FiniteNumber,
    InputModel,
    PublicRow,
    TenantRow,
    broken_rule,
    enum_type,
    partial_model,
)
from app.models.links import MeasureGoalLink, MeasureRole


class ValueType(StrEnum):
    CONTINUOUS = "continuous"
    PROPORTION = "proportion"
    RATE = "rate"
    COUNT = "count"


class Frequency(StrEnum):
    DAY = "day"
    WEEK = "week"
    MONTH = "month"
    QUARTER = "quarter"
    YEAR = "year"


def not_a_fraction(value: float, what: str) -> str | None:
    """Why `value` cannot be a proportion's `what`, if it cannot: proportions are fractions
    (41 of 52 is 0.79), so 90 is almost always 90% written as a percentage."""
    if 0 <= value <= 1:
        return None
    guess = f": did you mean {value / 100:g}?" if 1 < value <= 100 else ""
    return f"a proportion's {what} is a fraction between 0 and 1{guess}"


class MeasureBase(SQLModel):
    name: StrictStr = Field(
        min_length=1,
        max_length=200,
        schema_extra={"examples": ["Care plans signed by the person"]},
    )
    operational_definition: StrictStr = Field(
        default="",
        max_length=5000,
        schema_extra={
            "examples": [
                "Care plans reviewed in the week that carry the person's signature, divided by"
                " all care plans reviewed that week."
            ]
        },
    )
    unit: StrictStr = Field(default="", max_length=50, schema_extra={"examples": ["%"]})
    role: MeasureRole = Field(sa_type=enum_type(MeasureRole))
    value_type: ValueType = Field(sa_type=enum_type(ValueType))
    direction: Direction = Field(sa_type=enum_type(Direction))
    frequency: Frequency = Field(sa_type=enum_type(Frequency))
    target: FiniteNumber | None = Field(
        default=None,
        description="In the measure's units; a proportion's is a fraction (0.9 for 90%).",
        schema_extra={"examples": [0.9]},
    )
    rate_multiplier: FiniteNumber = Field(
        default=1.0,
        gt=0,
        description="Rates are reported per this many units of exposure (e.g. 1000 bed days).",
    )


class Measure(MeasureBase, TenantRow, table=True):
    __tablename__ = "measure"

    phases: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)
    # Bumped by every write of the measure's data (see `app.revisions`): the finer grain that
    # lets a chart, and one scorecard row, stay current while other measures' data changes.
    data_revision: int = Field(default=0, sa_column_kwargs={"server_default": "0"})
    goal_links: list[MeasureGoalLink] = Relationship(
        sa_relationship_kwargs={"cascade": "all, delete-orphan", "lazy": "selectin"}
    )

    @property
    def goal_ids(self) -> list[uuid.UUID]:
        return sorted(link.goal_id for link in self.goal_links)


class MeasureCreate(MeasureBase, InputModel):
    goal_ids: list[uuid.UUID] = Field(
        default_factory=list, max_length=100, schema_extra=UNIQUE_ITEMS
    )

    @field_validator("target")
    @classmethod
    def _a_proportions_target_is_a_fraction(
        cls, target: float | None, info: ValidationInfo
    ) -> float | None:
        if target is not None and info.data.get("value_type") == ValueType.PROPORTION:
            problem = not_a_fraction(target, "target")
            if problem:
                raise broken_rule(problem)
        return target


if TYPE_CHECKING:
    MeasureUpdate = MeasureCreate
else:
    MeasureUpdate = partial_model(MeasureCreate, "MeasureUpdate")


class MeasurePublic(MeasureBase, PublicRow):
    goal_ids: list[uuid.UUID]
