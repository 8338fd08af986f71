"""Retention without an operator: every server process sweeps, now and then, what can never
be served again.

Idempotency records lapse 24 hours after their request. A stored rendering made at an older
revision of its organisation, or of an older data revision of its measure, can never match a
poll again (revisions only grow), and a measure's renderings go with the measure itself (its
foreign key cascades). Sweeps by several processes at once are harmless: each deletes what the
others have not.
"""

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, or_, select
from sqlmodel import Session, col

from app.models.cache import RenderedResponse
from app.models.common import utcnow
from app.models.idempotency import IdempotencyRecord
from app.models.measure import Measure
from app.models.organisation import Organisation
from app.tenancy import across_organisations

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Swept:
    idempotency_records: int
    renderings: int


def sweep(session: Session, now: datetime) -> Swept:
    """Delete lapsed idempotency records and superseded renderings; the caller commits."""
    across_organisations(session)
    lapsed = session.execute(
        delete(IdempotencyRecord).where(col(IdempotencyRecord.expires_at) <= now)
    )
    organisation_revision = (
        select(col(Organisation.revision))
        .where(col(Organisation.id) == RenderedResponse.organisation_id)
        .scalar_subquery()
    )
    measure_revision = (
        select(col(Measure.data_revision))
        .where(col(Measure.id) == RenderedResponse.measure_id)
        .scalar_subquery()
    )
    superseded = session.execute(
        delete(RenderedResponse).where(
            or_(
                col(RenderedResponse.revision) < organisation_revision,
                col(RenderedResponse.data_revision) < measure_revision,
            )
        )
    )
    return Swept(lapsed.rowcount, superseded.rowcount)  # type: ignore[attr-defined]


def sweep_now(sessions: Callable[..., Session]) -> Swept:
    with sessions(write=True) as session:
        swept = sweep(session, utcnow())
        session.commit()
    return swept


async def keep_house(sessions: Callable[..., Session], interval_seconds: float) -> None:
    """Sweep at start-up and every `interval_seconds`, in a worker thread, until cancelled."""
    while True:
        try:
            swept = await asyncio.to_thread(sweep_now, sessions)
            logger.info(
                "housekeeping",
                extra={
                    "idempotency_records": swept.idempotency_records,
                    "renderings": swept.renderings,
                },
            )
        except Exception:  # a sweep that fails (say, the database is down) is tried next time
            logger.exception("housekeeping failed")
        await asyncio.sleep(interval_seconds)
