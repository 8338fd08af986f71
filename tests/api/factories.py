"""Valid resources to test against, and the application's routes, enumerated.

`PARAMETERS` maps each path parameter name (`goal_id`, `cycle_id`, `period`, ...) to how to
make what it names in the caller's organisation and where to read that back. Tests that
cover "every route" look a route's parameters up there, so a new route is covered the day it
is added, and a new parameter name fails loudly until a factory is added for it.
"""

import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from fastapi import FastAPI
from fastapi.routing import APIRoute, iter_route_contexts
from fastapi.testclient import TestClient
from httpx2 import Response

from app.config import Settings
from app.main import create_app
from tests.api import payloads
from tests.cycles.support import plan

Json = dict[str, Any]
Ids = dict[str, str]

API = "/api/v1"


def target_body() -> Json:
    return payloads.national_target(code=f"ECB-{uuid.uuid4().hex[:8]}")  # codes are unique


def key_body() -> Json:
    return {"name": "dashboard", "scopes": ["read"]}


PERIOD = "2026-03-02"


def point_body() -> Json:
    return {"period": PERIOD, "numerator": 41, "denominator": 52}


@dataclass(frozen=True)
class Resource:
    """A collection of the API: where it is, a valid body to create one, and a change."""

    collection: str
    body: Callable[[], Json]
    change: Json

    def create(self, client: TestClient, **overrides: Any) -> Json:
        return created(client.post(self.collection, json={**self.body(), **overrides}))

    def url(self, resource_id: str) -> str:
        return f"{self.collection}/{resource_id}"


def created(response: Response) -> Json:
    assert response.status_code in {200, 201}, response.text
    body: Json = response.json()
    return body


GOALS = Resource(f"{API}/goals", payloads.goal, {"status": "achieved"})
MEASURES = Resource(f"{API}/measures", payloads.measure, {"unit": "per cent"})
TARGETS = Resource(f"{API}/national-targets", target_body, {"threshold": 0.95})
PROJECTS = Resource(f"{API}/projects", payloads.project, {"status": "sustaining"})
KEYS = Resource(f"{API}/keys", key_body, {})
COLLECTIONS = [GOALS, MEASURES, TARGETS, PROJECTS, KEYS]


def new_cycle(client: TestClient, ids: Ids, **overrides: Any) -> Response:
    project = ids.get("project_id") or PROJECTS.create(client)["id"]
    return client.post(f"{PROJECTS.url(project)}/cycles", json={**plan(), **overrides})


def new_point(client: TestClient, ids: Ids) -> Response:
    assert "measure_id" in ids, "a data point's period needs its measure in the path first"
    return client.post(f"{MEASURES.url(ids['measure_id'])}/data", json=point_body())


def random_id() -> str:
    return str(uuid.uuid4())


@dataclass(frozen=True)
class Parameter:
    """What a path parameter names, and how to make one in the caller's organisation."""

    make: Callable[[TestClient, Ids], Response]  # given the route's earlier parameters
    value: Callable[[Json], str]  # the parameter's value, from what `make` answered
    read: Callable[[Ids], str]  # where its state reads back
    change: Json | None = None  # a PATCH body that changes it
    missing: Callable[[], str] = field(default=random_id)  # a value naming nothing

    def create(self, client: TestClient, ids: Ids) -> str:
        return self.value(created(self.make(client, ids)))


def of(resource: Resource, name: str) -> Parameter:
    return Parameter(
        make=lambda client, _: client.post(resource.collection, json=resource.body()),
        value=lambda body: str(body["id"]),
        read=lambda ids: resource.url(ids[name]),
        change=resource.change or None,
    )


PARAMETERS: dict[str, Parameter] = {
    "goal_id": of(GOALS, "goal_id"),
    "measure_id": of(MEASURES, "measure_id"),
    "target_id": of(TARGETS, "target_id"),
    "project_id": of(PROJECTS, "project_id"),
    "key_id": of(KEYS, "key_id"),
    "cycle_id": Parameter(
        make=new_cycle,
        value=lambda body: str(body["id"]),
        read=lambda ids: f"{API}/cycles/{ids['cycle_id']}",
        change={"objective": "Find out whether people will sign when asked"},
    ),
    "period": Parameter(
        make=new_point,
        value=lambda _: PERIOD,
        read=lambda ids: f"{MEASURES.url(ids['measure_id'])}/data",
        missing=lambda: PERIOD,  # a period names nothing without its measure
    ),
}

# Bodies for the routes whose body is not a collection's create body or a parameter's change.
BODIES: dict[str, Callable[[], Json]] = {
    "POST /api/v1/projects/{project_id}/cycles": plan,
    "POST /api/v1/measures/{measure_id}/data": point_body,
    "PATCH /api/v1/organisation": lambda: {"cycle_overdue_days": 21},
    "PUT /api/v1/measures/{measure_id}/phases": lambda: {"baseline_points": 12},
    "POST /api/v1/measures/{measure_id}/chart-links": lambda: {"expires_in_days": 1},
}


@dataclass(frozen=True)
class Endpoint:
    method: str
    path: str

    @property
    def parameters(self) -> list[str]:
        return re.findall(r"{(\w+)(?::\w+)?}", self.path)

    def url(self, values: Ids) -> str:
        """The path with each parameter replaced by its value in `values`."""
        return re.sub(r"{(\w+)(?::\w+)?}", lambda match: values[match[1]], self.path)

    def __str__(self) -> str:
        return f"{self.method} {self.path}"


def make_path(client: TestClient, endpoint: Endpoint) -> Ids:
    """A value for each of the endpoint's path parameters, made in `client`'s organisation."""
    unknown = [name for name in endpoint.parameters if name not in PARAMETERS]
    assert not unknown, (
        f"{endpoint} has path parameter(s) {unknown} that no factory makes: add each to "
        "PARAMETERS in tests/api/factories.py so that the route is tested like every other."
    )
    ids: Ids = {}
    for name in endpoint.parameters:
        ids[name] = PARAMETERS[name].create(client, ids)
    return ids


def missing_path(endpoint: Endpoint) -> Ids:
    return {name: PARAMETERS[name].missing() for name in endpoint.parameters}


def body_for(endpoint: Endpoint) -> Json | None:
    """A valid body for the endpoint: what it would create or change if allowed to."""
    if str(endpoint) in BODIES:
        return BODIES[str(endpoint)]()
    if endpoint.method in {"GET", "DELETE"}:
        return None
    if endpoint.method == "PATCH" and endpoint.parameters:
        change = PARAMETERS[endpoint.parameters[-1]].change
        assert change is not None, f"add a body for {endpoint} to BODIES in {__name__}"
        return change
    creates = {resource.collection: resource for resource in COLLECTIONS}
    known = endpoint.method == "POST" and endpoint.path in creates
    assert known, f"add a valid body for {endpoint} to BODIES in {__name__}"
    return creates[endpoint.path].body()


def endpoints(application: FastAPI) -> list[Endpoint]:
    """Every method of every API route of `application`, however deeply its routers nest.

    (`app.routes` alone no longer lists the routes of included routers: FastAPI keeps each
    included router as one opaque entry, which `iter_route_contexts` expands.)
    """
    found = {
        Endpoint(method, context.path)
        for context in iter_route_contexts(application.routes)
        if isinstance(context.original_route, APIRoute)
        and context.path is not None
        and context.path.startswith(API)  # the tenant API (not health, docs or icons)
        for method in context.methods or ()
    }
    return sorted(found, key=lambda endpoint: (endpoint.path, endpoint.method))


# Built by the same factory as the `app` fixture, so a newly added route is picked up here.
ENDPOINTS = endpoints(create_app(Settings(database_url="sqlite://")))


def key_id_of(admin: TestClient, secret: str) -> str:
    """The id of the (unrevoked) key whose secret is `secret`, looked up by its prefix."""
    listed = admin.get(KEYS.collection, params={"limit": 200})
    assert listed.status_code == 200, listed.text
    matches = [key["id"] for key in listed.json()["items"] if secret.startswith(key["prefix"])]
    assert len(matches) == 1, matches
    return str(matches[0])
