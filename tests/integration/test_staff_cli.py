"""Staff commands as a person runs them: slots, case, book, preview, show (SQLite, file outbox)."""

from __future__ import annotations

import email
import email.policy

import icalendar
import pytest

from tests.integration.test_cli import EXAMPLES, inbox


@pytest.fixture
def config(tmp_path):
    path = tmp_path / "config.toml"
    path.write_text(f'[source.directory]\npath = "{EXAMPLES}"\n[smtp]\noutbox_dir = "outbox"\n', encoding="utf-8")
    done = inbox("--config", str(path), "demo")
    assert done.returncode == 0, done.stderr
    return path


def run(config, *args):
    done = inbox("--config", str(config), *args)
    assert done.returncode == 0, f"inbox {' '.join(args)}: {done.stderr}"
    return done.stdout


def outbox_subjects(tmp_path) -> dict[str, email.message.EmailMessage]:
    found = {}
    for path in sorted((tmp_path / "outbox").glob("*.eml")):
        message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
        found[message["Subject"]] = message
    return found


def test_slots_booking_and_history_from_the_command_line(config, tmp_path):
    assert "2 slot(s) added" in run(config, "slots", "add", "2026-12-01 10:00", "2026-12-02 13:30", "--place", "Länsstyrelsen, rum Mälaren", "--confirm")
    listed = run(config, "slots", "list")
    assert "tisdag den 1 december 2026 kl. 10.00" in listed and "free" in listed

    assert "JS-2026-0001: booked" in run(config, "book", "JS-2026-0001", "--at", "2026-12-01 10:00", "--by", "eva", "--confirm")  # past by now
    run(config, "send")
    confirmation = outbox_subjects(tmp_path)["Bekräftelse av dialogmöte: jämställdhetsstrategin [JS-2026-0001]"]
    ics = next(p for p in confirmation.iter_attachments() if p.get_content_type() == "text/calendar")
    event = icalendar.Calendar.from_ical(ics.get_content()).walk("VEVENT")[0]
    assert str(event["LOCATION"]) == "Länsstyrelsen, rum Mälaren"
    assert "booked" in run(config, "slots", "list")

    run(config, "case", "JS-2026-0001", "--note", "Ringde och bekräftade", "--by", "eva")
    shown = run(config, "show", "JS-2026-0001")
    assert "eva note: Ringde och bekräftade" in shown
    assert "eva status_changed: invited -> booked" in shown
    assert "Meeting: 2026-12-01 10:00 CET" in shown  # stored as UTC, shown in Stockholm time


def test_wrong_input_is_a_clear_error_not_a_traceback(config):
    for args, message in (
        (("book", "JS-2026-0001", "--at", "tomorrow"), "not a date and time like"),
        (("case", "JS-2099-0001", "--note", "x"), "no case JS-2099-0001"),
        (("case", "JS-2026-0001", "--status", "maybe"), "unknown status 'maybe'"),
        (("case", "JS-2026-0001", "--contact-email", "not-an-address"), "not a valid e-mail address"),
    ):
        done = inbox("--config", str(config), *args)
        assert done.returncode == 2 and message in done.stderr and "Traceback" not in done.stderr, (args, done.stderr)


def test_preview_renders_a_template_for_a_case(config, tmp_path):
    out = tmp_path / "preview.html"
    text = run(config, "preview", "invitation", "--case", "JS-2026-0001", "--output", str(out))
    assert text.startswith("Subject: Inbjudan till dialogmöte: jämställdhetsstrategin [JS-2026-0001]")
    assert "Hej Anna Lindqvist" in text
    assert "strategy-inbox-token:JS-2026-0001." in out.read_text(encoding="utf-8")
