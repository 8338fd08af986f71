"""The lifecycle: planned, doing, studying, acting, completed, one step forward at a time, and
the record a cycle needs before it may reach each status. Illegal moves answer 409 with the
reason."""

from datetime import datetime

import pytest
from fastapi.testclient import TestClient

from tests.api.payloads import Body, create
from tests.cycles.support import (
    ACT,
    DO,
    LIFECYCLE,
    STUDY,
    completed,
    cycle_url,
    cycles_of,
    error_fields,
    new_cycle,
    new_project,
    patch,
    plan,
    read,
)

# What each status needs recorded, sent with the step that reaches it.
STEP_BODIES: dict[str, Body] = {
    "planned": {},
    "doing": DO,
    "studying": {},
    "acting": STUDY,
    "completed": ACT,
}


def cycle_at(api: TestClient, status: str) -> str:
    """A cycle of a new project, created with the record `status` needs; its id."""
    body = plan()
    for reached in LIFECYCLE[: LIFECYCLE.index(status) + 1]:
        body |= STEP_BODIES[reached]
    return str(create(api, cycles_of(new_project(api)), body | {"status": status})["id"])


def test_a_cycle_is_driven_through_its_whole_lifecycle_over_http(api: TestClient) -> None:
    cycle_id = new_cycle(api, new_project(api))["id"]

    doing = patch(api, cycle_id, {"status": "doing", "actual_start": "2026-03-03"})
    studying = patch(api, cycle_id, {"status": "studying"} | DO)
    acting = patch(api, cycle_id, {"status": "acting"} | STUDY)
    done = patch(api, cycle_id, {"status": "completed"} | ACT)

    assert [c["status"] for c in (doing, studying, acting, done)] == LIFECYCLE[1:]
    final = read(api, cycle_url(cycle_id))
    assert final == done
    assert {k: final[k] for k in DO | STUDY | ACT} == DO | STUDY | ACT
    assert final["completed_at"] is not None


def test_a_cycle_is_not_completed_until_it_is(api: TestClient) -> None:
    cycle_id = cycle_at(api, "acting")

    assert read(api, cycle_url(cycle_id))["completed_at"] is None


def test_completing_a_cycle_records_when(api: TestClient) -> None:
    cycle_id = cycle_at(api, "acting")
    before = datetime.now().astimezone()

    done = patch(api, cycle_id, {"status": "completed"} | ACT)

    completed_at = datetime.fromisoformat(done["completed_at"])
    assert before <= completed_at <= datetime.now().astimezone()


def test_editing_a_completed_cycle_keeps_when_it_was_completed(api: TestClient) -> None:
    cycle_id = cycle_at(api, "acting")
    done = patch(api, cycle_id, {"status": "completed"} | ACT)

    edited = patch(api, cycle_id, {"next_step": "Spread to Ward 8", "status": "completed"})

    assert edited["completed_at"] == done["completed_at"]
    assert edited["next_step"] == "Spread to Ward 8"


@pytest.mark.parametrize(
    ("current", "wanted"),
    [
        ("planned", "studying"),
        ("planned", "acting"),
        ("planned", "completed"),
        ("doing", "acting"),
        ("doing", "completed"),
        ("studying", "completed"),
    ],
)
def test_a_cycle_cannot_skip_a_step(api: TestClient, current: str, wanted: str) -> None:
    cycle_id = cycle_at(api, current)
    # Everything every status needs, so only the skipped step stands in the way.
    body = DO | STUDY | ACT | {"status": wanted}

    response = api.patch(cycle_url(cycle_id), json=body)

    assert response.status_code == 409
    next_step = LIFECYCLE[LIFECYCLE.index(current) + 1]
    assert f"can only move on to {next_step}" in response.json()["detail"]
    assert read(api, cycle_url(cycle_id))["status"] == current


@pytest.mark.parametrize(
    ("current", "wanted"),
    [
        ("doing", "planned"),
        ("studying", "doing"),
        ("acting", "studying"),
        ("acting", "planned"),
    ],
)
def test_a_cycle_cannot_go_back_a_step(api: TestClient, current: str, wanted: str) -> None:
    cycle_id = cycle_at(api, current)

    response = api.patch(cycle_url(cycle_id), json={"status": wanted})

    assert response.status_code == 409
    next_step = LIFECYCLE[LIFECYCLE.index(current) + 1]
    assert f"A {current} cycle cannot become {wanted}" in response.json()["detail"]
    assert f"can only move on to {next_step}" in response.json()["detail"]
    assert read(api, cycle_url(cycle_id))["status"] == current


@pytest.mark.parametrize("wanted", ["planned", "acting"])
def test_a_completed_cycle_stays_completed(api: TestClient, wanted: str) -> None:
    cycle_id = cycle_at(api, "completed")

    response = api.patch(cycle_url(cycle_id), json={"status": wanted})

    assert response.status_code == 409
    assert "a completed cycle stays completed" in response.json()["detail"]
    assert read(api, cycle_url(cycle_id))["status"] == "completed"


def test_a_refused_transition_changes_nothing_else(api: TestClient) -> None:
    cycle_id = cycle_at(api, "planned")
    before = read(api, cycle_url(cycle_id))

    response = api.patch(cycle_url(cycle_id), json={"status": "acting", "title": "Renamed"})

    assert response.status_code == 409
    assert read(api, cycle_url(cycle_id)) == before


def test_a_refused_transition_is_a_problem_response(api: TestClient) -> None:
    cycle_id = cycle_at(api, "planned")

    response = api.patch(cycle_url(cycle_id), json={"status": "completed"})

    assert response.status_code == 409
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["status"] == 409


@pytest.mark.parametrize("status", LIFECYCLE)
def test_a_patch_that_leaves_the_status_alone_is_not_a_transition(
    api: TestClient, status: str
) -> None:
    cycle_id = cycle_at(api, status)

    patched = patch(api, cycle_id, {"status": status, "observations": "Noted"})

    assert (patched["status"], patched["observations"]) == (status, "Noted")


def test_a_cycle_cannot_start_studying_without_its_actual_start(api: TestClient) -> None:
    cycle_id = new_cycle(api, new_project(api))["id"]
    patch(api, cycle_id, {"status": "doing"})

    response = api.patch(cycle_url(cycle_id), json={"status": "studying"})

    assert response.status_code == 409
    assert "actually started" in response.json()["detail"]
    assert error_fields(response) == ["body.actual_start"]
    assert read(api, cycle_url(cycle_id))["status"] == "doing"


def test_the_actual_start_sent_with_the_move_to_studying_is_enough(api: TestClient) -> None:
    cycle_id = new_cycle(api, new_project(api))["id"]
    patch(api, cycle_id, {"status": "doing"})

    studying = patch(api, cycle_id, {"status": "studying", "actual_start": "2026-03-03"})

    assert (studying["status"], studying["actual_start"]) == ("studying", "2026-03-03")


@pytest.mark.parametrize("status", ["studying", "acting", "completed"])
def test_a_cycle_past_doing_cannot_lose_its_actual_start(api: TestClient, status: str) -> None:
    cycle_id = cycle_at(api, status)

    response = api.patch(cycle_url(cycle_id), json={"actual_start": None})

    assert response.status_code == 409
    assert error_fields(response) == ["body.actual_start"]
    assert read(api, cycle_url(cycle_id))["actual_start"] == DO["actual_start"]


@pytest.mark.parametrize("learning", [None, "", "   \n "], ids=["missing", "empty", "blank"])
def test_a_cycle_cannot_be_completed_without_its_learning(
    api: TestClient, learning: str | None
) -> None:
    cycle_id = cycle_at(api, "acting")

    response = api.patch(
        cycle_url(cycle_id), json={"status": "completed", "learning": learning} | ACT
    )

    assert response.status_code == 409
    assert "learning" in response.json()["detail"]
    assert error_fields(response) == ["body.learning"]
    assert read(api, cycle_url(cycle_id))["status"] == "acting"


def test_a_cycle_cannot_be_completed_without_an_act_decision(api: TestClient) -> None:
    cycle_id = cycle_at(api, "acting")

    response = api.patch(cycle_url(cycle_id), json={"status": "completed"})

    assert response.status_code == 409
    assert "adopt, adapt or abandon" in response.json()["detail"]
    assert error_fields(response) == ["body.decision"]
    assert read(api, cycle_url(cycle_id))["status"] == "acting"


def test_a_refusal_to_complete_names_everything_missing(api: TestClient) -> None:
    cycle_id = cycle_at(api, "studying")
    patch(api, cycle_id, {"status": "acting"})

    response = api.patch(cycle_url(cycle_id), json={"status": "completed"})

    assert response.status_code == 409
    assert sorted(error_fields(response)) == ["body.decision", "body.learning"]


@pytest.mark.parametrize("decision", ["adopt", "adapt", "abandon"])
def test_a_cycle_with_learning_completes_with_any_decision(api: TestClient, decision: str) -> None:
    cycle_id = cycle_at(api, "acting")

    done = patch(api, cycle_id, {"status": "completed", "decision": decision})

    assert (done["status"], done["decision"]) == ("completed", decision)


def test_a_completed_cycle_cannot_lose_its_learning(api: TestClient) -> None:
    cycle_id = cycle_at(api, "completed")

    response = api.patch(cycle_url(cycle_id), json={"learning": " "})

    assert response.status_code == 409
    assert error_fields(response) == ["body.learning"]
    assert read(api, cycle_url(cycle_id))["learning"] == STUDY["learning"]


def test_a_completed_cycle_cannot_lose_its_decision(api: TestClient) -> None:
    cycle_id = cycle_at(api, "completed")

    response = api.patch(cycle_url(cycle_id), json={"decision": None})

    assert response.status_code == 409
    assert error_fields(response) == ["body.decision"]
    assert read(api, cycle_url(cycle_id))["decision"] == ACT["decision"]


class TestLoggingPastCycles:
    """A cycle may be created at any status whose record it satisfies."""

    @pytest.mark.parametrize("status", LIFECYCLE)
    def test_a_cycle_may_be_created_at_a_status_whose_record_it_has(
        self, api: TestClient, status: str
    ) -> None:
        cycle_id = cycle_at(api, status)

        assert read(api, cycle_url(cycle_id))["status"] == status

    def test_a_cycle_created_completed_records_when(self, api: TestClient) -> None:
        created = create(api, cycles_of(new_project(api)), completed())

        assert created["completed_at"] is not None

    @pytest.mark.parametrize("status", ["studying", "acting", "completed"])
    def test_a_cycle_cannot_be_created_past_doing_without_its_actual_start(
        self, api: TestClient, status: str
    ) -> None:
        project_id = new_project(api)

        response = api.post(cycles_of(project_id), json=completed(status=status, actual_start=None))

        assert response.status_code == 409
        assert error_fields(response) == ["body.actual_start"]
        assert read(api, cycles_of(project_id))["total"] == 0

    def test_a_cycle_cannot_be_created_completed_without_learning(self, api: TestClient) -> None:
        project_id = new_project(api)

        response = api.post(cycles_of(project_id), json=completed(learning=None))

        assert response.status_code == 409
        assert error_fields(response) == ["body.learning"]
        assert read(api, cycles_of(project_id))["total"] == 0

    def test_a_cycle_cannot_be_created_completed_without_a_decision(self, api: TestClient) -> None:
        project_id = new_project(api)

        response = api.post(cycles_of(project_id), json=completed(decision=None))

        assert response.status_code == 409
        assert error_fields(response) == ["body.decision"]
        assert read(api, cycles_of(project_id))["total"] == 0

    def test_an_abandoned_cycle_with_learning_may_be_logged_as_completed(
        self, api: TestClient
    ) -> None:
        body = completed(decision="abandon", next_step=None)

        created = create(api, cycles_of(new_project(api)), body)

        assert (created["status"], created["decision"]) == ("completed", "abandon")
