"""The dialogue invitation to the contact person: a booking link, or up to N free slots.

Automatic when a case becomes complete ([replies] invitation = "auto"), or sent when staff
approve it (`inbox case REF --invite`). Proposed slots are marked as offered to the case so
two organisations are not offered the same time.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from cases.lifecycle import transition
from inbox.context import AppContext
from inbox.errors import InboxError
from models import Case, CaseStatus, Event, Message, Slot
from replies.outbox import Reply, enqueue
from replies.variables import swedish_datetime


def invite(ctx: AppContext, session: Session, case: Case, *, actor: str, cause: Message | None = None,
           cause_references: tuple[str, ...] = ()) -> bool:
    """Queue the invitation and mark the case invited. False when no one could be mailed."""
    if case.status not in (CaseStatus.COMPLETE, CaseStatus.INVITED):
        raise InboxError(f"{case.reference}: an invitation needs a complete case (status is {case.status.value})")
    recipient = (case.contact.email if case.contact else None) or case.sender
    slots = _free_slots(ctx, session) if not ctx.settings.replies.booking_link else []
    extra = {"invitation": {
        "booking_link": ctx.settings.replies.booking_link or None,
        "slots": [swedish_datetime(slot.starts_at, ctx.zone) for slot in slots],
        "minutes": ctx.settings.replies.meeting_minutes,
    }}
    reply = Reply("invitation", case, [recipient], cause=cause, cause_references=cause_references, extra=extra, automatic=actor == "system")
    row = enqueue(ctx, session, reply)
    if row is None:  # enqueue recorded why (reply_rate_limited or reply_suppressed)
        session.add(Event(at=ctx.clock(), actor=actor, action="invitation_not_sent", case_id=case.id,
                          detail=f"held back for {recipient}; see the event before this one"))
        return False
    for slot in slots:
        slot.offered_case_id, slot.offered_at = case.id, ctx.clock()
    transition(session, case, CaseStatus.INVITED, actor=actor, why=f"invitation sent to {recipient}", at=ctx.clock())
    return True


def _free_slots(ctx: AppContext, session: Session) -> list[Slot]:
    limit = ctx.settings.replies.proposed_slots
    return list(session.scalars(
        select(Slot).where(Slot.offered_case_id.is_(None), Slot.booked_case_id.is_(None), Slot.starts_at > ctx.clock())
        .order_by(Slot.starts_at).limit(limit)
    ))
