import uuid
from typing import Annotated

from fastapi import Query, Response, status

from app.api import api_router
from app.api.auth import Reader
from app.api.deps import ProjectDep
from app.api.params import IfMatch, Paging, with_etag
from app.api.sessions import SessionDep
from app.api.unit_of_work import Posts, Writes
from app.models.common import FilterText
from app.models.project import ProjectCreate, ProjectPublic, ProjectStatus, ProjectUpdate
from app.pagination import Page
from app.services import projects

router = api_router("/projects", tag="projects")


@router.get("", summary="List improvement projects")
def list_projects(
    _: Reader,
    session: SessionDep,
    paging: Paging,
    status: ProjectStatus | None = None,
    goal_id: uuid.UUID | None = None,
    measure_id: uuid.UUID | None = None,
    lead: Annotated[FilterText | None, Query(max_length=200)] = None,
) -> Page[ProjectPublic]:
    return projects.list_projects(
        session, paging, status=status, goal_id=goal_id, measure_id=measure_id, lead=lead
    )


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    response_model=ProjectPublic,
    summary="Create an improvement project",
)
async def create_project(write: Posts, data: ProjectCreate) -> Response:
    return await write(projects.create_project, data)


@router.get("/{project_id}", summary="Read an improvement project")
def read_project(_: Reader, project: ProjectDep, response: Response) -> ProjectPublic:
    return with_etag(response, projects.project_public(project))


@router.patch(
    "/{project_id}", response_model=ProjectPublic, summary="Change an improvement project"
)
async def update_project(
    write: Writes, project_id: uuid.UUID, patch: ProjectUpdate, if_match: IfMatch = None
) -> Response:
    return await write(projects.update_project, project_id, patch, if_match)


@router.delete("/{project_id}", status_code=status.HTTP_204_NO_CONTENT, summary="Delete a project")
async def delete_project(
    write: Writes, project_id: uuid.UUID, if_match: IfMatch = None
) -> Response:
    return await write(projects.delete_project, project_id, if_match)
