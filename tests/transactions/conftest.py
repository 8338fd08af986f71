"""A live server on a committed scratch database of each backend (see `live.py`)."""

from collections.abc import Iterator

import pytest
from sqlalchemy import Engine

from app import migrate
from tests.databases import scratch_database
from tests.transactions.live import LiveServer, live_server


@pytest.fixture(scope="module")
def database(backend: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    with scratch_database(backend, tmp_path_factory.mktemp(backend)) as engine:
        migrate.upgrade(engine)
        yield engine


@pytest.fixture
def server(database: Engine) -> Iterator[LiveServer]:
    with live_server(database) as running:
        yield running
