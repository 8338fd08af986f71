"""Throwaway databases for the suite: SQLite always, PostgreSQL when one is configured or answers.

`TEST_POSTGRES_URL` names a server to test against (CI sets it, and then it must answer).
Without it, a PostgreSQL on 127.0.0.1:5432 is used if one answers, and skipped otherwise.
"""

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import sqlalchemy
from sqlalchemy import Engine, make_url

from app.db import make_engine

LOCAL_POSTGRES = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


def postgres_url() -> str | None:
    configured = os.environ.get("TEST_POSTGRES_URL")
    if configured:
        _connect(configured)  # configured but unreachable is a failure, not a skip
        return configured
    try:
        _connect(LOCAL_POSTGRES)
    except sqlalchemy.exc.OperationalError:
        return None
    return LOCAL_POSTGRES


def backends() -> list[str]:
    return ["sqlite", "postgresql"] if postgres_url() else ["sqlite"]


@contextmanager
def scratch_database(backend: str, folder: Path) -> Iterator[Engine]:
    """A new, empty database on `backend`, dropped afterwards."""
    if backend == "sqlite":
        engine = make_engine(f"sqlite:///{folder / f'{uuid.uuid4().hex}.db'}")
        yield engine
        engine.dispose()
        return
    server = postgres_url()
    assert server is not None
    with postgres_scratch(server, "pdsa_test") as engine:
        yield engine


@contextmanager
def postgres_scratch(server: str, prefix: str) -> Iterator[Engine]:
    """A new database `<prefix>_<random>` on the PostgreSQL `server`, dropped afterwards (the
    benchmarks use it too)."""
    name = f"{prefix}_{uuid.uuid4().hex[:12]}"
    admin = sqlalchemy.create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
    engine = make_engine(make_url(server).set(database=name).render_as_string(False))
    try:
        yield engine
    finally:
        engine.dispose()
        with admin.connect() as connection:
            connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()


def _connect(url: str) -> None:
    engine = sqlalchemy.create_engine(url, connect_args={"connect_timeout": 2})
    try:
        with engine.connect():
            pass
    finally:
        engine.dispose()
