"""Unit tests of app/periods.py: a period is named by its first day."""

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.models.measure import Frequency
from app.periods import misalignment, missing_periods, next_period, period_start

DAYS = st.dates(min_value=date(1900, 1, 1), max_value=date(2200, 12, 31))
FREQUENCIES = st.sampled_from(list(Frequency))


@pytest.mark.parametrize(
    ("frequency", "day", "start"),
    [
        (Frequency.DAY, date(2026, 3, 4), date(2026, 3, 4)),
        (Frequency.WEEK, date(2026, 3, 2), date(2026, 3, 2)),
        (Frequency.WEEK, date(2026, 3, 8), date(2026, 3, 2)),
        (Frequency.WEEK, date(2026, 1, 1), date(2025, 12, 29)),
        (Frequency.MONTH, date(2026, 2, 28), date(2026, 2, 1)),
        (Frequency.QUARTER, date(2026, 3, 31), date(2026, 1, 1)),
        (Frequency.QUARTER, date(2026, 4, 1), date(2026, 4, 1)),
        (Frequency.QUARTER, date(2026, 8, 15), date(2026, 7, 1)),
        (Frequency.QUARTER, date(2026, 12, 31), date(2026, 10, 1)),
        (Frequency.YEAR, date(2026, 12, 31), date(2026, 1, 1)),
    ],
)
def test_the_period_start_is_the_first_day_of_the_period(
    frequency: Frequency, day: date, start: date
) -> None:
    assert period_start(day, frequency) == start


@pytest.mark.parametrize(
    ("frequency", "start", "following"),
    [
        (Frequency.DAY, date(2026, 2, 28), date(2026, 3, 1)),
        (Frequency.WEEK, date(2026, 12, 28), date(2027, 1, 4)),
        (Frequency.MONTH, date(2026, 12, 1), date(2027, 1, 1)),
        (Frequency.QUARTER, date(2026, 10, 1), date(2027, 1, 1)),
        (Frequency.QUARTER, date(2026, 1, 1), date(2026, 4, 1)),
        (Frequency.YEAR, date(2026, 1, 1), date(2027, 1, 1)),
    ],
)
def test_the_next_period_starts_where_this_one_ends(
    frequency: Frequency, start: date, following: date
) -> None:
    assert next_period(start, frequency) == following


def test_a_period_start_is_not_misaligned() -> None:
    assert misalignment(date(2026, 3, 2), Frequency.WEEK) is None


def test_a_misaligned_date_is_explained_with_the_period_start_it_may_mean() -> None:
    reason = misalignment(date(2026, 3, 8), Frequency.WEEK)

    assert reason is not None
    assert "2026-03-08" in reason
    assert "2026-03-02" in reason


def test_every_day_is_the_start_of_a_daily_period() -> None:
    assert misalignment(date(2026, 3, 5), Frequency.DAY) is None


def test_missing_periods_are_the_gaps_between_the_first_and_last() -> None:
    present = [date(2026, 1, 1), date(2026, 2, 1), date(2026, 5, 1)]

    assert missing_periods(present, Frequency.MONTH) == [date(2026, 3, 1), date(2026, 4, 1)]


def test_no_periods_have_no_gaps() -> None:
    assert missing_periods([], Frequency.WEEK) == []


@given(DAYS, FREQUENCIES)
def test_a_day_lies_within_its_period(day: date, frequency: Frequency) -> None:
    start = period_start(day, frequency)

    assert start <= day < next_period(start, frequency)


@given(DAYS, FREQUENCIES)
def test_a_period_start_is_its_own_period_start(day: date, frequency: Frequency) -> None:
    start = period_start(day, frequency)

    assert period_start(start, frequency) == start
    assert misalignment(start, frequency) is None


@given(DAYS, FREQUENCIES)
def test_a_date_is_misaligned_exactly_when_it_is_not_its_period_start(
    day: date, frequency: Frequency
) -> None:
    assert (misalignment(day, frequency) is None) == (period_start(day, frequency) == day)


@given(DAYS, FREQUENCIES)
def test_consecutive_periods_leave_no_gap(day: date, frequency: Frequency) -> None:
    start = period_start(day, frequency)
    following = next_period(start, frequency)

    assert period_start(following - timedelta(days=1), frequency) == start


@given(DAYS)
def test_weekly_periods_start_on_mondays(day: date) -> None:
    assert period_start(day, Frequency.WEEK).weekday() == 0


@given(DAYS)
def test_quarters_start_in_january_april_july_or_october(day: date) -> None:
    start = period_start(day, Frequency.QUARTER)

    assert (start.month, start.day) in {(1, 1), (4, 1), (7, 1), (10, 1)}
