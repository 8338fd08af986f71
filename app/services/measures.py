"""System-level measures and the goals they track."""

import uuid

from sqlmodel import Session, select

from app.analytics import Direction
from app.models.cycle import Cycle, CycleMeasureLink
from app.models.links import MeasureGoalLink, MeasureRole, ProjectMeasureLink
from app.models.measure import (
    Frequency,
    Measure,
    MeasureCreate,
    MeasurePublic,
    ValueType,
)
from app.models.project import Project
from app.models.target import NationalTarget
from app.pagination import Page, PageParams, fetch_page
from app.principal import Principal
from app.services.goals import link_goals
from app.services.writes import (
    current,
    merge_patch,
    refuse_if_referenced,
    save_created,
    save_deleted,
    save_updated,
)


def measure_public(measure: Measure) -> MeasurePublic:
    return MeasurePublic.model_validate(measure)


def list_measures(
    session: Session,
    paging: PageParams,
    *,
    goal_id: uuid.UUID | None = None,
    role: MeasureRole | None = None,
    value_type: ValueType | None = None,
    direction: Direction | None = None,
    frequency: Frequency | None = None,
) -> Page[MeasurePublic]:
    query = select(Measure)
    if goal_id is not None:
        query = query.where(
            Measure.id.in_(  # type: ignore[attr-defined]
                select(MeasureGoalLink.measure_id).where(MeasureGoalLink.goal_id == goal_id)
            )
        )
    for column, value in (
        (Measure.role, role),
        (Measure.value_type, value_type),
        (Measure.direction, direction),
        (Measure.frequency, frequency),
    ):
        if value is not None:
            query = query.where(column == value)
    return fetch_page(session, query, paging, measure_public, Measure.created_at, Measure.id)


def create_measure(session: Session, principal: Principal, data: MeasureCreate) -> MeasurePublic:
    measure = Measure(
        organisation_id=principal.organisation_id, **data.model_dump(exclude={"goal_ids"})
    )
    measure.goal_links = link_goals(
        session, principal, measure.goal_links, data.goal_ids, MeasureGoalLink
    )
    return save_created(session, principal, measure, measure_public)


def update_measure(
    session: Session,
    principal: Principal,
    measure_id: uuid.UUID,
    patch: MeasureCreate,
    if_match: str | None = None,
) -> MeasurePublic:
    measure, before = current(session, Measure, measure_id, if_match, measure_public)
    data = merge_patch(MeasureCreate, before, patch)
    measure.sqlmodel_update(data.model_dump(exclude={"goal_ids"}))
    measure.goal_links = link_goals(
        session, principal, measure.goal_links, data.goal_ids, MeasureGoalLink
    )
    return save_updated(session, principal, measure, before, measure_public)


def delete_measure(
    session: Session, principal: Principal, measure_id: uuid.UUID, if_match: str | None = None
) -> None:
    """Refused while a national target, project or PDSA cycle uses it; its own goal links, its
    data and its renderings go with it."""
    measure, before = current(session, Measure, measure_id, if_match, measure_public)
    refuse_if_referenced(
        session,
        measure,
        {
            NationalTarget: select(NationalTarget.id).where(
                NationalTarget.measure_id == measure.id
            ),
            Project: select(ProjectMeasureLink.project_id).where(
                ProjectMeasureLink.measure_id == measure.id
            ),
            Cycle: select(CycleMeasureLink.cycle_id).where(
                CycleMeasureLink.measure_id == measure.id
            ),
        },
        remedy="take the measure out of them first",
    )
    save_deleted(session, principal, measure, before)
