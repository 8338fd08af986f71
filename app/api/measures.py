import uuid

from fastapi import Response, status

from app.analytics import Direction
from app.api import api_router
from app.api.deps import MeasureDep
from app.auth import Reader, Writer
from app.db import SessionDep
from app.etag import IfMatch, check_if_match, with_etag
from app.models.links import MeasureRole
from app.models.measure import (
    Frequency,
    MeasureCreate,
    MeasurePublic,
    MeasureUpdate,
    ValueType,
)
from app.pagination import Page, Paging
from app.services import measures

router = api_router("/measures", tag="measures")


@router.get("", summary="List system-level measures")
def list_measures(
    principal: Reader,
    session: SessionDep,
    paging: Paging,
    goal_id: uuid.UUID | None = None,
    role: MeasureRole | None = None,
    value_type: ValueType | None = None,
    direction: Direction | None = None,
    frequency: Frequency | None = None,
) -> Page[MeasurePublic]:
    return measures.list_measures(
        session,
        principal,
        paging,
        goal_id=goal_id,
        role=role,
        value_type=value_type,
        direction=direction,
        frequency=frequency,
    )


@router.post("", status_code=status.HTTP_201_CREATED, summary="Create a system-level measure")
def create_measure(
    principal: Writer, session: SessionDep, data: MeasureCreate, response: Response
) -> MeasurePublic:
    return with_etag(response, measures.create_measure(session, principal, data))


@router.get("/{measure_id}", summary="Read a system-level measure")
def read_measure(_: Reader, measure: MeasureDep, response: Response) -> MeasurePublic:
    return with_etag(response, measures.measure_public(measure))


@router.patch("/{measure_id}", summary="Change a system-level measure")
def update_measure(
    principal: Writer,
    session: SessionDep,
    measure: MeasureDep,
    patch: MeasureUpdate,
    response: Response,
    if_match: IfMatch = None,
) -> MeasurePublic:
    check_if_match(if_match, measures.measure_public(measure))
    return with_etag(response, measures.update_measure(session, principal, measure, patch))


@router.delete(
    "/{measure_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Delete a measure (refused while a national target or project uses it)",
)
def delete_measure(
    principal: Writer, session: SessionDep, measure: MeasureDep, if_match: IfMatch = None
) -> None:
    check_if_match(if_match, measures.measure_public(measure))
    measures.delete_measure(session, principal, measure)
