"""Costly reads rendered once per version and shared by every server process.

Dashboards poll these all day, so a poll is one statement: it reads the caller's key, the
parts of the version (a few aggregates over the key's organisation) and the stored rendering,
in one snapshot of the database. The poll answers 401/403/404 from that row, 304 when the
client already has the version, the stored rendering when it is of that version, and
otherwise renders (in a worker thread), answers, and stores the rendering for the next poll.
A body is never filed under a version newer than the data it shows, because the version is
read before anything the rendering reads.
"""

import logging
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from fastapi import Request, Response
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel
from sqlalchemy import Select, bindparam, select
from sqlalchemy.exc import DBAPIError
from sqlmodel import Session, col

from app.auth import KEY_COLUMNS, Principal, hash_secret, principal_from, require
from app.db import poll, upsert
from app.etag import not_modified
from app.models.cache import RenderedResponse
from app.models.common import utcnow
from app.models.organisation import ApiKey, Scope

logger = logging.getLogger(__name__)
NOT_MODIFIED: dict[int | str, dict[str, Any]] = {
    304: {"description": "Not modified: the If-None-Match tag is current"}
}
KEY = ("organisation_id", "cache_key")
STORED = ("version", "body", "rendered_at")
# The organisation of the key that polls: the parts of a version are aggregates over it.
ORGANISATION = col(ApiKey.organisation_id)
_STORED_UNDER_KEY = (
    col(RenderedResponse.organisation_id) == ORGANISATION,
    col(RenderedResponse.cache_key) == bindparam("cache_key"),
)


def poll_statement(*parts: Any) -> Select[Any]:
    """The one statement of a poll: the key's columns, then `parts` (scalar subqueries, which
    may use `ORGANISATION`), then the stored version and body. Built once per kind of read."""
    return select(
        *KEY_COLUMNS,
        *parts,
        select(col(RenderedResponse.version)).where(*_STORED_UNDER_KEY).scalar_subquery(),
        select(col(RenderedResponse.body)).where(*_STORED_UNDER_KEY).scalar_subquery(),
    ).where(col(ApiKey.secret_hash) == bindparam("secret_hash"))


@dataclass(frozen=True)
class Polled:
    """A read that is rendered once per version: how to find, version and draw it."""

    key: str  # unique within the organisation
    statement: Select[Any]  # of `poll_statement`
    version: Callable[[Principal, Sequence[Any]], str]  # the tag from the parts (or a 404)
    render: Callable[[Session, Principal], BaseModel]
    parameters: Mapping[str, Any] = field(default_factory=dict)


async def serve_polled(
    request: Request, secret: str, polled: Polled, if_none_match: str | None
) -> Response:
    parameters = {**polled.parameters, "secret_hash": hash_secret(secret), "cache_key": polled.key}
    row = await poll(request.app, polled.statement, parameters)
    principal = require(principal_from(row), Scope.READ)
    # principal_from has refused a missing row
    *parts, stored_version, stored_body = row[len(KEY_COLUMNS) :]  # type: ignore[index]
    tag = polled.version(principal, parts)
    headers = {"ETag": tag}
    if not_modified(if_none_match, tag):
        return Response(status_code=304, headers=headers)
    if stored_version != tag:
        opened = request.app.state.sessions
        stored_body = await run_in_threadpool(_render_and_store, opened, principal, polled, tag)
    return Response(stored_body, media_type="application/json", headers=headers)


def _render_and_store(
    sessions: Callable[[], Session], principal: Principal, polled: Polled, version: str
) -> bytes:
    with sessions() as session:
        body = polled.render(session, principal).model_dump_json().encode()
        _store(session, principal.organisation_id, polled.key, version, body)
    return body


def _store(
    session: Session, organisation_id: uuid.UUID, key: str, version: str, body: bytes
) -> None:
    """Best effort: a reader never fails because another process was storing at the same time."""
    session.commit()  # end the read transaction, so that the write begins a fresh one
    values = {
        "organisation_id": organisation_id,
        "cache_key": key,
        "version": version,
        "body": body,
        "rendered_at": utcnow(),
    }
    try:
        session.execute(upsert(session, RenderedResponse, KEY, STORED).values(**values))
        session.commit()
    except DBAPIError:
        session.rollback()
        logger.info("rendered response not stored", extra={"cache_key": key})
