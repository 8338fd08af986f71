"""Database engine and sessions.

One engine per application, kept on `app.state`, so tests and the CLI can build their own.
"""

import sqlite3
import threading
from collections.abc import Callable, Iterator, Sequence
from functools import partial
from typing import Annotated, Any

from fastapi import Depends, FastAPI, Request
from fastapi.concurrency import run_in_threadpool
from sqlalchemy import (
    URL,
    Connection,
    Engine,
    Executable,
    Insert,
    Row,
    StaticPool,
    event,
    make_url,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import OperationalError
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine
from sqlmodel import Session, create_engine

SQLITE_BUSY_SECONDS = 5
AnyRow = Row[*tuple[Any, ...]]  # a row of any columns


def make_engine(url: str) -> Engine:
    """The application's engine: readers' sessions, and writers' on PostgreSQL."""
    if url.startswith("sqlite"):
        if not _sqlite_file(make_url(url)):
            return _sqlite_engine(url, begin="")
        # A fixed pool: more connections only add contention, and the overflow connections a
        # burst would open are closed again at once (and configured anew each time).
        return _sqlite_engine(url, begin="", pool_size=8, max_overflow=0)
    # No overflow: the pool closes overflow connections as soon as they are returned, so a burst
    # would keep opening (and re-preparing) connections; threads beyond twenty wait for one.
    return create_engine(url, pool_pre_ping=True, pool_size=20, max_overflow=0)


def _sqlite_file(url: URL) -> bool:
    return url.database not in (None, "", ":memory:")


def _sqlite_engine(
    url: str | URL, begin: str | None, busy_seconds: float = SQLITE_BUSY_SECONDS, **pool: Any
) -> Engine:
    """An engine whose transactions begin with `BEGIN <begin>` (IMMEDIATE: writers, who queue
    for the write lock in this process first), or never (None: one statement at a time)."""
    engine = create_engine(url, connect_args={"check_same_thread": False}, **pool)
    event.listen(engine, "connect", partial(_configure_sqlite_connection, busy_seconds))
    if begin == "IMMEDIATE":
        writers = _WriterQueue()
        event.listen(engine, "begin", writers.enter)
        event.listen(engine, "checkin", writers.leave)
    if begin is not None:
        event.listen(engine, "begin", partial(_begin_sqlite_transaction, f"BEGIN {begin}"))
    return engine


class _WriterQueue:
    """This process's SQLite writers, one at a time.

    SQLite's own wait for its write lock (busy_timeout) polls with sleeps of up to 100 ms, so a
    burst of writers in one process would spend most of its time asleep; they wait here instead,
    on a lock that wakes one of them the moment the writer before returns its connection. (Not
    first come, first served: a writer may wait its whole bound under a sustained burst.)
    Writers in other processes still meet at SQLite's lock, so the longest wait is both bounds.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()

    def enter(self, connection: Connection) -> None:
        if connection.info.get(_HOLDS_WRITE_LOCK):
            return
        # Bounded like SQLite's own wait, so a pile-up ends in retryable 503s, not a hang.
        if not self._lock.acquire(timeout=SQLITE_BUSY_SECONDS):
            error = sqlite3.OperationalError("database is locked")
            raise OperationalError("BEGIN IMMEDIATE", None, error)
        connection.info[_HOLDS_WRITE_LOCK] = True

    def leave(self, _dbapi_connection: Any, record: Any) -> None:
        if record.info.pop(_HOLDS_WRITE_LOCK, False):
            self._lock.release()


_HOLDS_WRITE_LOCK = "holds_write_lock"


def _configure_sqlite_connection(busy_seconds: float, dbapi_connection: Any, _: Any) -> None:
    # pysqlite's own transaction handling defers BEGIN and breaks SAVEPOINT; SQLAlchemy
    # documents handing transactions back to SQLAlchemy via isolation_level=None.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute(f"PRAGMA busy_timeout={int(busy_seconds * 1000)}")
    cursor.close()


def _begin_sqlite_transaction(statement: str, connection: Connection) -> None:
    connection.exec_driver_sql(statement)


SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def session_factory(engine: Engine) -> Callable[..., Session]:
    """Sessions for readers, for writers (`write=True`) and for polls (`poll=True`: reads of
    one statement, which need no transaction of their own; see `poll`).

    A SQLite file gets two more engines. Its writers have their own pool and begin IMMEDIATE
    (queueing for the write lock rather than failing with SQLITE_BUSY when a read transaction
    cannot be upgraded), so queued writers never hold the connections readers need. Its polls
    have the event loop's own connection (see `_sqlite_loop_engine`).
    """
    writer = _sqlite_writer_engine(engine) or engine
    poller = _sqlite_loop_engine(engine) or engine.execution_options(isolation_level="AUTOCOMMIT")

    def open_session(write: bool = False, poll: bool = False) -> Session:
        return new_session(poller if poll else writer if write else engine)

    return open_session


def _sqlite_writer_engine(engine: Engine) -> Engine | None:
    if engine.dialect.name != "sqlite" or not _sqlite_file(engine.url):
        return None
    return _sqlite_engine(engine.url, begin="IMMEDIATE", pool_size=8, max_overflow=0)


def polls_on_loop(engine: Engine) -> bool:
    """Whether polls run on the event loop: on SQLite files (see `poll`)."""
    return engine.dialect.name == "sqlite" and _sqlite_file(engine.url)


def _sqlite_loop_engine(engine: Engine) -> Engine | None:
    """The event loop's own connection to a SQLite file (the loop is one thread), so that a
    poll never waits for a pooled connection that a worker thread holds. Without BEGIN: each
    poll is one statement, which SQLite runs in a snapshot of its own. Without a busy wait: the
    rare reader SQLite turns away is answered 503 at once rather than stalling the loop."""
    if not polls_on_loop(engine):
        return None
    return _sqlite_engine(engine.url, begin=None, busy_seconds=0, poolclass=StaticPool)


def async_poll_engine(engine: Engine) -> AsyncEngine | None:
    """PostgreSQL's polls go through its asyncio driver, on the event loop: no worker thread,
    no transaction. Without pre-ping: a poll that meets a dropped connection fails once (503)
    and SQLAlchemy then replaces the whole pool. None for SQLite (see `poll`)."""
    if engine.dialect.name == "sqlite":
        return None
    return create_async_engine(
        engine.url, pool_size=20, max_overflow=0, isolation_level="AUTOCOMMIT"
    )


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
