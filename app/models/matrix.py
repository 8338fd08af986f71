"""The four-column matrix as one document, goal by goal, with its alignment gaps."""

import uuid

from sqlmodel import SQLModel

from app.models.goal import GoalPublic
from app.models.measure import MeasurePublic
from app.models.project import ProjectPublic
from app.models.target import NationalTargetPublic


class MatrixGoal(GoalPublic):
    measures: list[MeasurePublic]
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
