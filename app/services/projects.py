"""Improvement projects: their goals, their measures and their stakeholders."""

import uuid
from typing import Any

from sqlmodel import Session, col, select

from app.models.cycle import Cycle, CycleMeasureLink
from app.models.links import ProjectGoalLink, ProjectMeasureLink
from app.models.measure import Measure
from app.models.project import Project, ProjectCreate, ProjectPublic, ProjectStatus
from app.pagination import Page, PageParams, fetch_page
from app.principal import Principal
from app.problems import Conflict
from app.services.goals import link_goals
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


def project_public(project: Project) -> ProjectPublic:
    return ProjectPublic.model_validate(project)


def list_projects(
    session: Session,
    paging: PageParams,
    *,
    status: ProjectStatus | None = None,
    goal_id: uuid.UUID | None = None,
    measure_id: uuid.UUID | None = None,
    lead: str | None = None,
) -> Page[ProjectPublic]:
    query = select(Project)
    if goal_id is not None:
        query = query.where(
            Project.id.in_(  # type: ignore[attr-defined]
                select(ProjectGoalLink.project_id).where(ProjectGoalLink.goal_id == goal_id)
            )
        )
    if measure_id is not None:
        query = query.where(
            Project.id.in_(  # type: ignore[attr-defined]
                select(ProjectMeasureLink.project_id).where(
                    ProjectMeasureLink.measure_id == measure_id
                )
            )
        )
    for column, value in ((Project.status, status), (Project.lead, lead)):
        if value is not None:
            query = query.where(column == value)
    return fetch_page(session, query, paging, project_public, Project.created_at, Project.id)


def create_project(session: Session, principal: Principal, data: ProjectCreate) -> ProjectPublic:
    project = Project(organisation_id=principal.organisation_id, **_columns(data))
    _apply_links(session, principal, project, data)
    return save_created(session, principal, project, project_public)


def update_project(
    session: Session,
    principal: Principal,
    project_id: uuid.UUID,
    patch: ProjectCreate,
    if_match: str | None = None,
) -> ProjectPublic:
    project, before = current(session, Project, project_id, if_match, project_public)
    data = merge_patch(ProjectCreate, before, patch)
    project.sqlmodel_update(_columns(data))
    _apply_links(session, principal, project, data)
    return save_updated(session, principal, project, before, project_public)


def delete_project(
    session: Session, principal: Principal, project_id: uuid.UUID, if_match: str | None = None
) -> None:
    """Refused while it has PDSA cycles (their learning must not be lost: close the project
    instead); its goal and measure links go with it."""
    project, before = current(session, Project, project_id, if_match, project_public)
    refuse_if_referenced(
        session,
        project,
        {Cycle: select(Cycle.id).where(Cycle.project_id == project.id)},
        remedy="set the project's status to closed instead (its cycles and their learning "
        "are kept), or delete its PDSA cycles first",
    )
    save_deleted(session, principal, project, before)


def _columns(data: ProjectCreate) -> dict[str, Any]:
    return data.model_dump(exclude={"goal_ids", "measures"})


def _apply_links(
    session: Session, principal: Principal, project: Project, data: ProjectCreate
) -> None:
    project.goal_links = link_goals(
        session, principal, project.goal_links, data.goal_ids, ProjectGoalLink
    )
    roles = {m.measure_id: m.role for m in data.measures}
    measure_ids = [m.measure_id for m in data.measures]
    _refuse_dropping_measures_in_use(session, project, set(measure_ids))
    require_owned(session, Measure, each("measures", measure_ids, ".measure_id"))
    project.measure_links = relink(
        project.measure_links,
        measure_ids,
        key=lambda link: link.measure_id,
        make=lambda measure_id: ProjectMeasureLink(
            measure_id=measure_id, organisation_id=principal.organisation_id, role=roles[measure_id]
        ),
    )
    for link in project.measure_links:
        link.role = roles[link.measure_id]


def _refuse_dropping_measures_in_use(
    session: Session, project: Project, kept: set[uuid.UUID]
) -> None:
    """A measure stays on the project while its PDSA cycles say they move it."""
    dropped = {link.measure_id for link in project.measure_links} - kept
    in_use = session.exec(
        select(CycleMeasureLink.measure_id)
        .join(Cycle, col(Cycle.id) == CycleMeasureLink.cycle_id)
        .where(Cycle.project_id == project.id, col(CycleMeasureLink.measure_id).in_(dropped))
        .distinct()
    ).all()
    if in_use:
        raise Conflict(
            "The project's PDSA cycles link measures "
            f"{', '.join(map(str, sorted(in_use)))}; unlink them from the cycles first.",
        )
