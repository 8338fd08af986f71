"""Every error is an RFC 9457 problem (application/problem+json), and bad input is a 422 that
names each offending field; nothing a client sends can make the service answer 500."""

import json
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from httpx2 import Response

from app.config import Settings
from app.main import create_app
from tests.api.factories import (
    API,
    ENDPOINTS,
    GOALS,
    MEASURES,
    PROJECTS,
    TARGETS,
    Endpoint,
    Json,
    Resource,
    body_for,
    make_path,
)
from tests.conftest import Tenant, client_for

PROBLEM = "application/problem+json"
PROBLEM_FIELDS = {"type", "title", "status", "detail", "instance", "request_id"}


def fields(response: Response) -> list[str]:
    return [error["field"] for error in response.json().get("errors", [])]


@dataclass(frozen=True)
class Callers:
    """The admin and a read-only client of one organisation."""

    api: TestClient
    reader: TestClient


Provoke = Callable[[Callers], Response]


def unauthenticated(callers: Callers) -> Response:
    return callers.reader.get(GOALS.collection, headers={"Authorization": "Bearer pdsa_unknown"})


def forbidden(callers: Callers) -> Response:
    return callers.reader.post(GOALS.collection, json=GOALS.body())


def missing(callers: Callers) -> Response:
    return callers.api.get(GOALS.url(str(uuid.uuid4())))


def unknown_route(callers: Callers) -> Response:
    return callers.api.get(f"{API}/no-such-collection")


def wrong_method(callers: Callers) -> Response:
    return callers.api.put(GOALS.collection, json=GOALS.body())


def conflicting(callers: Callers) -> Response:
    goal = GOALS.create(callers.api)
    MEASURES.create(callers.api, goal_ids=[goal["id"]])
    return callers.api.delete(GOALS.url(goal["id"]))


def stale(callers: Callers) -> Response:
    goal = GOALS.create(callers.api)
    return callers.api.delete(GOALS.url(goal["id"]), headers={"If-Match": '"0"'})


def invalid(callers: Callers) -> Response:
    return callers.api.post(GOALS.collection, json={"title": ""})


@pytest.mark.parametrize(
    ("provoke", "status"),
    [
        (unauthenticated, 401),
        (forbidden, 403),
        (missing, 404),
        (unknown_route, 404),
        (wrong_method, 405),
        (conflicting, 409),
        (stale, 412),
        (invalid, 422),
    ],
    ids=lambda value: getattr(value, "__name__", str(value)),
)
def test_an_error_is_a_problem_document(
    provoke: Provoke, status: int, app: FastAPI, api: TestClient, tenant: Tenant
) -> None:
    response = provoke(Callers(api, client_for(app, tenant.read_key)))

    assert response.status_code == status, response.text
    assert response.headers["content-type"] == PROBLEM
    problem = response.json()
    assert set(problem) >= PROBLEM_FIELDS
    assert problem["type"].startswith("urn:pdsa:problem:")
    assert problem["title"]
    assert problem["status"] == status
    assert problem["detail"]
    assert problem["instance"] == response.request.url.path
    assert problem["request_id"] == response.headers["x-request-id"]


def test_an_unknown_route_is_a_not_found_problem(api: TestClient) -> None:
    response = api.get(f"{API}/no-such-collection")

    assert response.status_code == 404
    assert response.headers["content-type"] == PROBLEM
    assert response.json()["type"] == "urn:pdsa:problem:not-found"
    assert response.json()["title"] == "Not found"


def test_each_invalid_field_is_listed(api: TestClient) -> None:
    body = {**GOALS.body(), "title": "", "status": "abandoned", "review_date": "next spring"}

    response = api.post(GOALS.collection, json=body)

    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == PROBLEM
    assert sorted(fields(response)) == ["body.review_date", "body.status", "body.title"]
    for error in response.json()["errors"]:
        assert error["message"]
        assert error["type"]


def test_a_missing_required_field_is_named(api: TestClient) -> None:
    response = api.post(GOALS.collection, json={"status": "draft"})

    assert response.status_code == 422, response.text
    assert fields(response) == ["body.title"]


@pytest.mark.parametrize(
    ("resource", "change", "field"),
    [
        pytest.param(
            PROJECTS,
            {
                "stakeholders": [
                    {"name": "Matrons", "readiness": False, "confidence": 4, "importance": 8}
                ]
            },
            "body.stakeholders.0.readiness",
            id="false-is-not-an-integer",
        ),
        pytest.param(
            PROJECTS,
            {
                "stakeholders": [
                    {"name": "Matrons", "readiness": 6.5, "confidence": 4, "importance": 8}
                ]
            },
            "body.stakeholders.0.readiness",
            id="a-fraction-is-not-an-integer",
        ),
        pytest.param(MEASURES, {"target": "3"}, "body.target", id="a-string-is-not-a-number"),
        pytest.param(TARGETS, {"threshold": "0.78"}, "body.threshold", id="threshold-string"),
        pytest.param(GOALS, {"title": 42}, "body.title", id="a-number-is-not-a-string"),
        pytest.param(GOALS, {"colour": "red"}, "body.colour", id="unknown-field"),
        pytest.param(
            GOALS,
            {"promises": [{"user_need": "To be heard", "promise": "We listen", "by": "May"}]},
            "body.promises.0.by",
            id="unknown-nested-field",
        ),
    ],
)
def test_a_create_body_is_read_strictly(
    api: TestClient, resource: Resource, change: Json, field: str
) -> None:
    response = api.post(resource.collection, json={**resource.body(), **change})

    assert response.status_code == 422, response.text
    assert fields(response) == [field]
    assert api.get(resource.collection).json()["total"] == 0


def test_an_unknown_field_in_a_change_is_refused(api: TestClient) -> None:
    goal = GOALS.create(api)

    response = api.patch(GOALS.url(goal["id"]), json={"colour": "red"})

    assert response.status_code == 422, response.text
    assert fields(response) == ["body.colour"]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"limit": 201}, "query.limit"),
        ({"limit": 0}, "query.limit"),
        ({"offset": -1}, "query.offset"),
        ({"offset": 1_000_001}, "query.offset"),
        ({"offset": 2**63}, "query.offset"),
    ],
)
def test_a_page_outside_the_bounds_is_422(
    app: FastAPI, api: TestClient, params: dict[str, int], field: str
) -> None:
    paged = [
        Endpoint("GET", path)
        for path, operations in app.openapi()["paths"].items()
        if any(p["name"] == "limit" for p in operations.get("get", {}).get("parameters", []))
    ]
    assert {GOALS.collection, f"{API}/audit"} <= {endpoint.path for endpoint in paged}

    answers = {str(e): api.get(e.url(make_path(api, e)), params=params) for e in paged}

    refused = {endpoint: (r.status_code, fields(r)) for endpoint, r in answers.items()}
    assert {endpoint: a for endpoint, a in refused.items() if a != (422, [field])} == {}


@pytest.mark.parametrize("limit", [1, 200])
def test_a_page_size_at_the_bounds_is_accepted(api: TestClient, limit: int) -> None:
    response = api.get(GOALS.collection, params={"limit": limit})

    assert response.status_code == 200, response.text
    assert response.json()["limit"] == limit


@pytest.fixture(scope="module")
def bounded() -> FastAPI:
    """An application of its own whose request bodies are bounded at 1000 bytes."""
    return create_app(Settings(database_url="sqlite://", max_body_bytes=1000))


@pytest.fixture
def small_bodies(bounded: FastAPI, app: FastAPI) -> FastAPI:
    """That application, its sessions inside this test's transaction."""
    bounded.state.sessions = app.state.sessions
    return bounded


def test_a_body_above_the_bound_is_413(small_bodies: FastAPI, tenant: Tenant) -> None:
    body = {**GOALS.body(), "description": "x" * 2000}

    response = client_for(small_bodies, tenant.admin_key).post(GOALS.collection, json=body)

    assert response.status_code == 413, response.text
    assert response.headers["content-type"] == PROBLEM
    assert response.json()["type"] == "urn:pdsa:problem:payload-too-large"


def test_a_streamed_body_above_the_bound_is_413(small_bodies: FastAPI, tenant: Tenant) -> None:
    def chunks() -> Iterator[bytes]:
        yield b'{"title": "Care planned with people", "description": "'
        yield b"x" * 2000
        yield b'"}'

    response = client_for(small_bodies, tenant.admin_key).post(
        GOALS.collection, content=chunks(), headers={"Content-Type": "application/json"}
    )

    assert response.status_code == 413, response.text
    assert response.headers["content-type"] == PROBLEM


def goal_of_exactly(size: int) -> bytes:
    """A valid goal, as JSON of exactly `size` bytes."""
    empty = json.dumps({"title": "Care planned with people", "description": ""}).encode()
    padded = {"title": "Care planned with people", "description": "x" * (size - len(empty))}
    content = json.dumps(padded).encode()
    assert len(content) == size
    return content


@pytest.mark.parametrize("streamed", [False, True], ids=["declared", "streamed"])
def test_a_body_of_exactly_the_bound_is_accepted(
    small_bodies: FastAPI, tenant: Tenant, streamed: bool
) -> None:
    content = goal_of_exactly(1000)

    response = client_for(small_bodies, tenant.admin_key).post(
        GOALS.collection,
        content=iter([content[:500], content[500:]]) if streamed else content,
        headers={"Content-Type": "application/json"},
    )

    assert response.status_code == 201, response.text


def test_a_body_one_byte_above_the_bound_is_413(small_bodies: FastAPI, tenant: Tenant) -> None:
    response = client_for(small_bodies, tenant.admin_key).post(
        GOALS.collection,
        content=goal_of_exactly(1001),
        headers={"Content-Type": "application/json"},
    )

    assert response.status_code == 413, response.text


@pytest.mark.parametrize("content", [b'{"title": ', b"not json", b'{"title": "a",}'])
def test_malformed_json_is_a_422_problem(api: TestClient, content: bytes) -> None:
    response = api.post(
        GOALS.collection, content=content, headers={"Content-Type": "application/json"}
    )

    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == PROBLEM
    assert [error["type"] for error in response.json()["errors"]] == ["json_invalid"]
    assert api.get(GOALS.collection).json()["total"] == 0


def test_a_malformed_path_parameter_is_422_naming_it(api: TestClient) -> None:
    with_ids = [endpoint for endpoint in ENDPOINTS if endpoint.parameters]
    named = {}

    for endpoint in with_ids:
        url = endpoint.url(dict.fromkeys(endpoint.parameters, "not-an-id"))
        response = api.request(endpoint.method, url, json=body_for(endpoint))
        assert response.headers["content-type"] == PROBLEM, response.text
        named[str(endpoint)] = (
            response.status_code,
            set(fields(response)) >= {f"path.{name}" for name in endpoint.parameters},
        )

    assert {endpoint: a for endpoint, a in named.items() if a != (422, True)} == {}


@pytest.mark.parametrize(
    ("resource", "field"),
    [
        (GOALS, "title"),
        (GOALS, "promises"),
        (MEASURES, "name"),
        (MEASURES, "role"),
        (TARGETS, "code"),
        (TARGETS, "threshold"),
        (PROJECTS, "title"),
    ],
    ids=lambda value: value if isinstance(value, str) else value.collection.rsplit("/")[-1],
)
def test_a_change_to_null_of_a_field_that_cannot_be_null_is_422_and_changes_nothing(
    api: TestClient, resource: Resource, field: str
) -> None:
    url = resource.url(resource.create(api)["id"])
    before = api.get(url).json()

    response = api.patch(url, json={field: None})

    assert response.status_code == 422, response.text
    assert fields(response) == [f"body.{field}"]
    assert api.get(url).json() == before


@pytest.fixture
def failing() -> TestClient:
    """An application (of its own: the shared one is left alone) with a route that fails."""
    application = create_app(Settings(database_url="sqlite://"))

    def fail() -> None:
        raise RuntimeError("could not reach postgresql://pdsa:hunter2@db")

    application.add_api_route("/api/v1/fail", fail)
    return TestClient(application, raise_server_exceptions=False)


def test_an_unexpected_failure_is_a_500_problem_that_hides_its_cause(
    failing: TestClient,
) -> None:
    response = failing.get("/api/v1/fail")

    assert response.status_code == 500
    assert response.headers["content-type"] == PROBLEM
    assert response.json()["type"] == "urn:pdsa:problem:internal-error"
    assert "hunter2" not in response.text


def test_an_unexpected_failure_still_names_its_request(failing: TestClient) -> None:
    response = failing.get("/api/v1/fail", headers={"X-Request-ID": "fail-1"})

    assert response.status_code == 500
    assert response.json()["request_id"] == "fail-1"
    assert response.headers.get("x-request-id") == "fail-1"
