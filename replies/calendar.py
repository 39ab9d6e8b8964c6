"""ICS calendar parts (RFC 5545/5546) for a booked dialogue meeting, made with `icalendar`.

One UID per meeting; every change raises SEQUENCE so calendar clients replace the old
entry; a cancellation is METHOD:CANCEL with STATUS:CANCELLED.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from icalendar import Calendar, Event, vCalAddress, vText

from models import Meeting
from replies.outbox import Attachment

SUMMARY = "Dialogmöte: Jämställdhetsstrategi för Västmanlands län"


def meeting_ics(meeting: Meeting, *, organizer: str, organizer_name: str, attendee: str, now: datetime) -> Attachment:
    method = "CANCEL" if meeting.cancelled else "REQUEST"
    cal = Calendar()
    cal.add("prodid", "-//Länsstyrelsen Västmanland//strategy-inbox//SV")
    cal.add("version", "2.0")
    cal.add("method", method)
    cal.add_component(_event(meeting, organizer, organizer_name, attendee, now))
    return Attachment(
        filename="inbjudan.ics" if not meeting.cancelled else "installt.ics",
        content_type=f"text/calendar; method={method}",
        content=cal.to_ical(),
    )


def _event(meeting: Meeting, organizer: str, organizer_name: str, attendee: str, now: datetime) -> Event:
    event = Event()
    event.add("uid", meeting.uid)
    event.add("dtstamp", now)
    # In UTC ("...Z"): a TZID would need its VTIMEZONE, and every client shows UTC in local time.
    start = meeting.starts_at.astimezone(UTC)
    event.add("dtstart", start)
    event.add("dtend", start + timedelta(minutes=meeting.duration_minutes))
    event.add("summary", SUMMARY)
    event.add("sequence", meeting.sequence)
    event.add("status", "CANCELLED" if meeting.cancelled else "CONFIRMED")
    if meeting.place:
        event.add("location", meeting.place)
    if meeting.link:
        event.add("url", meeting.link)
        event.add("description", f"Länk till mötet: {meeting.link}")
    who = vCalAddress(f"mailto:{organizer}")
    who.params["cn"] = vText(organizer_name)
    event.add("organizer", who)
    guest = vCalAddress(f"mailto:{attendee}")
    guest.params["role"] = vText("REQ-PARTICIPANT")
    event.add("attendee", guest)
    return event
