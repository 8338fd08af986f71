import uuid
from typing import Annotated

from fastapi import Query, Response, status

from app.api import api_router
from app.api.auth import Reader
from app.api.deps import TargetDep
from app.api.params import IfMatch, Paging, with_etag
from app.api.sessions import SessionDep
from app.api.unit_of_work import Posts, Writes
from app.models.common import FilterText
from app.models.target import NationalTargetCreate, NationalTargetPublic, NationalTargetUpdate
from app.pagination import Page
from app.services import targets

router = api_router("/national-targets", tag="national targets")


@router.get("", summary="List national targets")
def list_targets(
    _: Reader,
    session: SessionDep,
    paging: Paging,
    goal_id: uuid.UUID | None = None,
    measure_id: uuid.UUID | None = None,
    issuing_body: Annotated[FilterText | None, Query(max_length=200)] = None,
    code: Annotated[FilterText | None, Query(max_length=50)] = None,
) -> Page[NationalTargetPublic]:
    return targets.list_targets(
        session,
        paging,
        goal_id=goal_id,
        measure_id=measure_id,
        issuing_body=issuing_body,
        code=code,
    )


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    response_model=NationalTargetPublic,
    summary="Create a national target",
)
async def create_target(write: Posts, data: NationalTargetCreate) -> Response:
    return await write(targets.create_target, data)


@router.get("/{target_id}", summary="Read a national target")
def read_target(_: Reader, target: TargetDep, response: Response) -> NationalTargetPublic:
    return with_etag(response, targets.target_public(target))


@router.patch(
    "/{target_id}", response_model=NationalTargetPublic, summary="Change a national target"
)
async def update_target(
    write: Writes, target_id: uuid.UUID, patch: NationalTargetUpdate, if_match: IfMatch = None
) -> Response:
    return await write(targets.update_target, target_id, patch, if_match)


@router.delete("/{target_id}", status_code=status.HTTP_204_NO_CONTENT, summary="Delete a target")
async def delete_target(write: Writes, target_id: uuid.UUID, if_match: IfMatch = None) -> Response:
    return await write(targets.delete_target, target_id, if_match)
