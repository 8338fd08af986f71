"""Fixtures: every data test runs on each backend, on the real migrations, in a transaction
that is rolled back afterwards (the application's commits become savepoint releases)."""

from collections.abc import Iterator
from dataclasses import dataclass
from functools import partial
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Connection, Engine
from sqlmodel import Session

from app import migrate
from app.config import Settings
from app.db import make_engine, new_session
from app.main import create_app
from app.models.organisation import ApiKeyCreate, Scope
from app.services.keys import create_key
from app.services.organisations import create_organisation
from tests.databases import backends, scratch_database


@pytest.fixture(scope="session", params=backends())
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture(scope="session")
def engine(backend: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    with scratch_database(backend, tmp_path_factory.mktemp(backend)) as engine:
        migrate.upgrade(engine)
        yield engine


@pytest.fixture
def connection(engine: Engine) -> Iterator[Connection]:
    with engine.connect() as connection:
        transaction = connection.begin()
        yield connection
        transaction.rollback()


def session_on(connection: Connection, write: bool = False, poll: bool = False) -> Session:  # noqa: ARG001
    """The application's own session settings, bound inside the test's transaction (where
    readers, writers and polls share the one connection)."""
    return new_session(connection, join_transaction_mode="create_savepoint")


@pytest.fixture(scope="session")
def document() -> Iterator[dict[str, Any]]:
    """The OpenAPI document, fetched anonymously once: describing the API needs no database, so
    no backend either."""
    engine = make_engine("sqlite://")
    response = TestClient(create_app(Settings(database_url="sqlite://"), engine)).get(
        "/openapi.json"
    )
    assert response.status_code == 200
    doc: dict[str, Any] = response.json()
    yield doc
    engine.dispose()


@pytest.fixture(scope="session")
def application(engine: Engine) -> FastAPI:
    """One application per backend: building it is the costliest part of a test."""
    return create_app(Settings(database_url=engine.url.render_as_string(False)), engine)


@pytest.fixture
def app(application: FastAPI, connection: Connection) -> Iterator[FastAPI]:
    """The application, its sessions inside this test's transaction."""
    application.state.sessions = partial(session_on, connection)
    yield application
    application.dependency_overrides.clear()


@dataclass(frozen=True)
class Tenant:
    """An organisation with a key for each level of access."""

    organisation_id: str
    admin_key: str
    write_key: str
    read_key: str


def make_tenant(connection: Connection, name: str) -> Tenant:
    with session_on(connection) as session:
        organisation, admin = create_organisation(session, name)
        writer = create_key(
            session, None, organisation.id, ApiKeyCreate(name="w", scopes=[Scope.READ, Scope.WRITE])
        )
        reader = create_key(
            session, None, organisation.id, ApiKeyCreate(name="r", scopes=[Scope.READ])
        )
        session.commit()
    return Tenant(str(organisation.id), admin.key, writer.key, reader.key)


@pytest.fixture
def tenant(connection: Connection) -> Tenant:
    return make_tenant(connection, "Northshire Hospitals NHS Trust")


@pytest.fixture
def other_tenant(connection: Connection) -> Tenant:
    return make_tenant(connection, "Southshire Community Health NHS Trust")


def client_for(app: FastAPI, key: str | None) -> TestClient:
    headers = {"Authorization": f"Bearer {key}"} if key else {}
    return TestClient(app, headers=headers, raise_server_exceptions=False)


@pytest.fixture
def api(app: FastAPI, tenant: Tenant) -> TestClient:
    """A client acting with the admin key (every scope) of `tenant`."""
    return client_for(app, tenant.admin_key)


@pytest.fixture
def other_api(app: FastAPI, other_tenant: Tenant) -> TestClient:
    """A client acting for a different organisation."""
    return client_for(app, other_tenant.admin_key)


@pytest.fixture
def anonymous(app: FastAPI) -> TestClient:
    return client_for(app, None)
