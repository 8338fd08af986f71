"""Liveness and readiness probes, and the request and correlation ids on every response."""

import uuid
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from app.config import Settings
from app.main import create_app
from tests.api.factories import API

# A public probe, an authenticated read, and an error: the ids are on every kind of response.
PATHS = ["/livez", f"{API}/organisation", f"{API}/goals/{uuid.uuid4()}"]


@pytest.mark.parametrize("probe", ["/livez", "/readyz"])
def test_a_probe_answers_without_a_key(anonymous: TestClient, probe: str) -> None:
    response = anonymous.get(probe)

    assert response.status_code == 200, response.text
    assert response.json() == {"status": "ok"}


def test_readiness_is_a_503_problem_when_the_database_does_not_answer(tmp_path: Path) -> None:
    unreachable = f"sqlite:///{tmp_path / 'no-such-folder' / 'pdsa.db'}"
    client = TestClient(
        create_app(Settings(database_url=unreachable)), raise_server_exceptions=False
    )

    response = client.get("/readyz")

    assert response.status_code == 503, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["type"] == "urn:pdsa:problem:unavailable"


def test_liveness_does_not_depend_on_the_database(tmp_path: Path) -> None:
    unreachable = f"sqlite:///{tmp_path / 'no-such-folder' / 'pdsa.db'}"
    client = TestClient(
        create_app(Settings(database_url=unreachable)), raise_server_exceptions=False
    )

    response = client.get("/livez")

    assert response.status_code == 200, response.text


@pytest.mark.parametrize("path", PATHS)
def test_a_request_id_is_generated_when_none_is_sent(api: TestClient, path: str) -> None:
    first, second = api.get(path), api.get(path)

    assert uuid.UUID(first.headers["x-request-id"])
    assert first.headers["x-request-id"] != second.headers["x-request-id"]


@pytest.mark.parametrize("path", PATHS)
def test_a_sent_request_id_is_echoed(api: TestClient, path: str) -> None:
    response = api.get(path, headers={"X-Request-ID": "ward7-import-2026-03-02.1"})

    assert response.headers["x-request-id"] == "ward7-import-2026-03-02.1"


def test_an_error_names_the_request_id_it_answers(api: TestClient) -> None:
    response = api.get(f"{API}/goals/{uuid.uuid4()}", headers={"X-Request-ID": "lookup-42"})

    assert response.status_code == 404
    assert response.json()["request_id"] == "lookup-42"


@pytest.mark.parametrize(
    "unsafe",
    ["two words", "x" * 201, "line\tbreak", "<script>"],
    ids=["space", "long", "tab", "markup"],
)
def test_an_unsafe_request_id_is_replaced_by_a_generated_one(api: TestClient, unsafe: str) -> None:
    response = api.get("/livez", headers={"X-Request-ID": unsafe})

    assert response.headers["x-request-id"] != unsafe
    assert uuid.UUID(response.headers["x-request-id"])


@pytest.mark.parametrize("path", PATHS)
def test_a_sent_correlation_id_is_echoed(api: TestClient, path: str) -> None:
    response = api.get(path, headers={"X-Correlation-ID": "referral-flow-77"})

    assert response.headers["x-correlation-id"] == "referral-flow-77"


@pytest.mark.parametrize("path", PATHS)
def test_no_correlation_id_is_invented(api: TestClient, path: str) -> None:
    response = api.get(path)

    assert "x-correlation-id" not in response.headers
