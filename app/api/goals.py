import uuid
from typing import Annotated

from fastapi import Query, Response, status

from app.api import api_router
from app.api.auth import Reader
from app.api.deps import GoalDep
from app.api.params import IfMatch, Paging, with_etag
from app.api.sessions import SessionDep
from app.api.unit_of_work import Posts, Writes
from app.models.common import FilterText
from app.models.goal import GoalCreate, GoalPublic, GoalStatus, GoalUpdate
from app.pagination import Page
from app.services import goals

router = api_router("/goals", tag="goals")


@router.get("", summary="List strategic goals")
def list_goals(
    _: Reader,
    session: SessionDep,
    paging: Paging,
    status: GoalStatus | None = None,
    owner: Annotated[FilterText | None, Query(max_length=200)] = None,
) -> Page[GoalPublic]:
    return goals.list_goals(session, paging, status, owner)


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    response_model=GoalPublic,
    summary="Create a strategic goal",
)
async def create_goal(write: Posts, data: GoalCreate) -> Response:
    return await write(goals.create_goal, data)


@router.get("/{goal_id}", summary="Read a strategic goal")
def read_goal(_: Reader, goal: GoalDep, response: Response) -> GoalPublic:
    return with_etag(response, goals.goal_public(goal))


@router.patch("/{goal_id}", response_model=GoalPublic, summary="Change a strategic goal")
async def update_goal(
    write: Writes, goal_id: uuid.UUID, patch: GoalUpdate, if_match: IfMatch = None
) -> Response:
    return await write(goals.update_goal, goal_id, patch, if_match)


@router.delete(
    "/{goal_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Delete a strategic goal (refused while anything is aligned to it)",
)
async def delete_goal(write: Writes, goal_id: uuid.UUID, if_match: IfMatch = None) -> Response:
    return await write(goals.delete_goal, goal_id, if_match)
