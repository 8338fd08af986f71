"""GET /api/v1/measures/{id}/chart: chart types, rule presets, attribute-chart limits,
annotations, period ranges, warnings, targets and runs analysis, over HTTP.

The maths is tested in tests/analytics; here the expected numbers are hand-computed from the data
each test posts, with the working shown, to prove what the HTTP layer passes in and out.
"""

from datetime import date, timedelta
from math import sqrt
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.charts.support import (
    API,
    Json,
    chart_response,
    create_measure,
    days,
    error_fields,
    ok,
    post_points,
    post_ratios,
    post_values,
    read_chart,
    warning_codes,
    weeks,
)

VALUES = [12.0, 15.0, 11.0, 14.0, 13.0, 16.0, 12.0, 15.0, 14.0, 13.0, 12.0, 16.0, 14.0, 13.0]


def measure_of_type(api: TestClient, value_type: str, **overrides: Any) -> str:
    """A weekly measure of `value_type` with 14 points of the data that type takes."""
    measure = create_measure(api, value_type=value_type, frequency="week", **overrides)
    periods = weeks(len(VALUES))
    if value_type in {"proportion", "rate"}:
        post_ratios(api, measure["id"], periods, [(v, 20.0) for v in VALUES])
    else:
        post_values(api, measure["id"], periods, VALUES)
    return str(measure["id"])


# Chart types -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value_type", "chart_type"),
    [("continuous", "xmr"), ("proportion", "p"), ("rate", "u"), ("count", "c")],
)
def test_the_default_chart_type_follows_the_value_type(
    api: TestClient, value_type: str, chart_type: str
) -> None:
    measure_id = measure_of_type(api, value_type)

    assert read_chart(api, measure_id)["chart_type"] == chart_type


@pytest.mark.parametrize(
    ("value_type", "chart_type"),
    [("continuous", "run"), ("proportion", "xmr"), ("rate", "u_prime"), ("count", "run")],
)
def test_chart_type_overrides_the_default_when_it_fits_the_data(
    api: TestClient, value_type: str, chart_type: str
) -> None:
    measure_id = measure_of_type(api, value_type)

    assert read_chart(api, measure_id, chart_type=chart_type)["chart_type"] == chart_type


@pytest.mark.parametrize(
    ("value_type", "chart_type"), [("continuous", "p"), ("proportion", "c"), ("count", "u")]
)
def test_a_chart_type_that_does_not_fit_the_value_type_is_refused_naming_the_parameter(
    api: TestClient, value_type: str, chart_type: str
) -> None:
    measure_id = measure_of_type(api, value_type)

    response = chart_response(api, measure_id, chart_type=chart_type)

    assert response.status_code == 422, response.text
    assert error_fields(response) == ["query.chart_type"]


def test_an_unknown_chart_type_is_refused_naming_the_parameter(api: TestClient) -> None:
    measure_id = measure_of_type(api, "continuous")

    response = chart_response(api, measure_id, chart_type="pie")

    assert response.status_code == 422, response.text
    assert error_fields(response) == ["query.chart_type"]


# Rule presets ------------------------------------------------------------------------------


def test_an_spc_chart_uses_the_mdc_rules_by_default(api: TestClient) -> None:
    """Making Data Count (README of the test pack): shift of 6, trend of 6, limits from 13 points,
    no moving-range screening, two-of-three, rules running across a recalculation."""
    rules = read_chart(api, measure_of_type(api, "continuous"))["rules"]

    assert rules == {
        "preset": "mdc",
        "shift_points": 6,
        "trend_points": 6,
        "minimum_points": 13,
        "screen_moving_ranges": False,
        "two_of_three": True,
        "rules_cross_phases": True,
        "overridden": [],
    }


def test_the_nhsr_preset_is_echoed_with_its_parameters(api: TestClient) -> None:
    """NHSRplotthedots: 7-point shifts and trends, 12 points minimum, moving ranges screened."""
    rules = read_chart(api, measure_of_type(api, "continuous"), rules="nhsr")["rules"]

    assert rules["preset"] == "nhsr"
    assert (rules["shift_points"], rules["trend_points"], rules["minimum_points"]) == (7, 7, 12)
    assert rules["screen_moving_ranges"] is True
    assert rules["overridden"] == []


def test_a_run_chart_uses_the_ihi_rules_by_default(api: TestClient) -> None:
    """Perla, Provost & Murray (2011): shift of 6, trend of 5, at least 10 useful observations."""
    chart = read_chart(api, measure_of_type(api, "continuous"), chart_type="run")

    rules = chart["rules"]
    assert rules["preset"] == "ihi"
    assert (rules["shift_points"], rules["trend_points"], rules["minimum_points"]) == (6, 5, 10)


def test_rule_overrides_are_applied_and_listed_as_overridden(api: TestClient) -> None:
    measure_id = measure_of_type(api, "continuous")

    rules = read_chart(
        api,
        measure_id,
        shift_points=8,
        trend_points=7,
        minimum_points=20,
        screen_moving_ranges=True,
    )["rules"]

    assert rules["preset"] == "mdc"
    assert (rules["shift_points"], rules["trend_points"], rules["minimum_points"]) == (8, 7, 20)
    assert rules["screen_moving_ranges"] is True
    assert sorted(rules["overridden"]) == [
        "minimum_points",
        "screen_moving_ranges",
        "shift_points",
        "trend_points",
    ]


def test_an_override_changes_the_verdict_on_the_points(api: TestClient) -> None:
    """Seven 10s then seven 20s: mean 15, so each half is a run of 7 on one side of the mean, a
    shift under mdc (6 points) but not with shift_points=8. (The moving ranges, one of 10 and
    twelve of 0, put the limits at 15 ± 2.66 × 10/13 = 15 ± 2.05, so every point is also beyond
    them; only the `shift` flag is compared.)"""
    measure = create_measure(api)
    post_values(api, measure["id"], days(14), [10.0] * 7 + [20.0] * 7)

    default = read_chart(api, measure["id"])["points"]
    longer = read_chart(api, measure["id"], shift_points=8)["points"]

    assert all("shift" in p["special_cause"] for p in default)
    assert not any("shift" in p["special_cause"] for p in longer)


@pytest.mark.parametrize(
    "override", [{"shift_points": 1}, {"trend_points": 1}, {"minimum_points": 1}]
)
def test_a_nonsensical_rule_override_is_refused(api: TestClient, override: Json) -> None:
    measure_id = measure_of_type(api, "continuous")

    response = chart_response(api, measure_id, **override)

    assert response.status_code == 422, response.text
    assert next(iter(override)) in response.text


def test_an_unknown_rule_preset_is_refused_naming_the_parameter(api: TestClient) -> None:
    response = chart_response(api, measure_of_type(api, "continuous"), rules="western_electric")

    assert response.status_code == 422, response.text
    assert error_fields(response) == ["query.rules"]


# Attribute charts -------------------------------------------------------------------------

# 16 weeks alternating denominators of 100 and 25:
#   numerators of the 100s: 45 55 48 52 50 47 53 50 = 400 of 800
#   numerators of the 25s:  12 13 11 14 12 13 12 13 = 100 of 200
# p̄ = Σnum / Σden = 500 / 1000 = 0.5
# n = 100: 3 √(0.5 × 0.5 / 100) = 3 × 0.05 = 0.15 → limits 0.35 and 0.65
# n = 25:  3 √(0.5 × 0.5 / 25)  = 3 × 0.10 = 0.30 → limits 0.20 and 0.80
P_NUMERATORS = [45, 12, 55, 13, 48, 11, 52, 14, 50, 12, 47, 13, 53, 12, 50, 13]
P_DENOMINATORS = [100, 25] * 8


@pytest.fixture
def p_chart(api: TestClient) -> Json:
    measure = create_measure(api, value_type="proportion", frequency="week")
    pairs = [(float(n), float(d)) for n, d in zip(P_NUMERATORS, P_DENOMINATORS, strict=True)]
    post_ratios(api, measure["id"], weeks(16), pairs)
    return read_chart(api, measure["id"])


def test_a_p_chart_centre_is_the_pooled_proportion(p_chart: Json) -> None:
    assert p_chart["chart_type"] == "p"
    assert [p["centre"] for p in p_chart["points"]] == pytest.approx([0.5] * 16)


def test_a_p_chart_point_of_denominator_100_has_limits_0_35_and_0_65(p_chart: Json) -> None:
    point = p_chart["points"][0]
    assert (point["numerator"], point["denominator"], point["value"]) == (45, 100, 0.45)
    assert point["lower"] == pytest.approx(0.35)
    assert point["upper"] == pytest.approx(0.65)


def test_a_p_chart_point_of_denominator_25_has_limits_0_20_and_0_80(p_chart: Json) -> None:
    point = p_chart["points"][1]
    assert (point["numerator"], point["denominator"], point["value"]) == (12, 25, 0.48)
    assert point["lower"] == pytest.approx(0.20)
    assert point["upper"] == pytest.approx(0.80)


def test_p_chart_limits_vary_with_the_denominator_point_by_point(p_chart: Json) -> None:
    for point, n in zip(p_chart["points"], P_DENOMINATORS, strict=True):
        width = 3 * sqrt(0.5 * 0.5 / n)
        assert point["upper"] == pytest.approx(0.5 + width), point["period"]
        assert point["lower"] == pytest.approx(0.5 - width), point["period"]


# A rate per 1,000 bed days over 13 weeks:
#   events:    3    6    2    4    5    3    4    6    2    5    4    3    5   = 52
#   bed days: 1500 2000 1000 2000 2500 1500 2000 3000 1000 2500 2000 1500 2500 = 25,000
# values per 1,000: 2, 3, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2; centre 52 / 25,000 × 1000 = 2.08
U_EVENTS = [3, 6, 2, 4, 5, 3, 4, 6, 2, 5, 4, 3, 5]
U_BED_DAYS = [1500, 2000, 1000, 2000, 2500, 1500, 2000, 3000, 1000, 2500, 2000, 1500, 2500]


@pytest.fixture
def u_chart(api: TestClient) -> Json:
    measure = create_measure(
        api, value_type="rate", frequency="week", rate_multiplier=1000.0, direction="decrease"
    )
    pairs = [(float(n), float(d)) for n, d in zip(U_EVENTS, U_BED_DAYS, strict=True)]
    post_ratios(api, measure["id"], weeks(13), pairs)
    return read_chart(api, measure["id"])


def test_u_chart_values_are_per_1000(u_chart: Json) -> None:
    assert u_chart["chart_type"] == "u"
    assert [p["value"] for p in u_chart["points"]] == pytest.approx([2, 3] + [2] * 11)


def test_u_chart_centre_is_events_over_exposure_per_1000(u_chart: Json) -> None:
    (phase,) = u_chart["phases"]
    assert phase["centre"] == pytest.approx(2.08)
    assert [p["centre"] for p in u_chart["points"]] == pytest.approx([2.08] * 13)


def test_u_chart_limits_are_per_1000_at_each_points_exposure(u_chart: Json) -> None:
    """ū = 0.00208 per bed day; at 2,000 bed days 3 √(0.00208 / 2000) × 1000 = 3.0594 per 1,000,
    so the limits are 2.08 ± 3.0594: 5.1394 and 0 (a rate is not below 0)."""
    point = u_chart["points"][1]
    assert point["denominator"] == 2000
    assert point["upper"] == pytest.approx(2.08 + 3 * sqrt(0.00208 / 2000) * 1000)
    assert point["upper"] == pytest.approx(5.1394, abs=1e-4)
    assert point["lower"] == 0


def test_c_chart_limits_are_the_mean_count_plus_and_minus_three_root_mean(api: TestClient) -> None:
    """14 weeks alternating 8 and 10 events: c̄ = 9, 3 √9 = 9, so the limits are 18 and 0."""
    measure = create_measure(api, value_type="count", frequency="week", direction="decrease")
    post_values(api, measure["id"], weeks(14), [8.0, 10.0] * 7)

    chart = read_chart(api, measure["id"])

    assert chart["chart_type"] == "c"
    assert {(p["centre"], p["upper"], p["lower"]) for p in chart["points"]} == {(9, 18, 0)}


# Annotations -------------------------------------------------------------------------------


def test_a_data_points_annotation_appears_on_its_point_as_a_note(api: TestClient) -> None:
    measure = create_measure(api, frequency="week")
    periods = weeks(3)
    post_points(
        api,
        measure["id"],
        [
            {"period": periods[0].isoformat(), "value": 10.0},
            {"period": periods[1].isoformat(), "value": 12.0, "annotation": "Triage nurse added"},
            {"period": periods[2].isoformat(), "value": 11.0},
        ],
    )

    points = read_chart(api, measure["id"])["points"]

    assert [p["annotations"] for p in points] == [
        [],
        [{"kind": "note", "text": "Triage nurse added", "cycle_id": None, "decision": None}],
        [],
    ]


@pytest.fixture
def cycle_chart(api: TestClient) -> tuple[Json, Json]:
    """Six weeks from Monday 5 January 2026, and a cycle planned from Wednesday 14 January (week
    2, starting Monday 12) to Thursday 29 January (week 4, starting Monday 26)."""
    measure = create_measure(api, frequency="week")
    post_values(api, measure["id"], weeks(6), [10.0, 12.0, 11.0, 13.0, 12.0, 14.0])
    project = ok(
        api.post(
            f"{API}/projects",
            json={
                "title": "Faster triage",
                "measures": [{"measure_id": measure["id"], "role": "outcome"}],
            },
        )
    )
    cycle = ok(
        api.post(
            f"{API}/projects/{project['id']}/cycles",
            json={
                "title": "PDSA 1: nurse-led triage",
                "change_idea": "A triage nurse at the front door",
                "planned_start": "2026-01-14",
                "planned_end": "2026-01-29",
                "decision": "adapt",
                "measure_ids": [measure["id"]],
            },
        )
    )
    return cycle, read_chart(api, measure["id"])


def test_a_linked_cycle_start_is_marked_on_the_point_of_the_week_it_starts(
    cycle_chart: tuple[Json, Json],
) -> None:
    cycle, chart = cycle_chart
    point = chart["points"][1]
    assert point["period"] == "2026-01-12"
    assert [(a["kind"], a["cycle_id"], a["decision"]) for a in point["annotations"]] == [
        ("cycle_start", cycle["id"], "adapt")
    ]


def test_a_linked_cycle_end_is_marked_on_the_point_of_the_week_it_ends(
    cycle_chart: tuple[Json, Json],
) -> None:
    cycle, chart = cycle_chart
    point = chart["points"][3]
    assert point["period"] == "2026-01-26"
    assert [(a["kind"], a["cycle_id"], a["decision"]) for a in point["annotations"]] == [
        ("cycle_end", cycle["id"], "adapt")
    ]


def test_a_linked_cycle_marks_no_other_point(cycle_chart: tuple[Json, Json]) -> None:
    _, chart = cycle_chart
    marked = [p["period"] for p in chart["points"] if p["annotations"]]
    assert marked == ["2026-01-12", "2026-01-26"]


def test_a_cycle_ending_inside_the_last_week_shown_is_still_marked(
    api: TestClient, cycle_chart: tuple[Json, Json]
) -> None:
    """period_to names the week starting Monday 26 January; the cycle ends on Thursday 29, inside
    that week, whose point is on the chart, so the end is marked on it."""
    cycle, full = cycle_chart

    chart = read_chart(api, full["measure_id"], period_to="2026-01-26")

    assert [p["period"] for p in chart["points"]][-1] == "2026-01-26"
    assert [(a["kind"], a["cycle_id"]) for a in chart["points"][-1]["annotations"]] == [
        ("cycle_end", cycle["id"])
    ]


def test_a_cycles_actual_dates_are_marked_rather_than_its_planned_ones(api: TestClient) -> None:
    """Planned for weeks 2 to 4, the cycle actually ran from Tuesday 20 January (week 3) to Monday
    2 February (week 5)."""
    measure = create_measure(api, frequency="week")
    post_values(api, measure["id"], weeks(6), [10.0, 12.0, 11.0, 13.0, 12.0, 14.0])
    project = ok(
        api.post(
            f"{API}/projects",
            json={
                "title": "Faster triage",
                "measures": [{"measure_id": measure["id"], "role": "outcome"}],
            },
        )
    )
    ok(
        api.post(
            f"{API}/projects/{project['id']}/cycles",
            json={
                "title": "PDSA 1: nurse-led triage",
                "change_idea": "A triage nurse at the front door",
                "planned_start": "2026-01-14",
                "planned_end": "2026-01-29",
                "actual_start": "2026-01-20",
                "actual_end": "2026-02-02",
                "status": "doing",
                "measure_ids": [measure["id"]],
            },
        )
    )

    points = read_chart(api, measure["id"])["points"]

    marks = [(p["period"], a["kind"]) for p in points for a in p["annotations"]]
    assert marks == [("2026-01-19", "cycle_start"), ("2026-02-02", "cycle_end")]


def test_a_cycle_not_linked_to_the_measure_marks_nothing(api: TestClient) -> None:
    measure = create_measure(api, frequency="week")
    post_values(api, measure["id"], weeks(4), [10.0, 12.0, 11.0, 13.0])
    project = ok(
        api.post(
            f"{API}/projects",
            json={
                "title": "Faster triage",
                "measures": [{"measure_id": measure["id"], "role": "outcome"}],
            },
        )
    )
    ok(
        api.post(
            f"{API}/projects/{project['id']}/cycles",
            json={
                "title": "PDSA 1: nurse-led triage",
                "change_idea": "A triage nurse at the front door",
                "planned_start": "2026-01-14",
                "planned_end": "2026-01-22",
            },
        )
    )

    points = read_chart(api, measure["id"])["points"]

    assert all(p["annotations"] == [] for p in points)


# Periods and warnings -----------------------------------------------------------------------


def test_period_from_and_period_to_narrow_the_points_inclusively(api: TestClient) -> None:
    measure = create_measure(api, frequency="week")
    periods = weeks(10)
    post_values(api, measure["id"], periods, [float(v) for v in range(10)])

    chart = read_chart(
        api, measure["id"], period_from=periods[2].isoformat(), period_to=periods[6].isoformat()
    )

    assert [p["period"] for p in chart["points"]] == [d.isoformat() for d in periods[2:7]]
    assert [p["value"] for p in chart["points"]] == [2, 3, 4, 5, 6]


def test_missing_periods_inside_the_series_are_warned_about(api: TestClient) -> None:
    measure = create_measure(api, frequency="week")
    periods = weeks(6)
    del periods[2]  # no data for the week starting Monday 19 January
    post_values(api, measure["id"], periods, [10.0, 12.0, 11.0, 13.0, 12.0])

    chart = read_chart(api, measure["id"])

    [warning] = [w for w in chart["warnings"] if w["code"] == "missing_periods"]
    assert "2026-01-19" in warning["message"]


def test_a_complete_series_has_no_missing_periods_warning(api: TestClient) -> None:
    measure = create_measure(api, frequency="week")
    post_values(api, measure["id"], weeks(5), [10.0, 12.0, 11.0, 13.0, 12.0])

    assert "missing_periods" not in warning_codes(read_chart(api, measure["id"]))


def test_a_measure_without_data_has_an_empty_chart(api: TestClient) -> None:
    measure = create_measure(api)

    chart = read_chart(api, measure["id"])

    assert (chart["chart_type"], chart["points"], chart["phases"]) == ("xmr", [], [])
    assert (chart["summary"]["variation_icon"], chart["summary"]["assurance_icon"]) == (None, None)


def test_a_run_chart_of_fewer_than_10_points_warns_that_runs_cannot_be_analysed(
    api: TestClient,
) -> None:
    """Perla et al. (2011): the runs rules need at least 10 useful observations."""
    measure = create_measure(api, frequency="week")
    post_values(api, measure["id"], weeks(9), RUN_VALUES[:9])

    chart = read_chart(api, measure["id"], chart_type="run")

    assert "too_few_points_for_run_analysis" in warning_codes(chart)
    assert chart["summary"]["run_analysis"]["signal"] is False


# Targets -----------------------------------------------------------------------------------


def national_target(api: TestClient, measure_id: str, threshold: float) -> Json:
    return ok(
        api.post(
            f"{API}/national-targets",
            json={
                "code": "ECB-4HR",
                "title": "Patients admitted, transferred or discharged within 4 hours",
                "issuing_body": "NHS England",
                "comparator": ">=",
                "threshold": threshold,
                "due_date": "2027-03-31",
                "measure_id": measure_id,
            },
        )
    )


def test_the_measures_own_target_is_the_target_used(api: TestClient) -> None:
    measure = create_measure(api, target=14.0)
    post_values(api, measure["id"], days(3), [10.0, 12.0, 11.0])

    target = read_chart(api, measure["id"])["summary"]["target"]

    assert target == {"value": 14.0, "source": "measure", "national_target_id": None, "code": None}


def test_a_national_target_tracking_the_measure_is_used_when_the_measure_has_none(
    api: TestClient,
) -> None:
    measure = create_measure(api)
    post_values(api, measure["id"], days(3), [10.0, 12.0, 11.0])
    national = national_target(api, measure["id"], 0.78)

    target = read_chart(api, measure["id"])["summary"]["target"]

    assert target == {
        "value": 0.78,
        "source": "national_target",
        "national_target_id": national["id"],
        "code": "ECB-4HR",
    }


def test_the_measures_own_target_wins_over_a_national_target(api: TestClient) -> None:
    measure = create_measure(api, target=14.0)
    post_values(api, measure["id"], days(3), [10.0, 12.0, 11.0])
    national_target(api, measure["id"], 0.78)

    target = read_chart(api, measure["id"])["summary"]["target"]

    assert (target["value"], target["source"]) == (14.0, "measure")


def test_without_any_target_there_is_no_target_and_no_assurance_icon(api: TestClient) -> None:
    measure = create_measure(api, frequency="week")
    post_values(api, measure["id"], weeks(14), VALUES)

    summary = read_chart(api, measure["id"])["summary"]

    assert (summary["target"], summary["assurance_icon"]) == (None, None)


# Run charts ---------------------------------------------------------------------------------

# Twelve points, worked by hand:
#   values  3  8  6  9  2  1  6 10 11  4  5 12
#   sorted  1 2 3 4 5 6 6 8 9 10 11 12: the 6th and 7th are both 6, so the median is 6
#   sides   -  +  =  +  -  -  = +  +  -  -  +   (= on the median: not useful)
#   useful  10 points; runs  [-] [+ +] [- -] [+ +] [- -] [+]  = 6 runs, 5 crossings
#   longest run 2; no 6 on one side (shift); longest steady rise 1 6 10 11 is 4 points < 5 (trend)
#   Perla et al. Table 1, 10 useful observations: 3 to 9 runs expected; 6 is inside.
#   Anhøj: longest run limit round(log2 10) + 3 = 3 + 3 = 6; crossings limit qbinom(0.05, 9, 0.5):
#   P(X ≤ 1) = 10/512 = 0.020, P(X ≤ 2) = 46/512 = 0.090 ≥ 0.05, so 2.
RUN_VALUES = [3.0, 8.0, 6.0, 9.0, 2.0, 1.0, 6.0, 10.0, 11.0, 4.0, 5.0, 12.0]


def run_chart(api: TestClient, values: list[float], **params: str) -> Json:
    measure = create_measure(api, frequency="week")
    post_values(api, measure["id"], weeks(len(values)), values)
    return read_chart(api, measure["id"], chart_type="run", **params)


def test_a_run_charts_analysis_matches_the_hand_worked_example(api: TestClient) -> None:
    analysis = run_chart(api, RUN_VALUES)["summary"]["run_analysis"]

    assert analysis["median"] == 6
    assert analysis["useful_observations"] == 10
    assert analysis["number_of_runs"] == 6
    assert analysis["crossings"] == 5
    assert analysis["longest_run"] == 2
    assert analysis["runs_expected"] == [3, 9]
    assert (analysis["shifts"], analysis["trends"]) == ([], [])
    assert analysis["signal"] is False


def test_a_run_chart_centre_line_is_the_median(api: TestClient) -> None:
    chart = run_chart(api, RUN_VALUES)

    assert {p["centre"] for p in chart["points"]} == {6}
    assert {(p["upper"], p["lower"]) for p in chart["points"]} == {(None, None)}


def test_the_anhoj_limits_of_the_hand_worked_example(api: TestClient) -> None:
    analysis = run_chart(api, RUN_VALUES, rules="anhoj")["summary"]["run_analysis"]

    assert (analysis["longest_run"], analysis["longest_run_max"]) == (2, 6)
    assert (analysis["crossings"], analysis["crossings_min"]) == (5, 2)
    assert analysis["signal"] is False


def test_run_chart_shifts_are_reported_as_spans_of_periods(api: TestClient) -> None:
    """2 1 3 2 1 3 then 10 12 11 10 12 11: the median is (3 + 10) / 2 = 6.5, the first six weeks
    are below it and the last six above: two shifts of 6 (IHI), and 2 runs. The longest rise,
    1 3 10 12, is 4 points: no trend."""
    chart = run_chart(api, [2.0, 1.0, 3.0, 2.0, 1.0, 3.0, 10.0, 12.0, 11.0, 10.0, 12.0, 11.0])

    analysis = chart["summary"]["run_analysis"]
    periods = [d.isoformat() for d in weeks(12)]
    assert analysis["median"] == 6.5
    assert analysis["shifts"] == [
        {"start_period": periods[0], "end_period": periods[5]},
        {"start_period": periods[6], "end_period": periods[11]},
    ]
    assert analysis["trends"] == []
    assert analysis["signal"] is True
    assert all("shift" in p["special_cause"] for p in chart["points"])


def test_an_spc_chart_has_no_run_analysis(api: TestClient) -> None:
    measure = create_measure(api, frequency="week")
    post_values(api, measure["id"], weeks(14), VALUES)

    assert read_chart(api, measure["id"])["summary"]["run_analysis"] is None


# Size and tenancy ---------------------------------------------------------------------------


def test_a_chart_of_10000_points_is_drawn_in_full(api: TestClient) -> None:
    measure = create_measure(api)
    periods = days(10_000, date(1999, 1, 1))
    post_values(api, measure["id"], periods, [float(10 + i % 7) for i in range(10_000)])

    response = chart_response(api, measure["id"])

    assert response.status_code == 200, response.text
    points = response.json()["points"]
    assert len(points) == 10_000
    assert (points[0]["period"], points[-1]["period"]) == (
        "1999-01-01",
        (date(1999, 1, 1) + timedelta(days=9_999)).isoformat(),
    )


def test_another_organisations_measure_has_no_chart(api: TestClient, other_api: TestClient) -> None:
    measure_id = measure_of_type(api, "continuous")

    response = chart_response(other_api, measure_id)

    assert response.status_code == 404, response.text


def test_an_unknown_measure_has_no_chart(api: TestClient) -> None:
    response = chart_response(api, "6f1c2a4e-4d8b-4f57-9d1e-7c2b3a4d5e6f")

    assert response.status_code == 404, response.text
