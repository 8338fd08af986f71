"""What a write invalidates, bumped at the end of the write's own transaction.

Every write bumps its organisation's revision, which versions every cached read of that
organisation, so no read lists what it depends on. Writes of measures' data alone bump those
measures' data revisions instead (a finer grain): the charts of other measures stay current,
and a scorecard re-renders only those measures' rows.

A revision is a hot row: concurrent writers of one organisation, or of one series, queue for its
lock until they commit. So the change only marks what it touched (`series_changed`), and the
unit of work bumps (`bump_revisions`) as the last statement before the commit, when the lock
is held for the shortest time. Readers see the bump and the change together or neither: they
commit as one.
"""

import uuid

from sqlalchemy import bindparam, update
from sqlmodel import Session, col

from app.models.measure import Measure
from app.models.organisation import Organisation
from app.principal import Principal

_CHANGED_SERIES = "changed_series"
_UNREAD = "changes_no_cached_read"


def series_changed(session: Session, measure_id: uuid.UUID) -> None:
    """Mark the measure's data as changed (and nothing else, unless marked too)."""
    session.info.setdefault(_CHANGED_SERIES, set()).add(measure_id)


def changes_no_cached_read(session: Session) -> None:
    """Mark the write as one no cached read shows (a chart link minted, with its audit entry):
    nothing is bumped, so nothing is drawn again."""
    session.info[_UNREAD] = True


def bump_revisions(session: Session, principal: Principal) -> None:
    """Bump the data revisions of the series that alone changed, or else the organisation's."""
    series: set[uuid.UUID] = session.info.pop(_CHANGED_SERIES, set())
    if session.info.pop(_UNREAD, False) and not series:
        return
    if series:
        session.execute(_BUMP_SERIES, {"measure_ids": sorted(series)})  # one lock order for all
    else:
        session.execute(_BUMP_ORGANISATION, {"organisation_id": principal.organisation_id})


# Built once: building a statement costs more than running it.
_BUMP_SERIES = (
    update(Measure)
    .where(col(Measure.id).in_(bindparam("measure_ids", expanding=True)))
    .values(data_revision=Measure.data_revision + 1)
    .execution_options(synchronize_session=False)
)
_BUMP_ORGANISATION = (
    update(Organisation)
    .where(col(Organisation.id) == bindparam("organisation_id"))
    .values(revision=Organisation.revision + 1)
    .execution_options(synchronize_session=False)
)
