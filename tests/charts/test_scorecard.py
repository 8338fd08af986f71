"""GET /api/v1/scorecard: every measure's latest point, default chart and icons, filtered by goal
or project, never another organisation's; and the matrix shows the same status per measure.

Icons come from NHS England's Making Data Count XmR test pack (see its README.md): a measure is
loaded with a scenario's points, so its icons are those the pack implies.
"""

from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.analytics.mdc_pack import Scenario, load_scenarios
from tests.charts.support import (
    API,
    MATRIX,
    SCORECARD,
    Json,
    create_measure,
    ok,
    post_values,
    put_phases,
)

SCENARIOS = {s.name: s for s in load_scenarios()}
# README: the last point (45) is special cause improvement, above the mean (25.06): the icon is
# improvement, high. No target: no assurance icon.
IMPROVING = SCENARIOS["Summary icons - variation - High is good"]
# README: limits 13.33 / 25.17 / 37.00, so a target of 10 passes for "high is good"; the last
# point (23) is common cause.
ASSURED = SCENARIOS["Summary icons - assurance - high is good"]
# README: limits 13.33 / 25.17 / 37.00, so a target of 40 passes for "low is good".
ASSURED_LOW = SCENARIOS["Summary icons - assurance - low is good"]


def pack_measure(api: TestClient, scenario: Scenario, **overrides: Any) -> Json:
    measure = create_measure(api, direction=scenario.settings["improvement_direction"], **overrides)
    rows = scenario.rows
    post_values(api, measure["id"], [r.day for r in rows], [r.value for r in rows])
    return measure


def scorecard(api: TestClient, **params: str) -> list[Json]:
    rows: list[Json] = ok(api.get(SCORECARD, params=params))["measures"]
    return rows


def row_of(rows: list[Json], measure: Json) -> Json:
    [row] = [r for r in rows if r["measure_id"] == measure["id"]]
    return row


@pytest.fixture
def measures(api: TestClient) -> dict[str, Json]:
    """Three measures in this order: improving (no target), assured (target 10), and a
    proportion measure with no data yet."""
    return {
        "improving": pack_measure(api, IMPROVING, name="Patients seen within 15 minutes"),
        "assured": pack_measure(api, ASSURED, name="Discharges before noon", target=10.0),
        "empty": create_measure(
            api, name="Care plans signed", value_type="proportion", frequency="week", unit="%"
        ),
    }


def test_the_scorecard_lists_every_measure_of_the_organisation_in_creation_order(
    api: TestClient, measures: dict[str, Json]
) -> None:
    ids = [r["measure_id"] for r in scorecard(api)]

    assert ids == [m["id"] for m in measures.values()]


def test_a_row_names_its_measure(api: TestClient, measures: dict[str, Json]) -> None:
    row = row_of(scorecard(api), measures["empty"])

    assert (row["name"], row["unit"]) == ("Care plans signed", "%")


def test_a_row_carries_the_latest_period_and_value(
    api: TestClient, measures: dict[str, Json]
) -> None:
    row = row_of(scorecard(api), measures["improving"])

    last = IMPROVING.rows[-1]
    assert (row["latest_period"], row["latest_value"]) == (last.day.isoformat(), 45.0)


def test_a_row_carries_the_default_chart_type_of_its_value_type(
    api: TestClient, measures: dict[str, Json]
) -> None:
    rows = scorecard(api)

    assert [row_of(rows, measures[k])["chart_type"] for k in ("improving", "empty")] == ["xmr", "p"]


def test_a_row_carries_the_variation_icon_the_pack_implies(
    api: TestClient, measures: dict[str, Json]
) -> None:
    row = row_of(scorecard(api), measures["improving"])

    assert (row["variation_icon"], row["assurance_icon"]) == ("improvement_high", None)


def test_a_row_carries_the_assurance_icon_the_pack_implies_for_its_target(
    api: TestClient, measures: dict[str, Json]
) -> None:
    row = row_of(scorecard(api), measures["assured"])

    assert (row["variation_icon"], row["assurance_icon"]) == ("common_cause", "pass")
    assert row["target"] == {
        "value": 10.0,
        "source": "measure",
        "national_target_id": None,
        "code": None,
    }


def test_a_measure_without_data_has_an_empty_row(
    api: TestClient, measures: dict[str, Json]
) -> None:
    row = row_of(scorecard(api), measures["empty"])

    assert (row["latest_period"], row["latest_value"]) == (None, None)
    assert (row["variation_icon"], row["assurance_icon"], row["target"]) == (None, None, None)


def test_a_national_targets_threshold_gives_the_assurance_icon(api: TestClient) -> None:
    measure = pack_measure(api, ASSURED_LOW)
    national = ok(
        api.post(
            f"{API}/national-targets",
            json={
                "code": "CANCER-28D",
                "title": "Faster diagnosis within 28 days",
                "issuing_body": "NHS England",
                "comparator": "<=",
                "threshold": 40.0,
                "measure_id": measure["id"],
            },
        )
    )

    row = row_of(scorecard(api), measure)

    assert row["assurance_icon"] == "pass"
    assert (row["target"]["source"], row["target"]["national_target_id"]) == (
        "national_target",
        national["id"],
    )


def test_the_scorecard_follows_the_measures_stored_baseline(api: TestClient) -> None:
    """Scenario "Baselines - Recalculated" (baseline of 15 points, mean 300 / 15 = 20): the last
    point, 23, is blue in the pack and above the baseline mean: improvement, high."""
    scenario = SCENARIOS["Baselines - Recalculated"]
    measure = pack_measure(api, scenario)
    assert put_phases(api, measure["id"], {"baseline_points": 15}).status_code == 200

    row = row_of(scorecard(api), measure)

    assert (scenario.rows[-1].colour, scenario.rows[-1].value) == ("blue", 23.0)
    assert row["variation_icon"] == "improvement_high"


def test_filtering_by_goal_lists_only_the_goals_measures(api: TestClient) -> None:
    goal = ok(api.post(f"{API}/goals", json={"title": "Timely urgent care"}))
    served = pack_measure(api, IMPROVING, goal_ids=[goal["id"]])
    pack_measure(api, ASSURED)

    ids = [r["measure_id"] for r in scorecard(api, goal_id=goal["id"])]

    assert ids == [served["id"]]


def test_filtering_by_project_lists_only_the_projects_measures(api: TestClient) -> None:
    pack_measure(api, IMPROVING)
    tracked = pack_measure(api, ASSURED)
    project = ok(
        api.post(
            f"{API}/projects",
            json={
                "title": "Discharge before noon",
                "measures": [{"measure_id": tracked["id"], "role": "outcome"}],
            },
        )
    )

    ids = [r["measure_id"] for r in scorecard(api, project_id=project["id"])]

    assert ids == [tracked["id"]]


def test_swapping_a_projects_measure_shows_at_once_and_retires_the_old_tag(
    api: TestClient,
) -> None:
    first, second = pack_measure(api, IMPROVING), pack_measure(api, ASSURED)
    project = ok(
        api.post(
            f"{API}/projects",
            json={"title": "Flow", "measures": [{"measure_id": first["id"], "role": "outcome"}]},
        )
    )
    before = api.get(SCORECARD, params={"project_id": project["id"]})

    swapped = {"measures": [{"measure_id": second["id"], "role": "outcome"}]}
    ok(api.patch(f"{API}/projects/{project['id']}", json=swapped))
    after = api.get(SCORECARD, params={"project_id": project["id"]})
    stale = api.get(
        SCORECARD,
        params={"project_id": project["id"]},
        headers={"If-None-Match": before.headers["ETag"]},
    )

    assert [r["measure_id"] for r in after.json()["measures"]] == [second["id"]]
    assert stale.status_code == 200


def test_another_organisations_measures_never_appear(
    api: TestClient, other_api: TestClient
) -> None:
    ours = pack_measure(api, IMPROVING)
    theirs = pack_measure(other_api, ASSURED)

    assert [r["measure_id"] for r in scorecard(api)] == [ours["id"]]
    assert [r["measure_id"] for r in scorecard(other_api)] == [theirs["id"]]


def test_filtering_by_another_organisations_goal_shows_none_of_its_measures(
    api: TestClient, other_api: TestClient
) -> None:
    goal = ok(other_api.post(f"{API}/goals", json={"title": "Timely urgent care"}))
    pack_measure(other_api, IMPROVING, goal_ids=[goal["id"]])

    assert scorecard(api, goal_id=goal["id"]) == []


def test_the_matrix_shows_each_measure_with_its_scorecard_status(
    api: TestClient, measures: dict[str, Json]
) -> None:
    goal = ok(api.post(f"{API}/goals", json={"title": "Timely urgent care"}))
    for measure in measures.values():
        ok(api.patch(f"{API}/measures/{measure['id']}", json={"goal_ids": [goal["id"]]}))

    matrix = ok(api.get(MATRIX))

    statuses = {m["id"]: m["status"] for g in matrix["goals"] for m in g["measures"]}
    assert statuses == {row["measure_id"]: row for row in scorecard(api)}
    assert statuses[measures["improving"]["id"]]["variation_icon"] == "improvement_high"
    assert statuses[measures["assured"]["id"]]["assurance_icon"] == "pass"
