"""Reading across cycles: a project's timeline with ramps, the learning log, chart annotations."""

import uuid
from collections import defaultdict
from datetime import date

from sqlmodel import Session, col, select

from app.models.cycle import (
    Cycle,
    CycleAnnotation,
    CycleEvent,
    CycleMeasureLink,
    CycleStatus,
    Decision,
    LearningEntry,
    Ramp,
    Timeline,
    TimelineEntry,
)
from app.models.measure import Measure
from app.models.project import Project
from app.pagination import Page, PageParams, fetch_page
from app.principal import Principal
from app.services.cycles import cycle_public, overdue_days, start_order


def timeline(session: Session, principal: Principal, project: Project) -> Timeline:
    cycles = list(
        session.exec(
            select(Cycle)
            .where(Cycle.project_id == project.id)
            .order_by(start_order(), col(Cycle.created_at), col(Cycle.id))
        )
    )
    followers: defaultdict[uuid.UUID | None, list[Cycle]] = defaultdict(list)
    for cycle in cycles:
        followers[cycle.follows_cycle_id].append(cycle)
    placement: dict[uuid.UUID, tuple[uuid.UUID, int]] = {}
    ramps = []
    for root in followers[None]:
        chain = _walk(root, followers, placement, root.id, 1)
        ramps.append(
            Ramp(
                ramp_id=root.id,
                change_idea=root.change_idea,
                cycle_ids=[c.id for c in chain],
                latest_decision=_latest_decision(chain),
            )
        )
    days = overdue_days(session, principal)
    entries = [
        TimelineEntry(
            cycle=cycle_public(cycle, days),
            ramp_id=placement[cycle.id][0],
            ramp_step=placement[cycle.id][1],
            followed_by=[f.id for f in followers[cycle.id]],
        )
        for cycle in cycles
    ]
    return Timeline(project_id=project.id, cycles=entries, ramps=ramps)


def _walk(
    cycle: Cycle,
    followers: dict[uuid.UUID | None, list[Cycle]],
    placement: dict[uuid.UUID, tuple[uuid.UUID, int]],
    ramp_id: uuid.UUID,
    step: int,
) -> list[Cycle]:
    placement[cycle.id] = (ramp_id, step)
    chain = [cycle]
    for follower in followers.get(cycle.id, []):
        chain += _walk(follower, followers, placement, ramp_id, step + 1)
    return chain


def _latest_decision(chain: list[Cycle]) -> Decision | None:
    decided = [c for c in chain if c.decision is not None and c.completed_at is not None]
    return max(decided, key=lambda c: c.completed_at or 0).decision if decided else None


def learning_log(
    session: Session,
    paging: PageParams,
    project_id: uuid.UUID | None = None,
    decision: Decision | None = None,
) -> Page[LearningEntry]:
    query = (
        select(Cycle, Project)
        .join(Project, col(Project.id) == Cycle.project_id)
        .where(Cycle.status == CycleStatus.COMPLETED)
    )
    if project_id is not None:
        query = query.where(Cycle.project_id == project_id)
    if decision is not None:
        query = query.where(Cycle.decision == decision)
    return fetch_page(
        session,
        query,  # type: ignore[arg-type]
        paging,
        lambda row: _learning_entry(*row),
        col(Cycle.completed_at).desc(),
        col(Cycle.id).desc(),
    )


def _learning_entry(cycle: Cycle, project: Project) -> LearningEntry:
    # Completed cycles always carry learning, a decision and a completion time (lifecycle rules).
    return LearningEntry.model_validate(
        {
            "cycle_id": cycle.id,
            "cycle_title": cycle.title,
            "project_id": project.id,
            "project_title": project.title,
            "change_idea": cycle.change_idea,
            "results": cycle.results,
            "learning": cycle.learning,
            "decision": cycle.decision,
            "next_step": cycle.next_step,
            "predictions": cycle.predictions,
            "completed_at": cycle.completed_at,
        }
    )


def annotations(
    session: Session, measure: Measure, period_from: date | None, period_to: date | None
) -> list[CycleAnnotation]:
    """Starts and ends (actual, else planned) of the cycles linked to `measure`, in date order."""
    cycles = session.exec(
        select(Cycle).where(
            col(Cycle.id).in_(
                select(CycleMeasureLink.cycle_id).where(CycleMeasureLink.measure_id == measure.id)
            )
        )
    )
    events = [
        CycleAnnotation(
            cycle_id=cycle.id, title=cycle.title, event=event, date=day, decision=cycle.decision
        )
        for cycle in cycles
        for event, day in (
            (CycleEvent.START, cycle.actual_start or cycle.planned_start),
            (CycleEvent.END, cycle.actual_end or cycle.planned_end),
        )
        if day is not None
        and (period_from is None or day >= period_from)
        and (period_to is None or day <= period_to)
    ]
    return sorted(events, key=lambda a: (a.date, a.event != CycleEvent.START, str(a.cycle_id)))
