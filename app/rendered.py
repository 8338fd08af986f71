"""Costly reads rendered once per version and shared by every server process.

A reader computes the version of what it would render (cheap: a few aggregates), answers 304
when the client already has it, serves the stored rendering when it is of that version, and
otherwise renders, answers, and stores the rendering for the next reader. The version is read
before the content, so a stored body is never older than the version it is filed under.
"""

import logging
import uuid
from collections.abc import Callable

from fastapi import Response
from pydantic import BaseModel
from sqlalchemy.exc import DBAPIError
from sqlmodel import Session, select

from app.db import upsert
from app.etag import not_modified
from app.models.cache import RenderedResponse
from app.models.common import utcnow

logger = logging.getLogger(__name__)
KEY = ("organisation_id", "cache_key")
STORED = ("version", "body", "rendered_at")


def rendered(
    session: Session,
    organisation_id: uuid.UUID,
    key: str,
    version: str,
    if_none_match: str | None,
    render: Callable[[], BaseModel],
) -> Response:
    headers = {"ETag": version}
    if not_modified(if_none_match, version):
        return Response(status_code=304, headers=headers)
    stored = session.exec(
        select(RenderedResponse.body).where(
            RenderedResponse.organisation_id == organisation_id,
            RenderedResponse.cache_key == key,
            RenderedResponse.version == version,
        )
    ).first()
    body = stored if stored is not None else render().model_dump_json().encode()
    if stored is None:
        _store(session, organisation_id, key, version, body)
    return Response(body, media_type="application/json", headers=headers)


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
