"""Database failures are told apart: retry (503), conflict (409), or our fault (500)."""

import sqlite3

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout

from app.errors import install_error_handlers


def answer_to(failure: Exception) -> tuple[int, str | None]:
    app = FastAPI()
    install_error_handlers(app)

    @app.get("/fails")
    def fails() -> None:
        raise failure

    response = TestClient(app, raise_server_exceptions=False).get("/fails")
    assert response.headers["content-type"] == "application/problem+json"
    return response.status_code, response.headers.get("Retry-After")


def dbapi_error(message: str, invalidated: bool = False) -> DBAPIError:
    orig = sqlite3.OperationalError(message)
    return DBAPIError("SELECT 1", None, orig, connection_invalidated=invalidated)


@pytest.mark.parametrize(
    "failure",
    [
        OperationalError("BEGIN IMMEDIATE", None, sqlite3.OperationalError("database is locked")),
        dbapi_error("server closed the connection unexpectedly", invalidated=True),
        PoolTimeout("QueuePool limit of size 20 overflow 0 reached"),
    ],
    ids=["contention", "lost connection", "no pooled connection in time"],
)
def test_a_failure_worth_retrying_is_a_503_with_retry_after(failure: Exception) -> None:
    assert answer_to(failure) == (503, "1")


def test_a_constraint_race_is_a_409() -> None:
    failure = IntegrityError("INSERT", None, sqlite3.IntegrityError("UNIQUE constraint failed"))
    assert answer_to(failure)[0] == 409


def test_any_other_database_error_is_a_500() -> None:
    assert answer_to(dbapi_error("no such column: nonsense"))[0] == 500
