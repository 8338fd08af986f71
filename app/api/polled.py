"""Serving polled reads (`app.polled`): 401/403/404 from the poll's one row, 304 when the
client has the version, the stored rendering when it is of that version, and otherwise a
rendering made in a worker thread and stored for the next poll."""

from typing import Any

from fastapi import Request, Response
from fastapi.concurrency import run_in_threadpool

from app.api.sessions import poll
from app.etag import not_modified
from app.models.organisation import Scope
from app.polled import Polled, render_and_store
from app.principal import KEY_COLUMNS, hash_secret, principal_from, require

NOT_MODIFIED: dict[int | str, dict[str, Any]] = {
    304: {"description": "Not modified: the If-None-Match tag is current"}
}


async def serve_polled(
    request: Request, secret: str, polled: Polled, if_none_match: str | None
) -> Response:
    parameters = {**polled.parameters, "secret_hash": hash_secret(secret), "cache_key": polled.key}
    row = await poll(request.app, polled.statement, parameters)
    principal = require(principal_from(row), Scope.READ)
    # principal_from has refused a missing row
    revision, *parts, stored_version, stored_body = row[len(KEY_COLUMNS) :]  # type: ignore[index]
    version = polled.version(principal, revision, parts)
    headers = {"ETag": version.tag}
    if not_modified(if_none_match, version.tag):
        return Response(status_code=304, headers=headers)
    if stored_version != version.tag:
        sessions = request.app.state.sessions
        stored_body = await run_in_threadpool(
            render_and_store, sessions, principal, polled, revision, version
        )
    return Response(stored_body, media_type="application/json", headers=headers)
