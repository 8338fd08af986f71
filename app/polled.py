"""Costly reads rendered once per version and shared by every server process.

Dashboards poll these all day, so a poll is one statement (`poll_statement`): it reads the
caller's key, the organisation's revision, the read's own finer parts (a measure's data
revision, say) and the stored rendering, in one snapshot. Versions are built from what every
write bumps (`app.revisions`), never from a list of what the read depends on. A body is never
filed under a version newer than the data it shows, because the version is read before anything
the rendering reads. Renderings can be composed of others (a scorecard of measures' statuses),
stored beside them (`Renderings.keep`) so that one measure's new data re-renders one status.
"""

import logging
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from pydantic import BaseModel
from sqlalchemy import Select, bindparam, select
from sqlalchemy.exc import DBAPIError
from sqlmodel import Session, col

from app.db import upsert
from app.models.cache import RenderedResponse
from app.models.common import utcnow
from app.models.organisation import ApiKey, Organisation
from app.principal import KEY_COLUMNS, Principal
from app.tenancy import act_for

logger = logging.getLogger(__name__)
KEY = ("organisation_id", "cache_key")
STORED = ("version", "body", "rendered_at", "revision", "measure_id", "data_revision")
# The organisation of the key that polls: the parts of a version may be aggregates over it.
ORGANISATION = col(ApiKey.organisation_id)
_STORED_UNDER_KEY = (
    col(RenderedResponse.organisation_id) == ORGANISATION,
    col(RenderedResponse.cache_key) == bindparam("cache_key"),
)
_REVISION = select(col(Organisation.revision)).where(col(Organisation.id) == ORGANISATION)


def poll_statement(*parts: Any) -> Select[Any]:
    """The one statement of a poll: the key's columns, the organisation's revision, `parts`
    (scalar subqueries, which may use `ORGANISATION`), then the stored version and body."""
    return select(
        *KEY_COLUMNS,
        _REVISION.scalar_subquery(),
        *parts,
        select(col(RenderedResponse.version)).where(*_STORED_UNDER_KEY).scalar_subquery(),
        select(col(RenderedResponse.body)).where(*_STORED_UNDER_KEY).scalar_subquery(),
    ).where(col(ApiKey.secret_hash) == bindparam("secret_hash"))


class Version(NamedTuple):
    tag: str
    data_revision: int | None = None  # the measure's, for a rendering of one measure


@dataclass
class Renderings:
    """The parts a rendering is composed of, stored beside it (keyed and versioned like any
    rendering): those it finds of their current version are reused, the others drawn and kept."""

    revision: int
    kept: list[dict[str, Any]] = field(default_factory=list)

    def stored(self, session: Session, prefix: str) -> dict[str, tuple[str, bytes]]:
        """The version and body of every stored rendering whose key starts with `prefix`: a
        range of the key's index, one statement of constant text however many it finds (a
        list of a thousand keys costs more to send than the rows it finds)."""
        after = prefix[:-1] + chr(ord(prefix[-1]) + 1)
        query = select(
            col(RenderedResponse.cache_key),
            col(RenderedResponse.version),
            col(RenderedResponse.body),
        ).where(col(RenderedResponse.cache_key) >= prefix, col(RenderedResponse.cache_key) < after)
        return {key: (version, body) for key, version, body in session.execute(query)}

    def keep(
        self,
        key: str,
        version: str,
        body: bytes,
        measure_id: uuid.UUID | None = None,
        data_revision: int | None = None,
    ) -> None:
        self.kept.append(
            {
                "cache_key": key,
                "version": version,
                "body": body,
                "rendered_at": utcnow(),
                "revision": self.revision,
                "measure_id": measure_id,
                "data_revision": data_revision,
            }
        )


@dataclass(frozen=True)
class Polled:
    """A read that is rendered once per version: how to find, version and draw it."""

    key: str  # unique within the organisation
    statement: Select[Any]  # of `poll_statement`
    version: Callable[[Principal, int, Sequence[Any]], Version]  # (or a 404) from the parts
    render: Callable[[Session, Principal, Renderings], BaseModel | bytes]  # bytes: as served
    parameters: Mapping[str, Any] = field(default_factory=dict)
    measure_id: uuid.UUID | None = None  # set for renderings of one measure
    # Spliced from stored parts: the whole is stored at most once a second (see
    # `app.api.polled.Renders`). Splicing costs little, while storing a whole scorecard or matrix
    # again after every data point would cost in proportion to the organisation, not the change.
    composed: bool = False
    media_type: str = "application/json"  # of the rendering (pictures are bytes already)


def render_and_store(
    sessions: Callable[[], Session],
    principal: Principal,
    polled: Polled,
    revision: int,
    version: Version,
    keep_whole: bool = True,
) -> bytes:
    """Render `polled` at `version`, and store what it was composed of (and, with
    `keep_whole`, the rendering itself) for every server process's next poll."""
    renderings = Renderings(revision)
    with sessions() as session:
        act_for(session, principal)
        body = as_json(polled.render(session, principal, renderings))
        if keep_whole:
            renderings.keep(polled.key, version.tag, body, polled.measure_id, version.data_revision)
        session.commit()  # end the read transaction, so that the write begins a fresh one
        if renderings.kept:
            _store(session, principal.organisation_id, renderings.kept)
    return body


def as_json(rendered: BaseModel | bytes) -> bytes:
    """A rendering's JSON: composed renderings are JSON already."""
    return rendered if isinstance(rendered, bytes) else rendered.model_dump_json().encode()


def _store(session: Session, organisation_id: uuid.UUID, rows: list[dict[str, Any]]) -> None:
    """Best effort: a reader never fails because another process was storing at the same time."""
    # Key order: concurrent readers storing overlapping renderings lock rows in one order.
    rows = sorted(
        ({**row, "organisation_id": organisation_id} for row in rows),
        key=lambda row: str(row["cache_key"]),
    )
    try:
        session.execute(upsert(session, RenderedResponse, KEY, STORED), rows)
        session.commit()
    except DBAPIError:
        session.rollback()
        logger.info("rendered responses not stored", extra={"cache_keys": len(rows)})
