"""National targets, shown within the strategic goals they serve (column 3 of the matrix)."""

import uuid
from enum import StrEnum
from typing import TYPE_CHECKING

from pydantic import StrictStr
from sqlalchemy import UniqueConstraint
from sqlmodel import Field, Relationship, SQLModel

from app.models.common import (
    UNIQUE_ITEMS,
    FiniteNumber,
    InputModel,
    IsoDate,
    PublicRow,
    TenantRow,
    enum_type,
    partial_model,
)
from app.models.links import TargetGoalLink


class Comparator(StrEnum):
    AT_LEAST = ">="
    MORE_THAN = ">"
    AT_MOST = "<="
    LESS_THAN = "<"


class NationalTargetBase(SQLModel):
    code: StrictStr = Field(min_length=1, max_length=50, schema_extra={"examples": ["ECB-4HR"]})
    title: StrictStr = Field(
        min_length=1,
        max_length=300,
        schema_extra={"examples": ["Patients admitted, transferred or discharged within 4 hours"]},
    )
    issuing_body: StrictStr = Field(
        min_length=1, max_length=200, schema_extra={"examples": ["NHS England"]}
    )
    comparator: Comparator = Field(sa_type=enum_type(Comparator), schema_extra={"examples": [">="]})
    threshold: FiniteNumber = Field(schema_extra={"examples": [0.78]})
    due_date: IsoDate | None = Field(default=None, schema_extra={"examples": ["2027-03-31"]})
    measure_id: uuid.UUID | None = Field(default=None, foreign_key="measure.id", index=True)


class NationalTarget(NationalTargetBase, TenantRow, table=True):
    __tablename__ = "national_target"
    __table_args__ = (UniqueConstraint("organisation_id", "code"),)

    goal_links: list[TargetGoalLink] = Relationship(
        sa_relationship_kwargs={"cascade": "all, delete-orphan", "lazy": "selectin"}
    )

    @property
    def goal_ids(self) -> list[uuid.UUID]:
        return sorted(link.goal_id for link in self.goal_links)


class NationalTargetCreate(NationalTargetBase, InputModel):
    goal_ids: list[uuid.UUID] = Field(
        default_factory=list, max_length=100, schema_extra=UNIQUE_ITEMS
    )


if TYPE_CHECKING:
    NationalTargetUpdate = NationalTargetCreate
else:
    NationalTargetUpdate = partial_model(NationalTargetCreate, "NationalTargetUpdate")


class NationalTargetPublic(NationalTargetBase, PublicRow):
    goal_ids: list[uuid.UUID]
