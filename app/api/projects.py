import uuid
from typing import Annotated

from fastapi import Query, Response, status

from app.api import api_router
from app.api.deps import ProjectDep
from app.auth import Reader, Writer
from app.db import SessionDep
from app.etag import IfMatch, check_if_match, with_etag
from app.models.project import ProjectCreate, ProjectPublic, ProjectStatus, ProjectUpdate
from app.pagination import Page, Paging
from app.services import projects

router = api_router("/projects", tag="projects")


@router.get("", summary="List improvement projects")
def list_projects(
    principal: Reader,
    session: SessionDep,
    paging: Paging,
    status: ProjectStatus | None = None,
    goal_id: uuid.UUID | None = None,
    measure_id: uuid.UUID | None = None,
    lead: Annotated[str | None, Query(max_length=200)] = None,
) -> Page[ProjectPublic]:
    return projects.list_projects(
        session,
        principal,
        paging,
        status=status,
        goal_id=goal_id,
        measure_id=measure_id,
        lead=lead,
    )


@router.post("", status_code=status.HTTP_201_CREATED, summary="Create an improvement project")
def create_project(
    principal: Writer, session: SessionDep, data: ProjectCreate, response: Response
) -> ProjectPublic:
    return with_etag(response, projects.create_project(session, principal, data))


@router.get("/{project_id}", summary="Read an improvement project")
def read_project(_: Reader, project: ProjectDep, response: Response) -> ProjectPublic:
    return with_etag(response, projects.project_public(project))


@router.patch("/{project_id}", summary="Change an improvement project")
def update_project(
    principal: Writer,
    session: SessionDep,
    project: ProjectDep,
    patch: ProjectUpdate,
    response: Response,
    if_match: IfMatch = None,
) -> ProjectPublic:
    check_if_match(if_match, projects.project_public(project))
    return with_etag(response, projects.update_project(session, principal, project, patch))


@router.delete("/{project_id}", status_code=status.HTTP_204_NO_CONTENT, summary="Delete a project")
def delete_project(
    principal: Writer, session: SessionDep, project: ProjectDep, if_match: IfMatch = None
) -> None:
    check_if_match(if_match, projects.project_public(project))
    projects.delete_project(session, principal, project)
