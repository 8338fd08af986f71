"""Assembling the matrix from four queries (plus their eagerly loaded links) and the
measures' stored statuses."""

import uuid
from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any, Protocol, TypeVar

from sqlmodel import Session, select

from app.etag import fingerprint
from app.models.common import TenantRow
from app.models.goal import Goal
from app.models.matrix import Alignment, Matrix, MatrixGoal, MatrixMeasure, Unaligned
from app.models.measure import Measure
from app.models.project import Project
from app.models.target import NationalTarget
from app.polled import ORGANISATION, Polled, Renderings, Version, poll_statement
from app.principal import Principal
from app.services.charts import measure_statuses, series_revisions
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
    def version(principal: Principal, revision: int, parts: Sequence[Any]) -> Version:
        return Version(fingerprint(principal.organisation_id, revision, parts))

    return Polled("matrix", _MATRIX_STATE, version, build_matrix)


_MATRIX_STATE = poll_statement(series_revisions(Measure.organisation_id == ORGANISATION))


def build_matrix(session: Session, _: Principal, renderings: Renderings) -> Matrix:
    goals = _all(session, Goal)
    measure_rows = _all(session, Measure)
    statuses = measure_statuses(session, measure_rows, renderings)
    measures = [
        MatrixMeasure(**measure_public(m).model_dump(), status=status)
        for m, status in zip(measure_rows, statuses, strict=True)
    ]
    targets = [target_public(t) for t in _all(session, NationalTarget)]
    projects = [project_public(p) for p in _all(session, Project)]
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


def _all(session: Session, model: type[R]) -> list[R]:
    query = select(model).order_by(model.created_at, model.id)  # type: ignore[arg-type]
    return list(session.exec(query))


def _by_goal(items: Iterable[A]) -> defaultdict[uuid.UUID, list[A]]:
    grouped: defaultdict[uuid.UUID, list[A]] = defaultdict(list)
    for item in items:
        for goal_id in item.goal_ids:
            grouped[goal_id].append(item)
    return grouped
