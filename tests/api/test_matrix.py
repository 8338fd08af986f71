from fastapi.testclient import TestClient

from app.models.matrix import Matrix
from tests.api import payloads
from tests.api.payloads import (
    GOALS,
    MATRIX,
    MEASURES,
    PROJECTS,
    TARGETS,
    Body,
    create_goal,
    create_measure,
    create_project,
    create_target,
    read,
)
from tests.charts.support import SCORECARD

NO_GAPS: dict[str, list[Body]] = {
    "goals_without_measures": [],
    "measures_without_goals": [],
    "national_targets_without_goals": [],
    "projects_without_goals": [],
}


def unaligned(matrix: Body, gap: str) -> list[str]:
    return [entry["id"] for entry in matrix["alignment"][gap]]


def test_a_new_organisation_has_an_empty_matrix(api: TestClient, other_api: TestClient) -> None:
    create_project(api, goal_ids=[create_goal(api)["id"]])

    assert read(other_api, MATRIX) == {"goals": [], "alignment": NO_GAPS}


def test_a_newcomer_sees_what_they_created_under_its_goal(api: TestClient) -> None:
    goal = payloads.create(api, GOALS, payloads.goal())
    measure = create_measure(api, goal_ids=[goal["id"]])
    target = create_target(api, goal_ids=[goal["id"]], measure_id=measure["id"])
    project = create_project(
        api,
        goal_ids=[goal["id"]],
        measures=[{"measure_id": measure["id"], "role": "outcome"}],
    )

    matrix = read(api, MATRIX)

    assert [entry["id"] for entry in matrix["goals"]] == [goal["id"]]
    row = matrix["goals"][0]
    assert row["promises"] == payloads.goal()["promises"]
    assert {k: v for k, v in row.items() if k in goal} == read(api, f"{GOALS}/{goal['id']}")
    assert [m["id"] for m in row["measures"]] == [measure["id"]]
    assert row["measures"][0].items() >= read(api, f"{MEASURES}/{measure['id']}").items()
    assert row["national_targets"] == [read(api, f"{TARGETS}/{target['id']}")]
    assert row["projects"] == [read(api, f"{PROJECTS}/{project['id']}")]
    assert matrix["alignment"] == NO_GAPS


def test_goals_appear_in_creation_order(api: TestClient) -> None:
    ids = [create_goal(api, title=title)["id"] for title in ("Care planned", "Safer wards")]

    assert [entry["id"] for entry in read(api, MATRIX)["goals"]] == ids


def test_a_measure_serving_two_goals_appears_under_both(api: TestClient) -> None:
    first = create_goal(api)["id"]
    second = create_goal(api, title="No avoidable harm")["id"]
    measure_id = create_measure(api, goal_ids=[first, second])["id"]

    goals = read(api, MATRIX)["goals"]

    assert [[m["id"] for m in goal["measures"]] for goal in goals] == [[measure_id], [measure_id]]


def test_a_goal_without_measures_is_an_alignment_gap(api: TestClient) -> None:
    measured = create_goal(api)["id"]
    create_measure(api, goal_ids=[measured])
    unmeasured = create_goal(api, title="No avoidable harm")

    matrix = read(api, MATRIX)

    assert matrix["alignment"]["goals_without_measures"] == [
        {"id": unmeasured["id"], "title": "No avoidable harm"}
    ]


def test_a_goal_with_only_a_project_and_target_still_lacks_measures(api: TestClient) -> None:
    goal_id = create_goal(api)["id"]
    create_target(api, goal_ids=[goal_id])
    create_project(api, goal_ids=[goal_id])

    assert unaligned(read(api, MATRIX), "goals_without_measures") == [goal_id]


def test_a_measure_without_goals_is_an_alignment_gap(api: TestClient) -> None:
    create_measure(api, goal_ids=[create_goal(api)["id"]])
    loose = payloads.create(api, MEASURES, payloads.falls_measure())

    matrix = read(api, MATRIX)

    assert matrix["alignment"]["measures_without_goals"] == [
        {"id": loose["id"], "title": loose["name"]}
    ]


def test_a_national_target_without_goals_is_an_alignment_gap(api: TestClient) -> None:
    create_target(api, goal_ids=[create_goal(api)["id"]])
    loose = payloads.create(api, TARGETS, payloads.icb_target())

    gaps = read(api, MATRIX)["alignment"]["national_targets_without_goals"]

    assert [entry["id"] for entry in gaps] == [loose["id"]]
    assert loose["code"] in gaps[0]["title"]


def test_a_project_without_goals_is_an_alignment_gap(api: TestClient) -> None:
    create_project(api, goal_ids=[create_goal(api)["id"]])
    loose = payloads.create(api, PROJECTS, payloads.falls_project())

    matrix = read(api, MATRIX)

    assert matrix["alignment"]["projects_without_goals"] == [
        {"id": loose["id"], "title": loose["title"]}
    ]


def test_unlinking_a_project_from_its_goal_makes_it_a_gap(api: TestClient) -> None:
    goal_id = create_goal(api)["id"]
    project_id = create_project(api, goal_ids=[goal_id])["id"]

    assert api.patch(f"{PROJECTS}/{project_id}", json={"goal_ids": []}).status_code == 200

    matrix = read(api, MATRIX)
    assert matrix["goals"][0]["projects"] == []
    assert unaligned(matrix, "projects_without_goals") == [project_id]


def test_deleting_a_goals_only_measure_makes_the_goal_a_gap(api: TestClient) -> None:
    goal_id = create_goal(api)["id"]
    measure_id = create_measure(api, goal_ids=[goal_id])["id"]

    assert api.delete(f"{MEASURES}/{measure_id}").status_code == 204

    matrix = read(api, MATRIX)
    assert matrix["goals"][0]["measures"] == []
    assert unaligned(matrix, "goals_without_measures") == [goal_id]


def test_deleting_a_target_or_project_removes_it_from_its_goal(api: TestClient) -> None:
    goal_id = create_goal(api)["id"]
    create_measure(api, goal_ids=[goal_id])
    target_id = create_target(api, goal_ids=[goal_id])["id"]
    project_id = create_project(api, goal_ids=[goal_id])["id"]

    assert api.delete(f"{TARGETS}/{target_id}").status_code == 204
    assert api.delete(f"{PROJECTS}/{project_id}").status_code == 204

    matrix = read(api, MATRIX)
    assert (matrix["goals"][0]["national_targets"], matrix["goals"][0]["projects"]) == ([], [])
    assert matrix["alignment"] == NO_GAPS


def test_each_measure_carries_its_scorecard_row_as_its_status(api: TestClient) -> None:
    goal = create_goal(api)["id"]
    measures = [create_measure(api, goal_ids=[goal])["id"] for _ in range(2)]
    for week, signed in enumerate([5, 7, 6]):
        posted = api.post(
            f"{MEASURES}/{measures[0]}/data",
            json={"period": f"2026-03-{2 + 7 * week:02}", "numerator": signed, "denominator": 10},
        )
        assert posted.status_code == 201, posted.text

    matrix = Matrix.model_validate(read(api, MATRIX))  # the composed document is a Matrix

    rows = {row["measure_id"]: row for row in read(api, SCORECARD)["measures"]}
    statuses = [m.status.model_dump(mode="json") for m in matrix.goals[0].measures]
    assert statuses == [rows[measure_id] for measure_id in measures]
    assert statuses[0]["latest_value"] == 0.6
