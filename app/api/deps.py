"""Get-or-404 dependencies of read routes: a path id as a row of the caller's organisation.

Each depends on `Authenticated`, so the session acts for the caller before the row is looked up
(`app.tenancy`); writes look their rows up in their unit of work instead.
"""

import uuid
from typing import Annotated

from fastapi import Depends

from app.api.auth import Authenticated
from app.api.sessions import SessionDep
from app.models.cycle import Cycle
from app.models.goal import Goal
from app.models.measure import Measure
from app.models.organisation import ApiKey
from app.models.project import Project
from app.models.target import NationalTarget
from app.tenancy import get_owned


def _goal(goal_id: uuid.UUID, session: SessionDep, _: Authenticated) -> Goal:
    return get_owned(session, Goal, goal_id)


def _measure(measure_id: uuid.UUID, session: SessionDep, _: Authenticated) -> Measure:
    return get_owned(session, Measure, measure_id)


def _target(target_id: uuid.UUID, session: SessionDep, _: Authenticated) -> NationalTarget:
    return get_owned(session, NationalTarget, target_id)


def _project(project_id: uuid.UUID, session: SessionDep, _: Authenticated) -> Project:
    return get_owned(session, Project, project_id)


def _cycle(cycle_id: uuid.UUID, session: SessionDep, _: Authenticated) -> Cycle:
    return get_owned(session, Cycle, cycle_id)


def _api_key(key_id: uuid.UUID, session: SessionDep, _: Authenticated) -> ApiKey:
    return get_owned(session, ApiKey, key_id)


GoalDep = Annotated[Goal, Depends(_goal)]
MeasureDep = Annotated[Measure, Depends(_measure)]
TargetDep = Annotated[NationalTarget, Depends(_target)]
ProjectDep = Annotated[Project, Depends(_project)]
CycleDep = Annotated[Cycle, Depends(_cycle)]
ApiKeyDep = Annotated[ApiKey, Depends(_api_key)]
