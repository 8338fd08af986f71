"""A project's timeline: its cycles in time order (actual, else planned, start), each placed in
its ramp (the chain of cycles that follow one another), and the ramps themselves."""

from typing import Any

from fastapi import FastAPI
from fastapi.testclient import TestClient

from tests.api.payloads import Body, create
from tests.conftest import Tenant, client_for
from tests.cycles.support import (
    completed,
    cycle_url,
    cycles_of,
    listed_ids,
    missing_id,
    new_cycle,
    new_project,
    read,
    timeline_of,
)


def on(api: TestClient, project_id: str, start: str | None, **changes: Any) -> str:
    """A cycle of `project_id` planned to start on `start`; its id."""
    return str(new_cycle(api, project_id, planned_start=start, planned_end=None, **changes)["id"])


def entries(timeline: Body) -> dict[str, Body]:
    return {entry["cycle"]["id"]: entry for entry in timeline["cycles"]}


def placement(timeline: Body) -> list[tuple[str, str, int]]:
    """(cycle id, ramp id, ramp step) of each entry, in timeline order."""
    return [(e["cycle"]["id"], e["ramp_id"], e["ramp_step"]) for e in timeline["cycles"]]


def test_the_timeline_lists_the_cycles_in_order_of_their_actual_else_planned_start(
    api: TestClient,
) -> None:
    project_id = new_project(api)
    late = on(api, project_id, "2026-05-01")
    early = on(api, project_id, "2026-06-01", actual_start="2026-04-01")
    middle = on(api, project_id, "2026-04-15")

    timeline = read(api, timeline_of(project_id))

    assert timeline["project_id"] == project_id
    assert [e["cycle"]["id"] for e in timeline["cycles"]] == [early, middle, late]


def test_a_timeline_entry_carries_the_whole_cycle(api: TestClient) -> None:
    project_id = new_project(api)
    cycle_id = on(api, project_id, "2026-03-02")

    entry = entries(read(api, timeline_of(project_id)))[cycle_id]

    assert entry["cycle"] == read(api, cycle_url(cycle_id))


def test_a_cycle_that_follows_none_is_the_first_step_of_its_own_ramp(api: TestClient) -> None:
    project_id = new_project(api)
    cycle_id = on(api, project_id, "2026-03-02")

    timeline = read(api, timeline_of(project_id))

    assert placement(timeline) == [(cycle_id, cycle_id, 1)]
    assert entries(timeline)[cycle_id]["followed_by"] == []
    assert [r["ramp_id"] for r in timeline["ramps"]] == [cycle_id]
    assert timeline["ramps"][0]["cycle_ids"] == [cycle_id]


def test_cycles_that_follow_one_another_are_steps_of_one_ramp(api: TestClient) -> None:
    project_id = new_project(api)
    first = on(api, project_id, "2026-03-02")
    second = on(api, project_id, "2026-03-16", follows_cycle_id=first)
    third = on(api, project_id, "2026-03-30", follows_cycle_id=second)

    timeline = read(api, timeline_of(project_id))

    assert placement(timeline) == [(first, first, 1), (second, first, 2), (third, first, 3)]


def test_each_entry_names_the_cycles_that_follow_it(api: TestClient) -> None:
    project_id = new_project(api)
    first = on(api, project_id, "2026-03-02")
    second = on(api, project_id, "2026-03-16", follows_cycle_id=first)
    third = on(api, project_id, "2026-03-30", follows_cycle_id=second)

    by_id = entries(read(api, timeline_of(project_id)))

    assert [by_id[c]["followed_by"] for c in (first, second, third)] == [[second], [third], []]


def test_a_ramp_lists_its_cycles_in_ramp_order(api: TestClient) -> None:
    project_id = new_project(api)
    first = on(api, project_id, "2026-03-02", change_idea="Ask at review")
    second = on(api, project_id, "2026-03-16", follows_cycle_id=first, change_idea="Ask twice")

    ramps = read(api, timeline_of(project_id))["ramps"]

    assert ramps == [
        {
            "ramp_id": first,
            "change_idea": "Ask at review",
            "cycle_ids": [first, second],
            "latest_decision": None,
        }
    ]


def test_a_ramp_is_resolved_by_what_follows_what_not_by_date(api: TestClient) -> None:
    project_id = new_project(api)
    first = on(api, project_id, "2026-03-02")
    unrelated = on(api, project_id, "2026-03-09")
    second = on(api, project_id, "2026-03-16", follows_cycle_id=first)

    timeline = read(api, timeline_of(project_id))

    assert placement(timeline) == [(first, first, 1), (unrelated, unrelated, 1), (second, first, 2)]
    assert [r["cycle_ids"] for r in timeline["ramps"]] == [[first, second], [unrelated]]


def test_a_ramp_may_branch_and_lists_each_branch_in_turn(api: TestClient) -> None:
    project_id = new_project(api)
    root = on(api, project_id, "2026-03-02")
    branch_a = on(api, project_id, "2026-03-16", follows_cycle_id=root)
    branch_b = on(api, project_id, "2026-03-17", follows_cycle_id=root)
    after_a = on(api, project_id, "2026-03-30", follows_cycle_id=branch_a)

    timeline = read(api, timeline_of(project_id))

    assert entries(timeline)[root]["followed_by"] == [branch_a, branch_b]
    assert placement(timeline) == [
        (root, root, 1),
        (branch_a, root, 2),
        (branch_b, root, 2),
        (after_a, root, 3),
    ]
    assert timeline["ramps"][0]["cycle_ids"] == [root, branch_a, after_a, branch_b]


def test_a_ramps_latest_decision_is_that_of_its_last_completed_cycle(api: TestClient) -> None:
    project_id = new_project(api)
    first = create(
        api, cycles_of(project_id), completed(decision="adapt", actual_start="2026-03-02")
    )["id"]
    second = create(
        api,
        cycles_of(project_id),
        completed(
            decision="adopt",
            actual_start="2026-03-16",
            actual_end="2026-03-27",
            follows_cycle_id=first,
        ),
    )["id"]
    # Under way, with a decision pencilled in: not yet the ramp's decision.
    on(api, project_id, "2026-03-30", follows_cycle_id=second, decision="abandon")

    ramps = read(api, timeline_of(project_id))["ramps"]

    assert [(r["ramp_id"], r["latest_decision"]) for r in ramps] == [(first, "adopt")]


def test_the_timeline_shows_only_the_projects_own_cycles(api: TestClient) -> None:
    project_id, elsewhere = new_project(api), new_project(api, title="Falls huddles")
    mine = on(api, project_id, "2026-03-02")
    on(api, elsewhere, "2026-03-01")

    timeline = read(api, timeline_of(project_id))

    assert [e["cycle"]["id"] for e in timeline["cycles"]] == [mine]
    assert [r["ramp_id"] for r in timeline["ramps"]] == [mine]


def test_a_project_without_cycles_has_an_empty_timeline(api: TestClient) -> None:
    project_id = new_project(api)

    assert read(api, timeline_of(project_id)) == {
        "project_id": project_id,
        "cycles": [],
        "ramps": [],
    }


def test_undated_cycles_come_after_dated_ones_in_the_timeline(api: TestClient) -> None:
    project_id = new_project(api)
    undated = on(api, project_id, None)
    dated = on(api, project_id, "2026-03-02")

    timeline = read(api, timeline_of(project_id))

    assert [e["cycle"]["id"] for e in timeline["cycles"]] == [dated, undated]


def test_undated_cycles_are_listed_after_dated_ones(api: TestClient) -> None:
    project_id = new_project(api)
    undated = on(api, project_id, None)
    dated = on(api, project_id, "2026-03-02")

    assert listed_ids(api, cycles_of(project_id)) == [dated, undated]


def test_a_read_key_can_read_the_timeline(api: TestClient, app: FastAPI, tenant: Tenant) -> None:
    project_id = new_project(api)
    cycle_id = on(api, project_id, "2026-03-02")

    timeline = read(client_for(app, tenant.read_key), timeline_of(project_id))

    assert [e["cycle"]["id"] for e in timeline["cycles"]] == [cycle_id]


def test_another_organisations_timeline_answers_404(api: TestClient, other_api: TestClient) -> None:
    their_project = new_project(other_api)
    on(other_api, their_project, "2026-03-02")

    assert api.get(timeline_of(their_project)).status_code == 404


def test_the_timeline_of_a_project_that_does_not_exist_answers_404(api: TestClient) -> None:
    assert api.get(timeline_of(missing_id())).status_code == 404
