"""Get-or-404 dependencies: the one place where tenancy is enforced on a path id."""

import uuid
from typing import Annotated

from fastapi import Depends

from app.auth import Authenticated
from app.db import SessionDep
from app.models.cycle import Cycle
from app.models.goal import Goal
from app.models.measure import Measure
from app.models.organisation import ApiKey
from app.models.project import Project
from app.models.target import NationalTarget
from app.services.writes import get_owned


def _goal(goal_id: uuid.UUID, session: SessionDep, principal: Authenticated) -> Goal:
    return get_owned(session, Goal, goal_id, principal)


def _measure(measure_id: uuid.UUID, session: SessionDep, principal: Authenticated) -> Measure:
    return get_owned(session, Measure, measure_id, principal)


def _target(target_id: uuid.UUID, session: SessionDep, principal: Authenticated) -> NationalTarget:
    return get_owned(session, NationalTarget, target_id, principal)


def _project(project_id: uuid.UUID, session: SessionDep, principal: Authenticated) -> Project:
    return get_owned(session, Project, project_id, principal)


def _cycle(cycle_id: uuid.UUID, session: SessionDep, principal: Authenticated) -> Cycle:
    return get_owned(session, Cycle, cycle_id, principal)


GoalDep = Annotated[Goal, Depends(_goal)]
MeasureDep = Annotated[Measure, Depends(_measure)]
TargetDep = Annotated[NationalTarget, Depends(_target)]
ProjectDep = Annotated[Project, Depends(_project)]
CycleDep = Annotated[Cycle, Depends(_cycle)]


def _api_key(key_id: uuid.UUID, session: SessionDep, principal: Authenticated) -> ApiKey:
    return get_owned(session, ApiKey, key_id, principal)


ApiKeyDep = Annotated[ApiKey, Depends(_api_key)]
