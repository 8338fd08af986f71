from typing import Annotated

from fastapi import Query, Response, status

from app.api import api_router
from app.api.deps import GoalDep
from app.auth import Reader, Writer
from app.db import SessionDep
from app.etag import IfMatch, check_if_match, with_etag
from app.models.goal import GoalCreate, GoalPublic, GoalStatus, GoalUpdate
from app.pagination import Page, Paging
from app.services import goals

router = api_router("/goals", tag="goals")


@router.get("", summary="List strategic goals")
def list_goals(
    principal: Reader,
    session: SessionDep,
    paging: Paging,
    status: GoalStatus | None = None,
    owner: Annotated[str | None, Query(max_length=200)] = None,
) -> Page[GoalPublic]:
    return goals.list_goals(session, principal, paging, status, owner)


@router.post("", status_code=status.HTTP_201_CREATED, summary="Create a strategic goal")
def create_goal(
    principal: Writer, session: SessionDep, data: GoalCreate, response: Response
) -> GoalPublic:
    return with_etag(response, goals.create_goal(session, principal, data))


@router.get("/{goal_id}", summary="Read a strategic goal")
def read_goal(_: Reader, goal: GoalDep, response: Response) -> GoalPublic:
    return with_etag(response, goals.goal_public(goal))


@router.patch("/{goal_id}", summary="Change a strategic goal")
def update_goal(
    principal: Writer,
    session: SessionDep,
    goal: GoalDep,
    patch: GoalUpdate,
    response: Response,
    if_match: IfMatch = None,
) -> GoalPublic:
    check_if_match(if_match, goals.goal_public(goal))
    return with_etag(response, goals.update_goal(session, principal, goal, patch))


@router.delete(
    "/{goal_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Delete a strategic goal (refused while anything is aligned to it)",
)
def delete_goal(
    principal: Writer, session: SessionDep, goal: GoalDep, if_match: IfMatch = None
) -> None:
    check_if_match(if_match, goals.goal_public(goal))
    goals.delete_goal(session, principal, goal)
