import pytest
from fastapi.testclient import TestClient

from tests.api import payloads
from tests.api.payloads import (
    GOALS,
    MATRIX,
    TARGETS,
    create_goal,
    create_measure,
    create_target,
    error_fields,
    listed_ids,
    missing_id,
    page,
    read,
)


def test_a_created_target_reads_back_exactly_as_it_was_sent(api: TestClient) -> None:
    goal_id = create_goal(api)["id"]
    measure_id = create_measure(api, goal_ids=[goal_id])["id"]
    body = payloads.national_target(goal_ids=[goal_id], measure_id=measure_id)

    created = api.post(TARGETS, json=body)

    assert created.status_code == 201
    read_back = api.get(f"{TARGETS}/{created.json()['id']}").json()
    assert read_back == created.json()
    assert {field: read_back[field] for field in body} == body


def test_a_target_needs_no_measure_goal_or_due_date(api: TestClient) -> None:
    body = payloads.national_target()
    for optional in ("due_date", "measure_id", "goal_ids"):
        del body[optional]

    created = api.post(TARGETS, json=body)

    assert created.status_code == 201
    assert created.json()["measure_id"] is None
    assert created.json()["due_date"] is None
    assert created.json()["goal_ids"] == []


def test_targets_are_listed_in_creation_order_with_the_total(api: TestClient) -> None:
    ids = [create_target(api)["id"], payloads.create(api, TARGETS, payloads.icb_target())["id"]]

    listed = page(api, TARGETS)

    assert [item["id"] for item in listed["items"]] == ids
    assert (listed["total"], listed["limit"], listed["offset"]) == (2, 50, 0)


def test_limit_and_offset_select_one_page_of_targets(api: TestClient) -> None:
    ids = [create_target(api, code=f"NT-{n}")["id"] for n in range(3)]

    listed = page(api, TARGETS, limit=2, offset=1)

    assert [item["id"] for item in listed["items"]] == ids[1:]
    assert (listed["total"], listed["limit"], listed["offset"]) == (3, 2, 1)


def test_targets_can_be_filtered_by_goal(api: TestClient) -> None:
    goal_id = create_goal(api)["id"]
    within = create_target(api, goal_ids=[goal_id])["id"]
    payloads.create(api, TARGETS, payloads.icb_target())

    assert listed_ids(api, TARGETS, goal_id=goal_id) == [within]


def test_targets_can_be_filtered_by_measure(api: TestClient) -> None:
    measure_id = create_measure(api)["id"]
    measured = create_target(api, measure_id=measure_id)["id"]
    payloads.create(api, TARGETS, payloads.icb_target())

    assert listed_ids(api, TARGETS, measure_id=measure_id) == [measured]


def test_targets_can_be_filtered_by_issuing_body(api: TestClient) -> None:
    create_target(api)
    icb = payloads.create(api, TARGETS, payloads.icb_target())

    assert listed_ids(api, TARGETS, issuing_body="Northshire Integrated Care Board") == [icb["id"]]


def test_targets_can_be_filtered_by_code(api: TestClient) -> None:
    four_hours = create_target(api)["id"]
    payloads.create(api, TARGETS, payloads.icb_target())

    assert listed_ids(api, TARGETS, code="ECB-4HR") == [four_hours]


def test_patch_changes_only_the_fields_sent(api: TestClient) -> None:
    created = create_target(api, goal_ids=[create_goal(api)["id"]])

    patched = api.patch(f"{TARGETS}/{created['id']}", json={"threshold": 0.95})

    assert patched.status_code == 200
    unchanged = {k: v for k, v in patched.json().items() if k not in {"threshold", "updated_at"}}
    assert unchanged == {k: v for k, v in created.items() if k not in {"threshold", "updated_at"}}
    assert read(api, f"{TARGETS}/{created['id']}")["threshold"] == 0.95


def test_patch_is_validated_and_leaves_the_target_unchanged_when_refused(
    api: TestClient,
) -> None:
    created = create_target(api)

    response = api.patch(f"{TARGETS}/{created['id']}", json={"comparator": "=>"})

    assert response.status_code == 422
    assert error_fields(response) == ["body.comparator"]
    assert read(api, f"{TARGETS}/{created['id']}") == created


def test_a_deleted_target_is_gone(api: TestClient) -> None:
    target_id = create_target(api)["id"]

    assert api.delete(f"{TARGETS}/{target_id}").status_code == 204
    assert api.get(f"{TARGETS}/{target_id}").status_code == 404


@pytest.mark.parametrize("field", ["code", "title", "issuing_body", "comparator", "threshold"])
def test_a_target_missing_a_required_field_is_refused(api: TestClient, field: str) -> None:
    body = payloads.national_target()
    del body[field]

    response = api.post(TARGETS, json=body)

    assert response.status_code == 422
    assert error_fields(response) == [f"body.{field}"]
    assert page(api, TARGETS)["total"] == 0


@pytest.mark.parametrize("comparator", [">=", ">", "<=", "<"])
def test_each_comparator_is_accepted(api: TestClient, comparator: str) -> None:
    created = api.post(TARGETS, json=payloads.national_target(comparator=comparator))

    assert created.status_code == 201
    assert created.json()["comparator"] == comparator


def test_an_unknown_comparator_is_refused(api: TestClient) -> None:
    response = api.post(TARGETS, json=payloads.national_target(comparator="=="))

    assert response.status_code == 422
    assert error_fields(response) == ["body.comparator"]


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("code", ""),
        ("code", "x" * 51),
        ("title", "x" * 301),
        ("issuing_body", ""),
        ("issuing_body", "x" * 201),
    ],
    ids=["empty-code", "51-char-code", "301-char-title", "empty-body", "201-char-body"],
)
def test_target_text_lengths_are_bounded(api: TestClient, field: str, value: str) -> None:
    response = api.post(TARGETS, json=payloads.national_target(**{field: value}))

    assert response.status_code == 422
    assert error_fields(response) == [f"body.{field}"]


def test_a_target_for_a_missing_measure_is_refused(api: TestClient) -> None:
    response = api.post(TARGETS, json=payloads.national_target(measure_id=missing_id()))

    assert response.status_code == 422
    assert error_fields(response) == ["body.measure_id"]
    assert page(api, TARGETS)["total"] == 0


def test_a_target_for_another_organisations_measure_is_refused(
    api: TestClient, other_api: TestClient
) -> None:
    their_measure = create_measure(other_api)["id"]

    response = api.post(TARGETS, json=payloads.national_target(measure_id=their_measure))

    assert response.status_code == 422
    assert error_fields(response) == ["body.measure_id"]
    assert page(api, TARGETS)["total"] == 0


def test_a_target_within_a_missing_goal_is_refused_by_its_position(api: TestClient) -> None:
    goal_id = create_goal(api)["id"]

    response = api.post(TARGETS, json=payloads.national_target(goal_ids=[goal_id, missing_id()]))

    assert response.status_code == 422
    assert error_fields(response) == ["body.goal_ids.1"]
    assert page(api, TARGETS)["total"] == 0


def test_the_same_goal_twice_is_refused(api: TestClient) -> None:
    goal_id = create_goal(api)["id"]

    response = api.post(TARGETS, json=payloads.national_target(goal_ids=[goal_id, goal_id]))

    assert response.status_code == 422
    assert error_fields(response) == ["body.goal_ids"]
    assert page(api, TARGETS)["total"] == 0


def test_patch_moves_a_target_to_another_goal(api: TestClient) -> None:
    first = create_goal(api)["id"]
    second = create_goal(api, title="Timely urgent care")["id"]
    target_id = create_target(api, goal_ids=[first])["id"]

    patched = api.patch(f"{TARGETS}/{target_id}", json={"goal_ids": [second]})

    assert patched.status_code == 200
    assert read(api, f"{TARGETS}/{target_id}")["goal_ids"] == [second]
    assert listed_ids(api, TARGETS, goal_id=first) == []


def test_patch_adds_a_goal(api: TestClient) -> None:
    first = create_goal(api)["id"]
    second = create_goal(api, title="Timely urgent care")["id"]
    target_id = create_target(api, goal_ids=[first])["id"]

    patched = api.patch(f"{TARGETS}/{target_id}", json={"goal_ids": [first, second]})

    assert patched.status_code == 200
    assert read(api, f"{TARGETS}/{target_id}")["goal_ids"] == sorted([first, second])


def test_patch_changes_and_detaches_the_measure(api: TestClient) -> None:
    first = create_measure(api)["id"]
    second = create_measure(api, name="Time in department under 4 hours")["id"]
    target_id = create_target(api, measure_id=first)["id"]

    changed = api.patch(f"{TARGETS}/{target_id}", json={"measure_id": second})
    assert changed.status_code == 200
    assert read(api, f"{TARGETS}/{target_id}")["measure_id"] == second

    detached = api.patch(f"{TARGETS}/{target_id}", json={"measure_id": None})
    assert detached.status_code == 200
    assert read(api, f"{TARGETS}/{target_id}")["measure_id"] is None


def test_patch_to_a_missing_measure_is_refused_and_keeps_the_measure(api: TestClient) -> None:
    measure_id = create_measure(api)["id"]
    target_id = create_target(api, measure_id=measure_id)["id"]

    response = api.patch(f"{TARGETS}/{target_id}", json={"measure_id": missing_id()})

    assert response.status_code == 422
    assert error_fields(response) == ["body.measure_id"]
    assert read(api, f"{TARGETS}/{target_id}")["measure_id"] == measure_id


def test_patch_to_a_missing_goal_is_refused_and_keeps_the_goals(api: TestClient) -> None:
    goal_id = create_goal(api)["id"]
    target_id = create_target(api, goal_ids=[goal_id])["id"]

    response = api.patch(f"{TARGETS}/{target_id}", json={"goal_ids": [goal_id, missing_id()]})

    assert response.status_code == 422
    assert error_fields(response) == ["body.goal_ids.1"]
    assert read(api, f"{TARGETS}/{target_id}")["goal_ids"] == [goal_id]


def test_a_target_code_is_unique_within_an_organisation(api: TestClient) -> None:
    create_target(api)

    response = api.post(TARGETS, json=payloads.national_target(title="Another 4-hour target"))

    assert response.status_code == 409
    assert "ECB-4HR" in response.json()["detail"]
    assert page(api, TARGETS)["total"] == 1


def test_patch_to_a_code_already_in_use_is_a_conflict(api: TestClient) -> None:
    create_target(api)
    icb = payloads.create(api, TARGETS, payloads.icb_target())

    response = api.patch(f"{TARGETS}/{icb['id']}", json={"code": "ECB-4HR"})

    assert response.status_code == 409
    assert "ECB-4HR" in response.json()["detail"]
    assert read(api, f"{TARGETS}/{icb['id']}")["code"] == "ICB-FALLS-1"


def test_patch_that_keeps_the_code_is_not_a_conflict_with_itself(api: TestClient) -> None:
    target_id = create_target(api)["id"]

    response = api.patch(f"{TARGETS}/{target_id}", json={"code": "ECB-4HR", "threshold": 0.8})

    assert response.status_code == 200


def test_another_organisation_may_use_the_same_code(api: TestClient, other_api: TestClient) -> None:
    create_target(api)

    response = other_api.post(TARGETS, json=payloads.national_target())

    assert response.status_code == 201
    assert page(api, TARGETS)["total"] == 1


def test_deleting_a_target_removes_its_goal_links(api: TestClient) -> None:
    goal_id = create_goal(api)["id"]
    target_id = create_target(api, goal_ids=[goal_id])["id"]

    assert api.delete(f"{TARGETS}/{target_id}").status_code == 204

    assert listed_ids(api, TARGETS, goal_id=goal_id) == []
    assert read(api, MATRIX)["goals"][0]["national_targets"] == []
    assert api.delete(f"{GOALS}/{goal_id}").status_code == 204


def test_deleting_a_target_frees_its_measure_for_deletion(api: TestClient) -> None:
    measure_id = create_measure(api)["id"]
    target_id = create_target(api, measure_id=measure_id)["id"]

    assert api.delete(f"{TARGETS}/{target_id}").status_code == 204

    assert api.delete(f"{payloads.MEASURES}/{measure_id}").status_code == 204
