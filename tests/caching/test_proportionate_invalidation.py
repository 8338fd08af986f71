"""A write invalidates in proportion to what it changed: managing keys, which no cached read
shows, draws nothing again (the scorecard and the matrix keep their versions)."""

import pytest
from fastapi.testclient import TestClient

from tests.api.factories import GOALS, MEASURES

READS = ["/api/v1/scorecard", "/api/v1/matrix"]


@pytest.fixture
def versions(api: TestClient) -> dict[str, str]:
    MEASURES.create(api, goal_ids=[GOALS.create(api)["id"]])
    return {read: api.get(read).headers["etag"] for read in READS}


def test_issuing_a_key_keeps_every_cached_read(api: TestClient, versions: dict[str, str]) -> None:
    api.post("/api/v1/keys", json={"name": "dashboard", "scopes": ["read"]})

    assert {read: api.get(read).headers["etag"] for read in READS} == versions


def test_revoking_a_key_keeps_every_cached_read(api: TestClient, versions: dict[str, str]) -> None:
    key = api.post("/api/v1/keys", json={"name": "dashboard", "scopes": ["read"]}).json()

    api.delete(f"/api/v1/keys/{key['id']}")

    assert {read: api.get(read).headers["etag"] for read in READS} == versions


def test_a_goal_still_changes_every_read_that_shows_it(
    api: TestClient, versions: dict[str, str]
) -> None:
    GOALS.create(api)

    assert api.get("/api/v1/matrix").headers["etag"] != versions["/api/v1/matrix"]
