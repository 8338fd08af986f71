"""Scratch databases, migrated as `pdsa serve` migrates them, and dropped afterwards."""

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import sqlalchemy
from sqlalchemy import Engine

from app import migrate
from app.db import make_engine
from tests.databases import postgres_scratch


@contextmanager
def scratch_database(backend: str, folder: Path, postgres_url: str) -> Iterator[Engine]:
    """A new database on `backend`: a SQLite file in `folder`, or `pdsa_bench_<random>` on the
    PostgreSQL server of `postgres_url`."""
    if backend == "sqlite":
        engine = make_engine(f"sqlite:///{folder / 'bench.db'}")
        migrate.upgrade(engine)
        try:
            yield engine
        finally:
            engine.dispose()
        return
    with postgres_scratch(postgres_url, "pdsa_bench") as engine:
        migrate.upgrade(engine)
        yield engine


def require_postgres(url: str) -> None:
    """Stop with a plain message when the PostgreSQL server does not answer."""
    engine = sqlalchemy.create_engine(url, connect_args={"connect_timeout": 3})
    try:
        with engine.connect():
            pass
    except sqlalchemy.exc.OperationalError as exc:
        raise SystemExit(
            f"PostgreSQL at {url} does not answer ({exc.orig}): start it, "
            "name another with --postgres-url, or run with --backend sqlite."
        ) from exc
    finally:
        engine.dispose()


def server_url(engine: Engine) -> str:
    """The DATABASE_URL that points a server at the engine's database."""
    return engine.url.render_as_string(hide_password=False)
