"""Idempotency-Key on POST: the same key and body replay; a different body is refused;
keys belong to one organisation; failures store nothing; records lapse after 24 hours."""

from datetime import timedelta
from typing import Any

import httpx2
from fastapi.testclient import TestClient
from sqlalchemy import Connection, select, update
from sqlmodel import col

from app.models.common import utcnow
from app.models.idempotency import IdempotencyRecord
from tests.api import payloads
from tests.api.payloads import GOALS
from tests.data.support import (
    all_points,
    audit_entries,
    continuous_measure,
    days,
    located,
    post_csv,
    problems,
    total,
)

REPLAYED = "Idempotent-Replayed"
POINT = {"period": "2026-03-02", "value": 7}


def keyed(key: str) -> dict[str, str]:
    return {"Idempotency-Key": key}


def post_goal(api: TestClient, key: str, **changes: Any) -> httpx2.Response:
    return api.post(GOALS, json=payloads.goal(**changes), headers=keyed(key))


def expire(connection: Connection, key: str) -> None:
    """Move the key's record 24 hours and a second into the past, as if a day had gone by."""
    lapsed = utcnow() - timedelta(seconds=1)
    result = connection.execute(
        update(IdempotencyRecord).where(col(IdempotencyRecord.key) == key).values(expires_at=lapsed)
    )
    assert result.rowcount == 1


# --- data posts -------------------------------------------------------------------------------


def test_a_repeated_data_post_replays_the_first_response(api: TestClient) -> None:
    url = continuous_measure(api)
    first = api.post(url, json=POINT, headers=keyed("k-1"))

    again = api.post(url, json=POINT, headers=keyed("k-1"))

    assert first.status_code == 201
    assert (again.status_code, again.json()) == (201, first.json())
    assert again.headers[REPLAYED] == "true"
    assert again.headers["content-type"] == first.headers["content-type"]


def test_a_first_keyed_post_is_not_marked_as_replayed(api: TestClient) -> None:
    url = continuous_measure(api)

    response = api.post(url, json=POINT, headers=keyed("k-1"))

    assert response.status_code == 201
    assert REPLAYED not in response.headers


def test_a_replayed_data_post_writes_nothing_again(api: TestClient) -> None:
    url = continuous_measure(api)
    api.post(url, json=POINT, headers=keyed("k-1"))

    api.post(url, json=POINT, headers=keyed("k-1"))

    assert len(audit_entries(api)) == 1
    assert total(api, url) == 1


def test_a_replay_does_not_overwrite_a_later_change(api: TestClient) -> None:
    url = continuous_measure(api)
    api.post(url, json=POINT, headers=keyed("k-1"))
    api.post(url, json={"period": "2026-03-02", "value": 9})

    replay = api.post(url, json=POINT, headers=keyed("k-1"))

    assert replay.headers[REPLAYED] == "true"
    assert [p["value"] for p in all_points(api, url)] == [9]


def test_without_a_key_a_repeated_post_is_applied_again(api: TestClient) -> None:
    url = continuous_measure(api)
    api.post(url, json=POINT)

    again = api.post(url, json=POINT)

    assert again.status_code == 200
    assert again.json()["updated"] == 1
    assert len(audit_entries(api)) == 2


def test_a_replay_of_an_update_replays_its_200(api: TestClient) -> None:
    url = continuous_measure(api)
    api.post(url, json=POINT)
    first = api.post(url, json={"period": "2026-03-02", "value": 8}, headers=keyed("k-2"))

    again = api.post(url, json={"period": "2026-03-02", "value": 8}, headers=keyed("k-2"))

    assert first.status_code == 200
    assert (again.status_code, again.json()) == (200, first.json())
    assert again.headers[REPLAYED] == "true"


def test_a_repeated_csv_post_replays_the_first_response(api: TestClient) -> None:
    url = continuous_measure(api)
    text = "period,value\n2026-03-02,7\n2026-03-09,8\n"
    first = post_csv(api, url, text, **keyed("csv-1"))

    again = post_csv(api, url, text, **keyed("csv-1"))

    assert (again.status_code, again.json()) == (201, first.json())
    assert again.headers[REPLAYED] == "true"
    assert len(audit_entries(api)) == 1


def test_a_key_reused_with_a_different_body_is_refused(api: TestClient) -> None:
    url = continuous_measure(api)
    api.post(url, json=POINT, headers=keyed("k-1"))

    response = api.post(url, json={"period": "2026-03-02", "value": 8}, headers=keyed("k-1"))

    assert response.status_code == 422
    assert REPLAYED not in response.headers
    assert [error["field"] for error in problems(response)] == ["header.idempotency-key"]
    assert [p["value"] for p in all_points(api, url)] == [7]


def test_a_key_reused_for_another_measure_is_refused(api: TestClient) -> None:
    first = continuous_measure(api)
    second = continuous_measure(api, name="Minutes to triage")
    api.post(first, json=POINT, headers=keyed("k-1"))

    response = api.post(second, json=POINT, headers=keyed("k-1"))

    assert response.status_code == 422
    assert total(api, second) == 0


def test_a_key_reused_with_the_same_data_as_csv_is_refused(api: TestClient) -> None:
    url = continuous_measure(api)
    api.post(url, json=POINT, headers=keyed("k-1"))

    response = post_csv(api, url, "period,value\n2026-03-02,7\n", **keyed("k-1"))

    assert response.status_code == 422
    assert len(audit_entries(api)) == 1


def test_a_refused_data_post_stores_no_answer_so_its_retry_runs_again(api: TestClient) -> None:
    url = continuous_measure(api)
    bad = [{"period": "2026-03-02", "value": 7}, {"period": "2026-03-03", "value": 7}]
    api.post(url, json=bad, headers=keyed("k-1"))

    retry = api.post(url, json=bad, headers=keyed("k-1"))

    assert retry.status_code == 422
    assert REPLAYED not in retry.headers
    assert located(retry, "index") == [(1, "period")]


def test_a_refused_data_post_can_be_corrected_under_the_same_key(api: TestClient) -> None:
    url = continuous_measure(api)
    api.post(url, json=[{"period": "2026-03-03", "value": 7}], headers=keyed("k-1"))

    corrected = api.post(url, json=[{"period": "2026-03-02", "value": 7}], headers=keyed("k-1"))

    assert corrected.status_code == 201
    assert REPLAYED not in corrected.headers
    assert total(api, url) == 1


def test_an_unsupported_media_type_stores_no_answer_under_its_key(api: TestClient) -> None:
    url = continuous_measure(api)
    api.post(url, content=b"7", headers={"Content-Type": "text/plain", **keyed("k-1")})

    response = api.post(url, json=POINT, headers=keyed("k-1"))

    assert response.status_code == 201
    assert REPLAYED not in response.headers


def test_a_ten_thousand_point_post_replays_without_writing_again(api: TestClient) -> None:
    url = continuous_measure(api, frequency="day")
    bulk = [{"period": p, "value": 1.5} for p in days(10_000)]
    first = api.post(url, json=bulk, headers=keyed("bulk"))

    again = api.post(url, json=bulk, headers=keyed("bulk"))

    assert first.status_code == 201, first.text[:300]
    assert (again.status_code, again.content) == (201, first.content)
    assert again.headers[REPLAYED] == "true"
    assert len(audit_entries(api)) == 1


# --- creates elsewhere in the API (goals) -------------------------------------------------------


def test_a_repeated_goal_creation_replays_the_created_goal(api: TestClient) -> None:
    first = post_goal(api, "goal-1")

    again = post_goal(api, "goal-1")

    assert first.status_code == 201
    assert (again.status_code, again.json()) == (201, first.json())
    assert again.headers[REPLAYED] == "true"


def test_a_repeated_goal_creation_creates_one_goal(api: TestClient) -> None:
    post_goal(api, "goal-1")

    post_goal(api, "goal-1")

    assert payloads.page(api, GOALS)["total"] == 1
    assert len(audit_entries(api, "goal")) == 1


def test_a_goal_key_reused_with_a_different_body_is_refused(api: TestClient) -> None:
    post_goal(api, "goal-1")

    response = post_goal(api, "goal-1", title="A different goal")

    assert response.status_code == 422
    assert payloads.error_fields(response) == ["header.idempotency-key"]
    assert payloads.page(api, GOALS)["total"] == 1


def test_a_key_belongs_to_one_organisation(api: TestClient, other_api: TestClient) -> None:
    mine = post_goal(api, "shared-key")

    theirs = post_goal(other_api, "shared-key")

    assert theirs.status_code == 201
    assert REPLAYED not in theirs.headers
    assert theirs.json()["id"] != mine.json()["id"]
    assert payloads.page(api, GOALS)["total"] == 1
    assert payloads.page(other_api, GOALS)["total"] == 1


def test_another_organisations_key_does_not_refuse_a_different_body(
    api: TestClient, other_api: TestClient
) -> None:
    post_goal(api, "shared-key")

    theirs = post_goal(other_api, "shared-key", title="Their own goal")

    assert theirs.status_code == 201


def test_a_refused_goal_creation_can_be_corrected_under_the_same_key(api: TestClient) -> None:
    refused = post_goal(api, "goal-1", title="")

    corrected = post_goal(api, "goal-1")

    assert refused.status_code == 422
    assert corrected.status_code == 201
    assert REPLAYED not in corrected.headers


def test_a_refused_goal_creation_retried_unchanged_runs_again(api: TestClient) -> None:
    post_goal(api, "goal-1", title="")

    retry = post_goal(api, "goal-1", title="")

    assert retry.status_code == 422
    assert REPLAYED not in retry.headers
    assert payloads.error_fields(retry) == ["body.title"]


def test_an_idempotency_key_longer_than_255_characters_is_refused(api: TestClient) -> None:
    response = post_goal(api, "k" * 256)

    assert response.status_code == 422
    assert payloads.page(api, GOALS)["total"] == 0


# --- expiry -----------------------------------------------------------------------------------


def test_a_key_is_kept_for_24_hours(api: TestClient, connection: Connection) -> None:
    before = utcnow()
    post_goal(api, "goal-1")
    after = utcnow()

    [expires_at] = connection.execute(
        select(col(IdempotencyRecord.expires_at)).where(col(IdempotencyRecord.key) == "goal-1")
    ).scalars()

    assert before + timedelta(hours=24) <= expires_at <= after + timedelta(hours=24)


def test_an_expired_key_no_longer_replays(api: TestClient, connection: Connection) -> None:
    post_goal(api, "goal-1")
    expire(connection, "goal-1")

    again = post_goal(api, "goal-1")

    assert again.status_code == 201
    assert REPLAYED not in again.headers
    assert payloads.page(api, GOALS)["total"] == 2


def test_an_expired_key_may_be_used_for_a_different_body(
    api: TestClient, connection: Connection
) -> None:
    post_goal(api, "goal-1")
    expire(connection, "goal-1")

    response = post_goal(api, "goal-1", title="Next year's goal")

    assert response.status_code == 201


def test_a_key_reused_after_expiry_replays_its_new_answer(
    api: TestClient, connection: Connection
) -> None:
    post_goal(api, "goal-1")
    expire(connection, "goal-1")
    second = post_goal(api, "goal-1", title="Next year's goal")

    third = post_goal(api, "goal-1", title="Next year's goal")

    assert third.headers[REPLAYED] == "true"
    assert third.json() == second.json()


def test_an_expired_data_key_writes_again(api: TestClient, connection: Connection) -> None:
    url = continuous_measure(api)
    api.post(url, json=POINT, headers=keyed("k-1"))
    expire(connection, "k-1")

    again = api.post(url, json=POINT, headers=keyed("k-1"))

    assert again.status_code == 200
    assert REPLAYED not in again.headers
    assert again.json()["updated"] == 1
    assert len(audit_entries(api)) == 2
