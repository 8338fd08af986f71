"""The learning log: each completed cycle's learning and decision, across the organisation's
projects, newest completed first (abandoned cycles' learning included)."""

from fastapi import FastAPI
from fastapi.testclient import TestClient

from tests.api.payloads import create
from tests.conftest import Tenant, client_for
from tests.cycles.support import (
    ACT,
    LEARNING,
    STUDY,
    completed,
    completed_cycle,
    cycle_url,
    cycles_of,
    error_fields,
    new_cycle,
    new_project,
    patch,
    read,
)


def logged_ids(client: TestClient, **params: str | int) -> list[str]:
    return [entry["cycle_id"] for entry in read(client, LEARNING, **params)["items"]]


def test_a_completed_cycle_appears_in_the_learning_log_with_its_learning(
    api: TestClient,
) -> None:
    project_id = new_project(api, title="Signed care plans on Ward 7")
    cycle = completed_cycle(api, project_id)

    log = read(api, LEARNING)

    assert log["total"] == 1
    assert log["items"] == [
        {
            "cycle_id": cycle["id"],
            "cycle_title": cycle["title"],
            "project_id": project_id,
            "project_title": "Signed care plans on Ward 7",
            "change_idea": cycle["change_idea"],
            "results": STUDY["results"],
            "learning": STUDY["learning"],
            "decision": ACT["decision"],
            "next_step": ACT["next_step"],
            "predictions": STUDY["predictions"],
            "completed_at": cycle["completed_at"],
        }
    ]


def test_cycles_not_yet_completed_are_not_in_the_learning_log(api: TestClient) -> None:
    project_id = new_project(api)
    # Acting, with its learning and decision already written: still not completed.
    acting = create(api, cycles_of(project_id), completed(status="acting"))
    new_cycle(api, project_id)

    assert acting["learning"] is not None
    assert read(api, LEARNING)["total"] == 0


def test_the_learning_of_an_abandoned_cycle_is_logged(api: TestClient) -> None:
    project_id = new_project(api)
    abandoned = completed_cycle(
        api, project_id, decision="abandon", learning="Reviews are too rushed to ask"
    )

    [entry] = read(api, LEARNING)["items"]

    assert (entry["cycle_id"], entry["decision"]) == (abandoned["id"], "abandon")
    assert entry["learning"] == "Reviews are too rushed to ask"


def test_the_newest_completed_cycle_comes_first(api: TestClient) -> None:
    project_id = new_project(api)
    # Planned in one order, completed in another.
    planned_first = create(api, cycles_of(project_id), completed(status="acting"))["id"]
    planned_second = create(api, cycles_of(project_id), completed(status="acting"))["id"]
    patch(api, planned_second, {"status": "completed"})
    patch(api, planned_first, {"status": "completed"})

    assert logged_ids(api) == [planned_first, planned_second]


def test_the_learning_log_spans_the_organisations_projects(api: TestClient) -> None:
    ward_7 = completed_cycle(api, new_project(api))["id"]
    ward_3 = completed_cycle(api, new_project(api, title="Falls huddles on Ward 3"))["id"]

    assert logged_ids(api) == [ward_3, ward_7]


def test_the_learning_log_can_be_filtered_by_project(api: TestClient) -> None:
    project_id = new_project(api)
    mine = completed_cycle(api, project_id)["id"]
    completed_cycle(api, new_project(api, title="Falls huddles on Ward 3"))

    assert logged_ids(api, project_id=project_id) == [mine]


def test_the_learning_log_can_be_filtered_by_decision(api: TestClient) -> None:
    project_id = new_project(api)
    completed_cycle(api, project_id, decision="adopt")
    abandoned = completed_cycle(api, project_id, decision="abandon")["id"]
    completed_cycle(api, project_id, decision="adapt")

    assert logged_ids(api, decision="abandon") == [abandoned]


def test_an_unknown_decision_filter_is_refused(api: TestClient) -> None:
    response = api.get(LEARNING, params={"decision": "continue"})

    assert response.status_code == 422
    assert error_fields(response) == ["query.decision"]


def test_the_learning_log_is_paginated(api: TestClient) -> None:
    project_id = new_project(api)
    ids = [completed_cycle(api, project_id, title=f"PDSA {n}")["id"] for n in range(4)]

    log = read(api, LEARNING, limit=2, offset=1)

    assert [entry["cycle_id"] for entry in log["items"]] == [ids[2], ids[1]]
    assert (log["total"], log["limit"], log["offset"]) == (4, 2, 1)


def test_learning_log_page_bounds_are_enforced(api: TestClient) -> None:
    response = api.get(LEARNING, params={"limit": 201})

    assert response.status_code == 422
    assert error_fields(response) == ["query.limit"]


def test_a_read_key_can_read_the_learning_log(
    api: TestClient, app: FastAPI, tenant: Tenant
) -> None:
    cycle_id = completed_cycle(api, new_project(api))["id"]

    assert logged_ids(client_for(app, tenant.read_key)) == [cycle_id]


def test_the_learning_log_needs_an_api_key(anonymous: TestClient) -> None:
    assert anonymous.get(LEARNING).status_code == 401


def test_another_organisations_learning_is_not_in_the_log(
    api: TestClient, other_api: TestClient
) -> None:
    mine = completed_cycle(api, new_project(api))["id"]
    completed_cycle(other_api, new_project(other_api))

    assert logged_ids(api) == [mine]


def test_filtering_by_another_organisations_project_shows_nothing(
    api: TestClient, other_api: TestClient
) -> None:
    their_project = new_project(other_api)
    completed_cycle(other_api, their_project)

    log = read(api, LEARNING, project_id=their_project)

    assert (log["items"], log["total"]) == ([], 0)


def test_a_deleted_cycle_leaves_the_learning_log(api: TestClient) -> None:
    cycle_id = completed_cycle(api, new_project(api))["id"]

    assert api.delete(cycle_url(cycle_id)).status_code == 204
    assert logged_ids(api) == []
