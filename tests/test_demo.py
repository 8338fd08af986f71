"""The demo programme (`app.demo`), loaded into an organisation and read back over HTTP with
that organisation's own key, as someone trying the API would."""

import uuid
from datetime import date, timedelta
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Connection

from app.demo import DEMO_ORGANISATION, DemoLoaded, load_demo
from app.problems import Conflict
from tests.conftest import Tenant, client_for, session_on

Json = dict[str, Any]

API = "/api/v1"
TODAY = date(2026, 12, 9)  # a Wednesday: the week it falls in is incomplete
SIGNED_CARE_PLANS = "Care plans signed by the person"


def load(connection: Connection, today: date, tenant: Tenant | None = None) -> DemoLoaded:
    """The demo, committed (within the test's transaction), in `tenant`'s organisation or a new
    one."""
    organisation_id = uuid.UUID(tenant.organisation_id) if tenant else None
    with session_on(connection) as session:
        loaded = load_demo(session, today, organisation_id)
        session.commit()
    return loaded


@pytest.fixture
def demo_api(app: FastAPI, connection: Connection, tenant: Tenant) -> TestClient:
    """The tenant's admin key, the demo loaded into its organisation as of `TODAY`."""
    load(connection, TODAY, tenant)
    return client_for(app, tenant.admin_key)


def ok(api: TestClient, path: str, **params: str | int) -> Any:
    response = api.get(f"{API}{path}", params=params)
    assert response.status_code == 200, response.text
    return response.json()


def items(api: TestClient, path: str, **params: str | int) -> list[Json]:
    page = ok(api, path, limit=200, **params)
    assert page["total"] <= 200
    found: list[Json] = page["items"]
    return found


def measure_named(api: TestClient, name: str) -> Json:
    (measure,) = (m for m in items(api, "/measures") if m["name"] == name)
    return measure


def cycles_of(api: TestClient, project: Json, **params: str | int) -> list[Json]:
    return items(api, f"/projects/{project['id']}/cycles", **params)


def periods(api: TestClient, measure_id: str) -> list[date]:
    return [date.fromisoformat(p["period"]) for p in items(api, f"/measures/{measure_id}/data")]


def started(cycle: Json) -> date:
    return date.fromisoformat(cycle["actual_start"] or cycle["planned_start"])


def test_the_demo_is_read_with_the_organisation_s_own_key(
    api: TestClient, connection: Connection, tenant: Tenant
) -> None:
    demo = load(connection, TODAY, tenant)

    assert ok(api, "/goals")["total"] == demo.goals == 3
    assert ok(api, "/measures")["total"] == demo.measures == 6
    assert ok(api, "/national-targets")["total"] == demo.targets == 2
    assert ok(api, "/projects")["total"] == demo.projects == 3
    assert sum(len(cycles_of(api, p)) for p in items(api, "/projects")) == demo.cycles == 11


def test_a_matrix_and_scorecard_read_before_the_demo_show_it_once_loaded(
    api: TestClient, connection: Connection, tenant: Tenant
) -> None:
    assert ok(api, "/matrix")["goals"] == []
    assert ok(api, "/scorecard")["measures"] == []

    loaded = load(connection, TODAY, tenant)

    assert len(ok(api, "/matrix")["goals"]) == loaded.goals
    assert len(ok(api, "/scorecard")["measures"]) == loaded.measures


def test_loading_into_an_organisation_leaves_it_no_new_usable_key(
    api: TestClient, connection: Connection, tenant: Tenant
) -> None:
    keys_before = items(api, "/keys")

    loaded = load(connection, TODAY, tenant)

    assert loaded.admin_key is None
    assert items(api, "/keys") == keys_before


def test_each_weekly_measure_s_data_ends_in_the_two_weeks_before_today(
    demo_api: TestClient,
) -> None:
    weekly = items(demo_api, "/measures", frequency="week")

    assert weekly
    for measure in weekly:
        latest = periods(demo_api, measure["id"])[-1]
        assert TODAY - timedelta(days=14) <= latest < TODAY, measure["name"]


def test_no_open_cycle_is_overdue_on_the_day_the_demo_is_dated_for(demo_api: TestClient) -> None:
    allowed = timedelta(days=ok(demo_api, "/organisation")["cycle_overdue_days"])

    open_cycles = [
        cycle
        for project in items(demo_api, "/projects")
        for cycle in cycles_of(demo_api, project)
        if cycle["status"] != "completed"
    ]

    assert open_cycles
    assert all(date.fromisoformat(c["planned_end"]) + allowed >= TODAY for c in open_cycles)


def test_loaded_today_the_api_reports_no_cycle_overdue(
    api: TestClient, connection: Connection, tenant: Tenant
) -> None:
    load(connection, date.today(), tenant)

    for project in items(api, "/projects"):
        assert cycles_of(api, project, overdue="true") == [], project["title"]


def test_one_cycle_is_under_way(demo_api: TestClient) -> None:
    statuses = [c["status"] for p in items(demo_api, "/projects") for c in cycles_of(demo_api, p)]

    assert statuses.count("doing") == 1


def test_every_project_starts_by_its_first_cycle_and_its_measures_first_data(
    demo_api: TestClient,
) -> None:
    for project in items(demo_api, "/projects"):
        start = date.fromisoformat(project["start_date"])
        first_cycle = min(started(cycle) for cycle in cycles_of(demo_api, project))
        first_data = min(periods(demo_api, m["measure_id"])[0] for m in project["measures"])
        assert start <= first_cycle, project["title"]
        assert start <= first_data, project["title"]


def test_the_signed_care_plans_chart_flags_a_handful_of_its_52_points(demo_api: TestClient) -> None:
    """The signals it is meant to show: a shift since the spread to all bays, seven weeks ago
    (a shift is 6 points or more), and one astronomical point. No more than 8 of 52, where the
    demo without phases flagged 47."""
    chart = ok(demo_api, f"/measures/{measure_named(demo_api, SIGNED_CARE_PLANS)['id']}/chart")

    flagged = [point for point in chart["points"] if point["special_cause"]]

    assert len(chart["points"]) == 52
    assert 1 <= len(flagged) <= 8


def test_the_signed_care_plans_chart_ends_in_a_shift_for_the_better(demo_api: TestClient) -> None:
    chart = ok(demo_api, f"/measures/{measure_named(demo_api, SIGNED_CARE_PLANS)['id']}/chart")

    latest = chart["points"][-1]

    assert "shift" in latest["special_cause"]
    assert chart["summary"]["variation_icon"] == "improvement_high"


def test_the_signed_care_plans_chart_explains_its_one_astronomical_point(
    demo_api: TestClient,
) -> None:
    chart = ok(demo_api, f"/measures/{measure_named(demo_api, SIGNED_CARE_PLANS)['id']}/chart")

    (outlier,) = [p for p in chart["points"] if "outside_limits" in p["special_cause"]]

    assert [note["kind"] for note in outlier["annotations"]] == ["note"]


def test_recalculations_start_where_a_cycle_of_the_measure_was_adopted(
    demo_api: TestClient,
) -> None:
    for project in items(demo_api, "/projects"):
        for link in project["measures"]:
            phases = ok(demo_api, f"/measures/{link['measure_id']}/phases")
            adopted = [
                date.fromisoformat(cycle["actual_end"])
                for cycle in cycles_of(
                    demo_api, project, decision="adopt", measure_id=str(link["measure_id"])
                )
            ]
            for recalculation in phases["recalculations"]:
                period = date.fromisoformat(recalculation["period"])
                assert any(timedelta(0) < period - end <= timedelta(days=14) for end in adopted)


def test_proportions_and_their_targets_are_fractions_with_no_percent_unit(
    demo_api: TestClient,
) -> None:
    proportions = {m["id"]: m for m in items(demo_api, "/measures", value_type="proportion")}
    targets = [m["target"] for m in proportions.values() if m["target"] is not None] + [
        t["threshold"]
        for t in items(demo_api, "/national-targets")
        if t["measure_id"] in proportions
    ]

    assert proportions
    assert targets
    for measure_id, measure in proportions.items():
        assert "%" not in measure["unit"]
        assert all(0 <= p["value"] <= 1 for p in items(demo_api, f"/measures/{measure_id}/data"))
    assert all(0 < target <= 1 for target in targets)


def test_cycles_end_in_each_of_adopt_adapt_and_abandon_with_their_learning(
    demo_api: TestClient,
) -> None:
    learning = items(demo_api, "/learning")

    assert {entry["decision"] for entry in learning} == {"adopt", "adapt", "abandon"}
    assert all(entry["learning"] and entry["predictions"] for entry in learning)


def test_cycles_build_on_each_other_in_ramps(demo_api: TestClient) -> None:
    ramps = [
        ramp
        for project in items(demo_api, "/projects")
        for ramp in ok(demo_api, f"/projects/{project['id']}/cycles/timeline")["ramps"]
    ]

    assert max(len(ramp["cycle_ids"]) for ramp in ramps) >= 3


def test_national_targets_sit_within_goals_and_track_measures(demo_api: TestClient) -> None:
    targets = items(demo_api, "/national-targets")

    assert "ECB-4HR" in {target["code"] for target in targets}
    assert all(target["goal_ids"] and target["measure_id"] for target in targets)


def test_target_due_dates_and_goal_reviews_are_still_to_come(demo_api: TestClient) -> None:
    due = [target["due_date"] for target in items(demo_api, "/national-targets")]
    reviews = [goal["review_date"] for goal in items(demo_api, "/goals")]

    assert all(date.fromisoformat(day) > TODAY for day in due + reviews)


def test_every_goal_is_framed_as_promises(demo_api: TestClient) -> None:
    assert all(goal["promises"] for goal in items(demo_api, "/goals"))


def test_the_demo_is_drawn_the_same_whatever_the_day_but_for_its_dates(
    app: FastAPI, connection: Connection, tenant: Tenant, other_tenant: Tenant
) -> None:
    def signed_values(tenant: Tenant) -> list[float]:
        api = client_for(app, tenant.admin_key)
        measure = measure_named(api, SIGNED_CARE_PLANS)
        return [p["value"] for p in items(api, f"/measures/{measure['id']}/data")]

    load(connection, TODAY, tenant)
    load(connection, TODAY + timedelta(days=100), other_tenant)

    assert signed_values(tenant) == signed_values(other_tenant)


def test_without_an_organisation_the_demo_makes_its_own_with_an_admin_key(
    app: FastAPI, connection: Connection
) -> None:
    loaded = load(connection, TODAY)

    assert loaded.admin_key is not None
    own = client_for(app, loaded.admin_key.key)
    organisation = ok(own, "/organisation")
    assert organisation["name"] == DEMO_ORGANISATION
    assert organisation["id"] == str(loaded.organisation.id)
    assert ok(own, "/measures")["total"] == loaded.measures


def test_the_demo_is_refused_a_second_time_in_one_organisation(
    connection: Connection, tenant: Tenant
) -> None:
    load(connection, TODAY, tenant)

    with pytest.raises(Conflict):
        load(connection, TODAY, tenant)
