"""Record, move or cancel a dialogue meeting and send the contact person an ICS for it; offer free times.

One validation for every edge: a meeting or a free time in the past, on a weekend or a Swedish
public holiday, or outside the office hours ([booking] office_hours) is refused with a
`BookingRefused` that carries reason codes (`Concern`), unless the person confirms it
(`confirm=True`: `--confirm` on the command line, a checkbox in the workspace). Each edge
phrases the codes in its own language; the exception's own text is the English one.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from cases.lifecycle import transition
from cases.meetings import active_meeting
from digest.calendar import holiday_name
from inbox.context import AppContext
from inbox.errors import InboxError, NotFound
from models import Case, CaseStatus, Event, Meeting, Slot
from portal.mail import link_variables
from replies.calendar import meeting_ics
from replies.outbox import Reply, enqueue
from replies.variables import swedish_datetime

# Reason codes of a Concern.
PAST, WEEKEND, HOLIDAY, BEFORE_HOURS, AFTER_HOURS = "past", "weekend", "holiday", "before_hours", "after_hours"
# Reason codes of a TimeNotUnderstood.
FORMAT, CLOCK_CHANGE = "format", "clock_change"
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


@dataclass(frozen=True)
class Concern:
    """Why a time is unusual for a meeting. `detail`: the weekday (0 = Monday) for WEEKEND, the holiday's
    Swedish name for HOLIDAY, "08:00-17:00" for the office-hour codes."""

    code: str
    detail: str | None = None

    def english(self) -> str:
        if self.code == PAST:
            return "is in the past"
        if self.code == WEEKEND:
            return f"is on a {WEEKDAYS[int(self.detail or 5)]}"
        if self.code == HOLIDAY:
            return f"is {self.detail}, not a working day in Sweden"
        if self.code == BEFORE_HOURS:
            return f"starts before office hours ({self.detail})"
        return f"ends after office hours ({self.detail})"


class BookingRefused(InboxError):
    """A time the person has to confirm; `concerns` says why, `at` is the time asked for."""

    def __init__(self, at: datetime, concerns: tuple[Concern, ...], zone: ZoneInfo) -> None:
        self.at, self.concerns = at, concerns
        local = at.astimezone(zone).strftime("%Y-%m-%d %H:%M")
        super().__init__(f"{local} {' and '.join(c.english() for c in concerns)}")


class TimeNotUnderstood(InboxError):
    """A date and time that cannot be a meeting time at all: `code` FORMAT or CLOCK_CHANGE."""

    def __init__(self, text: str, code: str, zone: ZoneInfo) -> None:
        self.text, self.code = text, code
        if code == FORMAT:
            super().__init__(f"not a date and time like '2026-05-12 10:00': {text!r}")
        else:
            super().__init__(f"{text} does not exist or occurs twice in {zone.key} (the clock changes); choose another time")


class SlotTaken(InboxError):
    """The time is a slot another case holds (`booked`: booked by it, else offered to it)."""

    def __init__(self, reference: str, *, booked: bool) -> None:
        self.reference, self.booked = reference, booked
        super().__init__(f"that time is {'booked by' if booked else 'offered to'} {reference}; choose another")


class SlotBooked(InboxError):
    """A booked slot cannot be removed: its meeting is cancelled on its case instead."""

    def __init__(self, slot_id: int, reference: str) -> None:
        self.slot_id, self.reference = slot_id, reference
        super().__init__(f"slot {slot_id} is booked by {reference}; cancel the meeting with `inbox book {reference} --cancel` first")


def local_time(text: str, zone: ZoneInfo) -> datetime:
    """'2026-05-12 10:00' (or '2026-05-12T10:00', what a browser sends) as an instant in the board's zone."""
    try:
        naive = datetime.strptime(text.strip().replace("T", " ", 1), "%Y-%m-%d %H:%M")
    except ValueError:
        raise TimeNotUnderstood(text, FORMAT, zone) from None
    local = naive.replace(tzinfo=zone)
    for fold in (0, 1):  # a time the clock skips (spring) or passes twice (autumn) is not a meeting time
        back = local.replace(fold=fold).astimezone(UTC).astimezone(zone)
        if back.replace(tzinfo=None) != naive or local.replace(fold=0).utcoffset() != local.replace(fold=1).utcoffset():
            raise TimeNotUnderstood(text, CLOCK_CHANGE, zone)
    return local


def time_concerns(start: datetime, minutes: int, *, now: datetime, zone: ZoneInfo, office_hours: tuple[time, time]) -> tuple[Concern, ...]:
    """What is unusual about a meeting from `start` for `minutes` (pure: the clock and the hours are given).

    Weekdays, holidays and office hours are read on the board's wall clock, so 07:30 UTC is 08:30 in
    winter and 09:30 in summer. Non-working days are Saturdays, Sundays, the public holidays and the
    eves Swedish workplaces treat as Sundays (midsommarafton, julafton, nyårsafton: digest/calendar.py)."""
    local, end = start.astimezone(zone), (start + timedelta(minutes=minutes)).astimezone(zone)
    opens, closes = office_hours
    hours = f"{opens:%H:%M}-{closes:%H:%M}"
    concerns = []
    if start < now:
        concerns.append(Concern(PAST))
    if local.weekday() >= 5:
        concerns.append(Concern(WEEKEND, str(local.weekday())))
    if (name := holiday_name(local.date())) is not None:
        concerns.append(Concern(HOLIDAY, name))
    if local.time() < opens:
        concerns.append(Concern(BEFORE_HOURS, hours))
    if end.date() != local.date() or end.time() > closes or local.time() >= closes:
        concerns.append(Concern(AFTER_HOURS, hours))
    return tuple(concerns)


def check_time(ctx: AppContext, start: datetime, minutes: int, *, confirm: bool) -> tuple[Concern, ...]:
    """The concerns about a time; raises BookingRefused when there are any and the person did not confirm."""
    concerns = time_concerns(start, minutes, now=ctx.clock(), zone=ctx.zone, office_hours=ctx.settings.booking.hours())
    if concerns and not confirm:
        raise BookingRefused(start, concerns, ctx.zone)
    return concerns


def book(ctx: AppContext, session: Session, case: Case, at: datetime, *, place: str | None, link: str | None,
         minutes: int | None, actor: str, confirm: bool = False, slot: Slot | None = None) -> Meeting:
    """Book a meeting, or move the case's booked one (same UID, SEQUENCE + 1).

    `slot`: the free time chosen (the organisation's page passes the row it locked); without it, the slot at
    that time, if any: several may start at once (two rooms), so the case's own or a free one is taken."""
    if case.status not in (CaseStatus.COMPLETE, CaseStatus.INVITED, CaseStatus.BOOKED):
        raise InboxError(f"{case.reference}: a meeting needs a complete or invited case (status is {case.status.value})")
    check_place_and_link(place, link)
    meeting = active_meeting(session, case)
    slot = slot if slot is not None else _slot_at(session, case, at)
    length = minutes or (slot.duration_minutes if slot else None) or (meeting.duration_minutes if meeting else None) \
        or ctx.settings.replies.meeting_minutes
    confirmed = check_time(ctx, at, length, confirm=confirm)
    previous = swedish_datetime(meeting.starts_at, ctx.zone) if meeting else None
    now = ctx.clock()
    if meeting is None:
        domain = ctx.settings.smtp.sender_address.rsplit("@", 1)[-1]
        meeting = Meeting(case_id=case.id, uid=f"{uuid.uuid4()}@{domain}", sequence=0, cancelled=False, created_at=now)
        session.add(meeting)
    else:
        meeting.sequence += 1
    _take_slot(session, case, slot)
    meeting.starts_at, meeting.updated_at, meeting.duration_minutes = at, now, length
    # Not given: the slot's place and link, else what the meeting had.
    meeting.place = place if place is not None else (slot.place if slot else None) or meeting.place
    meeting.link = link if link is not None else (slot.link if slot else None) or meeting.link
    transition(session, case, CaseStatus.BOOKED, actor=actor, why=f"meeting {swedish_datetime(at, ctx.zone)}", at=now)
    session.add(Event(at=now, actor=actor, action="meeting_booked" if previous is None else "meeting_moved", case_id=case.id,
                      detail=swedish_datetime(at, ctx.zone) + (f" (was {previous})" if previous else "") + _anyway(confirmed),
                      data={"confirmed": [c.code for c in confirmed]} if confirmed else None))
    _confirm(ctx, session, case, meeting, "new" if previous is None else "updated", previous, actor=actor)
    return meeting


def cancel(ctx: AppContext, session: Session, case: Case, *, actor: str) -> Meeting:
    meeting = active_meeting(session, case)
    if meeting is None:
        raise InboxError(f"{case.reference}: no booked meeting to cancel")
    meeting.cancelled, meeting.sequence, meeting.updated_at = True, meeting.sequence + 1, ctx.clock()
    _release_slots(session, case)
    transition(session, case, CaseStatus.INVITED, actor=actor, why="meeting cancelled", at=ctx.clock())
    session.add(Event(at=ctx.clock(), actor=actor, action="meeting_cancelled", case_id=case.id, detail=swedish_datetime(meeting.starts_at, ctx.zone)))
    _confirm(ctx, session, case, meeting, "cancelled", None, actor=actor)
    return meeting


# -- free times ------------------------------------------------------------------------


def check_place_and_link(place: str | None, link: str | None) -> None:
    """What goes into the organisation's confirmation: a place of at most 255 characters, and a link that is an
    http(s) address of at most 1000 (it becomes an <a href> in official mail: never javascript: or data:)."""
    if place and len(place) > 255:
        raise InboxError("a place has at most 255 characters")
    if link and (len(link) > 1000 or not link.lower().startswith(("https://", "http://")) or any(c.isspace() for c in link)):
        raise InboxError("a meeting link is an https:// address of at most 1000 characters")


def add_slot(ctx: AppContext, session: Session, at: datetime, *, minutes: int | None, place: str | None, link: str | None,
             actor: str, confirm: bool = False) -> Slot:
    """A free time offered in invitations; the same rules as a booking."""
    length = minutes or ctx.settings.replies.meeting_minutes
    if not 15 <= length <= 480:
        raise InboxError(f"a meeting lasts 15 to 480 minutes (got {length})")
    check_place_and_link(place, link)
    confirmed = check_time(ctx, at, length, confirm=confirm)
    slot = Slot(starts_at=at, duration_minutes=length, place=place or None, link=link or None, created_at=ctx.clock())
    session.add(slot)
    session.flush()
    session.add(Event(at=ctx.clock(), actor=actor, action="slot_added", detail=f"slot {slot.id}: {swedish_datetime(at, ctx.zone)}"
                      + _anyway(confirmed), data={"slot_id": slot.id, "confirmed": [c.code for c in confirmed]}))
    return slot


def remove_slot(ctx: AppContext, session: Session, slot_id: int, *, actor: str) -> Slot:
    """Take a free (or offered) time off the list; a booked one is cancelled with its meeting instead."""
    slot = session.get(Slot, slot_id)
    if slot is None:
        raise NotFound(f"no slot {slot_id}")
    if slot.booked_case_id:
        raise SlotBooked(slot_id, session.get_one(Case, slot.booked_case_id).reference)  # a foreign key: the case exists
    session.add(Event(at=ctx.clock(), actor=actor, action="slot_removed", case_id=slot.offered_case_id,
                      detail=f"slot {slot.id}: {swedish_datetime(slot.starts_at, ctx.zone)}", data={"slot_id": slot.id}))
    session.delete(slot)
    return slot


def slots_from(session: Session, since: datetime) -> list[tuple[Slot, str | None]]:
    """The slots starting at or after `since`, each with the reference of the case that holds it (or None)."""
    holder = select(Case.reference).where(Case.id == Slot.booked_case_id).correlate(Slot).scalar_subquery()
    offered = select(Case.reference).where(Case.id == Slot.offered_case_id).correlate(Slot).scalar_subquery()
    query = select(Slot, holder, offered).where(Slot.starts_at >= since).order_by(Slot.starts_at, Slot.id)
    return [(slot, booked or held) for slot, booked, held in session.execute(query)]


def meetings_between(session: Session, start: datetime, end: datetime) -> list[tuple[Meeting, Case]]:
    """Booked (not cancelled) meetings starting in [start, end), with their cases."""
    query = (select(Meeting, Case).join(Case, Case.id == Meeting.case_id)
             .where(Meeting.cancelled.is_(False), Meeting.starts_at >= start, Meeting.starts_at < end)
             .order_by(Meeting.starts_at, Meeting.id))
    return [(meeting, case) for meeting, case in session.execute(query)]


# -- helpers ---------------------------------------------------------------------------


def _anyway(confirmed: tuple[Concern, ...]) -> str:
    """What the audit log keeps of a confirmation: the person saw these concerns and went ahead."""
    return f"; confirmed although it {' and '.join(c.english() for c in confirmed)}" if confirmed else ""


def _slot_at(session: Session, case: Case, at: datetime) -> Slot | None:
    """The slot at `at` that the case holds, else a free one, else a taken one (refused later), locked for the
    booking; None when no slot starts then."""
    slots = list(session.scalars(select(Slot).where(Slot.starts_at == at).order_by(Slot.id).with_for_update()))
    def rank(slot: Slot) -> int:
        holder = slot.booked_case_id or slot.offered_case_id
        return 0 if holder == case.id else 1 if holder is None else 2
    return min(slots, key=rank, default=None)


def _take_slot(session: Session, case: Case, slot: Slot | None) -> None:
    """The slot at that time, now booked by the case (a time outside the slot list is fine too).
    The case's other offered slots are free again; a slot offered to or booked by another case is refused."""
    holder = (slot.booked_case_id or slot.offered_case_id) if slot is not None else None
    if slot is not None and holder is not None and holder != case.id:
        other = session.get_one(Case, holder)  # a foreign key: the case exists
        raise SlotTaken(other.reference, booked=bool(slot.booked_case_id))
    _release_slots(session, case)
    if slot is not None:
        slot.booked_case_id, slot.offered_case_id = case.id, case.id


def _release_slots(session: Session, case: Case) -> None:
    """Times offered to or booked by the case go back to the free list (a new booking, a cancellation)."""
    for slot in session.scalars(select(Slot).where((Slot.offered_case_id == case.id) | (Slot.booked_case_id == case.id))):
        slot.offered_case_id = slot.offered_at = slot.booked_case_id = None


def _confirm(ctx: AppContext, session: Session, case: Case, meeting: Meeting, change: str, previous: str | None, *,
             actor: str) -> None:
    recipient = case.recipient
    if not recipient:
        raise InboxError(f"{case.reference}: no e-mail address for the contact person; correct it with --contact-email")
    smtp = ctx.settings.smtp
    ics = meeting_ics(meeting, organizer=smtp.sender_address, organizer_name=smtp.sender_name, attendee=recipient, now=ctx.clock())
    extra = {"meeting": {
        "when": swedish_datetime(meeting.starts_at, ctx.zone), "place": meeting.place, "link": meeting.link,
        "minutes": meeting.duration_minutes, "change": change, "previous": previous,
        # The organisation's own page: to prepare the meeting, or to choose a new time after a cancellation.
        **link_variables(ctx, session, case, actor=actor),
    }}
    if enqueue(ctx, session, Reply("booking_confirmation", case, [recipient], extra=extra, attachments=[ics], automatic=False)) is None:
        raise InboxError(f"{case.reference}: {recipient} is undeliverable; correct it with --contact-email, then book again")
