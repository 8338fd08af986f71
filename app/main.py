"""The application factory."""

import asyncio
import gc
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, suppress

import anyio.to_thread
from fastapi import APIRouter, Depends, FastAPI
from fastapi_offline import FastAPIOffline
from sqlalchemy import Engine

from app.api import (
    audit,
    charts,
    cycles,
    data,
    embeds,
    goals,
    health,
    icons,
    keys,
    matrix,
    measures,
    organisation,
    projects,
    targets,
)
from app.api.polled import Renders
from app.api.query import strict_query
from app.api.unit_of_work import render_replay
from app.config import Settings, get_settings
from app.db import async_poll_engine, make_engine, polls_on_loop, session_factory
from app.deadline import DeadlineMiddleware
from app.errors import install_error_handlers
from app.housekeeping import keep_house
from app.idempotency import Replay
from app.logs import configure_logging
from app.middleware import BodyLimitMiddleware, RequestContextMiddleware
from app.openapi import problem_openapi

DESCRIPTION = """
An open PDSA rapid-cycle improvement tracker for NHS improvement teams: the four-column
matrix (strategic goals framed as promises, system-level measures, national targets, projects),
PDSA cycles, and the data behind run and SPC charts.

Authenticate with an API key: `Authorization: Bearer <key>` (or `X-API-Key: <key>`).
Errors are `application/problem+json` (RFC 9457).
"""


@asynccontextmanager
async def _lifespan(app: FastAPI) -> AsyncIterator[None]:
    # Opened here, on the server's event loop, which its asyncio connections belong to.
    app.state.poll_engine = async_poll_engine(app.state.engine)
    _keep_the_loop_answering()
    housekeeping = asyncio.create_task(
        keep_house(app.state.sessions, app.state.settings.housekeeping_interval_seconds)
    )
    try:
        yield
    finally:
        housekeeping.cancel()
        with suppress(asyncio.CancelledError):
            await housekeeping
        if app.state.poll_engine is not None:
            await app.state.poll_engine.dispose()
        app.state.poll_engine = None


WORKER_THREADS = 8


def _keep_the_loop_answering() -> None:
    """Bound how long the event loop can wait for the GIL, measured in the benchmark's retry
    load (/livez p99 from about 100 ms to about 20 ms). Each runnable worker thread can hold
    the loop off for a switch interval, so at most `WORKER_THREADS` run at once (anyio's default
    is 40; two cores gain nothing from more). And the objects of start-up, which live as long as
    the process, are frozen out of the collector's full passes, which otherwise stop the loop
    for about 100 ms each."""
    anyio.to_thread.current_default_thread_limiter().total_tokens = WORKER_THREADS
    gc.collect()
    gc.freeze()


def create_app(settings: Settings | None = None, engine: Engine | None = None) -> FastAPI:
    settings = settings or get_settings()
    configure_logging(settings.log_level)
    # Offline: /docs and /redoc load their scripts from the package, not a CDN that an NHS
    # intranet may not reach.
    app = FastAPIOffline(
        title="PDSA improvement tracker",
        version="0.1.0",
        description=DESCRIPTION,
        lifespan=_lifespan,
    )
    app.state.settings = settings
    app.state.engine = engine or make_engine(settings.database_url)
    app.state.sessions = session_factory(app.state.engine)
    app.state.polls_on_loop = polls_on_loop(app.state.engine)
    app.state.poll_engine = None  # until the lifespan opens it
    app.state.renders = Renders()
    install_error_handlers(app)
    app.add_exception_handler(Replay, render_replay)
    app.add_middleware(DeadlineMiddleware, seconds=settings.request_timeout_seconds)
    app.add_middleware(BodyLimitMiddleware, max_bytes=settings.max_body_bytes)
    app.add_middleware(RequestContextMiddleware)
    for public in (health.router, icons.router, embeds.opened):  # no key
        app.include_router(public, dependencies=[Depends(strict_query)])
    api = APIRouter(prefix="/api/v1", dependencies=[Depends(strict_query)])
    for module in (
        goals,
        measures,
        data,
        charts,
        targets,
        projects,
        cycles,
        matrix,
        keys,
        audit,
        organisation,
        embeds,
    ):
        api.include_router(module.router)
    app.include_router(api)
    app.openapi = problem_openapi(app)  # type: ignore[method-assign]
    return app
