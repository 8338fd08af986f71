"""The four-column matrix as one document, goal by goal, with its alignment gaps."""

import uuid

from sqlmodel import Field, SQLModel

from app.models.chart import MeasureStatus
from app.models.goal import GoalPublic
from app.models.measure import MeasurePublic
from app.models.project import ProjectPublic
from app.models.target import NationalTargetPublic


class MatrixMeasure(MeasurePublic):
    status: MeasureStatus = Field(description="Latest point and icons, as on the scorecard.")


class MatrixGoal(GoalPublic):
    measures: list[MatrixMeasure]
    national_targets: list[NationalTargetPublic]
    projects: list[ProjectPublic]


class Unaligned(SQLModel):
    id: uuid.UUID
    title: str


class Alignment(SQLModel):
    """The gaps a leader should see."""

    goals_without_measures: list[Unaligned]
    measures_without_goals: list[Unaligned]
    national_targets_without_goals: list[Unaligned]
    projects_without_goals: list[Unaligned]


class Matrix(SQLModel):
    goals: list[MatrixGoal]
    alignment: Alignment
