"""The matrix, composed of a template and the measures' statuses.

The template is everything but the statuses: four queries (plus their eagerly loaded links),
drawn once per organisation revision, with a hole where each measure's status goes. The
statuses are renderings of their own, versioned by each measure's data too (`status_bodies`).
So after one data point only that measure's status is drawn again, and the matrix is spliced
from stored bytes: its cost no longer grows with the organisation's ORM rows.
"""

import re
import secrets
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
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
from app.services.charts import SERIES, Series, series_revisions, status_bodies
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

    return Polled("matrix", _MATRIX_STATE, version, compose_matrix, composed=True)


_MATRIX_STATE = poll_statement(series_revisions(Measure.organisation_id == ORGANISATION))
_TEMPLATE = "matrix:template"
# A template is the matrix's JSON cut at its holes: its pieces, and between each two the id of
# the measure whose status goes there, joined by NUL, which JSON text never holds unescaped.
_HOLE = b"\x00"


def compose_matrix(session: Session, _: Principal, renderings: Renderings) -> bytes:
    pieces = _template(session, renderings).split(_HOLE)
    holes = pieces[1::2]
    shown = {uuid.UUID(hole.decode()) for hole in holes}
    measures = [Series(*row) for row in session.execute(SERIES) if row.id in shown]
    bodies = status_bodies(session, renderings, measures)
    pieces[1::2] = [bodies[uuid.UUID(hole.decode())] for hole in holes]
    return b"".join(pieces)


def _template(session: Session, renderings: Renderings) -> bytes:
    version = str(renderings.revision)
    stored_version, template = renderings.stored(session, _TEMPLATE).get(_TEMPLATE, ("", b""))
    if stored_version != version:
        template = _draw_template(session)
        renderings.keep(_TEMPLATE, version, template)
    return template


def _draw_template(session: Session) -> bytes:
    """The matrix with a marker for each status (a string no stored text can hold: it carries
    a nonce drawn here), dumped, then cut at the markers."""
    nonce = secrets.token_hex(16)
    dumped = _matrix(session, lambda measure_id: f"\x00{nonce}:{measure_id}")
    marker = re.compile(rb'"\\u0000' + nonce.encode() + rb':([0-9a-f-]{36})"')
    return _HOLE.join(marker.split(dumped))


def _matrix(session: Session, status_of: Callable[[uuid.UUID], str]) -> bytes:
    goals = _all(session, Goal)
    measures = [_with_marker(m, status_of(m.id)) for m in _all(session, Measure)]
    targets = [target_public(t) for t in _all(session, NationalTarget)]
    projects = [project_public(p) for p in _all(session, Project)]
    measures_by_goal = _by_goal(measures)
    targets_by_goal = _by_goal(targets)
    projects_by_goal = _by_goal(projects)
    matrix = Matrix(
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
    return matrix.model_dump_json(warnings=False).encode()  # the markers are not statuses


def _with_marker(measure: Measure, marker: str) -> MatrixMeasure:
    """Constructed, not validated: the status is a marker, where a `MeasureStatus` will go."""
    fields = dict(measure_public(measure))
    return MatrixMeasure.model_construct(**fields, status=marker)  # type: ignore[arg-type]


def _all(session: Session, model: type[R]) -> list[R]:
    query = select(model).order_by(model.created_at, model.id)  # type: ignore[arg-type]
    return list(session.exec(query))


def _by_goal(items: Iterable[A]) -> defaultdict[uuid.UUID, list[A]]:
    grouped: defaultdict[uuid.UUID, list[A]] = defaultdict(list)
    for item in items:
        for goal_id in item.goal_ids:
            grouped[goal_id].append(item)
    return grouped
