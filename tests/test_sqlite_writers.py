"""SQLite writers in one process take turns on one pooled connection, with a bounded wait."""

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.exc import TimeoutError as PoolTimeout
from sqlmodel import Session

from app import db
from app.db import make_engine, session_factory


@pytest.fixture
def engine(tmp_path: Path) -> Iterator[Engine]:
    engine = make_engine(f"sqlite:///{tmp_path / 'writers.db'}")
    with engine.begin() as connection:
        connection.execute(text("CREATE TABLE tally (n INTEGER)"))
    yield engine
    engine.dispose()


def add_one(session: Session) -> None:
    session.execute(text("INSERT INTO tally VALUES (1)"))
    session.commit()


def test_a_writer_waits_for_the_one_before_it_to_return_its_connection(engine: Engine) -> None:
    sessions = session_factory(engine)
    first = sessions(write=True)
    first.execute(text("SELECT 1"))  # begins: holds the write lock
    second_done = threading.Event()

    def second_writer() -> None:
        with sessions(write=True) as second:
            add_one(second)
        second_done.set()

    thread = threading.Thread(target=second_writer)
    thread.start()
    assert not second_done.wait(0.3)
    first.close()
    assert second_done.wait(5)
    thread.join()


def test_writers_from_many_threads_all_commit(engine: Engine) -> None:
    sessions = session_factory(engine)

    def writer() -> None:
        for _ in range(20):
            with sessions(write=True) as session:
                add_one(session)

    threads = [threading.Thread(target=writer) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    with engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM tally")).scalar() == 160


def test_a_writer_that_waits_too_long_for_its_turn_gets_a_pool_timeout(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(db, "SQLITE_BUSY_SECONDS", 0.1)
    sessions = session_factory(engine)
    with sessions(write=True) as first:
        first.execute(text("SELECT 1"))
        with sessions(write=True) as second, pytest.raises(PoolTimeout):
            second.execute(text("SELECT 1"))  # answered as a retryable 503


def test_readers_do_not_queue_behind_a_writer(engine: Engine) -> None:
    sessions = session_factory(engine)
    with sessions(write=True) as writer:
        writer.execute(text("INSERT INTO tally VALUES (1)"))
        with sessions() as reader:
            assert reader.execute(text("SELECT count(*) FROM tally")).scalar() == 0
