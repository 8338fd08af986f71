import uuid
from typing import Annotated

from fastapi import Query, Response, status

from app.api import api_router
from app.api.deps import TargetDep
from app.auth import Reader, Writer
from app.db import SessionDep
from app.etag import IfMatch, check_if_match, with_etag
from app.models.target import NationalTargetCreate, NationalTargetPublic, NationalTargetUpdate
from app.pagination import Page, Paging
from app.services import targets

router = api_router("/national-targets", tag="national targets")


@router.get("", summary="List national targets")
def list_targets(
    principal: Reader,
    session: SessionDep,
    paging: Paging,
    goal_id: uuid.UUID | None = None,
    measure_id: uuid.UUID | None = None,
    issuing_body: Annotated[str | None, Query(max_length=200)] = None,
    code: Annotated[str | None, Query(max_length=50)] = None,
) -> Page[NationalTargetPublic]:
    return targets.list_targets(
        session,
        principal,
        paging,
        goal_id=goal_id,
        measure_id=measure_id,
        issuing_body=issuing_body,
        code=code,
    )


@router.post("", status_code=status.HTTP_201_CREATED, summary="Create a national target")
def create_target(
    principal: Writer, session: SessionDep, data: NationalTargetCreate, response: Response
) -> NationalTargetPublic:
    return with_etag(response, targets.create_target(session, principal, data))


@router.get("/{target_id}", summary="Read a national target")
def read_target(_: Reader, target: TargetDep, response: Response) -> NationalTargetPublic:
    return with_etag(response, targets.target_public(target))


@router.patch("/{target_id}", summary="Change a national target")
def update_target(
    principal: Writer,
    session: SessionDep,
    target: TargetDep,
    patch: NationalTargetUpdate,
    response: Response,
    if_match: IfMatch = None,
) -> NationalTargetPublic:
    check_if_match(if_match, targets.target_public(target))
    return with_etag(response, targets.update_target(session, principal, target, patch))


@router.delete("/{target_id}", status_code=status.HTTP_204_NO_CONTENT, summary="Delete a target")
def delete_target(
    principal: Writer, session: SessionDep, target: TargetDep, if_match: IfMatch = None
) -> None:
    check_if_match(if_match, targets.target_public(target))
    targets.delete_target(session, principal, target)
