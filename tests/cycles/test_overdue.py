"""A cycle still open longer than the organisation allows after its planned end is overdue:
14 days unless the organisation's admin sets `cycle_overdue_days`."""

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from tests.api.payloads import create
from tests.conftest import Tenant, client_for
from tests.cycles.support import (
    LIFECYCLE,
    ORGANISATION,
    completed,
    cycle_url,
    cycles_of,
    days_ago,
    listed_ids,
    new_cycle,
    new_project,
    patch,
    read,
    timeline_of,
)


def set_overdue_days(api: TestClient, days: int) -> None:
    response = api.patch(ORGANISATION, json={"cycle_overdue_days": days})
    assert response.status_code == 200, response.text


def ended(api: TestClient, project_id: str, days: int, **changes: str | None) -> str:
    """An open cycle of `project_id` planned to end `days` ago; its id."""
    body = {"planned_start": days_ago(days + 10), "planned_end": days_ago(days)} | changes
    return str(new_cycle(api, project_id, **body)["id"])


def test_the_organisation_allows_14_days_by_default(api: TestClient) -> None:
    assert read(api, ORGANISATION)["cycle_overdue_days"] == 14


def test_an_open_cycle_15_days_past_its_planned_end_is_overdue(api: TestClient) -> None:
    cycle_id = ended(api, new_project(api), 15)

    assert read(api, cycle_url(cycle_id))["overdue"] is True


def test_an_open_cycle_14_days_past_its_planned_end_is_not_yet_overdue(api: TestClient) -> None:
    cycle_id = ended(api, new_project(api), 14)

    assert read(api, cycle_url(cycle_id))["overdue"] is False


def test_a_cycle_planned_to_end_in_the_future_is_not_overdue(api: TestClient) -> None:
    cycle_id = ended(api, new_project(api), -7)

    assert read(api, cycle_url(cycle_id))["overdue"] is False


def test_a_cycle_without_a_planned_end_is_never_overdue(api: TestClient) -> None:
    cycle_id = ended(api, new_project(api), 400, planned_end=None)

    assert read(api, cycle_url(cycle_id))["overdue"] is False


def test_a_completed_cycle_is_not_overdue_however_late_it_was(api: TestClient) -> None:
    body = completed(
        planned_start=days_ago(200),
        planned_end=days_ago(100),
        actual_start=days_ago(200),
        actual_end=days_ago(60),
    )

    created = create(api, cycles_of(new_project(api)), body)

    assert read(api, cycle_url(created["id"]))["overdue"] is False


@pytest.mark.parametrize("status", ["doing", "studying", "acting"])
def test_a_cycle_under_way_is_overdue_too(api: TestClient, status: str) -> None:
    cycle_id = ended(api, new_project(api), 30, actual_start=days_ago(40))
    for step in LIFECYCLE[1 : LIFECYCLE.index(status) + 1]:
        patch(api, cycle_id, {"status": step})

    assert read(api, cycle_url(cycle_id))["overdue"] is True


def test_completing_an_overdue_cycle_clears_it(api: TestClient) -> None:
    cycle_id = ended(api, new_project(api), 30)
    before = read(api, cycle_url(cycle_id))["overdue"]
    for step in ("doing", "studying", "acting"):
        patch(api, cycle_id, {"status": step, "actual_start": days_ago(40)})

    done = patch(
        api, cycle_id, {"status": "completed", "learning": "Asked too late", "decision": "abandon"}
    )

    assert (before, done["overdue"]) == (True, False)


def test_a_shorter_limit_makes_a_cycle_overdue_sooner(api: TestClient) -> None:
    cycle_id = ended(api, new_project(api), 4)
    assert read(api, cycle_url(cycle_id))["overdue"] is False

    set_overdue_days(api, 3)

    assert read(api, cycle_url(cycle_id))["overdue"] is True


def test_a_longer_limit_gives_a_cycle_more_time(api: TestClient) -> None:
    cycle_id = ended(api, new_project(api), 20)

    set_overdue_days(api, 30)

    assert read(api, cycle_url(cycle_id))["overdue"] is False


def test_a_changed_limit_is_applied_exactly(api: TestClient) -> None:
    project_id = new_project(api)
    on_the_limit, past_it = ended(api, project_id, 3), ended(api, project_id, 4)

    set_overdue_days(api, 3)

    overdue = {item["id"]: item["overdue"] for item in read(api, cycles_of(project_id))["items"]}
    assert overdue == {on_the_limit: False, past_it: True}


def test_with_no_days_allowed_a_cycle_is_overdue_the_day_after_its_planned_end(
    api: TestClient,
) -> None:
    project_id = new_project(api)
    ends_today, ended_yesterday = ended(api, project_id, 0), ended(api, project_id, 1)

    set_overdue_days(api, 0)

    assert read(api, cycle_url(ends_today))["overdue"] is False
    assert read(api, cycle_url(ended_yesterday))["overdue"] is True


def test_the_changed_limit_reads_back(api: TestClient) -> None:
    set_overdue_days(api, 21)

    assert read(api, ORGANISATION)["cycle_overdue_days"] == 21


def test_another_organisations_limit_does_not_apply(api: TestClient, other_api: TestClient) -> None:
    cycle_id = ended(api, new_project(api), 4)

    set_overdue_days(other_api, 3)

    assert read(api, cycle_url(cycle_id))["overdue"] is False


def test_the_timeline_reports_overdue_cycles_with_the_organisations_limit(
    api: TestClient,
) -> None:
    project_id = new_project(api)
    cycle_id = ended(api, project_id, 4)
    set_overdue_days(api, 3)

    entries = read(api, timeline_of(project_id))["cycles"]

    assert [(e["cycle"]["id"], e["cycle"]["overdue"]) for e in entries] == [(cycle_id, True)]


@pytest.mark.parametrize("days", [-1, 366, "14", 1.5])
def test_the_limit_is_a_whole_number_of_days_up_to_a_year(api: TestClient, days: object) -> None:
    response = api.patch(ORGANISATION, json={"cycle_overdue_days": days})

    assert response.status_code == 422
    assert read(api, ORGANISATION)["cycle_overdue_days"] == 14


@pytest.mark.parametrize("key", ["read_key", "write_key"])
def test_only_an_admin_key_changes_the_limit(
    app: FastAPI, tenant: Tenant, api: TestClient, key: str
) -> None:
    client = client_for(app, getattr(tenant, key))

    response = client.patch(ORGANISATION, json={"cycle_overdue_days": 3})

    assert response.status_code == 403
    assert read(api, ORGANISATION)["cycle_overdue_days"] == 14


class TestOverdueFilter:
    def test_overdue_true_lists_only_overdue_cycles(self, api: TestClient) -> None:
        project_id = new_project(api)
        late = ended(api, project_id, 15)
        ended(api, project_id, 14)
        ended(api, project_id, 400, planned_end=None)

        assert listed_ids(api, cycles_of(project_id), overdue="true") == [late]

    def test_overdue_false_lists_every_cycle_that_is_not_overdue(self, api: TestClient) -> None:
        project_id = new_project(api)
        ended(api, project_id, 15)
        in_time = ended(api, project_id, 14)
        undated = ended(api, project_id, 400, planned_end=None)
        done = create(
            api,
            cycles_of(project_id),
            completed(planned_start=days_ago(110), planned_end=days_ago(100)),
        )["id"]

        listed = listed_ids(api, cycles_of(project_id), overdue="false")

        assert sorted(listed) == sorted([in_time, undated, done])

    def test_the_overdue_filter_uses_the_organisations_limit(self, api: TestClient) -> None:
        project_id = new_project(api)
        past_three_days = ended(api, project_id, 4)
        ended(api, project_id, 3)

        set_overdue_days(api, 3)

        assert listed_ids(api, cycles_of(project_id), overdue="true") == [past_three_days]

    def test_the_overdue_filter_agrees_with_each_cycles_flag(self, api: TestClient) -> None:
        project_id = new_project(api)
        for days in (0, 13, 14, 15, 16, 60):
            ended(api, project_id, days)

        items = read(api, cycles_of(project_id))["items"]
        flagged = sorted(item["id"] for item in items if item["overdue"])

        assert sorted(listed_ids(api, cycles_of(project_id), overdue="true")) == flagged
        assert len(flagged) == 3
