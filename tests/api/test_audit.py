"""The audit trail: every change, by whom, from what to what, in the request that made it."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from httpx2 import Response

from tests.api.factories import API, GOALS, KEYS, MEASURES, Json, key_id_of
from tests.conftest import Tenant, client_for

AUDIT = f"{API}/audit"
INDIA = timezone(timedelta(hours=5, minutes=30))


def audit(api: TestClient, **params: str) -> list[Json]:
    response = api.get(AUDIT, params=params)
    assert response.status_code == 200, response.text
    items: list[Json] = response.json()["items"]
    return items


def audit_total(api: TestClient) -> int:
    total: int = api.get(AUDIT).json()["total"]
    return total


def test_creating_a_goal_records_who_created_what_in_which_request(
    app: FastAPI, api: TestClient, tenant: Tenant
) -> None:
    writer = client_for(app, tenant.write_key)
    body = GOALS.body()

    created = writer.post(GOALS.collection, json=body, headers={"X-Request-ID": "create-goal-7"})

    [entry] = audit(api, resource_id=created.json()["id"])
    assert entry["action"] == "create"
    assert entry["resource_type"] == "goal"
    assert entry["resource_id"] == created.json()["id"]
    assert entry["api_key_id"] == key_id_of(api, tenant.write_key)
    assert entry["request_id"] == "create-goal-7"
    assert entry["changes"]["title"] == {"before": None, "after": body["title"]}
    assert entry["changes"]["status"] == {"before": None, "after": "active"}


def test_updating_a_goal_records_only_the_changed_field(api: TestClient) -> None:
    goal = GOALS.create(api, status="active")

    api.patch(
        GOALS.url(goal["id"]),
        json={"status": "achieved", "owner": goal["owner"]},
        headers={"X-Request-ID": "achieve-goal"},
    )

    [entry] = audit(api, resource_id=goal["id"], action="update")
    assert entry["changes"] == {"status": {"before": "active", "after": "achieved"}}
    assert entry["request_id"] == "achieve-goal"
    assert entry["resource_type"] == "goal"


def test_deleting_a_goal_records_what_it_was(api: TestClient, tenant: Tenant) -> None:
    goal = GOALS.create(api)

    api.delete(GOALS.url(goal["id"]), headers={"X-Request-ID": "delete-goal"})

    [entry] = audit(api, resource_id=goal["id"], action="delete")
    assert entry["resource_type"] == "goal"
    assert entry["api_key_id"] == key_id_of(api, tenant.admin_key)
    assert entry["request_id"] == "delete-goal"
    assert entry["changes"]["title"] == {"before": goal["title"], "after": None}
    assert entry["changes"]["promises"] == {"before": goal["promises"], "after": None}


def test_an_entry_carries_the_generated_request_id_when_the_client_sent_none(
    api: TestClient,
) -> None:
    created = api.post(GOALS.collection, json=GOALS.body())

    [entry] = audit(api, resource_id=created.json()["id"])
    assert entry["request_id"] == created.headers["x-request-id"]


@pytest.mark.parametrize("key", ["read_key", "write_key"])
def test_only_an_admin_key_reads_the_audit_trail(app: FastAPI, tenant: Tenant, key: str) -> None:
    response = client_for(app, getattr(tenant, key)).get(AUDIT)

    assert response.status_code == 403, response.text
    assert response.headers["content-type"] == "application/problem+json"


def test_issuing_a_key_is_audited_without_its_secret(api: TestClient, tenant: Tenant) -> None:
    issued = api.post(KEYS.collection, json={"name": "dashboard", "scopes": ["read"]}).json()

    [entry] = audit(api, resource_id=issued["id"])
    assert entry["action"] == "create"
    assert entry["resource_type"] == "api_key"
    assert entry["api_key_id"] == key_id_of(api, tenant.admin_key)
    assert entry["changes"]["name"] == {"before": None, "after": "dashboard"}
    assert issued["key"] not in str(entry)


def test_revoking_a_key_is_audited(api: TestClient, tenant: Tenant) -> None:
    issued = KEYS.create(api)

    revoked = api.delete(KEYS.url(issued["id"]), headers={"X-Request-ID": "revoke-dashboard"})

    [entry] = audit(api, resource_id=issued["id"], action="revoke")
    assert entry["resource_type"] == "api_key"
    assert entry["api_key_id"] == key_id_of(api, tenant.admin_key)
    assert entry["request_id"] == "revoke-dashboard"
    assert entry["changes"] == {
        "revoked_at": {"before": None, "after": revoked.json()["revoked_at"]}
    }


def test_revoking_a_revoked_key_again_is_not_audited_twice(api: TestClient) -> None:
    issued = KEYS.create(api)
    api.delete(KEYS.url(issued["id"]))

    again = api.delete(KEYS.url(issued["id"]))

    assert again.status_code == 200, again.text
    assert len(audit(api, resource_id=issued["id"], action="revoke")) == 1


def test_changing_the_organisations_settings_is_audited(api: TestClient, tenant: Tenant) -> None:
    before = api.get(f"{API}/organisation").json()["cycle_overdue_days"]

    api.patch(f"{API}/organisation", json={"cycle_overdue_days": before + 7})

    [entry] = audit(api, resource_type="organisation")
    assert entry["action"] == "update"
    assert entry["resource_id"] == tenant.organisation_id
    assert entry["changes"] == {"cycle_overdue_days": {"before": before, "after": before + 7}}


def a_goal(api: TestClient) -> str:
    return GOALS.url(GOALS.create(api)["id"])


def a_goal_with_a_measure(api: TestClient) -> str:
    goal = GOALS.create(api)
    MEASURES.create(api, goal_ids=[goal["id"]])
    return GOALS.url(goal["id"])


@dataclass(frozen=True)
class Scene:
    """What an attempt may use: the admin and a read-only client, and a goal's URL."""

    api: TestClient
    reader: TestClient
    goal: str


Attempt = Callable[[Scene], Response]


def invalid_create(scene: Scene) -> Response:
    return scene.api.post(GOALS.collection, json={**GOALS.body(), "title": ""})


def invalid_change(scene: Scene) -> Response:
    return scene.api.patch(scene.goal, json={"status": "abandoned"})


def stale_change(scene: Scene) -> Response:
    return scene.api.patch(scene.goal, json=GOALS.change, headers={"If-Match": '"stale"'})


def stale_delete(scene: Scene) -> Response:
    return scene.api.delete(scene.goal, headers={"If-Match": '"stale"'})


def referenced_delete(scene: Scene) -> Response:
    return scene.api.delete(scene.goal)


def forbidden_change(scene: Scene) -> Response:
    return scene.reader.patch(scene.goal, json=GOALS.change)


def invalid_key(scene: Scene) -> Response:
    return scene.api.post(KEYS.collection, json={"name": "dashboard", "scopes": ["superuser"]})


@pytest.mark.parametrize(
    ("prepare", "attempt", "status"),
    [
        (a_goal, invalid_create, 422),
        (a_goal, invalid_change, 422),
        (a_goal, invalid_key, 422),
        (a_goal, stale_change, 412),
        (a_goal, stale_delete, 412),
        (a_goal_with_a_measure, referenced_delete, 409),
        (a_goal, forbidden_change, 403),
    ],
    ids=lambda value: getattr(value, "__name__", str(value)),
)
def test_a_refused_request_writes_no_audit_entry(
    prepare: Callable[[TestClient], str],
    attempt: Attempt,
    status: int,
    api: TestClient,
    app: FastAPI,
    tenant: Tenant,
) -> None:
    goal = prepare(api)
    before = audit_total(api)

    response = attempt(Scene(api, client_for(app, tenant.read_key), goal))

    assert response.status_code == status, response.text
    assert audit_total(api) == before


def test_a_change_writes_exactly_one_entry(api: TestClient) -> None:
    before = audit_total(api)

    GOALS.create(api)

    assert audit_total(api) == before + 1


def test_a_replayed_request_writes_no_second_entry(api: TestClient) -> None:
    headers = {"Idempotency-Key": "create-goal-once"}
    first = api.post(GOALS.collection, json=GOALS.body(), headers=headers)
    before = audit_total(api)

    replay = api.post(GOALS.collection, json=GOALS.body(), headers=headers)

    assert replay.status_code == first.status_code == 201
    assert replay.json()["id"] == first.json()["id"]
    assert audit_total(api) == before


@pytest.fixture
def history(api: TestClient) -> list[Json]:
    """A goal created, changed and deleted: its entries, newest first."""
    goal = GOALS.create(api)
    api.patch(GOALS.url(goal["id"]), json=GOALS.change)
    api.delete(GOALS.url(goal["id"]))
    MEASURES.create(api)
    return audit(api, resource_id=goal["id"])


def test_entries_are_listed_newest_first(history: list[Json]) -> None:
    assert [entry["action"] for entry in history] == ["delete", "update", "create"]


def test_entries_filter_by_resource_id(api: TestClient, history: list[Json]) -> None:
    resource_id = history[0]["resource_id"]

    entries = audit(api, resource_id=resource_id)

    assert {entry["resource_id"] for entry in entries} == {resource_id}
    assert len(entries) == 3


@pytest.mark.usefixtures("history")
def test_entries_filter_by_resource_type(api: TestClient) -> None:
    entries = audit(api, resource_type="measure")

    assert len(entries) == 1
    assert entries[0]["resource_type"] == "measure"


def test_entries_filter_by_action(api: TestClient, history: list[Json]) -> None:
    entries = audit(api, action="update")

    assert [entry["resource_id"] for entry in entries] == [history[0]["resource_id"]]
    assert entries[0]["action"] == "update"


def test_entries_filter_by_key(app: FastAPI, api: TestClient, tenant: Tenant) -> None:
    by_writer = client_for(app, tenant.write_key).post(GOALS.collection, json=GOALS.body())
    GOALS.create(api)

    entries = audit(api, api_key_id=key_id_of(api, tenant.write_key))

    assert [entry["resource_id"] for entry in entries] == [by_writer.json()["id"]]


def test_an_unknown_action_filter_is_422(api: TestClient) -> None:
    response = api.get(AUDIT, params={"action": "rename"})

    assert response.status_code == 422, response.text
    assert [error["field"] for error in response.json()["errors"]] == ["query.action"]


def in_india(timestamp: str) -> str:
    """The same instant, written with a +05:30 offset."""
    return datetime.fromisoformat(timestamp).astimezone(INDIA).isoformat()


def test_since_includes_entries_at_and_after_the_instant(
    api: TestClient, history: list[Json]
) -> None:
    delete, update, _ = history

    entries = audit(api, resource_id=update["resource_id"], since=in_india(update["occurred_at"]))

    assert [entry["id"] for entry in entries] == [delete["id"], update["id"]]


def test_until_includes_only_entries_before_the_instant(
    api: TestClient, history: list[Json]
) -> None:
    _, update, create = history

    entries = audit(api, resource_id=update["resource_id"], until=in_india(update["occurred_at"]))

    assert [entry["id"] for entry in entries] == [create["id"]]


@pytest.mark.parametrize("bound", ["since", "until"])
def test_a_bound_without_a_timezone_is_422(api: TestClient, bound: str) -> None:
    response = api.get(AUDIT, params={bound: "2026-01-01T09:00:00"})

    assert response.status_code == 422, response.text
    assert [error["field"] for error in response.json()["errors"]] == [f"query.{bound}"]
