"""Measures to post data to, and small helpers for the measurement-data tests."""

from datetime import date, timedelta
from typing import Any

import httpx2
from fastapi.testclient import TestClient

from tests.api import payloads

Json = dict[str, Any]

API = "/api/v1"
AUDIT = f"{API}/audit"
CSV = "text/csv"
PROBLEM_JSON = "application/problem+json"

# Period starts of each frequency, for the dates used below.
MONDAY = date(2026, 3, 2)


def data_url(measure_id: str) -> str:
    return f"{payloads.MEASURES}/{measure_id}/data"


def proportion_measure(api: TestClient, **changes: Any) -> str:
    """A weekly proportion measure; the URL of its data."""
    return data_url(payloads.create_measure(api, **changes)["id"])


def rate_measure(api: TestClient, **changes: Any) -> str:
    """A monthly rate per 1000 bed days; the URL of its data."""
    body = payloads.falls_measure(**changes)
    return data_url(payloads.create(api, payloads.MEASURES, body)["id"])


def continuous_measure(api: TestClient, **changes: Any) -> str:
    """A weekly continuous measure (minutes from arrival to assessment)."""
    return proportion_measure(
        api,
        **{
            "name": "Minutes from arrival to first assessment",
            "unit": "minutes",
            "value_type": "continuous",
            "direction": "decrease",
            "target": None,
        }
        | changes,
    )


def count_measure(api: TestClient, **changes: Any) -> str:
    """A weekly count measure (falls on the ward)."""
    return proportion_measure(
        api,
        **{
            "name": "Falls on Ward 3",
            "unit": "falls",
            "value_type": "count",
            "direction": "decrease",
            "target": None,
        }
        | changes,
    )


def weeks(count: int, start: date = MONDAY) -> list[str]:
    """`count` consecutive week periods (Mondays) from `start`, as ISO dates."""
    return [(start + timedelta(weeks=n)).isoformat() for n in range(count)]


def days(count: int, start: date = MONDAY) -> list[str]:
    return [(start + timedelta(days=n)).isoformat() for n in range(count)]


def post_csv(api: TestClient, url: str, text: str | bytes, **headers: str) -> httpx2.Response:
    content = text.encode() if isinstance(text, str) else text
    return api.post(url, content=content, headers={"Content-Type": CSV, **headers})


def all_points(api: TestClient, url: str, **params: str) -> list[Json]:
    """Every stored point of the measure (one page of up to 200), in the order returned."""
    response = api.get(url, params={"limit": "200", **params})
    assert response.status_code == 200, response.text
    items: list[Json] = response.json()["items"]
    return items


def periods(api: TestClient, url: str, **params: str) -> list[str]:
    return [point["period"] for point in all_points(api, url, **params)]


def total(api: TestClient, url: str) -> int:
    response = api.get(url, params={"limit": "1"})
    assert response.status_code == 200, response.text
    count: int = response.json()["total"]
    return count


def problems(response: httpx2.Response) -> list[Json]:
    """The `errors` of a problem+json response, insisting that it is one."""
    assert response.headers["content-type"].startswith(PROBLEM_JSON), response.text
    errors: list[Json] = response.json()["errors"]
    return errors


def located(response: httpx2.Response, where: str) -> list[tuple[Any, str]]:
    """(index or row, field) of each listed error; `where` is "index" or "row"."""
    return [(error.get(where), error["field"]) for error in problems(response)]


def audit_entries(api: TestClient, resource_type: str = "measure_data") -> list[Json]:
    response = api.get(AUDIT, params={"resource_type": resource_type, "limit": "200"})
    assert response.status_code == 200, response.text
    entries: list[Json] = response.json()["items"]
    return entries
