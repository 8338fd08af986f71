"""Retention without an operator: what can never be served again is swept as the server runs."""

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Connection
from sqlmodel import col, select

from app import main
from app.api.polled import Renders
from app.housekeeping import Swept, sweep
from app.models.cache import RenderedResponse
from app.models.common import utcnow
from app.models.idempotency import IdempotencyRecord
from app.tenancy import across_organisations
from tests.api import payloads
from tests.conftest import session_on
from tests.data.support import continuous_measure


def sweep_at(connection: Connection, hours_from_now: float = 0) -> Swept:
    with session_on(connection) as session:
        swept = sweep(session, utcnow() + timedelta(hours=hours_from_now))
        session.commit()
    return swept


def idempotency_keys(connection: Connection) -> list[str]:
    with session_on(connection) as session:
        across_organisations(session)
        return list(session.exec(select(col(IdempotencyRecord.key))))


def rendered_keys(connection: Connection) -> set[str]:
    with session_on(connection) as session:
        across_organisations(session)
        return set(session.exec(select(col(RenderedResponse.cache_key))))


def post_goal(api: TestClient, key: str) -> None:
    response = api.post(payloads.GOALS, json=payloads.goal(), headers={"Idempotency-Key": key})
    assert response.status_code == 201, response.text


def test_idempotency_records_go_24_hours_after_their_request(
    api: TestClient, connection: Connection
) -> None:
    post_goal(api, "first")

    assert sweep_at(connection, hours_from_now=23).idempotency_records == 0
    assert idempotency_keys(connection) == ["first"]
    assert sweep_at(connection, hours_from_now=25).idempotency_records == 1
    assert idempotency_keys(connection) == []


def test_renderings_of_an_older_revision_go_and_current_ones_stay(
    api: TestClient, connection: Connection, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(Renders, "STORE_EVERY_SECONDS", 0.0)
    assert api.get(payloads.MATRIX).status_code == 200
    post_goal(api, "a change")  # a new revision: the stored matrix can never be served again
    assert sweep_at(connection).renderings == 2  # the matrix, and the template it was cut from

    assert api.get(payloads.MATRIX).status_code == 200
    assert sweep_at(connection).renderings == 0
    assert rendered_keys(connection) == {"matrix", "matrix:template"}


def test_a_measures_renderings_of_older_data_go(api: TestClient, connection: Connection) -> None:
    data = continuous_measure(api)
    assert api.get(data.replace("/data", "/chart")).status_code == 200
    posted = api.post(data, json={"period": "2026-03-02", "value": 4})
    assert posted.status_code == 201, posted.text

    assert sweep_at(connection).renderings == 1
    assert rendered_keys(connection) == set()


def test_a_deleted_measures_renderings_go_with_it(api: TestClient, connection: Connection) -> None:
    data = continuous_measure(api)
    assert api.get(data.replace("/data", "/chart")).status_code == 200
    assert api.get("/api/v1/scorecard").status_code == 200

    assert api.delete(data.removesuffix("/data")).status_code == 204

    assert not any(key.startswith(("chart:", "status:")) for key in rendered_keys(connection))


def test_the_server_keeps_house_from_start_up(
    app: FastAPI, monkeypatch: pytest.MonkeyPatch
) -> None:
    started: list[tuple[Callable[..., Any], float]] = []

    async def record(sessions: Callable[..., Any], interval_seconds: float) -> None:
        started.append((sessions, interval_seconds))

    monkeypatch.setattr(main, "keep_house", record)
    with TestClient(app):
        pass
    assert started == [(app.state.sessions, app.state.settings.housekeeping_interval_seconds)]


def test_a_matrix_is_stored_whole_at_most_once_a_second(
    api: TestClient, connection: Connection, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(Renders, "STORE_EVERY_SECONDS", 3600.0)
    assert api.get(payloads.MATRIX).status_code == 200
    post_goal(api, "a change")

    assert api.get(payloads.MATRIX).status_code == 200  # within the period: its parts only
    assert sweep_at(connection).renderings == 1  # the whole of the old version
    assert rendered_keys(connection) == {"matrix:template"}

    monkeypatch.setattr(Renders, "STORE_EVERY_SECONDS", 0.0)
    assert api.get(payloads.MATRIX).status_code == 200
    assert rendered_keys(connection) == {"matrix", "matrix:template"}
