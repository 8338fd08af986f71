"""Strategic goals."""

import uuid
from collections.abc import Sequence
from typing import Protocol, TypeVar

from sqlmodel import Session, select

from app.models.goal import Goal, GoalCreate, GoalPublic, GoalStatus
from app.models.links import MeasureGoalLink, ProjectGoalLink, TargetGoalLink
from app.models.measure import Measure
from app.models.project import Project
from app.models.target import NationalTarget
from app.pagination import Page, PageParams, fetch_page
from app.principal import Principal
from app.services.writes import (
    current,
    each,
    merge_patch,
    refuse_if_referenced,
    relink,
    require_owned,
    save_created,
    save_deleted,
    save_updated,
)


class GoalLink(Protocol):
    goal_id: uuid.UUID

    def __init__(self, *, goal_id: uuid.UUID, organisation_id: uuid.UUID) -> None: ...


L = TypeVar("L", bound=GoalLink)


def goal_public(goal: Goal) -> GoalPublic:
    return GoalPublic.model_validate(goal)


def list_goals(
    session: Session,
    paging: PageParams,
    status: GoalStatus | None,
    owner: str | None,
) -> Page[GoalPublic]:
    query = select(Goal)
    if status is not None:
        query = query.where(Goal.status == status)
    if owner is not None:
        query = query.where(Goal.owner == owner)
    return fetch_page(session, query, paging, goal_public, Goal.created_at, Goal.id)


def create_goal(session: Session, principal: Principal, data: GoalCreate) -> GoalPublic:
    goal = Goal(organisation_id=principal.organisation_id, **data.model_dump())
    return save_created(session, principal, goal, goal_public)


def update_goal(
    session: Session,
    principal: Principal,
    goal_id: uuid.UUID,
    patch: GoalCreate,
    if_match: str | None = None,
) -> GoalPublic:
    goal, before = current(session, Goal, goal_id, if_match, goal_public)
    goal.sqlmodel_update(merge_patch(GoalCreate, before, patch).model_dump())
    return save_updated(session, principal, goal, before, goal_public)


def delete_goal(
    session: Session, principal: Principal, goal_id: uuid.UUID, if_match: str | None = None
) -> None:
    """Refused while anything is aligned to the goal: retiring it is the usual path."""
    goal, before = current(session, Goal, goal_id, if_match, goal_public)
    refuse_if_referenced(
        session,
        goal,
        {
            Measure: select(MeasureGoalLink.measure_id).where(MeasureGoalLink.goal_id == goal.id),
            NationalTarget: select(TargetGoalLink.national_target_id).where(
                TargetGoalLink.goal_id == goal.id
            ),
            Project: select(ProjectGoalLink.project_id).where(ProjectGoalLink.goal_id == goal.id),
        },
        remedy="retire the goal instead (set its status to retired), or take it out of their "
        "goal_ids first",
    )
    save_deleted(session, principal, goal, before)


def link_goals(
    session: Session,
    principal: Principal,
    current: Sequence[L],
    goal_ids: list[uuid.UUID],
    link_model: type[L],
) -> list[L]:
    """The links to `goal_ids` (each an existing goal of the caller's organisation)."""
    require_owned(session, Goal, each("goal_ids", goal_ids))
    return relink(
        current,
        goal_ids,
        key=lambda link: link.goal_id,
        make=lambda goal_id: link_model(goal_id=goal_id, organisation_id=principal.organisation_id),
    )
