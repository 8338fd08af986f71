"""Database engine and sessions.

One engine per application, kept on `app.state`, so tests and the CLI can build their own.
"""

from collections.abc import Iterator
from typing import Annotated, Any

from fastapi import Depends, Request
from sqlalchemy import Connection, Engine, event
from sqlmodel import Session, create_engine


def make_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"check_same_thread": False})
        event.listen(engine, "connect", _configure_sqlite_connection)
        event.listen(engine, "begin", _begin_sqlite_transaction)
        return engine
    return create_engine(url, pool_pre_ping=True)


def _configure_sqlite_connection(dbapi_connection: Any, _record: Any) -> None:
    # pysqlite's own transaction handling defers BEGIN and breaks SAVEPOINT; SQLAlchemy
    # documents handing transactions back to SQLAlchemy via isolation_level=None.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.close()


def _begin_sqlite_transaction(connection: Any) -> None:
    connection.exec_driver_sql("BEGIN")


def new_session(bind: Engine | Connection, **options: Any) -> Session:
    """Objects stay readable after commit (handlers commit before building their response), and
    nothing is flushed behind our back: a half-applied change must never reach the database
    because a validation query ran before the change was checked."""
    return Session(bind, expire_on_commit=False, autoflush=False, **options)


def get_session(request: Request) -> Iterator[Session]:
    """The request's session, from the factory on `app.state` (tests swap in their own)."""
    with request.app.state.sessions() as session:
        yield session


SessionDep = Annotated[Session, Depends(get_session)]
