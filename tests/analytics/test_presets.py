"""Named rule sets and their validation."""

import pytest

from app.analytics import RuleSet, preset


def test_mdc_preset_is_the_making_data_count_single_chart_tool() -> None:
    assert preset("mdc") == RuleSet("mdc", 6, 6, 13, False, True, True)


def test_nhsr_preset_follows_nhsrplotthedots() -> None:
    """7-point shift and trend, screened moving ranges, two-in-three (``ptd_two_in_three``), rules
    within each rebase group, 12 points (``ptd_add_short_group_warnings``)."""
    assert preset("nhsr") == RuleSet("nhsr", 7, 7, 12, True, True, False)


def test_ihi_preset_follows_perla_provost_and_murray() -> None:
    rules = preset("ihi")
    assert (rules.shift_points, rules.trend_points, rules.minimum_points) == (6, 5, 10)


def test_anhoj_preset_turns_the_fixed_shift_and_the_trend_rule_off() -> None:
    rules = preset("anhoj")
    assert (rules.shift_points, rules.trend_points, rules.minimum_points) == (0, 0, 10)


def test_overrides_keep_the_preset_name_and_list_what_changed() -> None:
    rules = preset("mdc", shift_points=7, trend_points=6, screen_moving_ranges=True)
    assert (rules.preset, rules.shift_points, rules.screen_moving_ranges) == ("mdc", 7, True)
    assert rules.overridden == ("shift_points", "screen_moving_ranges")


def test_unknown_preset_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown rule preset"):
        preset("western_electric")


@pytest.mark.parametrize(
    "overrides",
    [
        {"shift_points": 1},
        {"trend_points": -3},
        {"minimum_points": 1},
        {"two_of_three": 1},
        {"shift_points": True},
        {"preset": 1},
        {"overridden": 1},
        {"nelson_rules": True},
    ],
)
def test_nonsensical_overrides_are_refused(overrides: dict[str, int]) -> None:
    with pytest.raises(ValueError, match=r"must be|unknown rule parameter"):
        preset("mdc", **overrides)


def test_a_rule_length_of_zero_turns_the_rule_off() -> None:
    assert preset("mdc", trend_points=0).trend_points == 0
