"""PDSA cycles: their lifecycle rules, ramps, timeline and the learning log."""

import uuid
from datetime import date, timedelta
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, col, select
from sqlmodel.sql.expression import SelectOfScalar

from app.models.common import utcnow
from app.models.cycle import (
    Cycle,
    CycleCreate,
    CycleMeasureLink,
    CyclePublic,
    CycleStatus,
    Decision,
)
from app.models.links import ProjectMeasureLink
from app.models.project import Project
from app.pagination import Page, PageParams, fetch_page
from app.principal import Principal
from app.problems import Conflict, RuleBroken, field_error
from app.services.organisations import organisation_public
from app.services.writes import (
    current,
    merge_patch,
    refuse_if_referenced,
    relink,
    save_created,
    save_deleted,
    save_updated,
)
from app.tenancy import get_owned

LIFECYCLE = list(CycleStatus)


def overdue_days(session: Session, principal: Principal) -> int:
    return organisation_public(session, principal).cycle_overdue_days


def cycle_public(cycle: Cycle, allowed_days: int) -> CyclePublic:
    overdue = (
        cycle.status is not CycleStatus.COMPLETED
        and cycle.planned_end is not None
        and date.today() > cycle.planned_end + timedelta(days=allowed_days)
    )
    return CyclePublic.model_validate(cycle, update={"overdue": overdue})


def list_cycles(
    session: Session,
    principal: Principal,
    paging: PageParams,
    project: Project | None = None,
    **filters: Any,
) -> Page[CyclePublic]:
    days = overdue_days(session, principal)
    query = _filtered(select(Cycle), days, project, **filters)
    return fetch_page(
        session,
        query,
        paging,
        lambda cycle: cycle_public(cycle, days),
        start_order(),
        Cycle.created_at,
        Cycle.id,
    )


def create_cycle(
    session: Session, principal: Principal, project_id: uuid.UUID, data: CycleCreate
) -> CyclePublic:
    project = get_owned(session, Project, project_id)
    cycle = Cycle(
        organisation_id=principal.organisation_id, project_id=project.id, **_columns(data)
    )
    _check_lifecycle(data, data.status)
    _apply(session, principal, cycle, data)
    days = overdue_days(session, principal)
    return save_created(session, principal, cycle, lambda c: cycle_public(c, days))


def update_cycle(
    session: Session,
    principal: Principal,
    cycle_id: uuid.UUID,
    patch: CycleCreate,
    if_match: str | None = None,
) -> CyclePublic:
    days = overdue_days(session, principal)
    cycle, before = current(session, Cycle, cycle_id, if_match, lambda c: cycle_public(c, days))
    data = merge_patch(CycleCreate, before, patch)
    _check_transition(cycle.status, data.status)
    _check_lifecycle(data, data.status)
    cycle.sqlmodel_update(_columns(data))
    _apply(session, principal, cycle, data)
    return save_updated(session, principal, cycle, before, lambda c: cycle_public(c, days))


def delete_cycle(
    session: Session, principal: Principal, cycle_id: uuid.UUID, if_match: str | None = None
) -> None:
    """Refused while another cycle builds on it: a ramp is not broken silently."""
    days = overdue_days(session, principal)
    cycle, before = current(session, Cycle, cycle_id, if_match, lambda c: cycle_public(c, days))
    refuse_if_referenced(
        session,
        cycle,
        {Cycle: select(Cycle.id).where(Cycle.follows_cycle_id == cycle.id)},
        remedy="change what they follow (their follows_cycle_id) first",
    )
    save_deleted(session, principal, cycle, before)


def _check_transition(current: CycleStatus, wanted: CycleStatus) -> None:
    step = LIFECYCLE.index(wanted) - LIFECYCLE.index(current)
    if step not in (0, 1):
        allowed = (
            f"it can only move on to {LIFECYCLE[LIFECYCLE.index(current) + 1].value}"
            if current is not CycleStatus.COMPLETED
            else "a completed cycle stays completed"
        )
        raise Conflict(f"A {current.value} cycle cannot become {wanted.value}: {allowed}.")


def _check_lifecycle(data: CycleCreate, status: CycleStatus) -> None:
    """The record a cycle needs before it may reach `status` (and every later status)."""
    reached = LIFECYCLE.index(status)
    missing = []
    if reached >= LIFECYCLE.index(CycleStatus.STUDYING) and data.actual_start is None:
        missing.append(("actual_start", "studying needs the date the test actually started"))
    if status is CycleStatus.COMPLETED:
        if not (data.learning or "").strip():
            missing.append(("learning", "a cycle is complete only when its learning is recorded"))
        if data.decision is None:
            missing.append(("decision", "a cycle is complete only with adopt, adapt or abandon"))
    if missing:
        raise Conflict(
            f"The cycle cannot be {status.value}: " + "; ".join(m for _, m in missing),
            errors=[field_error(f"body.{f}", m, "lifecycle") for f, m in missing],
        )


def _apply(session: Session, principal: Principal, cycle: Cycle, data: CycleCreate) -> None:
    if data.status is CycleStatus.COMPLETED and cycle.completed_at is None:
        cycle.completed_at = utcnow()
    _check_follows(session, cycle, data.follows_cycle_id)
    project_measures = set(
        session.exec(
            select(ProjectMeasureLink.measure_id).where(
                ProjectMeasureLink.project_id == cycle.project_id
            )
        )
    )
    foreign = [
        field_error(f"body.measure_ids.{i}", f"measure {m} is not one of the project's measures")
        for i, m in enumerate(data.measure_ids)
        if m not in project_measures
    ]
    if foreign:
        raise RuleBroken("A cycle can only link measures of its own project", errors=foreign)
    cycle.measure_links = relink(
        cycle.measure_links,
        data.measure_ids,
        key=lambda link: link.measure_id,
        make=lambda measure_id: CycleMeasureLink(
            measure_id=measure_id, organisation_id=principal.organisation_id
        ),
    )


def _check_follows(session: Session, cycle: Cycle, follows_id: uuid.UUID | None) -> None:
    """The cycle followed must be of the same project, and the ramp must not loop."""
    seen = {cycle.id}
    step = follows_id
    while step is not None:
        previous = session.get(Cycle, step)
        if previous is None or previous.project_id != cycle.project_id:
            raise RuleBroken(
                "A cycle can only follow another cycle of the same project",
                errors=[field_error("body.follows_cycle_id", f"no such cycle {follows_id}")],
            )
        if previous.id in seen:
            raise RuleBroken(
                "Following that cycle would make the ramp loop back on itself",
                errors=[field_error("body.follows_cycle_id", "the ramp would loop")],
            )
        seen.add(previous.id)
        step = previous.follows_cycle_id


def _columns(data: CycleCreate) -> dict[str, Any]:
    return data.model_dump(exclude={"measure_ids"})


def start_order() -> Any:
    """Time order: actual, else planned, start; undated cycles last on every database."""
    return _start().nulls_last()


def _start() -> Any:
    return func.coalesce(Cycle.actual_start, Cycle.planned_start)


def _filtered(
    query: SelectOfScalar[Cycle],
    days: int,
    project: Project | None,
    *,
    status: CycleStatus | None = None,
    decision: Decision | None = None,
    change_idea: str | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
    overdue: bool | None = None,
    measure_id: uuid.UUID | None = None,
) -> SelectOfScalar[Cycle]:
    if project is not None:
        query = query.where(Cycle.project_id == project.id)
    for column, value in ((Cycle.status, status), (Cycle.decision, decision)):
        if value is not None:
            query = query.where(column == value)
    if change_idea is not None:
        query = query.where(
            func.lower(Cycle.change_idea).contains(change_idea.lower(), autoescape=True)
        )
    if date_from is not None:
        query = query.where(
            func.coalesce(Cycle.actual_end, Cycle.planned_end, date.max) >= date_from
        )
    if date_to is not None:
        query = query.where(_start() <= date_to)
    if overdue is not None:
        late = (col(Cycle.status) != CycleStatus.COMPLETED) & (
            col(Cycle.planned_end) < date.today() - timedelta(days=days)
        )
        query = query.where(late if overdue else ~late | col(Cycle.planned_end).is_(None))
    if measure_id is not None:
        query = query.where(
            col(Cycle.id).in_(
                select(CycleMeasureLink.cycle_id).where(CycleMeasureLink.measure_id == measure_id)
            )
        )
    return query
