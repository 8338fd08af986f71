import pytest
from fastapi.testclient import TestClient

from tests.api import payloads
from tests.api.payloads import GOALS, MEASURES, PROJECTS, TARGETS, error_fields, listed_ids, page

GOAL = payloads.goal()


def test_a_created_goal_reads_back_with_its_promises(api: TestClient) -> None:
    created = api.post("/api/v1/goals", json=GOAL)
    assert created.status_code == 201

    read = api.get(f"/api/v1/goals/{created.json()['id']}")

    assert read.status_code == 200
    assert read.json()["promises"] == GOAL["promises"]
    assert read.json()["title"] == GOAL["title"]
    assert read.json()["review_date"] == "2027-03-31"


def test_a_created_goal_reads_back_exactly_as_it_was_returned(api: TestClient) -> None:
    created = api.post(GOALS, json=GOAL).json()

    read = api.get(f"{GOALS}/{created['id']}").json()

    assert read == created
    assert {field: read[field] for field in GOAL} == GOAL


def test_a_goal_needs_only_a_title_and_starts_as_a_draft(api: TestClient) -> None:
    created = api.post(GOALS, json={"title": "Home for the weekend"})

    assert created.status_code == 201
    assert created.json()["status"] == "draft"
    assert created.json()["promises"] == []
    assert created.json()["owner"] is None
    assert created.json()["description"] == ""


def test_goals_are_listed_in_creation_order_with_the_total(api: TestClient) -> None:
    titles = ["First goal", "Second goal", "Third goal"]
    ids = [payloads.create_goal(api, title=title)["id"] for title in titles]

    listed = page(api, GOALS)

    assert [item["id"] for item in listed["items"]] == ids
    assert [item["title"] for item in listed["items"]] == titles
    assert (listed["total"], listed["limit"], listed["offset"]) == (3, 50, 0)


def test_limit_and_offset_select_one_page_of_goals(api: TestClient) -> None:
    ids = [payloads.create_goal(api, title=f"Goal {n}")["id"] for n in range(4)]

    listed = page(api, GOALS, limit=2, offset=1)

    assert [item["id"] for item in listed["items"]] == ids[1:3]
    assert (listed["total"], listed["limit"], listed["offset"]) == (4, 2, 1)


@pytest.mark.parametrize(
    "params", [{"limit": 0}, {"limit": 201}, {"offset": -1}], ids=["limit0", "limit201", "offset-1"]
)
def test_page_bounds_are_enforced(api: TestClient, params: dict[str, int]) -> None:
    response = api.get(GOALS, params=params)

    assert response.status_code == 422
    assert error_fields(response) == [f"query.{next(iter(params))}"]


def test_goals_can_be_filtered_by_status(api: TestClient) -> None:
    active = payloads.create_goal(api, status="active")["id"]
    payloads.create_goal(api, title="Retired goal", status="retired")

    assert listed_ids(api, GOALS, status="active") == [active]


def test_goals_can_be_filtered_by_owner(api: TestClient) -> None:
    payloads.create_goal(api, owner="Director of Nursing")
    medical = payloads.create_goal(api, title="Safer wards", owner="Medical Director")["id"]

    assert listed_ids(api, GOALS, owner="Medical Director") == [medical]


def test_an_unknown_status_filter_is_refused(api: TestClient) -> None:
    response = api.get(GOALS, params={"status": "finished"})

    assert response.status_code == 422
    assert error_fields(response) == ["query.status"]


def test_a_goal_without_a_title_is_refused(api: TestClient) -> None:
    body = payloads.goal()
    del body["title"]

    response = api.post(GOALS, json=body)

    assert response.status_code == 422
    assert error_fields(response) == ["body.title"]
    assert page(api, GOALS)["total"] == 0


@pytest.mark.parametrize("title", ["", "x" * 201], ids=["empty", "201-chars"])
def test_a_goal_title_is_between_1_and_200_characters(api: TestClient, title: str) -> None:
    response = api.post(GOALS, json=payloads.goal(title=title))

    assert response.status_code == 422
    assert error_fields(response) == ["body.title"]


def test_a_goal_title_of_200_characters_is_accepted(api: TestClient) -> None:
    assert api.post(GOALS, json=payloads.goal(title="x" * 200)).status_code == 201


def test_an_unknown_goal_status_is_refused(api: TestClient) -> None:
    response = api.post(GOALS, json=payloads.goal(status="finished"))

    assert response.status_code == 422
    assert error_fields(response) == ["body.status"]


def test_a_promise_needs_both_the_user_need_and_the_promise(api: TestClient) -> None:
    body = payloads.goal(promises=[{"user_need": "I want to go home sooner"}])

    response = api.post(GOALS, json=body)

    assert response.status_code == 422
    assert error_fields(response) == ["body.promises.0.promise"]


def test_unknown_fields_are_refused_rather_than_dropped(api: TestClient) -> None:
    response = api.post(GOALS, json=payloads.goal(titel="Typo"))

    assert response.status_code == 422
    assert error_fields(response) == ["body.titel"]


def test_patch_changes_only_the_fields_sent(api: TestClient) -> None:
    goal_id = api.post("/api/v1/goals", json=GOAL).json()["id"]

    patched = api.patch(f"/api/v1/goals/{goal_id}", json={"status": "achieved"})

    assert patched.status_code == 200
    assert patched.json()["status"] == "achieved"
    assert patched.json()["owner"] == GOAL["owner"]


def test_patch_replaces_the_promises(api: TestClient) -> None:
    goal_id = payloads.create_goal(api)["id"]
    promises = [
        {"user_need": "I want to know who to call", "promise": "Your plan names your key worker"},
        {"user_need": "I want my family involved", "promise": "We will invite who you choose"},
    ]

    patched = api.patch(f"{GOALS}/{goal_id}", json={"promises": promises})

    assert patched.status_code == 200
    assert api.get(f"{GOALS}/{goal_id}").json()["promises"] == promises


def test_patch_can_clear_an_optional_field(api: TestClient) -> None:
    goal_id = payloads.create_goal(api)["id"]

    patched = api.patch(f"{GOALS}/{goal_id}", json={"owner": None})

    assert patched.status_code == 200
    assert api.get(f"{GOALS}/{goal_id}").json()["owner"] is None


def test_patch_cannot_null_a_required_field(api: TestClient) -> None:
    goal_id = payloads.create_goal(api)["id"]

    response = api.patch(f"{GOALS}/{goal_id}", json={"title": None})

    assert response.status_code == 422
    assert error_fields(response) == ["body.title"]
    assert api.get(f"{GOALS}/{goal_id}").json()["title"] == GOAL["title"]


def test_deleted_goal_is_gone(api: TestClient) -> None:
    goal_id = api.post("/api/v1/goals", json=GOAL).json()["id"]

    assert api.delete(f"/api/v1/goals/{goal_id}").status_code == 204
    assert api.get(f"/api/v1/goals/{goal_id}").status_code == 404


def test_a_goal_a_measure_tracks_cannot_be_deleted(api: TestClient) -> None:
    goal_id = payloads.create_goal(api)["id"]
    payloads.create_measure(api, goal_ids=[goal_id])

    response = api.delete(f"{GOALS}/{goal_id}")

    assert response.status_code == 409
    assert "measure" in response.json()["detail"]
    assert api.get(f"{GOALS}/{goal_id}").status_code == 200


def test_a_goal_a_national_target_sits_within_cannot_be_deleted(api: TestClient) -> None:
    goal_id = payloads.create_goal(api)["id"]
    payloads.create_target(api, goal_ids=[goal_id])

    response = api.delete(f"{GOALS}/{goal_id}")

    assert response.status_code == 409
    assert "national target" in response.json()["detail"]
    assert api.get(f"{GOALS}/{goal_id}").status_code == 200


def test_a_goal_a_project_serves_cannot_be_deleted(api: TestClient) -> None:
    goal_id = payloads.create_goal(api)["id"]
    payloads.create_project(api, goal_ids=[goal_id])

    response = api.delete(f"{GOALS}/{goal_id}")

    assert response.status_code == 409
    assert "project" in response.json()["detail"]
    assert api.get(f"{GOALS}/{goal_id}").status_code == 200


def test_a_refused_goal_deletion_names_every_kind_of_link_and_keeps_them(
    api: TestClient,
) -> None:
    goal_id = payloads.create_goal(api)["id"]
    measure_id = payloads.create_measure(api, goal_ids=[goal_id])["id"]
    target_id = payloads.create_target(api, goal_ids=[goal_id])["id"]
    project_id = payloads.create_project(api, goal_ids=[goal_id])["id"]

    response = api.delete(f"{GOALS}/{goal_id}")

    assert response.status_code == 409
    detail = response.json()["detail"]
    assert all(kind in detail for kind in ("measure", "national target", "project"))
    assert api.get(f"{MEASURES}/{measure_id}").json()["goal_ids"] == [goal_id]
    assert api.get(f"{TARGETS}/{target_id}").json()["goal_ids"] == [goal_id]
    assert api.get(f"{PROJECTS}/{project_id}").json()["goal_ids"] == [goal_id]


def test_a_goal_can_be_deleted_once_nothing_links_to_it(api: TestClient) -> None:
    goal_id = payloads.create_goal(api)["id"]
    measure_id = payloads.create_measure(api, goal_ids=[goal_id])["id"]
    assert api.patch(f"{MEASURES}/{measure_id}", json={"goal_ids": []}).status_code == 200

    assert api.delete(f"{GOALS}/{goal_id}").status_code == 204
    assert api.get(f"{MEASURES}/{measure_id}").status_code == 200
