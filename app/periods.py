"""Measurement periods: each measure's data is one point per period of its frequency.

A period is named by its first day: any day for daily measures, the Monday of an ISO week,
the 1st of a month, the 1st of January/April/July/October for quarters, 1 January for years.
A date that is not the first day of its period is refused rather than silently moved, so a
team that meant week-ending dates finds out at once instead of charting shifted data.
"""

from datetime import date, timedelta

from app.models.measure import Frequency


def period_start(day: date, frequency: Frequency) -> date:
    """The first day of the period of `frequency` that contains `day`."""
    match frequency:
        case Frequency.DAY:
            return day
        case Frequency.WEEK:
            return day - timedelta(days=day.weekday())
        case Frequency.MONTH:
            return day.replace(day=1)
        case Frequency.QUARTER:
            return date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)
        case Frequency.YEAR:
            return date(day.year, 1, 1)


def next_period(start: date, frequency: Frequency) -> date:
    match frequency:
        case Frequency.DAY:
            return start + timedelta(days=1)
        case Frequency.WEEK:
            return start + timedelta(weeks=1)
        case Frequency.MONTH | Frequency.QUARTER:
            months = 1 if frequency is Frequency.MONTH else 3
            month_index = start.month - 1 + months
            return date(start.year + month_index // 12, month_index % 12 + 1, 1)
        case Frequency.YEAR:
            return date(start.year + 1, 1, 1)


def misalignment(day: date, frequency: Frequency) -> str | None:
    """Why `day` cannot name a period of `frequency`, or None when it can."""
    start = period_start(day, frequency)
    if start == day:
        return None
    return f"{day} is not the first day of a {frequency.value}; did you mean {start}?"


def missing_periods(periods: list[date], frequency: Frequency) -> list[date]:
    """Periods with no data between the first and last of `periods` (which are sorted)."""
    present = set(periods)
    missing = []
    if periods:
        current = periods[0]
        while current < periods[-1]:
            if current not in present:
                missing.append(current)
            current = next_period(current, frequency)
    return missing
