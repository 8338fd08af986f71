"""API keys: who may call, with what scope, and what is (never) disclosed about a key."""

from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from httpx2 import Response
from sqlalchemy import Connection, select
from sqlmodel import SQLModel

from tests.api.factories import (
    API,
    ENDPOINTS,
    GOALS,
    KEYS,
    Endpoint,
    body_for,
    key_id_of,
    make_path,
)
from tests.conftest import Tenant, client_for

ORGANISATION = f"{API}/organisation"
CHANGES = [e for e in ENDPOINTS if e.path.startswith(API) and e.method != "GET"]
KEY_MANAGEMENT = [e for e in ENDPOINTS if e.path.startswith((KEYS.collection, f"{API}/audit"))]


FORBIDDEN = "urn:pdsa:problem:forbidden"


def assert_unauthorised(response: Response) -> None:
    assert response.status_code == 401, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert response.headers["www-authenticate"].startswith("Bearer")
    assert response.json()["type"] == "urn:pdsa:problem:unauthorized"
    assert response.json()["status"] == 401


def test_a_request_without_a_key_is_401_with_a_challenge(anonymous: TestClient) -> None:
    response = anonymous.get(f"{API}/goals")

    assert_unauthorised(response)


def test_an_unknown_key_is_401(app: FastAPI) -> None:
    response = client_for(app, "pdsa_" + "x" * 43).get(f"{API}/goals")

    assert_unauthorised(response)


@pytest.mark.parametrize(
    "authorization",
    ["Bearer", "Basic dXNlcjpwYXNzd29yZA==", "pdsa_notascheme", "Token pdsa_abc"],
)
def test_a_malformed_authorization_header_is_401(app: FastAPI, authorization: str) -> None:
    client = TestClient(app, headers={"Authorization": authorization})

    response = client.get(f"{API}/goals")

    assert_unauthorised(response)


def test_another_keys_secret_with_a_character_changed_is_401(app: FastAPI, tenant: Tenant) -> None:
    secret = tenant.read_key
    altered = secret[:-1] + ("A" if secret[-1] != "A" else "B")

    response = client_for(app, altered).get(f"{API}/goals")

    assert_unauthorised(response)


def test_a_revoked_key_is_401(app: FastAPI, api: TestClient) -> None:
    issued = KEYS.create(api)
    client = client_for(app, issued["key"])
    assert client.get(ORGANISATION).status_code == 200

    revoked = api.delete(KEYS.url(issued["id"]))

    assert revoked.status_code == 200, revoked.text
    response = client.get(ORGANISATION)
    assert_unauthorised(response)


def test_the_x_api_key_header_authenticates_like_bearer(app: FastAPI, tenant: Tenant) -> None:
    client = TestClient(app, headers={"X-API-Key": tenant.read_key})

    response = client.get(ORGANISATION)

    assert response.status_code == 200, response.text
    assert response.json()["id"] == tenant.organisation_id


def test_an_unknown_x_api_key_is_401(app: FastAPI) -> None:
    client = TestClient(app, headers={"X-API-Key": "pdsa_" + "y" * 43})

    response = client.get(ORGANISATION)

    assert_unauthorised(response)


def test_the_organisation_is_the_callers_own(api: TestClient, tenant: Tenant) -> None:
    response = api.get(ORGANISATION)

    assert response.status_code == 200, response.text
    assert response.json()["id"] == tenant.organisation_id
    assert response.json()["name"] == "Northshire Hospitals NHS Trust"


def test_a_read_key_reads_its_organisation(app: FastAPI, tenant: Tenant) -> None:
    response = client_for(app, tenant.read_key).get(ORGANISATION)

    assert response.status_code == 200, response.text
    assert response.json()["id"] == tenant.organisation_id


def refusals(client: TestClient, owner: TestClient, endpoints: list[Endpoint]) -> dict[str, Any]:
    """What `client` is answered at each endpoint, on resources that `owner` made."""
    answers = {}
    for endpoint in endpoints:
        url = endpoint.url(make_path(owner, endpoint))
        response = client.request(endpoint.method, url, json=body_for(endpoint))
        problem = response.headers.get("content-type") == "application/problem+json"
        answers[str(endpoint)] = (response.status_code, problem and response.json()["type"])
    return answers


def test_a_read_key_cannot_change_anything(app: FastAPI, api: TestClient, tenant: Tenant) -> None:
    assert CHANGES

    answers = refusals(client_for(app, tenant.read_key), api, CHANGES)

    assert {e: a for e, a in answers.items() if a != (403, FORBIDDEN)} == {}


def test_a_write_key_cannot_manage_keys_or_read_the_audit_trail(
    app: FastAPI, api: TestClient, tenant: Tenant
) -> None:
    assert KEY_MANAGEMENT

    answers = refusals(client_for(app, tenant.write_key), api, KEY_MANAGEMENT)

    assert {e: a for e, a in answers.items() if a != (403, FORBIDDEN)} == {}


def test_a_write_key_can_create(app: FastAPI, tenant: Tenant) -> None:
    writer = client_for(app, tenant.write_key)

    response = writer.post(GOALS.collection, json=GOALS.body())

    assert response.status_code == 201, response.text


def test_a_read_key_refused_a_change_leaves_the_resource_unchanged(
    app: FastAPI, api: TestClient, tenant: Tenant
) -> None:
    url = GOALS.url(GOALS.create(api)["id"])
    before = api.get(url).json()

    client_for(app, tenant.read_key).patch(url, json=GOALS.change)

    assert api.get(url).json() == before


def test_an_admin_key_issues_lists_reads_and_revokes_keys(api: TestClient) -> None:
    issued = api.post(KEYS.collection, json={"name": "dashboard", "scopes": ["read", "write"]})
    assert issued.status_code == 201, issued.text
    key_id = issued.json()["id"]

    listed = api.get(KEYS.collection)
    read = api.get(KEYS.url(key_id))
    revoked = api.delete(KEYS.url(key_id))

    assert key_id in [key["id"] for key in listed.json()["items"]]
    assert read.status_code == 200
    assert read.json()["scopes"] == ["read", "write"]
    assert revoked.status_code == 200
    assert revoked.json()["revoked_at"] is not None


def test_an_issued_key_acts_with_exactly_its_scopes(app: FastAPI, api: TestClient) -> None:
    issued = api.post(KEYS.collection, json={"name": "dashboard", "scopes": ["read"]}).json()
    client = client_for(app, issued["key"])

    assert client.get(f"{API}/goals").status_code == 200
    assert client.post(f"{API}/goals", json=GOALS.body()).status_code == 403


def test_the_secret_is_returned_when_the_key_is_issued(app: FastAPI, api: TestClient) -> None:
    issued = api.post(KEYS.collection, json={"name": "dashboard", "scopes": ["read"]})

    secret = issued.json()["key"]
    assert secret.startswith(issued.json()["prefix"])
    assert client_for(app, secret).get(ORGANISATION).status_code == 200


def test_the_secret_is_never_returned_again(api: TestClient) -> None:
    issued = KEYS.create(api)

    listed = api.get(KEYS.collection, params={"include_revoked": True})
    read = api.get(KEYS.url(issued["id"]))
    revoked = api.delete(KEYS.url(issued["id"]))

    for response in (listed, read, revoked):
        assert response.status_code == 200, response.text
        assert issued["key"] not in response.text
    assert "key" not in read.json()


def stored_values(connection: Connection, table: str) -> list[str]:
    """Every value of every row of `table`, as text."""
    rows = connection.execute(select(SQLModel.metadata.tables[table])).all()
    return [
        value.decode(errors="replace") if isinstance(value, bytes) else str(value)
        for row in rows
        for value in row
    ]


def test_the_key_table_stores_no_plaintext_key(
    api: TestClient, tenant: Tenant, connection: Connection
) -> None:
    secrets = [KEYS.create(api)["key"], tenant.admin_key, tenant.write_key, tenant.read_key]

    stored = stored_values(connection, "api_key")

    assert stored, "the keys should be stored"
    assert [value for value in stored if any(secret in value for secret in secrets)] == []


@pytest.mark.parametrize(
    "headers", [{}, {"Idempotency-Key": "issue-dashboard-key"}], ids=["plain", "idempotent"]
)
def test_no_table_stores_an_issued_key_in_plaintext(
    api: TestClient, connection: Connection, headers: dict[str, str]
) -> None:
    issued = api.post(KEYS.collection, json=KEYS.body(), headers=headers)
    assert issued.status_code == 201, issued.text

    found_in = [
        table
        for table in SQLModel.metadata.tables
        if any(issued.json()["key"] in value for value in stored_values(connection, table))
    ]

    assert found_in == []


@pytest.mark.parametrize("key", ["read_key", "write_key"])
def test_a_key_without_admin_scope_cannot_replay_a_key_issue(
    app: FastAPI, api: TestClient, tenant: Tenant, key: str
) -> None:
    body = {"name": "deployment", "scopes": ["read", "write", "admin"]}
    issued = api.post(KEYS.collection, json=body, headers={"Idempotency-Key": "deploy-1"})
    assert issued.status_code == 201, issued.text

    replay = client_for(app, getattr(tenant, key)).post(
        KEYS.collection, json=body, headers={"Idempotency-Key": "deploy-1"}
    )

    assert replay.status_code == 403, replay.text
    assert issued.json()["key"] not in replay.text


def test_a_revoked_key_is_listed_only_on_request(api: TestClient) -> None:
    key_id = KEYS.create(api)["id"]
    api.delete(KEYS.url(key_id))

    default = api.get(KEYS.collection).json()["items"]
    everything = api.get(KEYS.collection, params={"include_revoked": True}).json()["items"]

    assert key_id not in [key["id"] for key in default]
    assert key_id in [key["id"] for key in everything]


def test_revoking_a_key_does_not_revoke_the_others(
    app: FastAPI, api: TestClient, tenant: Tenant
) -> None:
    api.delete(KEYS.url(key_id_of(api, tenant.read_key)))

    assert client_for(app, tenant.write_key).get(ORGANISATION).status_code == 200
    assert client_for(app, tenant.read_key).get(ORGANISATION).status_code == 401
