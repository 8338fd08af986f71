"""Improvement projects and their stakeholder analysis (column 4 of the matrix)."""

import uuid
from datetime import date
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
    PublicRow,
    TenantRow,
    WholeNumber,
    enum_type,
    not_before,
    partial_model,
)
from app.models.links import MeasureRole, ProjectGoalLink, ProjectMeasureLink


class ProjectStatus(StrEnum):
    PROPOSED = "proposed"
    ACTIVE = "active"
    SUSTAINING = "sustaining"
    CLOSED = "closed"


class ProjectMeasure(InputModel):
    measure_id: uuid.UUID
    role: MeasureRole


class Stakeholder(InputModel):
    """One row of a stakeholder analysis: how ready, confident and convinced they are (0-10)."""

    name: StrictStr = Field(
        min_length=1, max_length=200, schema_extra={"examples": ["Ward sisters"]}
    )
    readiness: WholeNumber = Field(ge=0, le=10, schema_extra={"examples": [6]})
    confidence: WholeNumber = Field(ge=0, le=10, schema_extra={"examples": [4]})
    importance: WholeNumber = Field(ge=0, le=10, schema_extra={"examples": [8]})
    advantages_of_change: StrictStr = Field(default="", max_length=2000)
    disadvantages_of_change: StrictStr = Field(default="", max_length=2000)
    advantages_of_no_change: StrictStr = Field(default="", max_length=2000)
    disadvantages_of_no_change: StrictStr = Field(default="", max_length=2000)


class ProjectBase(SQLModel):
    title: StrictStr = Field(
        min_length=1, max_length=200, schema_extra={"examples": ["Signed care plans on Ward 7"]}
    )
    aim: StrictStr = Field(
        default="",
        max_length=2000,
        schema_extra={
            "examples": ["90% of care plans on Ward 7 signed by the person by March 2027"]
        },
    )
    lead: StrictStr | None = Field(default=None, max_length=200)
    status: ProjectStatus = Field(default=ProjectStatus.PROPOSED, sa_type=enum_type(ProjectStatus))
    start_date: IsoDate | None = None
    end_date: IsoDate | None = None


class Project(ProjectBase, TenantRow, table=True):
    __tablename__ = "project"

    team: list[str] = Field(default_factory=list, sa_type=JSON)
    stakeholders: list[dict[str, Any]] = Field(default_factory=list, sa_type=JSON)
    goal_links: list[ProjectGoalLink] = Relationship(
        sa_relationship_kwargs={"cascade": "all, delete-orphan", "lazy": "selectin"}
    )
    measure_links: list[ProjectMeasureLink] = Relationship(
        sa_relationship_kwargs={"cascade": "all, delete-orphan", "lazy": "selectin"}
    )

    @property
    def goal_ids(self) -> list[uuid.UUID]:
        return sorted(link.goal_id for link in self.goal_links)

    @property
    def measures(self) -> list[ProjectMeasure]:
        links = sorted(self.measure_links, key=lambda link: link.measure_id)
        return [ProjectMeasure(measure_id=link.measure_id, role=link.role) for link in links]


class ProjectCreate(ProjectBase, InputModel):
    team: list[ListedText] = Field(default_factory=list, max_length=100)
    stakeholders: list[Stakeholder] = Field(default_factory=list, max_length=200)
    goal_ids: list[uuid.UUID] = Field(
        default_factory=list, max_length=100, schema_extra=UNIQUE_ITEMS
    )
    measures: list[ProjectMeasure] = Field(default_factory=list, max_length=100)

    @field_validator("end_date")
    @classmethod
    def _ends_after_it_starts(cls, end: date | None, info: ValidationInfo) -> date | None:
        return not_before("start_date", end, info)


if TYPE_CHECKING:
    ProjectUpdate = ProjectCreate
else:
    ProjectUpdate = partial_model(ProjectCreate, "ProjectUpdate")


class ProjectPublic(ProjectBase, PublicRow):
    team: list[str]
    stakeholders: list[Stakeholder]
    goal_ids: list[uuid.UUID]
    measures: list[ProjectMeasure]
