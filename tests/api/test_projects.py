import pytest
from fastapi.testclient import TestClient

from tests.api import payloads
from tests.api.payloads import (
    GOALS,
    MEASURES,
    PROJECTS,
    create_goal,
    create_measure,
    create_project,
    error_fields,
    listed_ids,
    missing_id,
    page,
    read,
)


def test_a_created_project_reads_back_exactly_as_it_was_sent(api: TestClient) -> None:
    goal_id = create_goal(api)["id"]
    measure_id = create_measure(api, goal_ids=[goal_id])["id"]
    body = payloads.project(
        goal_ids=[goal_id], measures=[{"measure_id": measure_id, "role": "outcome"}]
    )

    created = api.post(PROJECTS, json=body)

    assert created.status_code == 201
    read_back = read(api, f"{PROJECTS}/{created.json()['id']}")
    assert read_back == created.json()
    assert {field: read_back[field] for field in body} == body


def test_a_project_needs_only_a_title_and_starts_as_proposed(api: TestClient) -> None:
    created = api.post(PROJECTS, json={"title": "Signed care plans on Ward 7"})

    assert created.status_code == 201
    assert created.json()["status"] == "proposed"
    assert created.json()["stakeholders"] == []
    assert created.json()["team"] == []
    assert created.json()["measures"] == []


def test_projects_are_listed_in_creation_order_with_the_total(api: TestClient) -> None:
    ids = [
        create_project(api)["id"],
        payloads.create(api, PROJECTS, payloads.falls_project())["id"],
    ]

    listed = page(api, PROJECTS)

    assert [item["id"] for item in listed["items"]] == ids
    assert (listed["total"], listed["limit"], listed["offset"]) == (2, 50, 0)


def test_limit_and_offset_select_one_page_of_projects(api: TestClient) -> None:
    ids = [create_project(api, title=f"Project {n}")["id"] for n in range(3)]

    listed = page(api, PROJECTS, limit=1, offset=1)

    assert [item["id"] for item in listed["items"]] == ids[1:2]
    assert (listed["total"], listed["limit"], listed["offset"]) == (3, 1, 1)


def test_projects_can_be_filtered_by_status(api: TestClient) -> None:
    create_project(api, status="active")
    proposed = payloads.create(api, PROJECTS, payloads.falls_project(status="proposed"))["id"]

    assert listed_ids(api, PROJECTS, status="proposed") == [proposed]


def test_projects_can_be_filtered_by_goal(api: TestClient) -> None:
    goal_id = create_goal(api)["id"]
    serving = create_project(api, goal_ids=[goal_id])["id"]
    payloads.create(api, PROJECTS, payloads.falls_project())

    assert listed_ids(api, PROJECTS, goal_id=goal_id) == [serving]


def test_projects_can_be_filtered_by_measure(api: TestClient) -> None:
    measure_id = create_measure(api)["id"]
    measured = create_project(api, measures=[{"measure_id": measure_id, "role": "process"}])["id"]
    payloads.create(api, PROJECTS, payloads.falls_project())

    assert listed_ids(api, PROJECTS, measure_id=measure_id) == [measured]


def test_projects_can_be_filtered_by_lead(api: TestClient) -> None:
    create_project(api, lead="Ward 7 Sister")
    falls = payloads.create(api, PROJECTS, payloads.falls_project(lead="Falls lead nurse"))["id"]

    assert listed_ids(api, PROJECTS, lead="Falls lead nurse") == [falls]


def test_patch_changes_only_the_fields_sent(api: TestClient) -> None:
    created = create_project(api, goal_ids=[create_goal(api)["id"]])

    patched = api.patch(f"{PROJECTS}/{created['id']}", json={"status": "sustaining"})

    assert patched.status_code == 200
    unchanged = {k: v for k, v in patched.json().items() if k not in {"status", "updated_at"}}
    assert unchanged == {k: v for k, v in created.items() if k not in {"status", "updated_at"}}
    assert read(api, f"{PROJECTS}/{created['id']}")["status"] == "sustaining"


def test_patch_replaces_the_stakeholder_analysis(api: TestClient) -> None:
    project_id = create_project(api)["id"]
    stakeholders = [payloads.stakeholder(name="Patient partners", readiness=9)]

    patched = api.patch(f"{PROJECTS}/{project_id}", json={"stakeholders": stakeholders})

    assert patched.status_code == 200
    assert read(api, f"{PROJECTS}/{project_id}")["stakeholders"] == stakeholders


def test_patch_of_an_end_date_before_the_existing_start_date_is_refused(api: TestClient) -> None:
    created = create_project(api, start_date="2026-04-01", end_date="2027-03-31")

    response = api.patch(f"{PROJECTS}/{created['id']}", json={"end_date": "2026-03-31"})

    assert response.status_code == 422
    assert error_fields(response) == ["body.end_date"]
    assert read(api, f"{PROJECTS}/{created['id']}")["end_date"] == "2027-03-31"


def test_patch_of_a_start_date_after_the_existing_end_date_is_refused(api: TestClient) -> None:
    created = create_project(api, start_date="2026-04-01", end_date="2027-03-31")

    response = api.patch(f"{PROJECTS}/{created['id']}", json={"start_date": "2027-04-01"})

    assert response.status_code == 422
    assert read(api, f"{PROJECTS}/{created['id']}")["start_date"] == "2026-04-01"


def test_a_deleted_project_is_gone(api: TestClient) -> None:
    project_id = create_project(api)["id"]

    assert api.delete(f"{PROJECTS}/{project_id}").status_code == 204
    assert api.get(f"{PROJECTS}/{project_id}").status_code == 404


def test_a_project_without_a_title_is_refused(api: TestClient) -> None:
    body = payloads.project()
    del body["title"]

    response = api.post(PROJECTS, json=body)

    assert response.status_code == 422
    assert error_fields(response) == ["body.title"]
    assert page(api, PROJECTS)["total"] == 0


def test_an_unknown_project_status_is_refused(api: TestClient) -> None:
    response = api.post(PROJECTS, json=payloads.project(status="paused"))

    assert response.status_code == 422
    assert error_fields(response) == ["body.status"]


@pytest.mark.parametrize(
    ("field", "value"),
    [("title", ""), ("title", "x" * 201), ("aim", "x" * 2001), ("lead", "x" * 201)],
    ids=["empty-title", "201-char-title", "2001-char-aim", "201-char-lead"],
)
def test_project_text_lengths_are_bounded(api: TestClient, field: str, value: str) -> None:
    response = api.post(PROJECTS, json=payloads.project(**{field: value}))

    assert response.status_code == 422
    assert error_fields(response) == [f"body.{field}"]


def test_a_project_ending_before_it_starts_is_refused(api: TestClient) -> None:
    body = payloads.project(start_date="2026-04-01", end_date="2026-03-31")

    response = api.post(PROJECTS, json=body)

    assert response.status_code == 422
    assert error_fields(response) == ["body.end_date"]
    assert page(api, PROJECTS)["total"] == 0


def test_a_project_may_start_and_end_on_the_same_day(api: TestClient) -> None:
    body = payloads.project(start_date="2026-04-01", end_date="2026-04-01")

    assert api.post(PROJECTS, json=body).status_code == 201


@pytest.mark.parametrize("score", ["readiness", "confidence", "importance"])
@pytest.mark.parametrize("value", [-1, 11])
def test_stakeholder_scores_outside_0_to_10_are_refused(
    api: TestClient, score: str, value: int
) -> None:
    body = payloads.project(stakeholders=[payloads.stakeholder(**{score: value})])

    response = api.post(PROJECTS, json=body)

    assert response.status_code == 422
    assert error_fields(response) == [f"body.stakeholders.0.{score}"]


def test_stakeholder_scores_of_0_and_10_are_accepted(api: TestClient) -> None:
    stakeholders = [
        payloads.stakeholder(readiness=0, confidence=0, importance=0),
        payloads.stakeholder(name="Matrons", readiness=10, confidence=10, importance=10),
    ]

    created = api.post(PROJECTS, json=payloads.project(stakeholders=stakeholders))

    assert created.status_code == 201
    assert created.json()["stakeholders"] == stakeholders


def test_a_stakeholder_needs_a_name(api: TestClient) -> None:
    unnamed = payloads.stakeholder()
    del unnamed["name"]

    response = api.post(PROJECTS, json=payloads.project(stakeholders=[unnamed]))

    assert response.status_code == 422
    assert error_fields(response) == ["body.stakeholders.0.name"]


def test_a_project_serving_a_missing_goal_is_refused_by_its_position(api: TestClient) -> None:
    goal_id = create_goal(api)["id"]

    response = api.post(PROJECTS, json=payloads.project(goal_ids=[goal_id, missing_id()]))

    assert response.status_code == 422
    assert error_fields(response) == ["body.goal_ids.1"]
    assert page(api, PROJECTS)["total"] == 0


def test_the_same_goal_twice_is_refused(api: TestClient) -> None:
    goal_id = create_goal(api)["id"]

    response = api.post(PROJECTS, json=payloads.project(goal_ids=[goal_id, goal_id]))

    assert response.status_code == 422
    assert error_fields(response) == ["body.goal_ids"]
    assert page(api, PROJECTS)["total"] == 0


def test_a_project_using_a_missing_measure_is_refused_by_its_position(api: TestClient) -> None:
    measures = [{"measure_id": missing_id(), "role": "outcome"}]

    response = api.post(PROJECTS, json=payloads.project(measures=measures))

    assert response.status_code == 422
    assert error_fields(response) == ["body.measures.0.measure_id"]
    assert page(api, PROJECTS)["total"] == 0


def test_a_project_using_another_organisations_measure_is_refused(
    api: TestClient, other_api: TestClient
) -> None:
    ours = create_measure(api)["id"]
    theirs = create_measure(other_api)["id"]
    measures = [{"measure_id": ours, "role": "outcome"}, {"measure_id": theirs, "role": "process"}]

    response = api.post(PROJECTS, json=payloads.project(measures=measures))

    assert response.status_code == 422
    assert error_fields(response) == ["body.measures.1.measure_id"]
    assert page(api, PROJECTS)["total"] == 0


def test_the_same_measure_twice_is_refused(api: TestClient) -> None:
    measure_id = create_measure(api)["id"]
    measures = [
        {"measure_id": measure_id, "role": "outcome"},
        {"measure_id": measure_id, "role": "balancing"},
    ]

    response = api.post(PROJECTS, json=payloads.project(measures=measures))

    assert response.status_code == 422
    assert error_fields(response) == ["body.measures"]
    assert page(api, PROJECTS)["total"] == 0


def test_a_project_measure_needs_a_known_role(api: TestClient) -> None:
    measure_id = create_measure(api)["id"]
    measures = [{"measure_id": measure_id, "role": "primary"}]

    response = api.post(PROJECTS, json=payloads.project(measures=measures))

    assert response.status_code == 422
    assert error_fields(response) == ["body.measures.0.role"]


def test_patch_adds_and_removes_goals(api: TestClient) -> None:
    first = create_goal(api)["id"]
    second = create_goal(api, title="No avoidable harm")["id"]
    project_id = create_project(api, goal_ids=[first])["id"]

    added = api.patch(f"{PROJECTS}/{project_id}", json={"goal_ids": [first, second]})
    assert added.status_code == 200
    assert read(api, f"{PROJECTS}/{project_id}")["goal_ids"] == sorted([first, second])

    removed = api.patch(f"{PROJECTS}/{project_id}", json={"goal_ids": [second]})
    assert removed.status_code == 200
    assert read(api, f"{PROJECTS}/{project_id}")["goal_ids"] == [second]


def test_patch_changes_the_role_of_a_measure(api: TestClient) -> None:
    measure_id = create_measure(api)["id"]
    project_id = create_project(api, measures=[{"measure_id": measure_id, "role": "outcome"}])["id"]

    patched = api.patch(
        f"{PROJECTS}/{project_id}",
        json={"measures": [{"measure_id": measure_id, "role": "process"}]},
    )

    assert patched.status_code == 200
    assert read(api, f"{PROJECTS}/{project_id}")["measures"] == [
        {"measure_id": measure_id, "role": "process"}
    ]


def test_patch_replaces_the_measures(api: TestClient) -> None:
    signed = create_measure(api)["id"]
    falls = payloads.create(api, MEASURES, payloads.falls_measure())["id"]
    project_id = create_project(api, measures=[{"measure_id": signed, "role": "outcome"}])["id"]

    patched = api.patch(
        f"{PROJECTS}/{project_id}", json={"measures": [{"measure_id": falls, "role": "balancing"}]}
    )

    assert patched.status_code == 200
    assert read(api, f"{PROJECTS}/{project_id}")["measures"] == [
        {"measure_id": falls, "role": "balancing"}
    ]
    assert listed_ids(api, PROJECTS, measure_id=signed) == []


def test_patch_to_a_missing_measure_is_refused_and_keeps_the_links(api: TestClient) -> None:
    goal_id = create_goal(api)["id"]
    other_goal_id = create_goal(api, title="No avoidable harm")["id"]
    measure_id = create_measure(api)["id"]
    created = create_project(
        api, goal_ids=[goal_id], measures=[{"measure_id": measure_id, "role": "outcome"}]
    )

    response = api.patch(
        f"{PROJECTS}/{created['id']}",
        json={
            "goal_ids": [other_goal_id],
            "measures": [{"measure_id": missing_id(), "role": "outcome"}],
        },
    )

    assert response.status_code == 422
    assert error_fields(response) == ["body.measures.0.measure_id"]
    assert read(api, f"{PROJECTS}/{created['id']}") == created


def test_deleting_a_project_removes_its_goal_and_measure_links(api: TestClient) -> None:
    goal_id = create_goal(api)["id"]
    measure_id = create_measure(api)["id"]
    project_id = create_project(
        api, goal_ids=[goal_id], measures=[{"measure_id": measure_id, "role": "outcome"}]
    )["id"]

    assert api.delete(f"{PROJECTS}/{project_id}").status_code == 204

    assert api.delete(f"{MEASURES}/{measure_id}").status_code == 204
    assert api.delete(f"{GOALS}/{goal_id}").status_code == 204
