"""`inbox book` and `inbox slots add` refuse a time in the past, on a weekend or holiday, or outside office
hours unless the person confirms (`--confirm` / `--anyway`); nothing is booked or sent on a refusal.

The command runs with the real clock, so the future dates are computed from today. One complete
affiliation (Västerås stad, JS-2026-0001: invited) is all the data these tests need."""

from __future__ import annotations

import shutil
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from digest.calendar import next_working_day
from tests.integration.test_cli import EXAMPLES, inbox
from tests.integration.test_staff_cli import outbox_subjects, run

CONFIRMATION = "Bekräftelse av dialogmöte"


@pytest.fixture
def config(tmp_path):
    mail = tmp_path / "mail"
    mail.mkdir()
    shutil.copy(EXAMPLES / "01-vasteras-stad-outlook.eml", mail)
    path = tmp_path / "config.toml"
    path.write_text(f'[source.directory]\npath = "{mail}"\n[smtp]\noutbox_dir = "outbox"\n', encoding="utf-8")
    done = inbox("--config", str(path), "demo")
    assert done.returncode == 0, done.stderr
    assert "JS-2026-0001" in run(path, "cases", "--status", "invited")
    return path


def today() -> date:
    return datetime.now(ZoneInfo("Europe/Stockholm")).date()


def a_sunday() -> str:
    day = today() + timedelta(days=14)
    return f"{day + timedelta(days=6 - day.weekday()):%Y-%m-%d} 10:00"


def a_working_day(hour: str = "10:00") -> str:
    return f"{next_working_day(today() + timedelta(days=14)):%Y-%m-%d} {hour}"


def refused(config, *args) -> str:
    done = inbox("--config", str(config), *args)
    assert done.returncode == 2 and "Traceback" not in done.stderr, done.stderr
    return done.stderr


def confirmations(tmp_path) -> list[str]:
    return [subject for subject in outbox_subjects(tmp_path) if subject.startswith(CONFIRMATION)]


def test_a_past_holiday_a_sunday_and_after_hours_are_refused_and_nothing_is_sent(config, tmp_path):
    before = run(config, "show", "JS-2026-0001")
    error = refused(config, "book", "JS-2026-0001", "--at", "2025-01-01 10:00")
    assert "2025-01-01 10:00 is in the past and is Nyårsdagen, not a working day in Sweden" in error
    assert "add --confirm to go ahead anyway" in error
    sunday = a_sunday()
    assert f"{sunday} is on a Sunday" in refused(config, "book", "JS-2026-0001", "--at", sunday)
    late = refused(config, "book", "JS-2026-0001", "--at", a_working_day("18:00"))
    assert "starts" not in late and "ends after office hours (08:00-17:00)" in late
    assert "starts before office hours" in refused(config, "book", "JS-2026-0001", "--at", a_working_day("07:00"))
    run(config, "send")
    assert confirmations(tmp_path) == []
    assert run(config, "show", "JS-2026-0001") == before  # not booked, no event


def test_a_confirmed_sunday_is_booked_and_a_working_day_needs_no_confirmation(config, tmp_path):
    sunday = a_sunday()
    assert "JS-2026-0001: booked" in run(config, "book", "JS-2026-0001", "--at", sunday, "--confirm", "--by", "eva")
    run(config, "send")
    assert len(confirmations(tmp_path)) == 1
    assert "confirmed although it is on a Sunday" in run(config, "show", "JS-2026-0001")
    assert "JS-2026-0001: booked" in run(config, "book", "JS-2026-0001", "--at", a_working_day())  # moved, no question
    run(config, "send")
    assert any(subject.startswith("Ny tid för dialogmöte") for subject in outbox_subjects(tmp_path))


def test_slots_are_refused_all_or_none_and_added_with_anyway(config):
    good, sunday = a_working_day(), a_sunday()
    assert "2025-01-01 10:00 is in the past" in refused(config, "slots", "add", "2025-01-01 10:00")
    assert f"{sunday} is on a Sunday" in refused(config, "slots", "add", good, sunday)
    assert "free" not in run(config, "slots", "list")  # the good one was not added either
    assert "2 slot(s) added" in run(config, "slots", "add", good, sunday, "--anyway")
    assert run(config, "slots", "list").count("free") == 2
