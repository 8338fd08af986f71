"""Entity tags and If-Match: a change is refused (412) unless made to the version last read.

Every resource that can be changed (every route with a PATCH on a path id) is covered, found
from the application's routes.
"""

import re

import pytest
from fastapi.testclient import TestClient
from httpx2 import Response

from tests.api.factories import ENDPOINTS, GOALS, PARAMETERS, Endpoint, Json, body_for

CHANGEABLE = [e for e in ENDPOINTS if e.method == "PATCH" and e.parameters]
STRONG_TAG = re.compile(r'^"[\x21\x23-\x7e]+"$')

changeable = pytest.mark.parametrize("endpoint", CHANGEABLE, ids=lambda e: e.path)


def etag(response: Response) -> str:
    assert response.status_code in {200, 201}, response.text
    assert "etag" in response.headers, f"{response.request.method} {response.request.url}"
    return str(response.headers["etag"])


def created(api: TestClient, endpoint: Endpoint) -> tuple[str, str]:
    """A new resource's URL and the ETag its creation returned."""
    *parents, name = endpoint.parameters
    ids = {parent: PARAMETERS[parent].create(api, {}) for parent in parents}
    response = PARAMETERS[name].make(api, ids)
    ids[name] = PARAMETERS[name].value(response.json())
    return endpoint.url(ids), etag(response)


def change(endpoint: Endpoint) -> Json:
    body = body_for(endpoint)
    assert body is not None
    return body


def assert_precondition_failed(response: Response) -> None:
    assert response.status_code == 412, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["type"] == "urn:pdsa:problem:precondition-failed"


def test_every_changeable_resource_is_covered() -> None:
    assert {endpoint.path for endpoint in CHANGEABLE} >= {
        "/api/v1/goals/{goal_id}",
        "/api/v1/measures/{measure_id}",
        "/api/v1/national-targets/{target_id}",
        "/api/v1/projects/{project_id}",
    }


@changeable
def test_create_read_and_change_each_return_a_strong_etag(
    api: TestClient, endpoint: Endpoint
) -> None:
    url, on_create = created(api, endpoint)

    on_read = etag(api.get(url))
    on_change = etag(api.patch(url, json=change(endpoint)))

    for tag in (on_create, on_read, on_change):
        assert STRONG_TAG.match(tag), tag


@changeable
def test_the_etag_stays_the_same_until_a_change(api: TestClient, endpoint: Endpoint) -> None:
    url, on_create = created(api, endpoint)

    first_read = etag(api.get(url))
    second_read = etag(api.get(url))

    assert first_read == second_read == on_create


@changeable
def test_a_change_gives_a_new_etag_which_reads_then_return(
    api: TestClient, endpoint: Endpoint
) -> None:
    url, on_create = created(api, endpoint)

    on_change = etag(api.patch(url, json=change(endpoint)))

    assert on_change != on_create
    assert etag(api.get(url)) == on_change


@changeable
def test_a_change_with_a_stale_etag_is_412_and_changes_nothing(
    api: TestClient, endpoint: Endpoint
) -> None:
    url, stale = created(api, endpoint)
    api.patch(url, json=change(endpoint))
    current = api.get(url)

    response = api.patch(url, json=change(endpoint), headers={"If-Match": stale})

    assert_precondition_failed(response)
    assert api.get(url).json() == current.json()


@changeable
def test_a_delete_with_a_stale_etag_is_412_and_deletes_nothing(
    api: TestClient, endpoint: Endpoint
) -> None:
    url, stale = created(api, endpoint)
    api.patch(url, json=change(endpoint))
    current = api.get(url)

    response = api.delete(url, headers={"If-Match": stale})

    assert_precondition_failed(response)
    assert api.get(url).json() == current.json()


@changeable
def test_a_change_with_the_current_etag_succeeds(api: TestClient, endpoint: Endpoint) -> None:
    url, _ = created(api, endpoint)
    current = etag(api.get(url))

    response = api.patch(url, json=change(endpoint), headers={"If-Match": current})

    assert response.status_code == 200, response.text
    for field, value in change(endpoint).items():
        assert response.json()[field] == value


@changeable
def test_a_delete_with_the_current_etag_succeeds(api: TestClient, endpoint: Endpoint) -> None:
    url, _ = created(api, endpoint)
    current = etag(api.get(url))

    response = api.delete(url, headers={"If-Match": current})

    assert response.status_code == 204, response.text
    assert api.get(url).status_code == 404


# How If-Match is read is shared by every route: shown once, on goals.


@pytest.fixture
def goal(api: TestClient) -> str:
    return GOALS.url(GOALS.create(api)["id"])


def test_the_etag_from_a_change_is_good_for_the_next_change(api: TestClient, goal: str) -> None:
    first = etag(
        api.patch(goal, json={"status": "achieved"}, headers={"If-Match": etag(api.get(goal))})
    )

    response = api.patch(goal, json={"status": "retired"}, headers={"If-Match": first})

    assert response.status_code == 200, response.text


def test_if_match_star_changes_whatever_the_version(api: TestClient, goal: str) -> None:
    response = api.patch(goal, json=GOALS.change, headers={"If-Match": "*"})

    assert response.status_code == 200, response.text
    assert response.json()["status"] == GOALS.change["status"]


def test_if_match_star_deletes_whatever_the_version(api: TestClient, goal: str) -> None:
    response = api.delete(goal, headers={"If-Match": "*"})

    assert response.status_code == 204, response.text


def test_a_weak_etag_never_matches_a_change(api: TestClient, goal: str) -> None:
    before = api.get(goal)

    response = api.patch(goal, json=GOALS.change, headers={"If-Match": "W/" + etag(before)})

    assert_precondition_failed(response)
    assert api.get(goal).json() == before.json()


def test_a_weak_etag_never_matches_a_delete(api: TestClient, goal: str) -> None:
    response = api.delete(goal, headers={"If-Match": "W/" + etag(api.get(goal))})

    assert_precondition_failed(response)
    assert api.get(goal).status_code == 200


def test_a_list_of_etags_matches_when_one_is_current(api: TestClient, goal: str) -> None:
    stale = etag(api.get(goal))
    current = etag(api.patch(goal, json=GOALS.change))

    response = api.delete(goal, headers={"If-Match": f'"0", {stale}, {current}'})

    assert response.status_code == 204, response.text


def test_a_list_of_etags_none_current_is_412(api: TestClient, goal: str) -> None:
    stale = etag(api.get(goal))
    api.patch(goal, json=GOALS.change)

    response = api.delete(goal, headers={"If-Match": f'"0", {stale}'})

    assert_precondition_failed(response)
