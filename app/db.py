"""Database engine and sessions.

One engine per application, kept on `app.state`, so tests and the CLI can build their own.
"""

from collections.abc import Callable, Iterator, Sequence
from typing import Annotated, Any

from fastapi import Depends, Request
from sqlalchemy import Connection, Engine, Insert, event
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, create_engine


def make_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"check_same_thread": False})
        event.listen(engine, "connect", _configure_sqlite_connection)
        event.listen(engine, "begin", _begin_sqlite_transaction)
        return engine
    # As many connections as the server's thread pool has threads, so none waits for another.
    return create_engine(url, pool_pre_ping=True, pool_size=20, max_overflow=20)


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
    # Writers begin IMMEDIATE: they queue for the write lock (busy_timeout) instead of failing
    # with SQLITE_BUSY when a read transaction cannot be upgraded.
    connection.exec_driver_sql(f"BEGIN {connection.get_execution_options().get(_BEGIN, '')}")


_BEGIN = "sqlite_begin"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def session_factory(engine: Engine) -> Callable[..., Session]:
    """Sessions for readers, or (`write=True`) for writers, which SQLite serialises up front."""
    writer = engine.execution_options(**{_BEGIN: "IMMEDIATE"})

    def open_session(write: bool = False) -> Session:
        return new_session(writer if write else engine)

    return open_session


def upsert(session: Session, model: Any, conflict: Sequence[str], update: Sequence[str]) -> Insert:
    """INSERT … ON CONFLICT (`conflict`) DO UPDATE SET `update` from the row offered, on either
    database: one row per key, whoever wins a race."""
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    statement = dialect.insert(model.__table__)
    on_conflict: Insert = statement.on_conflict_do_update(
        index_elements=list(conflict), set_={c: statement.excluded[c] for c in update}
    )
    return on_conflict


def new_session(bind: Engine | Connection, **options: Any) -> Session:
    """Objects stay readable after commit (handlers commit before building their response), and
    nothing is flushed behind our back: a half-applied change must never reach the database
    because a validation query ran before the change was checked."""
    return Session(bind, expire_on_commit=False, autoflush=False, **options)


def get_session(request: Request) -> Iterator[Session]:
    """The request's session, from the factory on `app.state` (tests swap in their own)."""
    with request.app.state.sessions(write=request.method not in SAFE_METHODS) as session:
        yield session


SessionDep = Annotated[Session, Depends(get_session)]
