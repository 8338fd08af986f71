"""Helpers for the chart tests: measures, their data and their charts, through the HTTP API only."""

from collections.abc import Iterable, Sequence
from datetime import date, timedelta
from typing import Any

from fastapi.testclient import TestClient
from httpx2 import Response

Json = dict[str, Any]

API = "/api/v1"
MEASURES = f"{API}/measures"
SCORECARD = f"{API}/scorecard"
MATRIX = f"{API}/matrix"

MONDAY = date(2026, 1, 5)  # the first ISO week of 2026 starts on Monday 5 January
NEW_YEAR = date(2026, 1, 1)


def ok(response: Response) -> Json:
    assert response.status_code in {200, 201}, response.text
    body: Json = response.json()
    return body


def create_measure(api: TestClient, **overrides: Any) -> Json:
    """A daily continuous outcome measure unless `overrides` say otherwise."""
    body: Json = {
        "name": "Minutes from arrival to triage",
        "role": "outcome",
        "value_type": "continuous",
        "direction": "increase",
        "frequency": "day",
        **overrides,
    }
    return ok(api.post(MEASURES, json=body))


def days(count: int, first: date = NEW_YEAR) -> list[date]:
    return [first + timedelta(days=i) for i in range(count)]


def weeks(count: int, first: date = MONDAY) -> list[date]:
    return [first + timedelta(weeks=i) for i in range(count)]


def post_points(api: TestClient, measure_id: str, points: Sequence[Json]) -> Json:
    return ok(api.post(f"{MEASURES}/{measure_id}/data", json=list(points)))


def post_values(
    api: TestClient, measure_id: str, periods: Iterable[date], values: Iterable[float]
) -> Json:
    points = [
        {"period": period.isoformat(), "value": float(value)}
        for period, value in zip(periods, values, strict=True)
    ]
    return post_points(api, measure_id, points)


def post_ratios(
    api: TestClient,
    measure_id: str,
    periods: Iterable[date],
    ratios: Iterable[tuple[float, float]],
) -> Json:
    points = [
        {"period": period.isoformat(), "numerator": float(num), "denominator": float(den)}
        for period, (num, den) in zip(periods, ratios, strict=True)
    ]
    return post_points(api, measure_id, points)


def chart_response(api: TestClient, measure_id: str, **params: str | int | bool) -> Response:
    query = {k: str(v).lower() if isinstance(v, bool) else str(v) for k, v in params.items()}
    return api.get(f"{MEASURES}/{measure_id}/chart", params=query)


def read_chart(api: TestClient, measure_id: str, **params: str | int | bool) -> Json:
    return ok(chart_response(api, measure_id, **params))


def put_phases(api: TestClient, measure_id: str, phases: Json) -> Response:
    return api.put(f"{MEASURES}/{measure_id}/phases", json=phases)


def warning_codes(chart: Json) -> list[str]:
    return [warning["code"] for warning in chart["warnings"]]


def error_fields(response: Response) -> list[str]:
    return [error["field"] for error in response.json().get("errors") or []]
