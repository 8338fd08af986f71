import pytest
from fastapi.testclient import TestClient

from tests.api import payloads
from tests.api.payloads import (
    GOALS,
    MEASURES,
    create_goal,
    create_measure,
    error_fields,
    listed_ids,
    missing_id,
    page,
)


def test_a_created_measure_reads_back_exactly_as_it_was_sent(api: TestClient) -> None:
    goal_id = create_goal(api)["id"]
    body = payloads.measure(goal_ids=[goal_id])

    created = api.post(MEASURES, json=body)

    assert created.status_code == 201
    read = api.get(f"{MEASURES}/{created.json()['id']}").json()
    assert read == created.json()
    assert {field: read[field] for field in body} == body


def test_a_measure_needs_only_its_name_and_kind(api: TestClient) -> None:
    body = {
        "name": "Care plans signed by the person",
        "role": "outcome",
        "value_type": "proportion",
        "direction": "increase",
        "frequency": "week",
    }

    created = api.post(MEASURES, json=body)

    assert created.status_code == 201
    assert created.json()["unit"] == ""
    assert created.json()["target"] is None
    assert created.json()["rate_multiplier"] == 1.0
    assert created.json()["goal_ids"] == []


def test_measures_are_listed_in_creation_order_with_the_total(api: TestClient) -> None:
    ids = [
        create_measure(api)["id"],
        payloads.create(api, MEASURES, payloads.falls_measure())["id"],
    ]

    listed = page(api, MEASURES)

    assert [item["id"] for item in listed["items"]] == ids
    assert (listed["total"], listed["limit"], listed["offset"]) == (2, 50, 0)


def test_limit_and_offset_select_one_page_of_measures(api: TestClient) -> None:
    ids = [create_measure(api, name=f"Measure {n}")["id"] for n in range(3)]

    listed = page(api, MEASURES, limit=1, offset=2)

    assert [item["id"] for item in listed["items"]] == ids[2:]
    assert (listed["total"], listed["limit"], listed["offset"]) == (3, 1, 2)


def test_measures_can_be_filtered_by_goal(api: TestClient) -> None:
    goal_id = create_goal(api)["id"]
    other_goal_id = create_goal(api, title="Safer wards")["id"]
    tracked = create_measure(api, goal_ids=[goal_id])["id"]
    create_measure(api, name="Falls", goal_ids=[other_goal_id])
    create_measure(api, name="Unaligned")

    assert listed_ids(api, MEASURES, goal_id=goal_id) == [tracked]


@pytest.mark.parametrize("field", ["role", "value_type", "direction", "frequency"])
def test_measures_can_be_filtered_by_their_kind(api: TestClient, field: str) -> None:
    create_measure(api)
    falls = payloads.falls_measure()
    falls_id = payloads.create(api, MEASURES, falls)["id"]

    assert listed_ids(api, MEASURES, **{field: falls[field]}) == [falls_id]


def test_patch_changes_only_the_fields_sent(api: TestClient) -> None:
    goal_id = create_goal(api)["id"]
    created = create_measure(api, goal_ids=[goal_id])

    patched = api.patch(f"{MEASURES}/{created['id']}", json={"target": 0.95})

    assert patched.status_code == 200
    unchanged = {k: v for k, v in patched.json().items() if k not in {"target", "updated_at"}}
    assert unchanged == {k: v for k, v in created.items() if k not in {"target", "updated_at"}}
    assert api.get(f"{MEASURES}/{created['id']}").json()["target"] == 0.95


def test_patch_is_validated_and_leaves_the_measure_unchanged_when_refused(
    api: TestClient,
) -> None:
    created = create_measure(api)

    response = api.patch(f"{MEASURES}/{created['id']}", json={"rate_multiplier": 0.0})

    assert response.status_code == 422
    assert error_fields(response) == ["body.rate_multiplier"]
    assert api.get(f"{MEASURES}/{created['id']}").json() == created


def test_a_deleted_measure_is_gone(api: TestClient) -> None:
    measure_id = create_measure(api)["id"]

    assert api.delete(f"{MEASURES}/{measure_id}").status_code == 204
    assert api.get(f"{MEASURES}/{measure_id}").status_code == 404


@pytest.mark.parametrize("field", ["name", "role", "value_type", "direction", "frequency"])
def test_a_measure_missing_a_required_field_is_refused(api: TestClient, field: str) -> None:
    body = payloads.measure()
    del body[field]

    response = api.post(MEASURES, json=body)

    assert response.status_code == 422
    assert error_fields(response) == [f"body.{field}"]
    assert page(api, MEASURES)["total"] == 0


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("role", "primary"),
        ("value_type", "percentage"),
        ("direction", "up"),
        ("frequency", "fortnight"),
    ],
)
def test_a_measure_kind_outside_its_vocabulary_is_refused(
    api: TestClient, field: str, value: str
) -> None:
    response = api.post(MEASURES, json=payloads.measure(**{field: value}))

    assert response.status_code == 422
    assert error_fields(response) == [f"body.{field}"]


@pytest.mark.parametrize(
    ("field", "value"),
    [("name", ""), ("name", "x" * 201), ("unit", "x" * 51)],
    ids=["empty-name", "201-char-name", "51-char-unit"],
)
def test_measure_text_lengths_are_bounded(api: TestClient, field: str, value: str) -> None:
    response = api.post(MEASURES, json=payloads.measure(**{field: value}))

    assert response.status_code == 422
    assert error_fields(response) == [f"body.{field}"]


@pytest.mark.parametrize("multiplier", [0.0, -1000.0])
def test_the_rate_multiplier_must_be_positive(api: TestClient, multiplier: float) -> None:
    response = api.post(MEASURES, json=payloads.falls_measure(rate_multiplier=multiplier))

    assert response.status_code == 422
    assert error_fields(response) == ["body.rate_multiplier"]


def test_a_measure_can_track_several_goals(api: TestClient) -> None:
    goal_ids = sorted(create_goal(api, title=f"Goal {n}")["id"] for n in range(2))

    created = create_measure(api, goal_ids=goal_ids)

    assert sorted(api.get(f"{MEASURES}/{created['id']}").json()["goal_ids"]) == goal_ids


def test_a_link_to_a_missing_goal_is_refused_by_its_position(api: TestClient) -> None:
    goal_id = create_goal(api)["id"]

    response = api.post(MEASURES, json=payloads.measure(goal_ids=[goal_id, missing_id()]))

    assert response.status_code == 422
    assert error_fields(response) == ["body.goal_ids.1"]
    assert page(api, MEASURES)["total"] == 0


def test_a_link_to_another_organisations_goal_is_refused(
    api: TestClient, other_api: TestClient
) -> None:
    their_goal = create_goal(other_api)["id"]

    response = api.post(MEASURES, json=payloads.measure(goal_ids=[their_goal]))

    assert response.status_code == 422
    assert error_fields(response) == ["body.goal_ids.0"]
    assert page(api, MEASURES)["total"] == 0


def test_the_same_goal_twice_is_refused(api: TestClient) -> None:
    goal_id = create_goal(api)["id"]

    response = api.post(MEASURES, json=payloads.measure(goal_ids=[goal_id, goal_id]))

    assert response.status_code == 422
    assert error_fields(response) == ["body.goal_ids"]
    assert page(api, MEASURES)["total"] == 0


def test_patch_adds_a_goal(api: TestClient) -> None:
    first = create_goal(api)["id"]
    second = create_goal(api, title="Safer wards")["id"]
    measure_id = create_measure(api, goal_ids=[first])["id"]

    patched = api.patch(f"{MEASURES}/{measure_id}", json={"goal_ids": [first, second]})

    assert patched.status_code == 200
    assert sorted(api.get(f"{MEASURES}/{measure_id}").json()["goal_ids"]) == sorted([first, second])


def test_patch_removes_a_goal(api: TestClient) -> None:
    first = create_goal(api)["id"]
    second = create_goal(api, title="Safer wards")["id"]
    measure_id = create_measure(api, goal_ids=[first, second])["id"]

    patched = api.patch(f"{MEASURES}/{measure_id}", json={"goal_ids": [second]})

    assert patched.status_code == 200
    assert api.get(f"{MEASURES}/{measure_id}").json()["goal_ids"] == [second]
    assert listed_ids(api, MEASURES, goal_id=first) == []


def test_patch_to_a_missing_goal_is_refused_and_keeps_the_links(api: TestClient) -> None:
    goal_id = create_goal(api)["id"]
    measure_id = create_measure(api, goal_ids=[goal_id])["id"]

    response = api.patch(f"{MEASURES}/{measure_id}", json={"goal_ids": [missing_id()]})

    assert response.status_code == 422
    assert error_fields(response) == ["body.goal_ids.0"]
    assert api.get(f"{MEASURES}/{measure_id}").json()["goal_ids"] == [goal_id]


def test_a_measure_a_national_target_uses_cannot_be_deleted(api: TestClient) -> None:
    measure_id = create_measure(api)["id"]
    payloads.create_target(api, measure_id=measure_id)

    response = api.delete(f"{MEASURES}/{measure_id}")

    assert response.status_code == 409
    assert "national target" in response.json()["detail"]
    assert api.get(f"{MEASURES}/{measure_id}").status_code == 200


def test_a_measure_a_project_uses_cannot_be_deleted(api: TestClient) -> None:
    measure_id = create_measure(api)["id"]
    payloads.create_project(api, measures=[{"measure_id": measure_id, "role": "outcome"}])

    response = api.delete(f"{MEASURES}/{measure_id}")

    assert response.status_code == 409
    assert "project" in response.json()["detail"]
    assert api.get(f"{MEASURES}/{measure_id}").status_code == 200


def test_a_measure_linked_only_to_goals_is_deleted_with_its_links(api: TestClient) -> None:
    goal_id = create_goal(api)["id"]
    measure_id = create_measure(api, goal_ids=[goal_id])["id"]

    assert api.delete(f"{MEASURES}/{measure_id}").status_code == 204

    assert listed_ids(api, MEASURES, goal_id=goal_id) == []
    assert api.delete(f"{GOALS}/{goal_id}").status_code == 204
