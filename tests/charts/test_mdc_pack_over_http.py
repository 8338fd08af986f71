"""The proof: NHS England's Making Data Count XmR test pack, through the HTTP API.

Every scenario of ``tests/fixtures/mdc-xmr-test-pack`` (see its README.md) is loaded as a daily
continuous measure with the scenario's improvement direction, its settings are applied through
the API (a recalculation from point 16, or a baseline of the first 15 points, via
``PUT /measures/{id}/phases``; shift and trend lengths via query parameters when not 6), and its
chart is read with ``GET /measures/{id}/chart`` under the default (mdc) rules. Each point's
``variation`` must be the colour the pack gives it (grey common cause, blue improvement, orange
concern, purple neither), except point 15 of "Special cause conflict - High is good", the one
anomaly the README documents; and the figures and icons the pack's text states must appear.

Each scenario is posted once per backend: the module-scoped `pack_charts` fixture loads all 35
in one rolled-back transaction, and the tests read its charts.
"""

from collections.abc import Iterator
from functools import partial
from statistics import fmean

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from app.config import Settings
from app.main import create_app
from tests.analytics.mdc_pack import COLOURS, Scenario, load_scenarios
from tests.charts.support import (
    Json,
    create_measure,
    post_values,
    put_phases,
    read_chart,
    warning_codes,
)
from tests.conftest import client_for, make_tenant, session_on

SCENARIOS = {s.name: s for s in load_scenarios()}

# README, "Known anomaly": the CSV marks point 15 of this scenario blue, while the pack's document
# says the increasing trend covers points 8 to 14; the rules make point 15 common cause (grey).
CONFLICT = "Special cause conflict - High is good"
CONFLICT_ANOMALY_INDEX = 14  # point 15

# README: "Fewer than 13 points: no limits, no special cause, no icons (all points grey)."
TOO_FEW = [name for name, scenario in sorted(SCENARIOS.items()) if scenario.settings["points"] < 13]
DEFAULT_RULE_LENGTH = 6  # the mdc preset's shift and trend lengths


def load_scenario(api: TestClient, scenario: Scenario) -> Json:
    """Create the scenario's measure, post its points, apply its settings, read its chart."""
    settings = scenario.settings
    measure = create_measure(
        api, name=scenario.name, direction=settings["improvement_direction"], frequency="day"
    )
    post_values(
        api, measure["id"], [row.day for row in scenario.rows], [row.value for row in scenario.rows]
    )
    phases: Json = {}
    if (point := settings.get("recalculate_from_point")) is not None:
        period = scenario.rows[point - 1].day.isoformat()
        phases["recalculations"] = [{"period": period, "reason": f"Recalculated at point {point}"}]
    if (baseline := settings.get("baseline_points")) is not None:
        phases["baseline_points"] = baseline
    if phases:
        response = put_phases(api, measure["id"], phases)
        assert response.status_code == 200, response.text
    lengths = {
        name: settings[name]
        for name in ("shift_points", "trend_points")
        if settings[name] != DEFAULT_RULE_LENGTH
    }
    return read_chart(api, measure["id"], **lengths)


@pytest.fixture(scope="module")
def pack_api(engine: Engine) -> Iterator[TestClient]:
    """A client of one organisation whose writes last for this module on this backend, and are
    then rolled back. (The module's tests use no function-scoped client: SQLite allows one writer.)
    """
    with engine.connect() as connection:
        transaction = connection.begin()
        try:
            tenant = make_tenant(connection, "Making Data Count test pack trust")
            app = create_app(Settings(database_url=engine.url.render_as_string(False)), engine)
            app.state.sessions = partial(session_on, connection)
            yield client_for(app, tenant.admin_key)
        finally:
            transaction.rollback()


@pytest.fixture(scope="module")
def pack_charts(pack_api: TestClient) -> dict[str, Json]:
    """Every scenario's chart, read over HTTP, each scenario posted once."""
    return {name: load_scenario(pack_api, scenario) for name, scenario in SCENARIOS.items()}


ASSURANCE_TARGETS = [40.0, 30.0, 10.0]  # scenarios.json: "targets_to_try"


@pytest.fixture(scope="module")
def assurance_summaries(pack_api: TestClient) -> dict[tuple[str, float], Json]:
    """The chart summary of each assurance scenario with each target as the measure's target."""
    summaries = {}
    for direction in ("high is good", "low is good"):
        scenario = SCENARIOS[f"Summary icons - assurance - {direction}"]
        assert scenario.settings["targets_to_try"] == ASSURANCE_TARGETS
        for target in ASSURANCE_TARGETS:
            measure = create_measure(
                pack_api, direction=scenario.settings["improvement_direction"], target=target
            )
            rows = scenario.rows
            post_values(pack_api, measure["id"], [r.day for r in rows], [r.value for r in rows])
            summaries[direction, target] = read_chart(pack_api, measure["id"])["summary"]
    return summaries


def pack_points(scenario: Scenario) -> list[tuple[str, float, str]]:
    """(ISO date, value, variation) of every point, as the pack's CSV gives them."""
    return [(row.day.isoformat(), row.value, COLOURS[row.colour]) for row in scenario.rows]


def chart_points(chart: Json) -> list[tuple[str, float, str]]:
    return [(p["period"], p["value"], p["variation"]) for p in chart["points"]]


def test_the_pack_has_35_scenarios_to_load() -> None:
    assert len(SCENARIOS) == 35


@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_every_point_has_the_pack_date_value_and_colour(
    pack_charts: dict[str, Json], name: str
) -> None:
    expected = pack_points(SCENARIOS[name])
    if name == CONFLICT:
        day, value, _ = expected[CONFLICT_ANOMALY_INDEX]
        expected[CONFLICT_ANOMALY_INDEX] = (day, value, "common_cause")  # the anomaly, see below
    assert chart_points(pack_charts[name]) == expected


def test_the_only_difference_from_the_pack_is_its_documented_anomaly(
    pack_charts: dict[str, Json],
) -> None:
    """README, "Known anomaly": the CSV marks point 15 of "Special cause conflict - High is
    good" blue while the document's text says the increasing trend covers points 8 to 14. Point 15
    (27) follows 36, is inside the limits and in no shift, trend or two-of-three pattern, so the
    rules make it grey; every other point of the 35 scenarios matches the CSV."""
    differences = [
        (name, index)
        for name, scenario in SCENARIOS.items()
        for index, (got, want) in enumerate(
            zip(chart_points(pack_charts[name]), pack_points(scenario), strict=True)
        )
        if got != want
    ]
    assert differences == [(CONFLICT, CONFLICT_ANOMALY_INDEX)]
    point = pack_charts[CONFLICT]["points"][CONFLICT_ANOMALY_INDEX]
    assert SCENARIOS[CONFLICT].rows[CONFLICT_ANOMALY_INDEX].colour == "blue"
    assert (point["variation"], point["special_cause"]) == ("common_cause", [])


def test_the_conflict_scenarios_trend_covers_points_8_to_14(pack_charts: dict[str, Json]) -> None:
    """README: the document says the increasing trend of "Special cause conflict - High is good"
    covers points 8 to 14 (indices 7 to 13)."""
    points = pack_charts[CONFLICT]["points"]
    trend = [i for i, p in enumerate(points) if "trend" in p["special_cause"] and i >= 7]
    assert trend == list(range(7, 14))


def test_process_limits_15_phase_has_the_centre_and_limits_the_pack_quotes(
    pack_charts: dict[str, Json],
) -> None:
    """README: for "Process limits - 15" the mean is 23.20, upper limit 37.64, lower 8.76."""
    (phase,) = pack_charts["Process limits - 15"]["phases"]
    assert round(phase["centre"], 2) == 23.20
    assert round(phase["upper"], 2) == 37.64
    assert round(phase["lower"], 2) == 8.76


def test_process_limits_15_points_each_carry_the_centre_and_limits_the_pack_quotes(
    pack_charts: dict[str, Json],
) -> None:
    points = pack_charts["Process limits - 15"]["points"]
    assert len(points) == 15
    lines = {(round(p["centre"], 2), round(p["upper"], 2), round(p["lower"], 2)) for p in points}
    assert lines == {(23.20, 37.64, 8.76)}


@pytest.mark.parametrize("direction", ["high is good", "low is good"])
def test_assurance_scenarios_have_the_limits_the_pack_quotes(
    pack_charts: dict[str, Json], direction: str
) -> None:
    """README: for the 30 points of the assurance scenarios the limits are 13.33 / 25.17 / 37.00."""
    (phase,) = pack_charts[f"Summary icons - assurance - {direction}"]["phases"]
    assert (round(phase["lower"], 2), round(phase["centre"], 2), round(phase["upper"], 2)) == (
        13.33,
        25.17,
        37.00,
    )


@pytest.mark.parametrize(
    ("direction", "target", "icon"),
    [
        ("high is good", 40.0, "fail"),
        ("high is good", 30.0, "hit_and_miss"),
        ("high is good", 10.0, "pass"),
        ("low is good", 40.0, "pass"),
        ("low is good", 30.0, "hit_and_miss"),
        ("low is good", 10.0, "fail"),
    ],
)
def test_assurance_icon_for_each_target_the_pack_tries_as_the_measures_target(
    assurance_summaries: dict[tuple[str, float], Json], direction: str, target: float, icon: str
) -> None:
    """README: limits 13.33 / 25.17 / 37.00, so a target of 40 fails, 30 is hit and miss and 10
    passes for "high is good"; for "low is good" pass and fail swap."""
    summary = assurance_summaries[direction, target]
    assert summary["assurance_icon"] == icon
    assert summary["target"] == {
        "value": target,
        "source": "measure",
        "national_target_id": None,
        "code": None,
    }


@pytest.mark.parametrize("name", TOO_FEW)
def test_fewer_than_13_points_have_no_limits_in_the_phase_or_on_any_point(
    pack_charts: dict[str, Json], name: str
) -> None:
    chart = pack_charts[name]
    (phase,) = chart["phases"]
    assert (phase["upper"], phase["lower"]) == (None, None)
    assert {(p["upper"], p["lower"]) for p in chart["points"]} == {(None, None)}


@pytest.mark.parametrize("name", TOO_FEW)
def test_fewer_than_13_points_are_all_common_cause(pack_charts: dict[str, Json], name: str) -> None:
    points = pack_charts[name]["points"]
    assert {p["variation"] for p in points} == {"common_cause"}
    assert all(p["special_cause"] == [] for p in points)


@pytest.mark.parametrize("name", TOO_FEW)
def test_fewer_than_13_points_have_no_variation_icon(
    pack_charts: dict[str, Json], name: str
) -> None:
    assert pack_charts[name]["summary"]["variation_icon"] is None


@pytest.mark.parametrize("name", TOO_FEW)
def test_fewer_than_13_points_warn_that_there_are_too_few_for_limits(
    pack_charts: dict[str, Json], name: str
) -> None:
    assert "too_few_points_for_limits" in warning_codes(pack_charts[name])


def test_13_points_are_enough_for_limits(pack_charts: dict[str, Json]) -> None:
    chart = pack_charts["Number of points - 13"]
    assert all(p["upper"] is not None and p["lower"] is not None for p in chart["points"])
    assert "too_few_points_for_limits" not in warning_codes(chart)


def latest_section(scenario: Scenario) -> list[float]:
    """The values the last point's centre is computed from: the baseline, the section after the
    recalculation, or the whole series."""
    values = [row.value for row in scenario.rows]
    settings = scenario.settings
    if (baseline := settings.get("baseline_points")) is not None:
        return values[:baseline]
    if (point := settings.get("recalculate_from_point")) is not None:
        return values[point - 1 :]
    return values


def icon_the_pack_implies(scenario: Scenario) -> str | None:
    """README: "Variation icon: the last point's status (common cause, or improvement/concern/
    neither, high or low relative to the mean)", and no icon with fewer than 13 points."""
    basis = latest_section(scenario)
    if len(basis) < 13:
        return None
    last = scenario.rows[-1]
    status = COLOURS[last.colour]
    if status == "common_cause":
        return status
    side = "high" if last.value > fmean(basis) else "low"
    return f"{status}_{side}"


def test_the_variation_icon_rule_is_checked_against_every_kind_of_icon() -> None:
    """The scenarios below between them imply every icon, so the next test covers them all."""
    implied = {icon_the_pack_implies(s) for s in SCENARIOS.values()}
    assert implied == {
        None,
        "common_cause",
        "improvement_high",
        "improvement_low",
        "concern_high",
        "concern_low",
        "neither_high",
    }


@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_the_variation_icon_is_the_one_the_pack_implies(
    pack_charts: dict[str, Json], name: str
) -> None:
    assert pack_charts[name]["summary"]["variation_icon"] == icon_the_pack_implies(SCENARIOS[name])
