"""Charts and scorecards are rendered once per version and shared through the database: a
reading never shows a stale rendering, whatever changed and whichever process changed it."""

from fastapi.testclient import TestClient
from sqlalchemy import Engine

from tests.api.test_query_counts import counting_statements

MEASURE = {
    "name": "Falls",
    "role": "outcome",
    "value_type": "count",
    "direction": "decrease",
    "frequency": "month",
}


def new_measure(api: TestClient) -> str:
    measure_id = str(api.post("/api/v1/measures", json=MEASURE).json()["id"])
    months = [{"period": f"2026-{m:02d}-01", "value": float(m % 4)} for m in range(1, 13)]
    assert api.post(f"/api/v1/measures/{measure_id}/data", json=months).status_code == 201
    return measure_id


def chart(api: TestClient, measure_id: str) -> dict[str, object]:
    response = api.get(f"/api/v1/measures/{measure_id}/chart")
    assert response.status_code == 200
    body: dict[str, object] = response.json()
    return body


def test_a_second_reading_is_served_without_reading_the_data_again(
    api: TestClient, engine: Engine
) -> None:
    measure_id = new_measure(api)
    first = chart(api, measure_id)

    with counting_statements(engine) as statements:
        second = chart(api, measure_id)

    assert second == first
    assert not any("FROM data_point" in statement for statement in statements)


def test_new_data_shows_at_once(api: TestClient) -> None:
    measure_id = new_measure(api)
    chart(api, measure_id)

    api.post(f"/api/v1/measures/{measure_id}/data", json={"period": "2027-01-01", "value": 9.0})

    points = chart(api, measure_id)["points"]
    assert isinstance(points, list)
    assert points[-1]["period"] == "2027-01-01"


def test_a_deleted_point_disappears_at_once(api: TestClient) -> None:
    measure_id = new_measure(api)
    chart(api, measure_id)

    api.delete(f"/api/v1/measures/{measure_id}/data/2026-12-01")

    points = chart(api, measure_id)["points"]
    assert isinstance(points, list)
    assert [p["period"] for p in points][-1] == "2026-11-01"


def test_new_phases_show_at_once(api: TestClient) -> None:
    measure_id = new_measure(api)
    chart(api, measure_id)

    api.put(
        f"/api/v1/measures/{measure_id}/phases",
        json={"recalculations": [{"period": "2026-07-01", "reason": "Bundle adopted"}]},
    )

    phases = chart(api, measure_id)["phases"]
    assert isinstance(phases, list)
    assert [p["reason"] for p in phases] == [None, "Bundle adopted"]


def test_a_linked_cycle_shows_at_once(api: TestClient) -> None:
    measure_id = new_measure(api)
    project = api.post(
        "/api/v1/projects",
        json={"title": "Falls", "measures": [{"measure_id": measure_id, "role": "outcome"}]},
    ).json()["id"]
    chart(api, measure_id)

    api.post(
        f"/api/v1/projects/{project}/cycles",
        json={
            "title": "PDSA 1",
            "change_idea": "Rounding",
            "measure_ids": [measure_id],
            "planned_start": "2026-05-04",
        },
    )

    points = chart(api, measure_id)["points"]
    assert isinstance(points, list)
    may = next(p for p in points if p["period"] == "2026-05-01")
    assert [a["kind"] for a in may["annotations"]] == ["cycle_start"]


def test_a_new_national_target_shows_at_once_on_the_scorecard(api: TestClient) -> None:
    measure_id = new_measure(api)
    assert api.get("/api/v1/scorecard").json()["measures"][0]["target"] is None

    api.post(
        "/api/v1/national-targets",
        json={
            "code": "FALLS",
            "title": "Falls",
            "issuing_body": "NHS England",
            "comparator": "<=",
            "threshold": 2.0,
            "measure_id": measure_id,
        },
    )

    target = api.get("/api/v1/scorecard").json()["measures"][0]["target"]
    assert target["code"] == "FALLS"


def test_a_changed_measure_shows_at_once_on_the_scorecard(api: TestClient) -> None:
    measure_id = new_measure(api)
    api.get("/api/v1/scorecard")

    api.patch(f"/api/v1/measures/{measure_id}", json={"name": "Inpatient falls"})

    assert api.get("/api/v1/scorecard").json()["measures"][0]["name"] == "Inpatient falls"


def test_a_new_goal_shows_at_once_in_the_matrix(api: TestClient) -> None:
    new_measure(api)
    assert api.get("/api/v1/matrix").json()["goals"] == []

    api.post("/api/v1/goals", json={"title": "Safe care on every ward"})

    goals = api.get("/api/v1/matrix").json()["goals"]
    assert [goal["title"] for goal in goals] == ["Safe care on every ward"]


def test_new_data_shows_at_once_in_the_matrix_status(api: TestClient) -> None:
    goal = api.post("/api/v1/goals", json={"title": "Safe care"}).json()["id"]
    measure_id = new_measure(api)
    api.patch(f"/api/v1/measures/{measure_id}", json={"goal_ids": [goal]})
    api.get("/api/v1/matrix")

    api.post(f"/api/v1/measures/{measure_id}/data", json={"period": "2027-01-01", "value": 9.0})

    status = api.get("/api/v1/matrix").json()["goals"][0]["measures"][0]["status"]
    assert status["latest_period"] == "2027-01-01"


def test_the_matrix_answers_304_while_nothing_changed(api: TestClient) -> None:
    new_measure(api)
    tag = api.get("/api/v1/matrix").headers["etag"]

    assert api.get("/api/v1/matrix", headers={"If-None-Match": tag}).status_code == 304
    api.post("/api/v1/goals", json={"title": "Another goal"})
    assert api.get("/api/v1/matrix", headers={"If-None-Match": tag}).status_code == 200


def test_a_scorecard_stays_current_while_only_another_organisation_writes(
    api: TestClient, other_api: TestClient
) -> None:
    new_measure(api)
    tag = api.get("/api/v1/scorecard").headers["ETag"]

    new_measure(other_api)

    assert api.get("/api/v1/scorecard", headers={"If-None-Match": tag}).status_code == 304


def test_a_chart_stays_current_while_only_another_organisation_writes(
    api: TestClient, other_api: TestClient
) -> None:
    measure_id = new_measure(api)
    tag = api.get(f"/api/v1/measures/{measure_id}/chart").headers["ETag"]

    new_measure(other_api)

    response = api.get(f"/api/v1/measures/{measure_id}/chart", headers={"If-None-Match": tag})
    assert response.status_code == 304


def test_the_matrix_stays_current_while_only_another_organisation_writes(
    api: TestClient, other_api: TestClient
) -> None:
    new_measure(api)
    tag = api.get("/api/v1/matrix").headers["ETag"]

    new_measure(other_api)

    assert api.get("/api/v1/matrix", headers={"If-None-Match": tag}).status_code == 304
