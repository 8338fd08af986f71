"""PDSA cycles: the IHI worksheet's Plan, Do, Study and Act, and the ramps they form."""

import uuid
from datetime import date, datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from pydantic import StrictStr, ValidationInfo, field_validator
from sqlalchemy import JSON
from sqlmodel import Field, Relationship, SQLModel

from app.models.common import (
    UNIQUE_ITEMS,
    InputModel,
    IsoDate,
    ListedText,
    OrganisationOwned,
    PublicRow,
    TenantRow,
    UTCDateTime,
    enum_type,
    not_before,
    partial_model,
)


class CycleStatus(StrEnum):
    PLANNED = "planned"
    DOING = "doing"
    STUDYING = "studying"
    ACTING = "acting"
    COMPLETED = "completed"


class Decision(StrEnum):
    ADOPT = "adopt"
    ADAPT = "adapt"
    ABANDON = "abandon"


class PredictionOutcome(StrEnum):
    CONFIRMED = "confirmed"
    NOT_CONFIRMED = "not_confirmed"


class Prediction(InputModel):
    statement: StrictStr = Field(
        min_length=1,
        max_length=1000,
        schema_extra={"examples": ["At least 6 of 10 people will sign their plan at review"]},
    )
    outcome: PredictionOutcome | None = Field(
        default=None, description="Set when studying: was the prediction borne out?"
    )
    note: StrictStr | None = Field(default=None, max_length=2000)


def _text(limit: int, example: str | None = None) -> Any:
    extra = {"examples": [example]} if example else None
    return Field(default=None, max_length=limit, schema_extra=extra)


class CycleBase(SQLModel):
    # Plan
    title: StrictStr = Field(
        min_length=1, max_length=200, schema_extra={"examples": ["PDSA 1: signing at review"]}
    )
    change_idea: StrictStr = Field(
        min_length=1,
        max_length=500,
        schema_extra={"examples": ["Offer the care plan for signature at the weekly review"]},
    )
    objective: StrictStr | None = _text(2000, "Find out whether people will sign when asked")
    who: StrictStr | None = _text(500, "Ward 7 sister with two named nurses")
    what: StrictStr | None = _text(2000, "Ask each person at review whether they will sign")
    where: StrictStr | None = _text(500, "Ward 7, bays A and B")
    data_collection: StrictStr | None = _text(2000, "Tally of plans offered and signed")
    # Do
    planned_start: IsoDate | None = Field(default=None, schema_extra={"examples": ["2026-03-02"]})
    planned_end: IsoDate | None = Field(default=None, schema_extra={"examples": ["2026-03-13"]})
    actual_start: IsoDate | None = Field(default=None, schema_extra={"examples": ["2026-03-03"]})
    actual_end: IsoDate | None = Field(default=None, schema_extra={"examples": ["2026-03-13"]})
    what_happened: StrictStr | None = _text(5000, "Ten plans offered at review over two weeks")
    observations: StrictStr | None = _text(5000, "People asked to take the plan home first")
    problems: StrictStr | None = _text(5000, "Two reviews were cancelled for staffing")
    unexpected_effects: StrictStr | None = _text(5000, "Relatives asked for their own copy")
    # Study
    results: StrictStr | None = _text(5000, "7 of 10 signed; two wanted a family member present")
    learning: StrictStr | None = _text(
        5000, "People sign when asked at review, not on the ward round"
    )
    # Act
    decision: Decision | None = Field(default=None, sa_type=enum_type(Decision))
    next_step: StrictStr | None = _text(2000, "Test with all patients in bay C")
    status: CycleStatus = Field(default=CycleStatus.PLANNED, sa_type=enum_type(CycleStatus))
    follows_cycle_id: uuid.UUID | None = Field(
        default=None,
        foreign_key="pdsa_cycle.id",
        index=True,
        description="The cycle this one builds on (same project): cycles so chained form a ramp.",
    )


class CycleMeasureLink(SQLModel, OrganisationOwned, table=True):
    __tablename__ = "pdsa_cycle_measure"

    cycle_id: uuid.UUID | None = Field(
        default=None, foreign_key="pdsa_cycle.id", primary_key=True, ondelete="CASCADE"
    )
    measure_id: uuid.UUID = Field(foreign_key="measure.id", primary_key=True, index=True)
    organisation_id: uuid.UUID = Field(foreign_key="organisation.id", index=True)


class Cycle(CycleBase, TenantRow, table=True):
    __tablename__ = "pdsa_cycle"

    project_id: uuid.UUID = Field(foreign_key="project.id", index=True)
    questions: list[str] = Field(default_factory=list, sa_type=JSON)
    predictions: list[dict[str, Any]] = Field(default_factory=list, sa_type=JSON)
    completed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    measure_links: list[CycleMeasureLink] = Relationship(
        sa_relationship_kwargs={"cascade": "all, delete-orphan", "lazy": "selectin"}
    )

    @property
    def measure_ids(self) -> list[uuid.UUID]:
        return sorted(link.measure_id for link in self.measure_links)


class CycleCreate(CycleBase, InputModel):
    questions: list[ListedText] = Field(
        default_factory=list,
        max_length=50,
        schema_extra={"examples": [["Will people sign at review?", "How long does it take?"]]},
    )
    predictions: list[Prediction] = Field(default_factory=list, max_length=50)
    measure_ids: list[uuid.UUID] = Field(
        default_factory=list,
        max_length=50,
        description="Measures of the project that the cycle is expected to move.",
        schema_extra=UNIQUE_ITEMS,
    )

    @field_validator("planned_end", "actual_end")
    @classmethod
    def _ends_after_it_starts(cls, end: date | None, info: ValidationInfo) -> date | None:
        return not_before(str(info.field_name).replace("_end", "_start"), end, info)


if TYPE_CHECKING:
    CycleUpdate = CycleCreate
else:
    CycleUpdate = partial_model(CycleCreate, "CycleUpdate")


class CyclePublic(CycleBase, PublicRow):
    project_id: uuid.UUID
    questions: list[str]
    predictions: list[Prediction]
    measure_ids: list[uuid.UUID]
    completed_at: datetime | None
    overdue: bool = Field(
        description="Still open longer than the organisation allows after its planned end."
    )


class TimelineEntry(SQLModel):
    cycle: CyclePublic
    ramp_id: uuid.UUID = Field(description="The first cycle of the ramp this cycle belongs to.")
    ramp_step: int = Field(description="1 for the first cycle of a ramp, 2 for the next, …")
    followed_by: list[uuid.UUID]


class Ramp(SQLModel):
    ramp_id: uuid.UUID
    change_idea: str
    cycle_ids: list[uuid.UUID] = Field(description="In ramp order, branches depth first.")
    latest_decision: Decision | None


class Timeline(SQLModel):
    project_id: uuid.UUID
    cycles: list[TimelineEntry] = Field(description="In time order (actual, else planned, start).")
    ramps: list[Ramp]


class LearningEntry(SQLModel):
    cycle_id: uuid.UUID
    cycle_title: str
    project_id: uuid.UUID
    project_title: str
    change_idea: str
    results: str | None
    learning: str
    decision: Decision
    next_step: str | None
    predictions: list[Prediction]
    completed_at: datetime


class CycleEvent(StrEnum):
    START = "start"
    END = "end"


class CycleAnnotation(SQLModel):
    """A PDSA cycle starting or ending, to mark on the charts of the measures it links."""

    cycle_id: uuid.UUID
    title: str
    event: CycleEvent
    date: date
    decision: Decision | None
