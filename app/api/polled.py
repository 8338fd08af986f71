"""Serving polled reads (`app.polled`): 401/403/404 from the poll's one row, 304 when the
client has the version, the stored rendering when it is of that version, and otherwise a
rendering made in a worker thread (and stored for the next poll, unless it is composed of
stored parts)."""

import asyncio
import math
import time
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
    """`polled` for the caller whose API key is `secret`."""
    return await serve_polled_for(request, hash_secret(secret), polled, if_none_match)


async def serve_polled_for(
    request: Request, key_hash: str, polled: Polled, if_none_match: str | None
) -> Response:
    """`polled` for the API key stored under `key_hash` (a signed link's key)."""
    parameters = {**polled.parameters, "secret_hash": key_hash, "cache_key": polled.key}
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
    return Response(stored_body, media_type=polled.media_type, headers=headers)


class Renders:
    """This process's renderings under way, and when each composed read was last stored whole:
    at most once a second, so a dashboard's polls soon find it stored (one statement each),
    while a stream of data points does not make the service store an organisation-sized body
    after each one."""

    STORE_EVERY_SECONDS = 1.0
    REMEMBERED = 10_000  # composed reads, the least recently stored forgotten first

    def __init__(self) -> None:
        self.in_flight: dict[tuple[Any, ...], asyncio.Future[bytes]] = {}
        self._last_stored: OrderedDict[tuple[Any, ...], float] = OrderedDict()

    def keep_whole(self, principal: Principal, polled: Polled) -> bool:
        if not polled.composed:
            return True
        read, now = (principal.organisation_id, polled.key), time.monotonic()
        if now - self._last_stored.get(read, -math.inf) < self.STORE_EVERY_SECONDS:
            return False
        self._last_stored[read] = now
        self._last_stored.move_to_end(read)
        if len(self._last_stored) > self.REMEMBERED:
            self._last_stored.popitem(last=False)
        return True


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
        keep_whole = renders.keep_whole(principal, polled)
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
