"""Working days for the digest: weekends, Swedish public holidays and the eves that are days off."""

from __future__ import annotations

from datetime import date, time
from zoneinfo import ZoneInfo

import pytest

from digest.calendar import at_local, holiday_name, is_working_day, next_working_day, previous_working_day

STOCKHOLM = ZoneInfo("Europe/Stockholm")


@pytest.mark.parametrize(("day", "name"), [
    (date(2026, 12, 24), "Julafton"),
    (date(2026, 12, 25), "Juldagen"),
    (date(2026, 12, 31), "Nyårsafton"),
    (date(2026, 6, 19), "Midsommarafton"),
    (date(2026, 4, 3), "Långfredagen"),
    (date(2026, 4, 6), "Annandag påsk"),
    (date(2026, 5, 14), "Kristi himmelsfärdsdag"),
    (date(2026, 1, 6), "Trettondedag jul"),
    (date(2027, 6, 25), "Midsommarafton"),
])
def test_holidays_and_eves_are_not_working_days(day, name):
    assert holiday_name(day) == name
    assert not is_working_day(day)


@pytest.mark.parametrize("day", [
    date(2026, 12, 23),  # the day before julafton is an ordinary working day
    date(2026, 4, 2),  # skärtorsdagen: a half day for some, a working day
    date(2026, 5, 15),  # a "klämdag" is a working day
    date(2026, 6, 18),
    date(2026, 3, 12),
])
def test_ordinary_weekdays_are_working_days(day):
    assert holiday_name(day) is None
    assert is_working_day(day)


def test_weekend_is_not_a_working_day():
    assert not is_working_day(date(2026, 3, 14))
    assert not is_working_day(date(2026, 3, 15))


def test_monday_looks_back_to_friday():
    assert previous_working_day(date(2026, 3, 16)) == date(2026, 3, 13)


def test_christmas_week_2026():
    # Thursday 24 to Sunday 27 December are all off: the digest after the 23rd is Monday the 28th.
    assert next_working_day(date(2026, 12, 23)) == date(2026, 12, 28)
    assert previous_working_day(date(2026, 12, 28)) == date(2026, 12, 23)


def test_easter_2026():
    # Långfredagen 3 April to annandag påsk 6 April: Thursday the 2nd, then Tuesday the 7th.
    assert next_working_day(date(2026, 4, 2)) == date(2026, 4, 7)
    assert previous_working_day(date(2026, 4, 7)) == date(2026, 4, 2)


def test_midsummer_2026():
    assert next_working_day(date(2026, 6, 18)) == date(2026, 6, 22)


def test_local_digest_time_follows_summer_time():
    assert at_local(date(2026, 3, 27), time(7, 30), STOCKHOLM).utcoffset().total_seconds() == 3600
    assert at_local(date(2026, 3, 30), time(7, 30), STOCKHOLM).utcoffset().total_seconds() == 7200
