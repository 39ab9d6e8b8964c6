"""Record, move or cancel a dialogue meeting and send the contact person an ICS for it."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from cases.lifecycle import transition
from inbox.context import AppContext
from inbox.errors import InboxError
from models import Case, CaseStatus, Event, Meeting, Slot
from replies.calendar import meeting_ics
from replies.outbox import Reply, enqueue
from replies.variables import swedish_datetime


def book(ctx: AppContext, session: Session, case: Case, at: datetime, *, place: str | None, link: str | None,
         minutes: int | None, actor: str) -> Meeting:
    """Book a meeting, or move the case's booked one (same UID, SEQUENCE + 1)."""
    if case.status not in (CaseStatus.COMPLETE, CaseStatus.INVITED, CaseStatus.BOOKED):
        raise InboxError(f"{case.reference}: a meeting needs a complete or invited case (status is {case.status.value})")
    meeting = active_meeting(session, case)
    previous = swedish_datetime(meeting.starts_at, ctx.zone) if meeting else None
    now = ctx.clock()
    if meeting is None:
        domain = ctx.settings.smtp.sender_address.rsplit("@", 1)[-1]
        meeting = Meeting(case_id=case.id, uid=f"{uuid.uuid4()}@{domain}", sequence=0, cancelled=False, created_at=now)
        session.add(meeting)
    else:
        meeting.sequence += 1
    slot = _take_slot(session, case, at)
    meeting.starts_at, meeting.updated_at = at, now
    meeting.duration_minutes = minutes or (slot.duration_minutes if slot else None) or meeting.duration_minutes or ctx.settings.replies.meeting_minutes
    # Not given: the slot's place and link, else what the meeting had.
    meeting.place = place if place is not None else (slot.place if slot else None) or meeting.place
    meeting.link = link if link is not None else (slot.link if slot else None) or meeting.link
    transition(session, case, CaseStatus.BOOKED, actor=actor, why=f"meeting {swedish_datetime(at, ctx.zone)}", at=now)
    session.add(Event(at=now, actor=actor, action="meeting_booked" if previous is None else "meeting_moved", case_id=case.id,
                      detail=swedish_datetime(at, ctx.zone) + (f" (was {previous})" if previous else "")))
    _confirm(ctx, session, case, meeting, "new" if previous is None else "updated", previous)
    return meeting


def cancel(ctx: AppContext, session: Session, case: Case, *, actor: str) -> Meeting:
    meeting = active_meeting(session, case)
    if meeting is None:
        raise InboxError(f"{case.reference}: no booked meeting to cancel")
    meeting.cancelled, meeting.sequence, meeting.updated_at = True, meeting.sequence + 1, ctx.clock()
    _release_slots(session, case)
    transition(session, case, CaseStatus.INVITED, actor=actor, why="meeting cancelled", at=ctx.clock())
    session.add(Event(at=ctx.clock(), actor=actor, action="meeting_cancelled", case_id=case.id, detail=swedish_datetime(meeting.starts_at, ctx.zone)))
    _confirm(ctx, session, case, meeting, "cancelled", None)
    return meeting


def active_meeting(session: Session, case: Case) -> Meeting | None:
    return session.scalar(select(Meeting).where(Meeting.case_id == case.id, Meeting.cancelled.is_(False)).order_by(Meeting.id.desc()).limit(1))


def _take_slot(session: Session, case: Case, at: datetime) -> Slot | None:
    """The slot at that time, now booked by the case (a time outside the slot list is fine too).
    The case's other offered slots are free again; a slot offered to or booked by another case is refused."""
    slot = session.scalar(select(Slot).where(Slot.starts_at == at).order_by(Slot.id).limit(1))
    holder = (slot.booked_case_id or slot.offered_case_id) if slot is not None else None
    if slot is not None and holder is not None and holder != case.id:
        other = session.get_one(Case, holder)  # a foreign key: the case exists
        raise InboxError(f"that time is {'booked by' if slot.booked_case_id else 'offered to'} {other.reference}; choose another")
    _release_slots(session, case)
    if slot is not None:
        slot.booked_case_id, slot.offered_case_id = case.id, case.id
    return slot


def _release_slots(session: Session, case: Case) -> None:
    """Times offered to or booked by the case go back to the free list (a new booking, a cancellation)."""
    for slot in session.scalars(select(Slot).where((Slot.offered_case_id == case.id) | (Slot.booked_case_id == case.id))):
        slot.offered_case_id = slot.offered_at = slot.booked_case_id = None


def _confirm(ctx: AppContext, session: Session, case: Case, meeting: Meeting, change: str, previous: str | None) -> None:
    recipient = (case.contact.email if case.contact else None) or case.sender
    if not recipient:
        raise InboxError(f"{case.reference}: no e-mail address for the contact person; correct it with --contact-email")
    smtp = ctx.settings.smtp
    ics = meeting_ics(meeting, organizer=smtp.sender_address, organizer_name=smtp.sender_name, attendee=recipient, now=ctx.clock())
    extra = {"meeting": {
        "when": swedish_datetime(meeting.starts_at, ctx.zone), "place": meeting.place, "link": meeting.link,
        "minutes": meeting.duration_minutes, "change": change, "previous": previous,
    }}
    if enqueue(ctx, session, Reply("booking_confirmation", case, [recipient], extra=extra, attachments=[ics], automatic=False)) is None:
        raise InboxError(f"{case.reference}: {recipient} is undeliverable; correct it with --contact-email, then book again")
