"""Every write is one unit of work: all of it commits, or none of it does.

A failure injected after the change and before its answer is stored must leave the database
exactly as it was (no row, no audit entry, no revision bump, no pending Idempotency-Key claim),
so that a retry with the same key runs afresh.
"""

import subprocess
import sys
from collections.abc import Callable
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.routing import APIRoute, iter_route_contexts
from fastapi.testclient import TestClient
from sqlalchemy import Connection, select
from sqlmodel import SQLModel

from app.api import unit_of_work
from app.api.unit_of_work import UnitOfWork
from tests.api.factories import ENDPOINTS, Endpoint, body_for, make_path

WRITES = [
    endpoint for endpoint in ENDPOINTS if endpoint.method in {"POST", "PUT", "PATCH", "DELETE"}
]
Snapshot = dict[str, list[tuple[Any, ...]]]


class Injected(Exception):
    """The failure a test injects into a unit of work."""


def snapshot(connection: Connection) -> Snapshot:
    """Every row of every table, as the test's transaction sees it."""
    return {
        table.name: sorted(map(tuple, connection.execute(select(table)).all()), key=repr)
        for table in SQLModel.metadata.sorted_tables
    }


def fail(*_: object) -> None:
    raise Injected


def send(api: TestClient, endpoint: Endpoint, ids: dict[str, str], **headers: str) -> Any:
    return api.request(endpoint.method, endpoint.url(ids), json=body_for(endpoint), headers=headers)


@pytest.mark.parametrize("endpoint", WRITES, ids=str)
def test_a_failure_after_the_change_writes_nothing(
    api: TestClient,
    connection: Connection,
    monkeypatch: pytest.MonkeyPatch,
    endpoint: Endpoint,
) -> None:
    ids = make_path(api, endpoint)
    before = snapshot(connection)
    monkeypatch.setattr(unit_of_work, "bump_revisions", fail)

    response = send(api, endpoint, ids)

    assert response.status_code == 500
    assert snapshot(connection) == before


POSTS = [endpoint for endpoint in WRITES if endpoint.method == "POST"]


@pytest.mark.parametrize("endpoint", POSTS, ids=str)
def test_a_failure_before_the_answer_is_stored_leaves_no_claim_and_a_retry_runs_afresh(
    api: TestClient,
    connection: Connection,
    monkeypatch: pytest.MonkeyPatch,
    endpoint: Endpoint,
) -> None:
    ids = make_path(api, endpoint)
    before = snapshot(connection)
    with monkeypatch.context() as patched:
        patched.setattr(unit_of_work, "complete", fail)
        failed = send(api, endpoint, ids, **{"Idempotency-Key": "retry-me"})
    assert failed.status_code == 500
    assert snapshot(connection) == before

    retried = send(api, endpoint, ids, **{"Idempotency-Key": "retry-me"})

    assert retried.status_code in {200, 201}, retried.text
    assert "Idempotent-Replayed" not in retried.headers


def unit_of_work_dependencies(app: FastAPI) -> dict[str, bool]:
    """For each write route: whether its endpoint runs in a `UnitOfWork`."""
    found = {}
    for context in iter_route_contexts(app.routes):
        route = context.original_route
        methods = set(context.methods or ()) & {"POST", "PUT", "PATCH", "DELETE"}
        if not methods or not isinstance(route, APIRoute):
            continue
        calls: list[Callable[..., Any]] = [d.call for d in route.dependant.dependencies if d.call]
        runs_unit = any(call.__annotations__.get("return") is UnitOfWork for call in calls)
        found[f"{sorted(methods)} {context.path}"] = runs_unit
    return found


def test_every_write_route_runs_in_a_unit_of_work(app: FastAPI) -> None:
    routes = unit_of_work_dependencies(app)
    assert routes, "no write routes found"
    assert [route for route, runs_unit in routes.items() if not runs_unit] == []


def test_services_import_nothing_of_the_web_framework() -> None:
    probe = (
        "import importlib, pkgutil, sys, app.services as services\n"
        "for module in pkgutil.iter_modules(services.__path__):\n"
        "    importlib.import_module(f'app.services.{module.name}')\n"
        "print(sorted(n for n in sys.modules if n.split('.')[0] in {'fastapi', 'starlette'}))"
    )
    imported = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    )
    assert imported.stdout.strip() == "[]"
