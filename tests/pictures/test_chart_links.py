"""Signed links to a chart picture, for an `<img>` that cannot send a key: minted with a key,
opened without one; they expire (within 30 days), die with their key, cannot be altered, and
never show the key."""

from typing import Any

import pytest
from fastapi.testclient import TestClient

from app import embeds
from tests.charts.support import MEASURES, create_measure, post_values, weeks
from tests.conftest import Tenant

DAY = 86_400
Json = dict[str, Any]


@pytest.fixture
def measure(api: TestClient) -> Json:
    measure = create_measure(api, frequency="week")
    post_values(api, measure["id"], weeks(20), [10.0, 12.0, 11.0, 9.0] * 5)
    return measure


def mint(api: TestClient, measure: Json, **link: Any) -> Json:
    response = api.post(f"{MEASURES}/{measure['id']}/chart-links", json=link)
    assert response.status_code == 201, response.text
    body: Json = response.json()
    return body


def test_a_link_opens_the_chart_picture_without_a_key(
    api: TestClient, anonymous: TestClient, measure: Json
) -> None:
    link = mint(api, measure, format="png", width=640, height=360)

    response = anonymous.get(link["url"])

    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "image/png"


def test_a_link_never_shows_the_key(api: TestClient, tenant: Tenant, measure: Json) -> None:
    link = mint(api, measure)

    assert tenant.admin_key not in link["url"]
    assert tenant.admin_key.removeprefix("pdsa_")[:12] not in link["url"]


def test_a_link_lasts_at_most_30_days(api: TestClient, measure: Json) -> None:
    response = api.post(f"{MEASURES}/{measure['id']}/chart-links", json={"expires_in_days": 31})

    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "body.expires_in_days"


def test_a_link_is_refused_once_it_has_expired(
    api: TestClient, anonymous: TestClient, measure: Json, monkeypatch: pytest.MonkeyPatch
) -> None:
    link = mint(api, measure, expires_in_days=2)
    minted = embeds.clock()
    monkeypatch.setattr(embeds, "clock", lambda: minted + 2 * DAY + 1)

    response = anonymous.get(link["url"])

    assert response.status_code == 403
    assert "expired" in response.json()["detail"]


def test_a_link_dies_with_the_key_that_minted_it(
    api: TestClient, anonymous: TestClient, measure: Json
) -> None:
    body = {"name": "board pack", "scopes": ["read", "write"]}
    writer = api.post("/api/v1/keys", json=body).json()
    link = mint(TestClient(api.app, headers={"Authorization": f"Bearer {writer['key']}"}), measure)
    assert anonymous.get(link["url"]).status_code == 200

    api.delete(f"/api/v1/keys/{writer['id']}")

    assert anonymous.get(link["url"]).status_code == 401


def test_an_altered_link_is_refused(api: TestClient, anonymous: TestClient, measure: Json) -> None:
    link = mint(api, measure, width=640)
    claims, signature = link["url"].removeprefix("/embed/charts/").split(".")
    forged = embeds._b64(embeds._unb64(claims).replace(b"640", b"3200"))

    response = anonymous.get(f"/embed/charts/{forged}.{signature}")

    assert response.status_code == 403


def test_a_link_that_is_not_one_is_refused(anonymous: TestClient) -> None:
    response = anonymous.get("/embed/charts/not-a-link")

    assert response.status_code == 403
    assert response.headers["content-type"] == "application/problem+json"


def test_another_organisations_measure_gets_no_link(other_api: TestClient, measure: Json) -> None:
    response = other_api.post(f"{MEASURES}/{measure['id']}/chart-links", json={})

    assert response.status_code == 404


def test_minting_a_link_is_audited(api: TestClient, measure: Json) -> None:
    link = mint(api, measure, format="svg")

    entries = api.get("/api/v1/audit", params={"resource_type": "chart_link"}).json()["items"]
    assert [e["resource_id"] for e in entries] == [measure["id"]]
    assert entries[0]["changes"]["link"]["expires_at"].startswith(link["expires_at"][:10])


def test_minting_a_link_draws_no_chart_again(api: TestClient, measure: Json) -> None:
    etag = api.get(f"{MEASURES}/{measure['id']}/chart").headers["etag"]

    mint(api, measure)

    assert api.get(f"{MEASURES}/{measure['id']}/chart").headers["etag"] == etag
