"""Assembling the matrix from four queries (plus their eagerly loaded links)."""

import uuid
from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any, Protocol, TypeVar

from sqlalchemy import Select, func
from sqlmodel import Session, select

from app.auth import Principal
from app.etag import fingerprint
from app.models.common import TenantRow
from app.models.goal import Goal
from app.models.matrix import Alignment, Matrix, MatrixGoal, MatrixMeasure, Unaligned
from app.models.measure import Measure
from app.models.project import Project
from app.models.target import NationalTarget
from app.rendered import ORGANISATION, Polled, poll_statement
from app.services.charts import changes, measure_statuses
from app.services.goals import goal_public
from app.services.measures import measure_public
from app.services.projects import project_public
from app.services.targets import target_public


class Aligned(Protocol):
    @property
    def id(self) -> uuid.UUID: ...

    @property
    def goal_ids(self) -> list[uuid.UUID]: ...


A = TypeVar("A", bound=Aligned)
R = TypeVar("R", bound=TenantRow)


def polled_matrix() -> Polled:
    def version(principal: Principal, parts: Sequence[Any]) -> str:
        return fingerprint(principal.organisation_id, parts)

    return Polled("matrix", _MATRIX_STATE, version, build_matrix)


def _matrix_state() -> Select[Any]:
    """Changes to any goal, measure (or its data), national target or project of the
    organisation; link changes touch their owner's `updated_at`, deletions the counts."""
    goals, measures, targets, projects = (
        model.organisation_id == ORGANISATION for model in (Goal, Measure, NationalTarget, Project)
    )
    return poll_statement(
        *changes(Goal, goals),
        *changes(Measure, measures),
        select(func.max(Measure.data_changed_at)).where(measures).scalar_subquery(),
        *changes(NationalTarget, targets),
        *changes(Project, projects),
    )


_MATRIX_STATE = _matrix_state()


def build_matrix(session: Session, principal: Principal) -> Matrix:
    goals = _all(session, Goal, principal)
    measure_rows = _all(session, Measure, principal)
    statuses = measure_statuses(session, measure_rows)
    measures = [
        MatrixMeasure(**measure_public(m).model_dump(), status=statuses[m.id]) for m in measure_rows
    ]
    targets = [target_public(t) for t in _all(session, NationalTarget, principal)]
    projects = [project_public(p) for p in _all(session, Project, principal)]
    measures_by_goal = _by_goal(measures)
    targets_by_goal = _by_goal(targets)
    projects_by_goal = _by_goal(projects)
    return Matrix(
        goals=[
            MatrixGoal(
                **goal_public(goal).model_dump(),
                measures=measures_by_goal[goal.id],
                national_targets=targets_by_goal[goal.id],
                projects=projects_by_goal[goal.id],
            )
            for goal in goals
        ],
        alignment=Alignment(
            goals_without_measures=[
                Unaligned(id=g.id, title=g.title) for g in goals if not measures_by_goal[g.id]
            ],
            measures_without_goals=[
                Unaligned(id=m.id, title=m.name) for m in measures if not m.goal_ids
            ],
            national_targets_without_goals=[
                Unaligned(id=t.id, title=f"{t.code}: {t.title}") for t in targets if not t.goal_ids
            ],
            projects_without_goals=[
                Unaligned(id=p.id, title=p.title) for p in projects if not p.goal_ids
            ],
        ),
    )


def _all(session: Session, model: type[R], principal: Principal) -> list[R]:
    query = select(model).where(model.organisation_id == principal.organisation_id)
    return list(session.exec(query.order_by(model.created_at, model.id)))  # type: ignore[arg-type]


def _by_goal(items: Iterable[A]) -> defaultdict[uuid.UUID, list[A]]:
    grouped: defaultdict[uuid.UUID, list[A]] = defaultdict(list)
    for item in items:
        for goal_id in item.goal_ids:
            grouped[goal_id].append(item)
    return grouped
