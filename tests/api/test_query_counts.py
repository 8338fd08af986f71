"""Reads that dashboards poll issue a fixed number of SQL statements, whatever the data size."""

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import Engine, event


@contextmanager
def counting_statements(engine: Engine) -> Iterator[list[str]]:
    statements: list[str] = []

    def count(*args: Any) -> None:
        statements.append(args[2])

    event.listen(engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", count)


def grow_programme(api: TestClient, size: int) -> None:
    """`size` goals, each with a measure (with data), a national target and a project."""
    for n in range(size):
        goal = api.post("/api/v1/goals", json={"title": f"Goal {n}"}).json()["id"]
        measure = api.post(
            "/api/v1/measures",
            json={
                "name": f"Measure {n}",
                "role": "outcome",
                "value_type": "count",
                "direction": "decrease",
                "frequency": "month",
                "goal_ids": [goal],
            },
        ).json()["id"]
        api.post(
            f"/api/v1/measures/{measure}/data",
            json=[
                {"period": f"2026-{month:02d}-01", "value": float(month)} for month in range(1, 13)
            ],
        )
        api.post(
            "/api/v1/national-targets",
            json={
                "code": f"T{n}",
                "title": "A target",
                "issuing_body": "NHS England",
                "comparator": "<=",
                "threshold": 5.0,
                "measure_id": measure,
                "goal_ids": [goal],
            },
        )
        api.post(
            "/api/v1/projects",
            json={
                "title": f"Project {n}",
                "goal_ids": [goal],
                "measures": [{"measure_id": measure, "role": "outcome"}],
            },
        )


def statements_for(api: TestClient, engine: Engine, path: str) -> int:
    with counting_statements(engine) as statements:
        assert api.get(path).status_code == 200
    assert any("data_point" in statement for statement in statements)
    return len(statements)


def test_the_matrix_costs_the_same_statements_for_two_goals_as_for_eight(
    api: TestClient, engine: Engine
) -> None:
    grow_programme(api, 2)
    small = statements_for(api, engine, "/api/v1/matrix")
    grow_programme(api, 4)

    assert statements_for(api, engine, "/api/v1/matrix") == small


def test_the_scorecard_costs_the_same_statements_for_two_measures_as_for_eight(
    api: TestClient, engine: Engine
) -> None:
    grow_programme(api, 2)
    small = statements_for(api, engine, "/api/v1/scorecard")
    grow_programme(api, 4)

    assert statements_for(api, engine, "/api/v1/scorecard") == small
