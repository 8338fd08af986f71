"""NHS England's Making Data Count XmR test pack (Single Chart Tool v5.0 behaviour).

See ``tests/fixtures/mdc-xmr-test-pack/README.md``: 35 scenarios with the expected colour of
every point, and figures quoted from the pack's accompanying document.
"""

from datetime import timedelta
from itertools import pairwise

import pytest

from app.analytics import (
    AssuranceIcon,
    ChartResult,
    ChartType,
    Direction,
    Observation,
    Phases,
    VariationIcon,
    compute_chart,
    preset,
)
from tests.analytics.mdc_pack import COLOURS, METRIC_TYPOS, Scenario, load_scenarios, read_rows

SCENARIOS = {s.name: s for s in load_scenarios()}

CONFLICT = "Special cause conflict - High is good"
CONFLICT_ANOMALY_INDEX = 14  # point 15


def chart(scenario: Scenario, target: float | None = None) -> ChartResult:
    settings = scenario.settings
    recalc = settings.get("recalculate_from_point")
    return compute_chart(
        [Observation(row.value) for row in scenario.rows],
        ChartType.XMR,
        Direction(settings["improvement_direction"]),
        preset(
            "mdc",
            shift_points=settings["shift_points"],
            trend_points=settings["trend_points"],
        ),
        Phases(
            baseline_points=settings.get("baseline_points"),
            recalculate_at=() if recalc is None else (recalc - 1,),
        ),
        target=target,
    )


def colours(result: ChartResult) -> list[str]:
    return [point.variation.value for point in result.points]


def expected(scenario: Scenario) -> list[str]:
    return [COLOURS[row.colour] for row in scenario.rows]


def test_the_pack_holds_35_scenarios_each_with_its_stated_number_of_daily_points() -> None:
    assert len(SCENARIOS) == 35
    for scenario in SCENARIOS.values():
        days = [row.day for row in scenario.rows]
        assert len(days) == scenario.settings["points"], scenario.name
        assert all(b - a == timedelta(days=1) for a, b in pairwise(days)), scenario.name


def test_every_csv_metric_is_a_listed_scenario_once_the_known_typo_is_corrected() -> None:
    assert set(read_rows()) == set(SCENARIOS)
    assert set(METRIC_TYPOS.values()) <= set(SCENARIOS)


@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_every_point_has_the_colour_the_test_pack_expects(name: str) -> None:
    scenario = SCENARIOS[name]
    want = expected(scenario)
    if name == CONFLICT:
        want[CONFLICT_ANOMALY_INDEX] = "common_cause"  # the pack's known error, tested below
    assert colours(chart(scenario)) == want


def test_conflict_scenario_differs_from_the_csv_only_at_point_15_where_the_csv_is_wrong() -> None:
    """README, "Known anomaly": the CSV marks point 15 of "Special cause conflict - High is good"
    blue, while the pack's document says the increasing trend covers points 8 to 14. Point 15
    (27) falls after 36, is inside the limits, and is in no shift, trend or two-of-three pattern,
    so the rules make it common cause (grey)."""
    scenario = SCENARIOS[CONFLICT]
    result = chart(scenario)
    differences = [
        i
        for i, (got, want) in enumerate(zip(colours(result), expected(scenario), strict=True))
        if got != want
    ]
    assert differences == [CONFLICT_ANOMALY_INDEX]
    assert scenario.rows[CONFLICT_ANOMALY_INDEX].colour == "blue"
    assert result.points[CONFLICT_ANOMALY_INDEX].special_cause == ()
    trend = [p.index for p in result.points if "trend" in p.special_cause and p.index >= 7]
    assert trend == list(range(7, 14))


def test_process_limits_for_15_points_are_those_the_pack_document_quotes() -> None:
    """README: for "Process limits - 15" the mean is 23.20, upper 37.64, lower 8.76."""
    (phase,) = chart(SCENARIOS["Process limits - 15"]).phases
    assert phase.centre == pytest.approx(23.20, abs=0.005)
    assert phase.upper == pytest.approx(37.64, abs=0.005)
    assert phase.lower == pytest.approx(8.76, abs=0.005)


@pytest.mark.parametrize("name", ["Number of points - 12", "Process limits - 10"])
def test_fewer_than_13_points_give_a_mean_but_no_limits_and_no_icons(name: str) -> None:
    result = chart(SCENARIOS[name])
    assert result.phases[0].upper is None
    assert all(p.upper is None and p.lower is None for p in result.points)
    assert result.summary.variation_icon is None
    assert "too_few_points_for_limits" in result.warnings


@pytest.mark.parametrize(
    ("direction", "target", "icon"),
    [
        ("high is good", 40, AssuranceIcon.FAIL),
        ("high is good", 30, AssuranceIcon.HIT_AND_MISS),
        ("high is good", 10, AssuranceIcon.PASS),
        ("low is good", 40, AssuranceIcon.PASS),
        ("low is good", 30, AssuranceIcon.HIT_AND_MISS),
        ("low is good", 10, AssuranceIcon.FAIL),
    ],
)
def test_assurance_icon_for_each_target_the_pack_document_tries(
    direction: str, target: float, icon: AssuranceIcon
) -> None:
    """README: limits 13.33 / 25.17 / 37.00; target 40 fails, 30 is hit and miss, 10 passes for
    "high is good"; pass and fail swap for "low is good"."""
    result = chart(SCENARIOS[f"Summary icons - assurance - {direction}"], target=target)
    (phase,) = result.phases
    assert phase.lower == pytest.approx(13.33, abs=0.005)
    assert phase.centre == pytest.approx(25.17, abs=0.005)
    assert phase.upper == pytest.approx(37.00, abs=0.005)
    assert result.summary.assurance_icon is icon


@pytest.mark.parametrize(
    ("name", "icon"),
    [
        ("Summary icons - variation - High is good", VariationIcon.IMPROVEMENT_HIGH),
        ("Summary icons - variation - Low is good", VariationIcon.CONCERN_HIGH),
        ("Summary icons - variation - High is good 2", VariationIcon.COMMON_CAUSE),
        ("Summary icons - variation - High is good 3", VariationIcon.CONCERN_LOW),
        ("Summary icons - variation - Low is good 3", VariationIcon.IMPROVEMENT_LOW),
        ("Summary icons - variation - Neither", VariationIcon.NEITHER_HIGH),
        ("Summary icons - variation - Neither2", VariationIcon.COMMON_CAUSE),
        ("Summary icons - variation - Too few points", None),
    ],
)
def test_variation_icon_is_the_last_points_colour_on_its_side_of_the_mean(
    name: str, icon: VariationIcon | None
) -> None:
    """The pack's last colours: 45 blue, 45 orange, 25 grey, 5 orange, 5 blue, 45 purple, 25
    grey; 45 and 5 lie above and below every scenario's mean; 10 points are too few."""
    assert chart(SCENARIOS[name]).summary.variation_icon is icon


def test_a_baseline_of_15_points_is_reported_as_one_baseline_section() -> None:
    """The first 15 values of "Baselines - Recalculated" sum to 300: mean 20."""
    (phase,) = chart(SCENARIOS["Baselines - Recalculated"]).phases
    assert (phase.kind, phase.start, phase.basis_end, phase.end) == ("baseline", 0, 14, 29)
    assert phase.centre == 20
