"""Working days in Sweden: Monday to Friday, minus public holidays and the eves treated as such.

Midsommarafton, julafton and nyårsafton are not public holidays by law but are days off
(semesterlagen 7 §); the `holidays` package lists them in its DE_FACTO category.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays


@lru_cache(maxsize=16)
def _swedish_days_off(year: int) -> dict[date, str]:
    wanted = tuple(c for c in (holidays.PUBLIC, holidays.DE_FACTO) if c in holidays.Sweden.supported_categories)
    return dict(holidays.Sweden(years=year, language="sv", categories=wanted))


def holiday_name(day: date) -> str | None:
    """The Swedish name of the holiday on `day`, or None."""
    return _swedish_days_off(day.year).get(day)


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and holiday_name(day) is None


def previous_working_day(day: date) -> date:
    day -= timedelta(days=1)
    while not is_working_day(day):
        day -= timedelta(days=1)
    return day


def next_working_day(day: date) -> date:
    day += timedelta(days=1)
    while not is_working_day(day):
        day += timedelta(days=1)
    return day


def at_local(day: date, when: time, zone: ZoneInfo) -> datetime:
    """`day` at the wall-clock time `when` in `zone` (what "07:30 in Stockholm" means that day)."""
    return datetime.combine(day, when, tzinfo=zone)


def as_utc(value: datetime) -> datetime:
    """A stored time as aware UTC: SQLite hands some back without their zone (they were stored in UTC)."""
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
