import uuid

from fastapi import Response, status

from app.analytics import Direction
from app.api import api_router
from app.api.auth import Reader
from app.api.deps import MeasureDep
from app.api.params import IfMatch, Paging, with_etag
from app.api.sessions import SessionDep
from app.api.unit_of_work import Posts, Writes
from app.models.links import MeasureRole
from app.models.measure import (
    Frequency,
    MeasureCreate,
    MeasurePublic,
    MeasureUpdate,
    ValueType,
)
from app.pagination import Page
from app.services import measures

router = api_router("/measures", tag="measures")


@router.get("", summary="List system-level measures")
def list_measures(
    _: Reader,
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
        paging,
        goal_id=goal_id,
        role=role,
        value_type=value_type,
        direction=direction,
        frequency=frequency,
    )


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    response_model=MeasurePublic,
    summary="Create a system-level measure",
)
async def create_measure(write: Posts, data: MeasureCreate) -> Response:
    return await write(measures.create_measure, data)


@router.get("/{measure_id}", summary="Read a system-level measure")
def read_measure(_: Reader, measure: MeasureDep, response: Response) -> MeasurePublic:
    return with_etag(response, measures.measure_public(measure))


@router.patch(
    "/{measure_id}", response_model=MeasurePublic, summary="Change a system-level measure"
)
async def update_measure(
    write: Writes, measure_id: uuid.UUID, patch: MeasureUpdate, if_match: IfMatch = None
) -> Response:
    return await write(measures.update_measure, measure_id, patch, if_match)


@router.delete(
    "/{measure_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Delete a measure (refused while a national target or project uses it)",
)
async def delete_measure(
    write: Writes, measure_id: uuid.UUID, if_match: IfMatch = None
) -> Response:
    return await write(measures.delete_measure, measure_id, if_match)
