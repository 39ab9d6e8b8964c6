"""The organisation books one of the times its page offers, or asks for other times.

A booking locks the slot's row (SELECT ... FOR UPDATE on PostgreSQL; SQLite has one writer at a time), checks
that the time is still free for this case, and books it through cases.booking.book, the function `inbox book`
and the workspace call: the case is booked and the confirmation with its ICS is queued in this transaction."""

from __future__ import annotations

from sqlalchemy.orm import Session

from cases import booking
from inbox.context import AppContext
from inbox.errors import InboxError
from models import Meeting, Slot
from portal import audit
from portal.links import Access
from portal.page import BOOKABLE, choosable_slots
from portal.refusals import (
    ALREADY_BOOKED,
    EMPTY,
    NOT_OPEN,
    NOT_SENT,
    SLOT_GONE,
    SLOT_PAST,
    SLOT_TAKEN,
    TOO_LONG,
    booking_refused,
    input_refused,
)
from portal.text import clean, too_long
from replies.variables import swedish_datetime

OTHER_TIMES_CHARS = 1000  # what "ask for other times" may say: a few days and times, not an essay
OTHER_TIMES_FIELD = "onskemal"  # the form field, named in a refusal so the page shows the error there


def book_slot(ctx: AppContext, session: Session, access: Access, slot_id: int | None) -> Meeting:
    """Book the slot for the link's case; ActionRefused (portal_booking_refused) when it is not free for it."""
    case = access.case
    if booking.active_meeting(session, case) is not None:
        raise booking_refused(ALREADY_BOOKED)
    if case.status not in BOOKABLE:
        raise booking_refused(NOT_OPEN, case.status.value)
    slot = _free_slot(ctx, session, access, slot_id)
    try:
        # The slot's time was checked (or confirmed) by the person who added it: the organisation is not asked again.
        meeting = booking.book(ctx, session, case, slot.starts_at, place=None, link=None, minutes=None,
                               actor=access.actor, confirm=True, slot=slot)
    except booking.SlotTaken as err:
        raise booking_refused(SLOT_TAKEN, f"slot {slot.id}") from err
    except InboxError as err:  # no usable address for the confirmation: staff must book by hand
        raise booking_refused(NOT_SENT, str(err)) from err
    audit.record(ctx, session, access.link, "portal_booked", f"slot {slot.id}: {swedish_datetime(slot.starts_at, ctx.zone)}",
                 {"slot_id": slot.id, "meeting_id": meeting.id})
    return meeting


def _free_slot(ctx: AppContext, session: Session, access: Access, slot_id: int | None) -> Slot:
    if slot_id is None:
        raise booking_refused(SLOT_GONE, "no time chosen")
    slot = session.get(Slot, slot_id, with_for_update=True)  # two organisations choosing the same time: one waits
    if slot is None:
        raise booking_refused(SLOT_GONE, f"slot {slot_id}")
    if slot.starts_at <= ctx.clock():
        raise booking_refused(SLOT_PAST, f"slot {slot.id}")
    holder = slot.booked_case_id or slot.offered_case_id
    if slot.booked_case_id is not None or (holder is not None and holder != access.case.id):
        raise booking_refused(SLOT_TAKEN, f"slot {slot.id}")
    if slot.id not in {offered.id for offered in choosable_slots(ctx, session, access.case)}:  # a forged form's choice
        raise booking_refused(SLOT_GONE, f"slot {slot.id} is not offered to {access.case.reference}")
    return slot


def ask_other_times(ctx: AppContext, session: Session, access: Access, text: str | None) -> str:
    """The organisation's wish for other times, as staff read it on their start page and in the digest."""
    wish = clean(text)
    if not wish:
        raise input_refused(EMPTY, OTHER_TIMES_FIELD)
    if too_long(wish, OTHER_TIMES_CHARS):
        raise input_refused(TOO_LONG, OTHER_TIMES_FIELD, f"{len(wish)} characters")
    audit.record(ctx, session, access.link, "portal_other_times_asked", wish[:200], {"text": wish})
    return wish
