import uuid
from typing import Annotated

from fastapi import Query, Response, status

from app.api import api_router
from app.api.auth import Reader
from app.api.deps import CycleDep, MeasureDep, ProjectDep
from app.api.params import IfMatch, Paging, with_etag
from app.api.sessions import SessionDep
from app.api.unit_of_work import Posts, Writes
from app.models.common import FilterText, IsoDate
from app.models.cycle import (
    CycleAnnotation,
    CycleCreate,
    CyclePublic,
    CycleStatus,
    CycleUpdate,
    Decision,
    LearningEntry,
    Timeline,
)
from app.pagination import Page
from app.services import cycle_views, cycles

router = api_router(tag="PDSA cycles")


@router.post(
    "/projects/{project_id}/cycles",
    status_code=status.HTTP_201_CREATED,
    response_model=CyclePublic,
    summary="Plan a PDSA cycle (or log one already under way: its lifecycle rules apply)",
)
async def create_cycle(write: Posts, project_id: uuid.UUID, data: CycleCreate) -> Response:
    return await write(cycles.create_cycle, project_id, data)


@router.get("/projects/{project_id}/cycles", summary="List a project's PDSA cycles")
def list_cycles(
    principal: Reader,
    session: SessionDep,
    project: ProjectDep,
    paging: Paging,
    status: CycleStatus | None = None,
    decision: Decision | None = None,
    change_idea: Annotated[FilterText | None, Query(max_length=200, description="Contains")] = None,
    date_from: Annotated[IsoDate | None, Query(description="Cycles running on or after")] = None,
    date_to: Annotated[IsoDate | None, Query(description="Cycles running on or before")] = None,
    overdue: bool | None = None,
    measure_id: uuid.UUID | None = None,
) -> Page[CyclePublic]:
    return cycles.list_cycles(
        session,
        principal,
        paging,
        project,
        status=status,
        decision=decision,
        change_idea=change_idea,
        date_from=date_from,
        date_to=date_to,
        overdue=overdue,
        measure_id=measure_id,
    )


@router.get(
    "/projects/{project_id}/cycles/timeline",
    summary="The project's cycles in time order, with their ramps resolved",
)
def read_timeline(principal: Reader, session: SessionDep, project: ProjectDep) -> Timeline:
    return cycle_views.timeline(session, principal, project)


@router.get("/cycles/{cycle_id}", summary="Read a PDSA cycle")
def read_cycle(
    principal: Reader, session: SessionDep, cycle: CycleDep, response: Response
) -> CyclePublic:
    days = cycles.overdue_days(session, principal)
    return with_etag(response, cycles.cycle_public(cycle, days))


@router.patch(
    "/cycles/{cycle_id}",
    response_model=CyclePublic,
    summary="Record progress; `status` moves one step: planned, doing, studying, acting, completed",
    responses={409: {"description": "An illegal transition, with the reason"}},
)
async def update_cycle(
    write: Writes, cycle_id: uuid.UUID, patch: CycleUpdate, if_match: IfMatch = None
) -> Response:
    return await write(cycles.update_cycle, cycle_id, patch, if_match)


@router.delete(
    "/cycles/{cycle_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Delete a PDSA cycle (refused while another cycle follows it)",
)
async def delete_cycle(write: Writes, cycle_id: uuid.UUID, if_match: IfMatch = None) -> Response:
    return await write(cycles.delete_cycle, cycle_id, if_match)


@router.get("/learning", summary="The learning log: completed cycles, newest first")
def read_learning(
    _: Reader,
    session: SessionDep,
    paging: Paging,
    project_id: uuid.UUID | None = None,
    decision: Decision | None = None,
) -> Page[LearningEntry]:
    return cycle_views.learning_log(session, paging, project_id, decision)


@router.get(
    "/measures/{measure_id}/annotations",
    summary="Starts and ends of the PDSA cycles linked to a measure, for its charts",
)
def read_annotations(
    _: Reader,
    session: SessionDep,
    measure: MeasureDep,
    period_from: IsoDate | None = None,
    period_to: IsoDate | None = None,
) -> list[CycleAnnotation]:
    return cycle_views.annotations(session, measure, period_from, period_to)
