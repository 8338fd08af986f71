"""Creating, reading, changing and deleting PDSA cycles: the worksheet's fields, its links to
the project's measures and the cycle it follows, scopes, pagination and error rules."""

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from tests.api.payloads import MEASURES, PROJECTS, create
from tests.conftest import Tenant, client_for
from tests.cycles.support import (
    ACT,
    DO,
    STUDY,
    completed,
    cycle_url,
    cycles_of,
    error_fields,
    listed_ids,
    missing_id,
    new_cycle,
    new_measure,
    new_project,
    patch,
    plan,
    read,
)


def test_a_planned_cycle_reads_back_with_every_plan_field(api: TestClient) -> None:
    measure_id = new_measure(api)
    project_id = new_project(api, [measure_id])
    body = plan(measure_ids=[measure_id])

    created = api.post(cycles_of(project_id), json=body)

    assert created.status_code == 201
    read_back = read(api, cycle_url(created.json()["id"]))
    assert read_back == created.json()
    assert {field: read_back[field] for field in body} == body | {
        "predictions": [p | {"outcome": None, "note": None} for p in body["predictions"]]
    }
    assert read_back["project_id"] == project_id
    assert read_back["status"] == "planned"


def test_a_whole_worksheet_reads_back_field_for_field(api: TestClient) -> None:
    measure_id = new_measure(api)
    project_id = new_project(api, [measure_id])
    body = completed(measure_ids=[measure_id])

    created = create(api, cycles_of(project_id), body)

    read_back = read(api, cycle_url(created["id"]))
    assert {field: read_back[field] for field in body} == body


def test_a_cycle_needs_only_a_title_and_a_change_idea_and_starts_planned(
    api: TestClient,
) -> None:
    project_id = new_project(api)

    created = api.post(
        cycles_of(project_id), json={"title": "PDSA 1", "change_idea": "Ask at review"}
    )

    assert created.status_code == 201
    cycle = created.json()
    assert cycle["status"] == "planned"
    assert (cycle["questions"], cycle["predictions"], cycle["measure_ids"]) == ([], [], [])
    assert (cycle["decision"], cycle["learning"], cycle["follows_cycle_id"]) == (None, None, None)
    assert cycle["completed_at"] is None
    assert cycle["overdue"] is False


@pytest.mark.parametrize("field", ["title", "change_idea"])
def test_a_cycle_without_its_title_or_change_idea_is_refused(api: TestClient, field: str) -> None:
    project_id = new_project(api)
    body = plan()
    del body[field]

    response = api.post(cycles_of(project_id), json=body)

    assert response.status_code == 422
    assert error_fields(response) == [f"body.{field}"]
    assert read(api, cycles_of(project_id))["total"] == 0


@pytest.mark.parametrize("title", ["", "x" * 201], ids=["empty", "201-chars"])
def test_a_cycle_title_is_between_1_and_200_characters(api: TestClient, title: str) -> None:
    response = api.post(cycles_of(new_project(api)), json=plan(title=title))

    assert response.status_code == 422
    assert error_fields(response) == ["body.title"]


def test_unknown_cycle_fields_are_refused_rather_than_dropped(api: TestClient) -> None:
    response = api.post(cycles_of(new_project(api)), json=plan(chnage_idea="Typo"))

    assert response.status_code == 422
    assert error_fields(response) == ["body.chnage_idea"]


@pytest.mark.parametrize("prefix", ["planned", "actual"])
def test_a_cycle_cannot_end_before_it_starts(api: TestClient, prefix: str) -> None:
    body = plan(**{f"{prefix}_start": "2026-03-10", f"{prefix}_end": "2026-03-09"})

    response = api.post(cycles_of(new_project(api)), json=body)

    assert response.status_code == 422
    assert error_fields(response) == [f"body.{prefix}_end"]


def test_a_cycle_may_start_and_end_on_the_same_day(api: TestClient) -> None:
    body = plan(planned_start="2026-03-10", planned_end="2026-03-10")

    assert api.post(cycles_of(new_project(api)), json=body).status_code == 201


def test_an_act_decision_other_than_adopt_adapt_or_abandon_is_refused(api: TestClient) -> None:
    response = api.post(cycles_of(new_project(api)), json=plan(decision="continue"))

    assert response.status_code == 422
    assert error_fields(response) == ["body.decision"]


def test_an_unknown_status_is_refused(api: TestClient) -> None:
    response = api.post(cycles_of(new_project(api)), json=plan(status="finished"))

    assert response.status_code == 422
    assert error_fields(response) == ["body.status"]


def test_a_prediction_needs_a_statement(api: TestClient) -> None:
    body = plan(predictions=[{"outcome": "confirmed"}])

    response = api.post(cycles_of(new_project(api)), json=body)

    assert response.status_code == 422
    assert error_fields(response) == ["body.predictions.0.statement"]


def test_a_prediction_outcome_is_confirmed_or_not_confirmed(api: TestClient) -> None:
    body = plan(predictions=[{"statement": "Most will sign", "outcome": "partly"}])

    response = api.post(cycles_of(new_project(api)), json=body)

    assert response.status_code == 422
    assert error_fields(response) == ["body.predictions.0.outcome"]


def test_predictions_are_marked_confirmed_or_not_with_a_note(api: TestClient) -> None:
    cycle = new_cycle(api, new_project(api))

    patch(api, cycle["id"], {"predictions": STUDY["predictions"]})

    marked = read(api, cycle_url(cycle["id"]))["predictions"]
    assert marked == STUDY["predictions"]
    assert [p["outcome"] for p in marked] == ["confirmed", "not_confirmed"]


def test_a_cycle_links_the_measures_of_its_project(api: TestClient) -> None:
    measure_ids = [new_measure(api), new_measure(api, name="Time to sign")]
    project_id = new_project(api, measure_ids)

    cycle = new_cycle(api, project_id, measure_ids=measure_ids)

    assert sorted(read(api, cycle_url(cycle["id"]))["measure_ids"]) == sorted(measure_ids)


def test_a_measure_the_project_does_not_track_cannot_be_linked(api: TestClient) -> None:
    tracked = new_measure(api)
    untracked = new_measure(api, name="Falls per 1000 bed days")
    project_id = new_project(api, [tracked])

    response = api.post(cycles_of(project_id), json=plan(measure_ids=[tracked, untracked]))

    assert response.status_code == 422
    assert error_fields(response) == ["body.measure_ids.1"]
    assert read(api, cycles_of(project_id))["total"] == 0


def test_a_measure_that_does_not_exist_cannot_be_linked(api: TestClient) -> None:
    response = api.post(cycles_of(new_project(api)), json=plan(measure_ids=[missing_id()]))

    assert response.status_code == 422
    assert error_fields(response) == ["body.measure_ids.0"]


def test_another_organisations_measure_cannot_be_linked(
    api: TestClient, other_api: TestClient
) -> None:
    theirs = new_measure(other_api)
    new_project(other_api, [theirs])

    response = api.post(cycles_of(new_project(api)), json=plan(measure_ids=[theirs]))

    assert response.status_code == 422
    assert error_fields(response) == ["body.measure_ids.0"]


def test_the_same_measure_cannot_be_linked_twice(api: TestClient) -> None:
    measure_id = new_measure(api)
    project_id = new_project(api, [measure_id])

    response = api.post(cycles_of(project_id), json=plan(measure_ids=[measure_id, measure_id]))

    assert response.status_code == 422
    assert error_fields(response) == ["body.measure_ids"]


def test_patch_changes_only_the_fields_sent(api: TestClient) -> None:
    cycle = new_cycle(api, new_project(api))

    patched = patch(api, cycle["id"], {"objective": "Learn whether asking at review works"})

    assert patched["objective"] == "Learn whether asking at review works"
    assert {k: v for k, v in patched.items() if k not in {"objective", "updated_at"}} == {
        k: v for k, v in cycle.items() if k not in {"objective", "updated_at"}
    }
    assert read(api, cycle_url(cycle["id"])) == patched


def test_patch_replaces_the_linked_measures(api: TestClient) -> None:
    first, second = new_measure(api), new_measure(api, name="Time to sign")
    project_id = new_project(api, [first, second])
    cycle = new_cycle(api, project_id, measure_ids=[first])

    patch(api, cycle["id"], {"measure_ids": [second]})

    assert read(api, cycle_url(cycle["id"]))["measure_ids"] == [second]


def test_patch_can_clear_an_optional_field(api: TestClient) -> None:
    cycle = new_cycle(api, new_project(api))

    patch(api, cycle["id"], {"who": None})

    assert read(api, cycle_url(cycle["id"]))["who"] is None


def test_patch_cannot_null_the_title(api: TestClient) -> None:
    cycle = new_cycle(api, new_project(api))

    response = api.patch(cycle_url(cycle["id"]), json={"title": None})

    assert response.status_code == 422
    assert error_fields(response) == ["body.title"]
    assert read(api, cycle_url(cycle["id"]))["title"] == cycle["title"]


def test_patch_checks_the_dates_against_those_already_recorded(api: TestClient) -> None:
    cycle = new_cycle(api, new_project(api), planned_start="2026-03-02")

    response = api.patch(cycle_url(cycle["id"]), json={"planned_end": "2026-03-01"})

    assert response.status_code == 422
    assert error_fields(response) == ["body.planned_end"]
    assert read(api, cycle_url(cycle["id"]))["planned_end"] == cycle["planned_end"]


def test_cycles_are_listed_for_their_project_only(api: TestClient) -> None:
    project_id, other_project_id = new_project(api), new_project(api, title="Falls huddles")
    mine = new_cycle(api, project_id)["id"]
    new_cycle(api, other_project_id)

    assert listed_ids(api, cycles_of(project_id)) == [mine]


def test_cycles_are_listed_in_order_of_their_actual_else_planned_start(api: TestClient) -> None:
    project_id = new_project(api)
    late = new_cycle(api, project_id, planned_start="2026-05-01", planned_end=None)["id"]
    # Planned after `late`, but it actually started first.
    early = new_cycle(
        api, project_id, planned_start="2026-06-01", planned_end=None, actual_start="2026-04-01"
    )["id"]
    middle = new_cycle(api, project_id, planned_start="2026-04-15", planned_end=None)["id"]

    assert listed_ids(api, cycles_of(project_id)) == [early, middle, late]


def test_limit_and_offset_select_one_page_of_cycles(api: TestClient) -> None:
    project_id = new_project(api)
    ids = [
        new_cycle(api, project_id, planned_start=f"2026-03-0{day}", planned_end=None)["id"]
        for day in range(1, 5)
    ]

    listed = read(api, cycles_of(project_id), limit=2, offset=1)

    assert [item["id"] for item in listed["items"]] == ids[1:3]
    assert (listed["total"], listed["limit"], listed["offset"]) == (4, 2, 1)


@pytest.mark.parametrize(
    "params", [{"limit": 0}, {"limit": 201}, {"offset": -1}], ids=["limit0", "limit201", "offset-1"]
)
def test_cycle_page_bounds_are_enforced(api: TestClient, params: dict[str, int]) -> None:
    response = api.get(cycles_of(new_project(api)), params=params)

    assert response.status_code == 422
    assert error_fields(response) == [f"query.{next(iter(params))}"]


def test_a_deleted_cycle_is_gone(api: TestClient) -> None:
    project_id = new_project(api)
    cycle = new_cycle(api, project_id)

    assert api.delete(cycle_url(cycle["id"])).status_code == 204
    assert api.get(cycle_url(cycle["id"])).status_code == 404
    assert read(api, cycles_of(project_id))["total"] == 0


def test_an_unknown_cycle_answers_404(api: TestClient) -> None:
    cycle_id = missing_id()

    for response in (
        api.get(cycle_url(cycle_id)),
        api.patch(cycle_url(cycle_id), json={"title": "Renamed"}),
        api.delete(cycle_url(cycle_id)),
    ):
        assert response.status_code == 404
        assert response.headers["content-type"] == "application/problem+json"


def test_a_cycle_cannot_be_planned_in_a_project_that_does_not_exist(api: TestClient) -> None:
    assert api.post(cycles_of(missing_id()), json=plan()).status_code == 404
    assert api.get(cycles_of(missing_id())).status_code == 404


def test_a_project_with_cycles_cannot_be_deleted(api: TestClient) -> None:
    project_id = new_project(api)
    cycle = new_cycle(api, project_id)

    response = api.delete(f"{PROJECTS}/{project_id}")

    assert response.status_code == 409
    assert "PDSA cycles" in response.json()["detail"]
    assert read(api, cycle_url(cycle["id"]))["project_id"] == project_id


def test_a_project_can_be_deleted_once_its_cycles_are(api: TestClient) -> None:
    project_id = new_project(api)
    cycle = new_cycle(api, project_id)
    assert api.delete(cycle_url(cycle["id"])).status_code == 204

    assert api.delete(f"{PROJECTS}/{project_id}").status_code == 204


def test_a_measure_a_cycle_links_cannot_be_deleted(api: TestClient) -> None:
    measure_id = new_measure(api)
    project_id = new_project(api, [measure_id])
    new_cycle(api, project_id, measure_ids=[measure_id])

    response = api.delete(f"{MEASURES}/{measure_id}")

    assert response.status_code == 409
    # The project's link blocks it too; the refusal names every kind of link.
    assert "1 PDSA cycle (" in response.json()["detail"]
    assert api.get(f"{MEASURES}/{measure_id}").status_code == 200


def test_a_cycle_answers_with_an_etag_that_guards_changes(api: TestClient) -> None:
    cycle = new_cycle(api, new_project(api))
    etag = api.get(cycle_url(cycle["id"])).headers["ETag"]
    patch(api, cycle["id"], {"title": "PDSA 1b"})

    stale = api.patch(cycle_url(cycle["id"]), json={"title": "PDSA 1c"}, headers={"If-Match": etag})

    assert stale.status_code == 412
    assert read(api, cycle_url(cycle["id"]))["title"] == "PDSA 1b"


def test_a_patch_with_the_current_etag_is_accepted(api: TestClient) -> None:
    cycle = new_cycle(api, new_project(api))
    etag = api.get(cycle_url(cycle["id"])).headers["ETag"]

    response = api.patch(
        cycle_url(cycle["id"]), json={"title": "PDSA 1b"}, headers={"If-Match": etag}
    )

    assert response.status_code == 200


class TestScopes:
    def test_a_read_key_can_read_and_list_cycles(
        self, api: TestClient, app: FastAPI, tenant: Tenant
    ) -> None:
        project_id = new_project(api)
        cycle = new_cycle(api, project_id)
        reader = client_for(app, tenant.read_key)

        assert reader.get(cycle_url(cycle["id"])).json() == cycle
        assert listed_ids(reader, cycles_of(project_id)) == [cycle["id"]]

    def test_a_read_key_cannot_plan_a_cycle(
        self, api: TestClient, app: FastAPI, tenant: Tenant
    ) -> None:
        project_id = new_project(api)

        response = client_for(app, tenant.read_key).post(cycles_of(project_id), json=plan())

        assert response.status_code == 403
        assert read(api, cycles_of(project_id))["total"] == 0

    def test_a_read_key_cannot_change_a_cycle(
        self, api: TestClient, app: FastAPI, tenant: Tenant
    ) -> None:
        cycle = new_cycle(api, new_project(api))

        response = client_for(app, tenant.read_key).patch(
            cycle_url(cycle["id"]), json={"status": "doing"}
        )

        assert response.status_code == 403
        assert read(api, cycle_url(cycle["id"]))["status"] == "planned"

    def test_a_read_key_cannot_delete_a_cycle(
        self, api: TestClient, app: FastAPI, tenant: Tenant
    ) -> None:
        cycle = new_cycle(api, new_project(api))

        response = client_for(app, tenant.read_key).delete(cycle_url(cycle["id"]))

        assert response.status_code == 403
        assert api.get(cycle_url(cycle["id"])).status_code == 200

    def test_a_write_key_can_plan_change_and_delete_a_cycle(
        self, api: TestClient, app: FastAPI, tenant: Tenant
    ) -> None:
        writer = client_for(app, tenant.write_key)
        project_id = new_project(api)

        cycle = create(writer, cycles_of(project_id), plan())
        patch(writer, cycle["id"], {"status": "doing"} | DO)

        assert writer.delete(cycle_url(cycle["id"])).status_code == 204

    def test_cycles_need_an_api_key(self, api: TestClient, anonymous: TestClient) -> None:
        project_id = new_project(api)
        cycle = new_cycle(api, project_id)

        assert anonymous.get(cycle_url(cycle["id"])).status_code == 401
        assert anonymous.get(cycles_of(project_id)).status_code == 401
        assert anonymous.post(cycles_of(project_id), json=plan()).status_code == 401


class TestFollowing:
    def test_a_cycle_names_the_cycle_it_follows(self, api: TestClient) -> None:
        project_id = new_project(api)
        first = new_cycle(api, project_id)

        second = new_cycle(api, project_id, title="PDSA 2", follows_cycle_id=first["id"])

        assert read(api, cycle_url(second["id"]))["follows_cycle_id"] == first["id"]

    def test_a_cycle_cannot_follow_a_cycle_of_another_project(self, api: TestClient) -> None:
        elsewhere = new_cycle(api, new_project(api, title="Falls huddles"))

        response = api.post(
            cycles_of(new_project(api)), json=plan(follows_cycle_id=elsewhere["id"])
        )

        assert response.status_code == 422
        assert error_fields(response) == ["body.follows_cycle_id"]

    def test_a_cycle_cannot_follow_a_cycle_that_does_not_exist(self, api: TestClient) -> None:
        response = api.post(cycles_of(new_project(api)), json=plan(follows_cycle_id=missing_id()))

        assert response.status_code == 422
        assert error_fields(response) == ["body.follows_cycle_id"]

    def test_a_cycle_cannot_follow_another_organisations_cycle(
        self, api: TestClient, other_api: TestClient
    ) -> None:
        theirs = new_cycle(other_api, new_project(other_api))

        response = api.post(cycles_of(new_project(api)), json=plan(follows_cycle_id=theirs["id"]))

        assert response.status_code == 422
        assert error_fields(response) == ["body.follows_cycle_id"]

    def test_a_cycle_cannot_follow_itself(self, api: TestClient) -> None:
        cycle = new_cycle(api, new_project(api))

        response = api.patch(cycle_url(cycle["id"]), json={"follows_cycle_id": cycle["id"]})

        assert response.status_code == 422
        assert error_fields(response) == ["body.follows_cycle_id"]
        assert read(api, cycle_url(cycle["id"]))["follows_cycle_id"] is None

    def test_a_ramp_cannot_loop_back_on_itself(self, api: TestClient) -> None:
        project_id = new_project(api)
        first = new_cycle(api, project_id)
        second = new_cycle(api, project_id, follows_cycle_id=first["id"])
        third = new_cycle(api, project_id, follows_cycle_id=second["id"])

        response = api.patch(cycle_url(first["id"]), json={"follows_cycle_id": third["id"]})

        assert response.status_code == 422
        assert error_fields(response) == ["body.follows_cycle_id"]
        assert read(api, cycle_url(first["id"]))["follows_cycle_id"] is None

    def test_a_cycle_another_follows_cannot_be_deleted(self, api: TestClient) -> None:
        project_id = new_project(api)
        first = new_cycle(api, project_id)
        new_cycle(api, project_id, follows_cycle_id=first["id"])

        response = api.delete(cycle_url(first["id"]))

        assert response.status_code == 409
        assert "follow" in response.json()["detail"]
        assert api.get(cycle_url(first["id"])).status_code == 200

    def test_a_followed_cycle_can_be_deleted_once_nothing_follows_it(self, api: TestClient) -> None:
        project_id = new_project(api)
        first = new_cycle(api, project_id)
        second = new_cycle(api, project_id, follows_cycle_id=first["id"])
        patch(api, second["id"], {"follows_cycle_id": None})

        assert api.delete(cycle_url(first["id"])).status_code == 204
        assert read(api, cycle_url(second["id"]))["follows_cycle_id"] is None


class TestOtherOrganisations:
    """Another organisation's project or cycle answers 404 on every cycle route, exactly as a
    missing one does, and is left untouched."""

    def test_another_organisations_cycle_cannot_be_read(
        self, api: TestClient, other_api: TestClient
    ) -> None:
        theirs = new_cycle(other_api, new_project(other_api))

        assert api.get(cycle_url(theirs["id"])).status_code == 404

    def test_another_organisations_cycle_cannot_be_changed(
        self, api: TestClient, other_api: TestClient
    ) -> None:
        theirs = new_cycle(other_api, new_project(other_api))

        response = api.patch(cycle_url(theirs["id"]), json={"status": "doing"} | DO)

        assert response.status_code == 404
        assert read(other_api, cycle_url(theirs["id"])) == theirs

    def test_another_organisations_cycle_cannot_be_deleted(
        self, api: TestClient, other_api: TestClient
    ) -> None:
        theirs = new_cycle(other_api, new_project(other_api))

        assert api.delete(cycle_url(theirs["id"])).status_code == 404
        assert other_api.get(cycle_url(theirs["id"])).status_code == 200

    def test_no_cycle_can_be_planned_in_another_organisations_project(
        self, api: TestClient, other_api: TestClient
    ) -> None:
        their_project = new_project(other_api)

        response = api.post(cycles_of(their_project), json=plan())

        assert response.status_code == 404
        assert read(other_api, cycles_of(their_project))["total"] == 0

    def test_another_organisations_project_cycles_cannot_be_listed(
        self, api: TestClient, other_api: TestClient
    ) -> None:
        their_project = new_project(other_api)
        new_cycle(other_api, their_project)

        assert api.get(cycles_of(their_project)).status_code == 404

    def test_a_write_key_of_another_organisation_cannot_change_a_cycle(
        self, api: TestClient, app: FastAPI, other_tenant: Tenant
    ) -> None:
        cycle = new_cycle(api, new_project(api))
        their_writer = client_for(app, other_tenant.write_key)

        assert their_writer.patch(cycle_url(cycle["id"]), json=ACT).status_code == 404
        assert read(api, cycle_url(cycle["id"])) == cycle


def test_a_project_keeps_a_measure_its_cycles_link(api: TestClient) -> None:
    measure_id = new_measure(api)
    project_id = new_project(api, [measure_id])
    new_cycle(api, project_id, measure_ids=[measure_id])

    response = api.patch(f"/api/v1/projects/{project_id}", json={"measures": []})

    assert response.status_code == 409
    assert measure_id in response.json()["detail"]
    kept = api.get(f"/api/v1/projects/{project_id}").json()["measures"]
    assert [m["measure_id"] for m in kept] == [measure_id]
