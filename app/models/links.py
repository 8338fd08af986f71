"""Association tables between the columns of the matrix.

Each carries the organisation id too, so that every row of the database can be sharded by it.
The owning side's id is filled in by the relationship when the link is attached.
"""

import uuid
from enum import StrEnum

from sqlmodel import Field, SQLModel

from app.models.common import OrganisationOwned, enum_type


class MeasureRole(StrEnum):
    OUTCOME = "outcome"
    PROCESS = "process"
    BALANCING = "balancing"


class MeasureGoalLink(SQLModel, OrganisationOwned, table=True):
    __tablename__ = "measure_goal"

    measure_id: uuid.UUID | None = Field(
        default=None, foreign_key="measure.id", primary_key=True, ondelete="CASCADE"
    )
    goal_id: uuid.UUID = Field(foreign_key="goal.id", primary_key=True, index=True)
    organisation_id: uuid.UUID = Field(foreign_key="organisation.id", index=True)


class TargetGoalLink(SQLModel, OrganisationOwned, table=True):
    __tablename__ = "national_target_goal"

    national_target_id: uuid.UUID | None = Field(
        default=None, foreign_key="national_target.id", primary_key=True, ondelete="CASCADE"
    )
    goal_id: uuid.UUID = Field(foreign_key="goal.id", primary_key=True, index=True)
    organisation_id: uuid.UUID = Field(foreign_key="organisation.id", index=True)


class ProjectGoalLink(SQLModel, OrganisationOwned, table=True):
    __tablename__ = "project_goal"

    project_id: uuid.UUID | None = Field(
        default=None, foreign_key="project.id", primary_key=True, ondelete="CASCADE"
    )
    goal_id: uuid.UUID = Field(foreign_key="goal.id", primary_key=True, index=True)
    organisation_id: uuid.UUID = Field(foreign_key="organisation.id", index=True)


class ProjectMeasureLink(SQLModel, OrganisationOwned, table=True):
    __tablename__ = "project_measure"

    project_id: uuid.UUID | None = Field(
        default=None, foreign_key="project.id", primary_key=True, ondelete="CASCADE"
    )
    measure_id: uuid.UUID = Field(foreign_key="measure.id", primary_key=True, index=True)
    organisation_id: uuid.UUID = Field(foreign_key="organisation.id", index=True)
    role: MeasureRole = Field(sa_type=enum_type(MeasureRole))
