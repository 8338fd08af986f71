"""What a write invalidates, bumped in the write's own transaction.

Every write bumps its organisation's revision, which versions every cached read of that
organisation, so no read lists what it depends on. Writes of one measure's data alone bump
that measure's data revision instead (a finer grain): the charts of other measures stay
current, and a scorecard re-renders that one measure's row.
"""

from sqlalchemy import update
from sqlmodel import Session

from app.models.measure import Measure
from app.models.organisation import Organisation
from app.principal import Principal

_SERIES_ONLY = "changed_series_only"


def series_changed(session: Session, measure: Measure) -> None:
    """Record that the measure's data changed (and nothing else did, unless said so too).

    Bumped first in its transaction: the measure's row lock then serialises writers of the same
    series on PostgreSQL, so each one's created/updated report is exact."""
    measure.data_revision = Measure.data_revision + 1
    session.add(measure)
    session.flush()
    session.info[_SERIES_ONLY] = True


def organisation_changed(session: Session, principal: Principal) -> None:
    """Bump the organisation's revision, unless the change was only of measures' data. Taken
    last in the transaction, so writers of one organisation hold its row as briefly as can be."""
    if session.info.pop(_SERIES_ONLY, False):
        return
    session.execute(
        update(Organisation)
        .where(Organisation.id == principal.organisation_id)  # type: ignore[arg-type]
        .values(revision=Organisation.revision + 1)
    )
