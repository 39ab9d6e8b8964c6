"""When a meeting or a free time needs the person's confirmation (cases/booking.py, a pure function of the clock).

Non-working days: Saturdays, Sundays, the public holidays (helgdagar) and midsommarafton, julafton and
nyårsafton. The three eves are not public holidays by law but are treated as Sundays (semesterlagen,
the central agreements; the board is closed), and the digest already counts them as days off
(digest/calendar.py), so one calendar rules both. The "half days" before other holidays
(trettondagsafton, skärtorsdagen, valborgsmässoafton, allhelgonaafton) are working days: a meeting
then is allowed without a question.
"""

from __future__ import annotations

from datetime import UTC, datetime, time
from zoneinfo import ZoneInfo

import pytest

from cases import booking
from cases.booking import BookingRefused, Concern, TimeNotUnderstood, local_time, time_concerns
from inbox.config import load_settings
from inbox.errors import ConfigError

ZONE = ZoneInfo("Europe/Stockholm")
PAST, WEEKEND, HOLIDAY = booking.PAST, booking.WEEKEND, booking.HOLIDAY
BEFORE_HOURS, AFTER_HOURS, CLOCK_CHANGE, FORMAT = booking.BEFORE_HOURS, booking.AFTER_HOURS, booking.CLOCK_CHANGE, booking.FORMAT
NOW = datetime(2026, 3, 12, 9, 0, tzinfo=UTC)  # a Thursday
HOURS = (time(8, 0), time(17, 0))


def concerns(text: str, minutes: int = 60, *, now: datetime = NOW, hours: tuple[time, time] = HOURS) -> list[str]:
    return [c.code for c in time_concerns(local_time(text, ZONE), minutes, now=now, zone=ZONE, office_hours=hours)]


def test_an_ordinary_working_day_within_office_hours_needs_no_confirmation():
    assert concerns("2026-03-17 10:00") == []
    assert concerns("2026-03-17 08:00") == [] and concerns("2026-03-17 16:00") == []  # 16:00 + 60 min ends at 17:00


def test_a_time_in_the_past_is_questioned():
    assert concerns("2026-03-12 09:30") == [PAST]  # 08:30 UTC, before the clock's 09:00 UTC
    assert concerns("2026-03-12 10:30") == []  # later today is fine


def test_weekends_are_questioned_with_the_day():
    found = time_concerns(local_time("2026-03-14 10:00", ZONE), 60, now=NOW, zone=ZONE, office_hours=HOURS)
    assert found == (Concern(WEEKEND, "5"),)  # Saturday
    assert concerns("2026-03-15 10:00") == [WEEKEND]


def test_the_issues_two_examples_new_years_day_2025_and_a_sunday():
    found = time_concerns(local_time("2025-01-01 10:00", ZONE), 60, now=NOW, zone=ZONE, office_hours=HOURS)
    assert found == (Concern(PAST), Concern(HOLIDAY, "Nyårsdagen"))
    assert concerns("2026-03-22 10:00") == [WEEKEND]


@pytest.mark.parametrize(("day", "name"), [
    ("2026-04-03", "Långfredagen"), ("2026-04-06", "Annandag påsk"), ("2026-05-01", "Första maj"),
    ("2026-05-14", "Kristi himmelsfärdsdag"), ("2026-06-19", "Midsommarafton"), ("2026-12-24", "Julafton"),
    ("2026-12-25", "Juldagen"), ("2026-12-31", "Nyårsafton"), ("2027-01-06", "Trettondedag jul"),
])
def test_public_holidays_and_the_eves_treated_as_sundays_are_questioned(day, name):
    found = time_concerns(local_time(f"{day} 10:00", ZONE), 60, now=NOW, zone=ZONE, office_hours=HOURS)
    assert found == (Concern(HOLIDAY, name),)


@pytest.mark.parametrize("day", ["2027-01-05", "2026-04-02", "2026-04-30", "2026-10-30"])
def test_the_other_eves_are_working_days(day):
    # trettondagsafton, skärtorsdagen, valborgsmässoafton, the Friday before alla helgons dag
    assert concerns(f"{day} 10:00") == []


def test_a_holiday_on_a_sunday_names_both():
    assert concerns("2026-04-05 10:00") == [WEEKEND, HOLIDAY]  # påskdagen


def test_office_hours_cover_the_whole_meeting():
    assert concerns("2026-03-17 07:45") == [BEFORE_HOURS]
    assert concerns("2026-03-17 16:30") == [AFTER_HOURS]  # ends 17:30
    assert concerns("2026-03-17 16:30", minutes=30) == []
    assert concerns("2026-03-17 17:00", minutes=15) == [AFTER_HOURS]
    assert concerns("2026-03-17 23:30") == [AFTER_HOURS]  # ends the next day
    found = time_concerns(local_time("2026-03-17 18:00", ZONE), 60, now=NOW, zone=ZONE, office_hours=HOURS)
    assert found == (Concern(AFTER_HOURS, "08:00-17:00"),)


def test_configured_office_hours_are_used():
    assert concerns("2026-03-17 08:30", hours=(time(9, 0), time(15, 0))) == [BEFORE_HOURS]
    assert concerns("2026-03-17 14:30", hours=(time(9, 0), time(15, 0))) == [AFTER_HOURS]


def test_office_hours_are_read_on_the_local_clock_in_summer_and_winter():
    summer = datetime(2026, 6, 10, 6, 30, tzinfo=UTC)  # 08:30 CEST
    winter = datetime(2026, 1, 14, 6, 30, tzinfo=UTC)  # 07:30 CET
    early = datetime(2026, 1, 1, tzinfo=UTC)
    assert time_concerns(summer, 60, now=early, zone=ZONE, office_hours=HOURS) == ()
    assert [c.code for c in time_concerns(winter, 60, now=early, zone=ZONE, office_hours=HOURS)] == [BEFORE_HOURS]
    # 14:30 UTC for 30 min ends 17:00 CEST in summer, 16:00 CET in winter; 15:30 UTC starts 17:30 CEST
    assert [c.code for c in time_concerns(datetime(2026, 6, 10, 14, 30, tzinfo=UTC), 30, now=early, zone=ZONE, office_hours=HOURS)] == []
    assert [c.code for c in time_concerns(datetime(2026, 1, 14, 14, 30, tzinfo=UTC), 30, now=early, zone=ZONE, office_hours=HOURS)] == []
    assert [c.code for c in time_concerns(datetime(2026, 6, 10, 15, 30, tzinfo=UTC), 30, now=early, zone=ZONE, office_hours=HOURS)] == [AFTER_HOURS]


def test_the_days_after_the_clock_changes_keep_their_office_hours():
    # Monday after the spring change and after the autumn change: 08:00 local is still 08:00 local
    assert concerns("2026-03-30 08:00") == [] and concerns("2026-10-26 08:00") == []
    assert local_time("2026-03-30 08:00", ZONE).astimezone(UTC).hour == 6  # CEST
    assert local_time("2026-10-26 08:00", ZONE).astimezone(UTC).hour == 7  # CET


def test_times_the_clock_skips_or_repeats_are_not_understood():
    for text in ("2026-03-29 02:30", "2026-10-25 02:30"):
        with pytest.raises(TimeNotUnderstood) as caught:
            local_time(text, ZONE)
        assert caught.value.code == CLOCK_CHANGE and "clock changes" in str(caught.value)
    with pytest.raises(TimeNotUnderstood) as caught:
        local_time("tomorrow", ZONE)
    assert caught.value.code == FORMAT and "not a date and time like" in str(caught.value)


def test_a_browser_value_with_a_t_is_understood():
    assert local_time("2026-05-12T10:00", ZONE) == datetime(2026, 5, 12, 10, 0, tzinfo=ZONE)


def test_a_refusal_carries_its_codes_and_says_why_in_english():
    refused = BookingRefused(local_time("2025-01-01 10:00", ZONE), (Concern(PAST), Concern(HOLIDAY, "Nyårsdagen")), ZONE)
    assert [c.code for c in refused.concerns] == [PAST, HOLIDAY]
    assert str(refused) == "2025-01-01 10:00 is in the past and is Nyårsdagen, not a working day in Sweden"
    sunday = BookingRefused(local_time("2026-03-22 10:00", ZONE), (Concern(WEEKEND, "6"),), ZONE)
    assert str(sunday) == "2026-03-22 10:00 is on a Sunday"


@pytest.mark.parametrize(("value", "message"), [
    ("17:00-08:00", "the closing time must come after the opening time"),
    ("8-17", 'write the opening and closing time as "HH:MM-HH:MM"'),
    ("08:00-25:00", 'write the opening and closing time as "HH:MM-HH:MM"'),
])
def test_office_hours_in_the_config_are_checked_with_file_and_key(tmp_path, value, message):
    path = tmp_path / "config.toml"
    path.write_text(f'[booking]\noffice_hours = "{value}"\n', encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_settings(path)
    assert str(caught.value).startswith(f"{path}: [booking] office_hours: {message}")


def test_office_hours_default_and_a_spaced_value(tmp_path):
    assert load_settings(None).booking.hours() == (time(8, 0), time(17, 0))
    path = tmp_path / "config.toml"
    path.write_text('[booking]\noffice_hours = " 09:00 - 16:30 "\n', encoding="utf-8")
    booking = load_settings(path).booking
    assert booking.office_hours == "09:00-16:30" and booking.hours() == (time(9, 0), time(16, 30))
