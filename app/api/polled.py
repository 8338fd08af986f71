"""Serving polled reads (`app.polled`): 401/403/404 from the poll's one row, 304 when the
client has the version, the stored rendering when it is of that version, and otherwise a
rendering made in a worker thread (and stored for the next poll, unless it is composed of
stored parts)."""

import asyncio
from collections import OrderedDict
from typing import Any

from fastapi import Request, Response
from fastapi.concurrency import run_in_threadpool

from app.api.sessions import poll
from app.etag import not_modified
from app.models.organisation import Scope
from app.polled import Polled, Version, render_and_store
from app.principal import KEY_COLUMNS, Principal, hash_secret, principal_from, require

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
        stored_body = await _render_once(request, principal, polled, revision, version)
    return Response(stored_body, media_type="application/json", headers=headers)


class Renders:
    """This process's renderings under way, and the version each composed read was last
    composed at: a composed whole is stored once it is read a second time at one version (a
    dashboard polling), never after a read that the next change makes stale anyway."""

    LAST_COMPOSED = 10_000  # reads remembered, the least recently composed forgotten first

    def __init__(self) -> None:
        self.in_flight: dict[tuple[Any, ...], asyncio.Future[bytes]] = {}
        self._last_composed: OrderedDict[tuple[Any, ...], str] = OrderedDict()

    def keep_whole(self, principal: Principal, polled: Polled, version: Version) -> bool:
        if not polled.composed:
            return True
        read = (principal.organisation_id, polled.key)
        again = self._last_composed.get(read) == version.tag
        self._last_composed[read] = version.tag
        self._last_composed.move_to_end(read)
        if len(self._last_composed) > self.LAST_COMPOSED:
            self._last_composed.popitem(last=False)
        return again


async def _render_once(
    request: Request, principal: Principal, polled: Polled, revision: int, version: Version
) -> bytes:
    """Render in a worker thread (and store); polls of the same rendering at the same version
    that arrive meanwhile wait for that one rendering rather than each drawing it again (a
    dashboard's many viewers after a change, or every viewer of a new version at once)."""
    renders: Renders = request.app.state.renders
    key = (principal.organisation_id, polled.key, version.tag)
    rendering = renders.in_flight.get(key)
    if rendering is None:
        keep_whole = renders.keep_whole(principal, polled, version)
        rendering = asyncio.ensure_future(
            run_in_threadpool(
                render_and_store,
                request.app.state.sessions,
                principal,
                polled,
                revision,
                version,
                keep_whole,
            )
        )
        renders.in_flight[key] = rendering
        rendering.add_done_callback(lambda _: renders.in_flight.pop(key, None))
    # Shielded: a poll whose client went away does not cancel the others' rendering.
    return await asyncio.shield(rendering)
