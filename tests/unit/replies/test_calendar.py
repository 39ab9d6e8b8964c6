from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import icalendar

from models import Meeting
from replies.calendar import meeting_ics
from replies.variables import swedish_datetime

STOCKHOLM = ZoneInfo("Europe/Stockholm")
NOW = datetime(2026, 3, 12, 9, 0, tzinfo=UTC)


def meeting(**changes) -> Meeting:
    values = dict(uid="abc@lansstyrelsen.se", starts_at=datetime(2026, 5, 12, 10, 0, tzinfo=STOCKHOLM), duration_minutes=90,
                  place="Stadshuset, Köping", link=None, sequence=0, cancelled=False)
    return Meeting(**(values | changes))


def parse(attachment) -> icalendar.Calendar:
    return icalendar.Calendar.from_ical(attachment.content)


def test_a_new_meeting_is_a_request_with_start_end_and_people():
    ics = meeting_ics(meeting(), organizer="vastmanland@lansstyrelsen.se", organizer_name="Länsstyrelsen", attendee="anna@koping.se", now=NOW)
    assert ics.content_type == "text/calendar; method=REQUEST" and ics.filename.endswith(".ics")
    cal = parse(ics)
    event = cal.walk("VEVENT")[0]
    assert str(cal["METHOD"]) == "REQUEST"
    start, end = event.decoded("DTSTART"), event.decoded("DTEND")
    assert start == datetime(2026, 5, 12, 8, 0, tzinfo=UTC) and end - start == timedelta(minutes=90)
    assert str(event["LOCATION"]) == "Stadshuset, Köping" and str(event["STATUS"]) == "CONFIRMED"
    assert str(event["ORGANIZER"]) == "mailto:vastmanland@lansstyrelsen.se"
    assert str(event["ATTENDEE"]) == "mailto:anna@koping.se"


def test_a_cancellation_keeps_the_uid_and_raises_the_sequence():
    ics = meeting_ics(meeting(cancelled=True, sequence=2), organizer="a@b.se", organizer_name="A", attendee="c@d.se", now=NOW)
    cal = parse(ics)
    event = cal.walk("VEVENT")[0]
    assert str(cal["METHOD"]) == "CANCEL" and str(event["STATUS"]) == "CANCELLED"
    assert (str(event["UID"]), int(event["SEQUENCE"])) == ("abc@lansstyrelsen.se", 2)


def test_times_are_written_the_swedish_way_in_local_time():
    assert swedish_datetime(datetime(2026, 5, 12, 8, 5, tzinfo=UTC), STOCKHOLM) == "tisdag den 12 maj 2026 kl. 10.05"
    assert swedish_datetime(datetime(2026, 12, 24, 14, 0, tzinfo=UTC), STOCKHOLM) == "torsdag den 24 december 2026 kl. 15.00"


def test_long_swedish_subjects_survive_folding():
    """CPython's header folder loses the space before an encoded word at a fold; compose avoids it."""
    from email import message_from_bytes, policy

    from inbox.config import Settings
    from models import OutgoingMail
    from replies.compose import compose

    subject = "Daglig sammanställning torsdag 12 mars 2026: 2 nya ärenden, 3 punkter att åtgärda, 2 fel i driften"
    row = OutgoingMail(recipients=["a@b.se"], subject=subject, body_text="x", message_id="<m@x>", created_at=NOW, automatic=True)
    raw = compose(row, Settings()).as_bytes(policy=policy.SMTP)
    assert message_from_bytes(raw, policy=policy.default)["Subject"] == subject
    head = raw.split(b"\r\n\r\n")[0].decode()
    folded = head[head.index("Subject:"):].split("\r\n")
    subject_lines = [folded[0], *[line for line in folded[1:4] if line.startswith(" ")]]
    assert len(subject_lines) > 1 and all(len(line) <= 78 for line in subject_lines)
