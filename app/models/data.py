"""Measurement data: one point per measure and period, the dots every chart is drawn from."""

import uuid
from datetime import date
from enum import StrEnum

from pydantic import StrictFloat, StrictStr
from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from app.models.common import InputModel, IsoDate, TenantRow

MAX_POINTS_PER_REQUEST = 50_000


class DataPointBase(SQLModel):
    period: IsoDate = Field(
        description="The first day of the period (Monday for weeks, the 1st for months).",
        schema_extra={"examples": ["2026-03-02"]},
    )
    annotation: StrictStr | None = Field(
        default=None, max_length=280, schema_extra={"examples": ["New signing prompt in use"]}
    )
    source: StrictStr | None = Field(
        default=None, max_length=100, schema_extra={"examples": ["ward-7-audit-sheet"]}
    )


class DataPointRatio(SQLModel):
    numerator: StrictFloat | None = Field(
        default=None, description="Proportions: the part. Rates: the events.", ge=0
    )
    denominator: StrictFloat | None = Field(
        default=None, description="Proportions: the whole. Rates: the exposure.", gt=0
    )


class DataPoint(DataPointBase, DataPointRatio, TenantRow, table=True):
    __tablename__ = "data_point"
    __table_args__ = (UniqueConstraint("measure_id", "period"),)

    measure_id: uuid.UUID = Field(foreign_key="measure.id", ondelete="CASCADE")
    value: float


class DataPointIn(DataPointBase, DataPointRatio, InputModel):
    """One point as posted: `value`, or `numerator` and `denominator`, by the measure's type."""

    value: StrictFloat | None = Field(
        default=None, description="For continuous and count measures; derived for the others."
    )


class DataPointPublic(DataPointBase, DataPointRatio):
    value: float = Field(description="Proportions: numerator/denominator; rates: × multiplier.")


class WriteStatus(StrEnum):
    CREATED = "created"
    UPDATED = "updated"


class PointWritten(SQLModel):
    period: date
    status: WriteStatus


class DataWriteResult(SQLModel):
    """What a POST did: counts, and each period's outcome in period order."""

    created: int
    updated: int
    points: list[PointWritten]
