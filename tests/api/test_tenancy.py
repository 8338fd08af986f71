"""A key sees and changes only its own organisation's data. Another organisation's resource
answers 404, exactly as a missing one does. Proven for every route, not a sample: the routes
are enumerated from the application, so a new route is covered the day it is added."""

import json
import uuid
from collections.abc import Callable
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from httpx2 import Response

from tests.api.factories import (
    API,
    ENDPOINTS,
    GOALS,
    KEYS,
    MEASURES,
    PARAMETERS,
    PROJECTS,
    TARGETS,
    Endpoint,
    Ids,
    Json,
    Resource,
    body_for,
    key_id_of,
    make_path,
    missing_path,
    new_cycle,
)
from tests.conftest import Tenant
from tests.cycles.support import completed

WITH_IDS = [endpoint for endpoint in ENDPOINTS if endpoint.parameters]
READS_WITHOUT_IDS = [
    endpoint
    for endpoint in ENDPOINTS
    if endpoint.method == "GET" and not endpoint.parameters and endpoint.path.startswith(API)
]


def read_back(client: TestClient, endpoint: Endpoint, ids: Ids) -> dict[str, Any]:
    """The state of everything the path names (and of the path itself, where it can be
    read), as its owner reads it."""
    urls = {PARAMETERS[name].read(ids) for name in ids}
    if Endpoint("GET", endpoint.path) in ENDPOINTS:
        urls.add(endpoint.url(ids))
    states = {}
    for url in sorted(urls):
        response = client.get(url)
        assert response.status_code == 200, response.text
        json = response.headers["content-type"] == "application/json"
        states[url] = response.json() if json else response.content  # pictures
    return states


def without_ids(response: Response, ids: dict[str, str]) -> Json:
    """The problem body with each id in `ids` replaced by its parameter's name."""
    body = dict(response.json())
    body.pop("request_id")
    text = json.dumps(body)
    for name, resource_id in ids.items():
        text = text.replace(resource_id, "{" + name + "}")
    problem: Json = json.loads(text)
    return problem


def test_the_route_enumeration_sees_every_described_route(app: FastAPI) -> None:
    assert READS_WITHOUT_IDS
    described = {
        Endpoint(method.upper(), path)
        for path, operations in app.openapi()["paths"].items()
        if path.startswith(API)
        for method in operations
    }

    assert described
    assert described <= set(ENDPOINTS)


@pytest.mark.parametrize("endpoint", WITH_IDS, ids=str)
def test_another_organisations_resource_answers_404_like_a_missing_one_and_stays_unchanged(
    endpoint: Endpoint, api: TestClient, other_api: TestClient
) -> None:
    theirs = make_path(api, endpoint)
    missing = missing_path(endpoint)
    before = read_back(api, endpoint, theirs)

    foreign = other_api.request(endpoint.method, endpoint.url(theirs), json=body_for(endpoint))
    absent = other_api.request(endpoint.method, endpoint.url(missing), json=body_for(endpoint))

    assert absent.status_code == 404, absent.text
    assert foreign.status_code == 404, foreign.text
    assert foreign.headers["content-type"] == "application/problem+json"
    assert without_ids(foreign, theirs) == without_ids(absent, missing)
    assert read_back(api, endpoint, theirs) == before, "another organisation changed it"


@pytest.fixture
def tenant_ids(api: TestClient, tenant: Tenant) -> list[str]:
    """The ids of a fully aligned matrix row of `tenant` with a completed PDSA cycle, its
    keys and its organisation."""
    goal = GOALS.create(api)
    measure = MEASURES.create(api, goal_ids=[goal["id"]])
    target = TARGETS.create(api, goal_ids=[goal["id"]], measure_id=measure["id"])
    project = PROJECTS.create(
        api, goal_ids=[goal["id"]], measures=[{"measure_id": measure["id"], "role": "outcome"}]
    )
    cycle = new_cycle(api, {"project_id": project["id"]}, **completed()).json()
    keys = [key["id"] for key in api.get(KEYS.collection).json()["items"]]
    return [
        tenant.organisation_id,
        goal["id"],
        measure["id"],
        target["id"],
        project["id"],
        cycle["id"],
        *keys,
    ]


def test_no_collection_shows_anything_of_another_organisation(
    api: TestClient, other_api: TestClient, tenant_ids: list[str]
) -> None:
    shown_to_owner, leaked = {}, {}

    for endpoint in READS_WITHOUT_IDS:
        own, theirs = api.get(endpoint.path), other_api.get(endpoint.path)
        assert own.status_code == theirs.status_code == 200, (endpoint, own.text, theirs.text)
        shown_to_owner[str(endpoint)] = any(i in own.text for i in tenant_ids)
        leaked[str(endpoint)] = [i for i in tenant_ids if i in theirs.text]

    assert [e for e, shown in shown_to_owner.items() if not shown] == [], "nothing to leak"
    assert {e: ids for e, ids in leaked.items() if ids} == {}


@pytest.fixture
def aligned(api: TestClient, tenant: Tenant) -> dict[str, str]:
    """A goal and a measure of `tenant`, with a target and a project (which has a completed
    cycle) using both."""
    goal = GOALS.create(api)
    measure = MEASURES.create(api, goal_ids=[goal["id"]])
    TARGETS.create(api, goal_ids=[goal["id"]], measure_id=measure["id"])
    project = PROJECTS.create(
        api, goal_ids=[goal["id"]], measures=[{"measure_id": measure["id"], "role": "process"}]
    )
    new_cycle(api, {"project_id": project["id"]}, **completed())
    return {
        "goal": goal["id"],
        "measure": measure["id"],
        "project": project["id"],
        "key": key_id_of(api, tenant.admin_key),
    }


FILTERS = [
    ("/measures", "goal_id", "goal"),
    ("/national-targets", "goal_id", "goal"),
    ("/national-targets", "measure_id", "measure"),
    ("/projects", "goal_id", "goal"),
    ("/projects", "measure_id", "measure"),
    ("/audit", "resource_id", "goal"),
    ("/audit", "api_key_id", "key"),
    ("/learning", "project_id", "project"),
]


def test_filtering_by_another_organisations_ids_finds_nothing(
    api: TestClient, other_api: TestClient, aligned: dict[str, str]
) -> None:
    found_by_owner, found_by_other = {}, {}

    for path, parameter, name in FILTERS:
        params = {parameter: aligned[name]}
        own, theirs = api.get(API + path, params=params), other_api.get(API + path, params=params)
        assert theirs.status_code == 200, theirs.text
        found_by_owner[f"{path}?{parameter}"] = own.json()["total"] > 0
        found_by_other[f"{path}?{parameter}"] = theirs.json()["items"]

    assert [f for f, found in found_by_owner.items() if not found] == [], "nothing to find"
    assert {f: items for f, items in found_by_other.items() if items} == {}


def test_changing_organisation_settings_changes_only_the_callers_own(
    api: TestClient, other_api: TestClient, tenant: Tenant
) -> None:
    before = api.get(f"{API}/organisation").json()

    changed = other_api.patch(f"{API}/organisation", json={"name": "Renamed Trust"})

    assert changed.status_code == 200, changed.text
    assert changed.json()["id"] != tenant.organisation_id
    assert api.get(f"{API}/organisation").json() == before


def test_another_organisation_reusing_an_idempotency_key_gets_its_own_result(
    api: TestClient, other_api: TestClient
) -> None:
    headers = {"Idempotency-Key": "create-goal-1"}
    ours = api.post(GOALS.collection, json=GOALS.body(), headers=headers)

    theirs = other_api.post(GOALS.collection, json=GOALS.body(), headers=headers)

    assert theirs.status_code == 201, theirs.text
    assert theirs.json()["id"] != ours.json()["id"]
    assert other_api.get(GOALS.url(theirs.json()["id"])).status_code == 200
    assert other_api.get(GOALS.url(ours.json()["id"])).status_code == 404


@pytest.fixture
def foreign(other_api: TestClient) -> dict[str, str]:
    """A goal and a measure of another organisation."""
    return {"goal": GOALS.create(other_api)["id"], "measure": MEASURES.create(other_api)["id"]}


Links = Callable[[dict[str, str]], Json]

LINK_CASES = [
    pytest.param(MEASURES, lambda f: {"goal_ids": [f["goal"]]}, "body.goal_ids.0", id="measure"),
    pytest.param(TARGETS, lambda f: {"goal_ids": [f["goal"]]}, "body.goal_ids.0", id="target"),
    pytest.param(
        TARGETS, lambda f: {"measure_id": f["measure"]}, "body.measure_id", id="target-measure"
    ),
    pytest.param(PROJECTS, lambda f: {"goal_ids": [f["goal"]]}, "body.goal_ids.0", id="project"),
    pytest.param(
        PROJECTS,
        lambda f: {"measures": [{"measure_id": f["measure"], "role": "process"}]},
        "body.measures.0.measure_id",
        id="project-measure",
    ),
]


def error_fields(response: Response) -> list[str]:
    return [error["field"] for error in response.json()["errors"]]


@pytest.mark.parametrize(("resource", "links", "field"), LINK_CASES)
def test_creating_with_a_link_to_another_organisations_resource_is_422_naming_the_field(
    resource: Resource, links: Links, field: str, api: TestClient, foreign: dict[str, str]
) -> None:
    response = api.post(resource.collection, json={**resource.body(), **links(foreign)})

    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert error_fields(response) == [field]
    assert api.get(resource.collection).json()["total"] == 0


@pytest.mark.parametrize(("resource", "links", "field"), LINK_CASES)
def test_changing_a_link_to_another_organisations_resource_is_422_and_changes_nothing(
    resource: Resource, links: Links, field: str, api: TestClient, foreign: dict[str, str]
) -> None:
    created = resource.create(api)
    before = api.get(resource.url(created["id"])).json()

    response = api.patch(resource.url(created["id"]), json=links(foreign))

    assert response.status_code == 422, response.text
    assert error_fields(response) == [field]
    assert api.get(resource.url(created["id"])).json() == before


@pytest.mark.parametrize(
    ("links", "field"),
    [
        (lambda f: {"follows_cycle_id": f["cycle"]}, "body.follows_cycle_id"),
        (lambda f: {"measure_ids": [f["measure"]]}, "body.measure_ids.0"),
    ],
    ids=["follows", "measure"],
)
def test_a_cycle_linking_another_organisations_resource_is_422_naming_the_field(
    links: Links, field: str, api: TestClient, other_api: TestClient
) -> None:
    foreign = {
        "cycle": new_cycle(other_api, {}).json()["id"],
        "measure": MEASURES.create(other_api)["id"],
    }
    project = PROJECTS.create(api)["id"]

    response = new_cycle(api, {"project_id": project}, **links(foreign))

    assert response.status_code == 422, response.text
    assert error_fields(response) == [field]
    assert api.get(f"{PROJECTS.url(project)}/cycles").json()["total"] == 0


def test_a_foreign_link_is_named_by_its_position_in_the_list(
    api: TestClient, foreign: dict[str, str]
) -> None:
    own = GOALS.create(api)["id"]

    response = api.post(
        MEASURES.collection, json={**MEASURES.body(), "goal_ids": [own, foreign["goal"]]}
    )

    assert response.status_code == 422, response.text
    assert error_fields(response) == ["body.goal_ids.1"]


def test_a_foreign_link_is_refused_exactly_like_a_missing_one(
    api: TestClient, foreign: dict[str, str]
) -> None:
    missing = str(uuid.uuid4())

    to_foreign = api.post(
        MEASURES.collection, json={**MEASURES.body(), "goal_ids": [foreign["goal"]]}
    )
    to_missing = api.post(MEASURES.collection, json={**MEASURES.body(), "goal_ids": [missing]})

    assert to_foreign.status_code == to_missing.status_code == 422
    assert without_ids(to_foreign, {"goal": foreign["goal"]}) == without_ids(
        to_missing, {"goal": missing}
    )
