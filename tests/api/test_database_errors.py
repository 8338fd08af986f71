"""Database failures are told apart: retry (503), conflict (409), or our fault (500)."""

import sqlite3

import psycopg
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout

from app.config import Settings
from app.errors import install_error_handlers
from app.main import create_app
from tests.api.payloads import goal


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


def test_a_database_that_cannot_be_reached_is_a_503_with_retry_after() -> None:
    nobody_listens = "postgresql+psycopg://postgres@127.0.0.1:1/test"
    app = create_app(Settings(database_url=nobody_listens))
    client = TestClient(app, raise_server_exceptions=False)

    for response in (
        client.get("/api/v1/goals", headers={"Authorization": "Bearer pdsa_anything"}),
        client.post(
            "/api/v1/goals", json=goal(), headers={"Authorization": "Bearer pdsa_anything"}
        ),
    ):
        assert response.status_code == 503, response.text
        assert response.headers["Retry-After"] == "1"
        assert response.headers["content-type"] == "application/problem+json"


@pytest.mark.parametrize("sqlstate", ["57P01", "57P03", "08006", "53300", "57014"])
def test_a_server_going_away_or_a_statement_timing_out_is_a_503(sqlstate: str) -> None:
    orig = psycopg.OperationalError("the server is going away")
    orig.sqlstate = sqlstate
    assert answer_to(OperationalError("SELECT 1", None, orig)) == (503, "1")
