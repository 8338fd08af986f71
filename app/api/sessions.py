"""The sessions of HTTP requests: a read session per read request, and polls on the loop."""

import logging
from collections.abc import Callable, Iterator
from typing import Annotated, Any

from fastapi import Depends, FastAPI, Request
from fastapi.concurrency import run_in_threadpool
from sqlalchemy import Executable
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlmodel import Session

from app.db import AnyRow
from app.deadline import check_deadline

logger = logging.getLogger("app.sessions")


def get_session(request: Request) -> Iterator[Session]:
    """A read request's session, from the factory on `app.state` (tests swap in their own).
    Writes open theirs in their unit of work (`app.api.unit_of_work`)."""
    check_deadline()
    session: Session = request.app.state.sessions()
    try:
        yield session
    finally:
        _close_after_answering(session)


def _close_after_answering(session: Session) -> None:
    """Closed once the answer has gone: a connection the database dropped meanwhile (its
    rollback fails) is the pool's to replace, not an error of a request already answered."""
    try:
        session.close()
    except DBAPIError:
        logger.warning("a read's connection was lost after its answer", exc_info=True)


SessionDep = Annotated[Session, Depends(get_session)]


async def poll(app: FastAPI, statement: Executable, parameters: dict[str, Any]) -> AnyRow | None:
    """The first row of `statement`, a read of one statement that dashboards repeat all day.

    Handing a read to a worker thread and back costs more than the read itself (measured: see
    the README's benchmarks), so polls run on the event loop: on PostgreSQL through its asyncio
    driver (`app.state.poll_engine`, opened with the application's lifespan); on a SQLite
    file directly, as SQLite is a library in this process whose reads of a WAL database never
    wait for a writer. Otherwise (no lifespan, as in the rolled-back tests) in a worker thread.
    """
    poll_engine: AsyncEngine | None = app.state.poll_engine
    if poll_engine is not None:
        async with poll_engine.connect() as connection:
            return (await connection.execute(statement, parameters)).first()
    if app.state.polls_on_loop:
        return _first_row(app.state.sessions, statement, parameters)
    return await run_in_threadpool(_first_row, app.state.sessions, statement, parameters)


def _first_row(
    sessions: Callable[..., Session], statement: Executable, parameters: dict[str, Any]
) -> AnyRow | None:
    with sessions(poll=True) as session:
        # Core, not the ORM: a plain row is all a poll needs.
        return session.connection().execute(statement, parameters).first()
