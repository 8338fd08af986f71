"""Database engine and sessions.

One engine per application, kept on `app.state`, so tests and the CLI can build their own.
"""

from collections.abc import Callable
from functools import lru_cache, partial
from typing import Any

from sqlalchemy import (
    URL,
    Connection,
    Engine,
    Insert,
    Row,
    StaticPool,
    Table,
    event,
    make_url,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine
from sqlmodel import Session, create_engine

SQLITE_BUSY_SECONDS = 5
# A server that does not answer a connection within 5 s, or a statement that runs 30 s (no
# request here needs a tenth of that), is an outage: the request fails with a retryable 503.
POSTGRES_TIMEOUTS = {"connect_timeout": 5, "options": "-c statement_timeout=30000"}
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
    return create_engine(
        url, pool_pre_ping=True, pool_size=20, max_overflow=0, connect_args=POSTGRES_TIMEOUTS
    )


def _sqlite_file(url: URL) -> bool:
    return url.database not in (None, "", ":memory:")


def _sqlite_engine(
    url: str | URL, begin: str | None, busy_seconds: float = SQLITE_BUSY_SECONDS, **pool: Any
) -> Engine:
    """An engine whose transactions begin with `BEGIN <begin>` (IMMEDIATE: writers), or never
    (None: one statement at a time)."""
    engine = create_engine(url, connect_args={"check_same_thread": False}, **pool)
    event.listen(engine, "connect", partial(_configure_sqlite_connection, busy_seconds))
    if begin is not None:
        event.listen(engine, "begin", partial(_begin_sqlite_transaction, f"BEGIN {begin}"))
    return engine


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


def session_factory(engine: Engine) -> Callable[..., Session]:
    """Sessions for readers, for writers (`write=True`) and for polls (`poll=True`: reads of
    one statement, which need no transaction of their own; see `poll`).

    A SQLite file gets two more engines. Its writers share one connection (SQLite has one write
    lock: a pool of one is the queue for it, woken the moment the writer before returns it, and
    its timeout bounds the wait), and begin IMMEDIATE, so a writer never fails with SQLITE_BUSY
    when a read transaction cannot be upgraded, and waiting writers hold no connection readers
    need. Its polls have the event loop's own connection (see `_sqlite_loop_engine`).
    """
    writer = _sqlite_writer_engine(engine) or engine
    poller = _sqlite_loop_engine(engine) or engine.execution_options(isolation_level="AUTOCOMMIT")

    def open_session(write: bool = False, poll: bool = False) -> Session:
        return new_session(poller if poll else writer if write else engine)

    return open_session


def _sqlite_writer_engine(engine: Engine) -> Engine | None:
    if engine.dialect.name != "sqlite" or not _sqlite_file(engine.url):
        return None
    return _sqlite_engine(
        engine.url,
        begin="IMMEDIATE",
        pool_size=1,
        max_overflow=0,
        pool_timeout=SQLITE_BUSY_SECONDS,
    )


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
        engine.url,
        pool_size=20,
        max_overflow=0,
        isolation_level="AUTOCOMMIT",
        connect_args=POSTGRES_TIMEOUTS,
    )


def upsert(
    session: Session,
    model: Any,
    conflict: tuple[str, ...],
    update: tuple[str, ...],
    returning: tuple[Any, ...] = (),
) -> Insert:
    """INSERT … ON CONFLICT (`conflict`) DO UPDATE SET `update` from the row offered (RETURNING
    `returning`), on either database: one row per key, whoever wins a race."""
    return _upsert(session.get_bind().dialect.name, model.__table__, conflict, update, returning)


def insert_ignoring_conflicts(
    session: Session, model: Any, conflict: tuple[str, ...], returning: tuple[Any, ...] = ()
) -> Insert:
    """INSERT … ON CONFLICT (`conflict`) DO NOTHING (RETURNING `returning`), on either
    database."""
    return _insert_ignoring(session.get_bind().dialect.name, model.__table__, conflict, returning)


# Statements are immutable, and building an upsert (its `excluded` columns above all) costs more
# than running it: each is built once.
@lru_cache
def _upsert(
    dialect: str,
    table: Table,
    conflict: tuple[str, ...],
    update: tuple[str, ...],
    returning: tuple[Any, ...],
) -> Insert:
    statement = _dialect_insert(dialect, table)
    on_conflict: Insert = statement.on_conflict_do_update(
        index_elements=list(conflict), set_={c: statement.excluded[c] for c in update}
    )
    return on_conflict.returning(*returning) if returning else on_conflict


@lru_cache
def _insert_ignoring(
    dialect: str, table: Table, conflict: tuple[str, ...], returning: tuple[Any, ...]
) -> Insert:
    ignoring: Insert = _dialect_insert(dialect, table).on_conflict_do_nothing(
        index_elements=list(conflict)
    )
    return ignoring.returning(*returning) if returning else ignoring


def _dialect_insert(dialect: str, table: Table) -> postgresql.Insert | sqlite.Insert:
    if dialect == "postgresql":
        return postgresql.insert(table)
    return sqlite.insert(table)


def new_session(bind: Engine | Connection, **options: Any) -> Session:
    """Objects stay readable after commit (handlers commit before building their response), and
    nothing is flushed behind our back: a half-applied change must never reach the database
    because a validation query ran before the change was checked."""
    return Session(bind, expire_on_commit=False, autoflush=False, **options)
