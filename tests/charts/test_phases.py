"""GET/PUT /api/v1/measures/{id}/phases: a baseline whose limits extend forward, recalculations
that start new phases, how the chart shows them, and who may set them.

XmR lines are worked by hand: mean ± 2.66 × mean moving range (Wheeler; Making Data Count).
"""

from datetime import date, timedelta

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from tests.charts.support import (
    API,
    MEASURES,
    Json,
    create_measure,
    error_fields,
    ok,
    post_values,
    put_phases,
    read_chart,
    warning_codes,
    weeks,
)
from tests.conftest import Tenant, client_for

NO_PHASES: Json = {"baseline_points": None, "baseline_until": None, "recalculations": []}
REASON = "Nurse-led triage adopted after PDSA 4"

# 16 weeks alternating 10 and 12: mean 11; 15 moving ranges of 2, mean 2;
# limits 11 ± 2.66 × 2 = 11 ± 5.32: 16.32 and 5.68.
FIRST = [10.0, 12.0] * 8
FIRST_LINES = (11.0, 16.32, 5.68)
# 16 weeks alternating 20 and 24: mean 22; 15 moving ranges of 4, mean 4;
# limits 22 ± 2.66 × 4 = 22 ± 10.64: 32.64 and 11.36.
SECOND = [20.0, 24.0] * 8
SECOND_LINES = (22.0, 32.64, 11.36)
PERIODS = [d.isoformat() for d in weeks(32)]


def lines(item: Json) -> tuple[float, float, float]:
    """Centre, upper and lower limit, rounded to 6 decimals to compare with hand-worked figures."""
    return (round(item["centre"], 6), round(item["upper"], 6), round(item["lower"], 6))


def weekly_measure(api: TestClient, values: list[float]) -> str:
    measure = create_measure(api, frequency="week")
    post_values(api, measure["id"], weeks(len(values)), values)
    return str(measure["id"])


def phases_url(measure_id: str) -> str:
    return f"{MEASURES}/{measure_id}/phases"


# Reading and writing ------------------------------------------------------------------------


def test_a_new_measure_has_no_phases(api: TestClient) -> None:
    measure = create_measure(api)

    assert ok(api.get(phases_url(measure["id"]))) == NO_PHASES


def test_phases_put_are_returned_and_read_back(api: TestClient) -> None:
    measure_id = weekly_measure(api, FIRST)
    phases = {
        "baseline_until": None,
        "recalculations": [
            {"period": PERIODS[4], "reason": "Second triage bay opened"},
            {"period": PERIODS[10], "reason": REASON},
        ],
    }

    written = ok(put_phases(api, measure_id, phases))

    expected = {**NO_PHASES, **phases}
    assert written == expected
    assert ok(api.get(phases_url(measure_id))) == expected


def test_a_put_replaces_the_phases_as_a_whole(api: TestClient) -> None:
    measure_id = weekly_measure(api, FIRST)
    ok(put_phases(api, measure_id, {"recalculations": [{"period": PERIODS[4], "reason": REASON}]}))

    ok(put_phases(api, measure_id, {"baseline_points": 13}))

    assert ok(api.get(phases_url(measure_id))) == {**NO_PHASES, "baseline_points": 13}


def test_baseline_points_and_baseline_until_together_are_refused(api: TestClient) -> None:
    measure_id = weekly_measure(api, FIRST)

    response = put_phases(api, measure_id, {"baseline_points": 13, "baseline_until": PERIODS[12]})

    assert response.status_code == 422, response.text
    assert ok(api.get(phases_url(measure_id))) == NO_PHASES


def test_a_recalculation_not_on_the_first_day_of_a_week_is_refused_naming_the_field(
    api: TestClient,
) -> None:
    measure_id = weekly_measure(api, FIRST)
    wednesday = (date.fromisoformat(PERIODS[4]) + timedelta(days=2)).isoformat()

    response = put_phases(
        api, measure_id, {"recalculations": [{"period": wednesday, "reason": REASON}]}
    )

    assert response.status_code == 422, response.text
    assert error_fields(response) == ["body.recalculations.0.period"]
    assert PERIODS[4] in response.text  # the Monday it probably meant


def test_a_baseline_until_not_on_the_first_day_of_a_month_is_refused_naming_the_field(
    api: TestClient,
) -> None:
    measure = create_measure(api, frequency="month")

    response = put_phases(api, measure["id"], {"baseline_until": "2026-03-15"})

    assert response.status_code == 422, response.text
    assert error_fields(response) == ["body.baseline_until"]


def test_two_recalculations_in_the_same_period_are_refused(api: TestClient) -> None:
    measure_id = weekly_measure(api, FIRST)
    recalculation = {"period": PERIODS[4], "reason": REASON}

    response = put_phases(api, measure_id, {"recalculations": [recalculation, recalculation]})

    assert response.status_code == 422, response.text


def test_a_baseline_of_fewer_than_2_points_is_refused(api: TestClient) -> None:
    response = put_phases(api, weekly_measure(api, FIRST), {"baseline_points": 1})

    assert response.status_code == 422, response.text
    assert error_fields(response) == ["body.baseline_points"]


def test_an_unknown_field_is_refused(api: TestClient) -> None:
    response = put_phases(api, weekly_measure(api, FIRST), {"baseline": 13})

    assert response.status_code == 422, response.text


def test_a_read_only_key_cannot_set_phases(app: FastAPI, tenant: Tenant, api: TestClient) -> None:
    measure_id = weekly_measure(api, FIRST)
    reader = client_for(app, tenant.read_key)

    response = put_phases(reader, measure_id, {"baseline_points": 13})

    assert response.status_code == 403, response.text
    assert ok(api.get(phases_url(measure_id))) == NO_PHASES


def test_a_read_only_key_can_read_phases(app: FastAPI, tenant: Tenant, api: TestClient) -> None:
    measure_id = weekly_measure(api, FIRST)
    ok(put_phases(api, measure_id, {"baseline_points": 13}))

    phases = ok(client_for(app, tenant.read_key).get(phases_url(measure_id)))

    assert phases["baseline_points"] == 13


def test_another_organisations_measure_phases_cannot_be_set(
    api: TestClient, other_api: TestClient
) -> None:
    measure_id = weekly_measure(api, FIRST)

    response = put_phases(other_api, measure_id, {"baseline_points": 13})

    assert response.status_code == 404, response.text
    assert ok(api.get(phases_url(measure_id))) == NO_PHASES


def test_setting_phases_is_audited_with_before_and_after(api: TestClient) -> None:
    measure_id = weekly_measure(api, FIRST)
    ok(put_phases(api, measure_id, {"baseline_points": 13}))

    entries = ok(
        api.get(
            f"{API}/audit",
            params={"resource_id": measure_id, "resource_type": "measure", "action": "update"},
        )
    )["items"]

    [entry] = entries
    assert entry["changes"] == {
        "phases": {"before": NO_PHASES, "after": {**NO_PHASES, "baseline_points": 13}}
    }


# Baselines on the chart ---------------------------------------------------------------------


@pytest.fixture
def baseline_chart(api: TestClient) -> Json:
    """The 16 baseline weeks, then 4 weeks of 30: without the baseline the mean would be
    (16 × 11 + 4 × 30) / 20 = 14.8."""
    measure_id = weekly_measure(api, [*FIRST, 30.0, 30.0, 30.0, 30.0])
    ok(put_phases(api, measure_id, {"baseline_points": 16}))
    return read_chart(api, measure_id)


def test_a_baseline_is_one_phase_of_kind_baseline_computed_from_its_points(
    baseline_chart: Json,
) -> None:
    [phase] = baseline_chart["phases"]
    assert phase["kind"] == "baseline"
    assert (phase["start_period"], phase["basis_end_period"], phase["end_period"]) == (
        PERIODS[0],
        PERIODS[15],
        PERIODS[19],
    )
    assert lines(phase) == FIRST_LINES


def test_a_baselines_lines_extend_to_the_points_after_it(baseline_chart: Json) -> None:
    assert [lines(p) for p in baseline_chart["points"]] == [FIRST_LINES] * 20


def test_points_after_a_baseline_are_judged_against_its_limits(baseline_chart: Json) -> None:
    """30 is above the baseline's upper limit of 16.32: improvement for a measure where higher
    is better."""
    later = baseline_chart["points"][16:]
    assert all("outside_limits" in p["special_cause"] for p in later)
    assert {p["variation"] for p in later} == {"improvement"}


def test_baseline_until_fixes_the_baseline_at_that_period(api: TestClient) -> None:
    measure_id = weekly_measure(api, [*FIRST, 30.0, 30.0, 30.0, 30.0])
    ok(put_phases(api, measure_id, {"baseline_until": PERIODS[15]}))

    [phase] = read_chart(api, measure_id)["phases"]

    assert (phase["kind"], phase["basis_end_period"]) == ("baseline", PERIODS[15])
    assert lines(phase) == FIRST_LINES


# Recalculations on the chart ----------------------------------------------------------------


@pytest.fixture
def recalculated_chart(api: TestClient) -> Json:
    measure_id = weekly_measure(api, FIRST + SECOND)
    ok(put_phases(api, measure_id, {"recalculations": [{"period": PERIODS[16], "reason": REASON}]}))
    return read_chart(api, measure_id)


def test_a_recalculation_splits_the_chart_into_two_phases(recalculated_chart: Json) -> None:
    spans = [
        (phase["kind"], phase["start_period"], phase["end_period"], phase["basis_end_period"])
        for phase in recalculated_chart["phases"]
    ]
    assert spans == [
        ("phase", PERIODS[0], PERIODS[15], PERIODS[15]),
        ("phase", PERIODS[16], PERIODS[31], PERIODS[31]),
    ]


def test_each_phase_has_its_own_centre_and_limits(recalculated_chart: Json) -> None:
    assert [lines(phase) for phase in recalculated_chart["phases"]] == [FIRST_LINES, SECOND_LINES]


def test_each_point_carries_the_lines_of_its_phase(recalculated_chart: Json) -> None:
    assert [lines(p) for p in recalculated_chart["points"]] == [FIRST_LINES] * 16 + [
        SECOND_LINES
    ] * 16


def test_the_phase_a_recalculation_starts_carries_its_reason(recalculated_chart: Json) -> None:
    assert [phase["reason"] for phase in recalculated_chart["phases"]] == [None, REASON]


def test_a_recalculation_outside_the_data_is_warned_about(api: TestClient) -> None:
    measure_id = weekly_measure(api, FIRST)
    later = (date.fromisoformat(PERIODS[0]) + timedelta(weeks=52)).isoformat()
    ok(put_phases(api, measure_id, {"recalculations": [{"period": later, "reason": REASON}]}))

    chart = read_chart(api, measure_id)

    assert len(chart["phases"]) == 1
    assert "recalculation_outside_data" in warning_codes(chart)


# Both ---------------------------------------------------------------------------------------


@pytest.fixture
def both_chart(api: TestClient) -> Json:
    measure_id = weekly_measure(api, FIRST + SECOND)
    ok(
        put_phases(
            api,
            measure_id,
            {
                "baseline_points": 16,
                "recalculations": [{"period": PERIODS[16], "reason": REASON}],
            },
        )
    )
    return read_chart(api, measure_id)


def test_a_baseline_and_recalculations_together_are_warned_about(both_chart: Json) -> None:
    assert "baseline_overrides_recalculation" in warning_codes(both_chart)


def test_with_a_baseline_and_recalculations_only_the_baseline_applies(both_chart: Json) -> None:
    """README of the MDC test pack: "with both, only the baseline applies"."""
    [phase] = both_chart["phases"]
    assert (phase["kind"], phase["basis_end_period"], phase["end_period"]) == (
        "baseline",
        PERIODS[15],
        PERIODS[31],
    )
    assert lines(phase) == FIRST_LINES
