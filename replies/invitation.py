"""The dialogue invitation to the contact person: the organisation's own page, and a booking link or up to N free slots.

Automatic when a case becomes complete ([replies] invitation = "auto"), or sent when staff
approve it (`inbox case REF --invite`). Proposed slots are marked as offered to the case so
two organisations are not offered the same time. With [portal] enabled the invitation carries the case's
personal link (portal.links) first: the organisation books one of those times itself and prepares the meeting
there; answering by mail stays possible.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from cases.lifecycle import transition
from inbox.context import AppContext
from inbox.errors import InboxError
from models import Case, CaseStatus, Event, Message, OutboxStatus, Slot
from portal.mail import link_variables
from replies.outbox import Reply, enqueue_all
from replies.variables import swedish_datetime


def invite(ctx: AppContext, session: Session, case: Case, *, actor: str, cause: Message | None = None,
           cause_references: tuple[str, ...] = ()) -> bool:
    """Queue the invitation and mark the case invited. False when no one could be mailed."""
    if case.status not in (CaseStatus.COMPLETE, CaseStatus.INVITED):
        raise InboxError(f"{case.reference}: an invitation needs a complete case (status is {case.status.value})")
    recipient = case.recipient
    slots = _free_slots(ctx, session) if not ctx.settings.replies.booking_link else []
    extra = {"invitation": {
        "booking_link": ctx.settings.replies.booking_link or None,
        "slots": [swedish_datetime(slot.starts_at, ctx.zone) for slot in slots],
        "minutes": ctx.settings.replies.meeting_minutes,
        **link_variables(ctx, session, case, actor=actor),
    }}
    reply = Reply("invitation", case, [recipient], cause=cause, cause_references=cause_references, extra=extra, automatic=actor == "system")
    rows = enqueue_all(ctx, session, reply)
    if not rows:  # enqueue recorded why (reply_rate_limited or reply_suppressed)
        session.add(Event(at=ctx.clock(), actor=actor, action="invitation_not_sent", case_id=case.id,
                          detail=f"held back for {recipient}; see the event before this one"))
        return False
    for slot in slots:  # reserved while a held invitation waits too, so its text stays true when approved
        slot.offered_case_id, slot.offered_at = case.id, ctx.clock()
    if all(row.status is OutboxStatus.HELD for row in rows):
        session.add(Event(at=ctx.clock(), actor=actor, action="invitation_held", case_id=case.id,
                          detail=f"for {recipient}, until a person approves it (`inbox outbox approve {rows[0].id}`)"))
        return False
    transition(session, case, CaseStatus.INVITED, actor=actor, why=f"invitation sent to {recipient}", at=ctx.clock())
    return True


def invitation_approved(ctx: AppContext, session: Session, case: Case, *, actor: str) -> None:
    """A person released a held invitation: the case is invited now (if nothing else happened to it)."""
    if case.status is CaseStatus.COMPLETE:
        transition(session, case, CaseStatus.INVITED, actor=actor, why="held invitation approved", at=ctx.clock())


def invitation_rejected(session: Session, case: Case) -> None:
    """A person rejected a held invitation: the times it offered are free again (unless booked)."""
    for slot in session.scalars(select(Slot).where(Slot.offered_case_id == case.id, Slot.booked_case_id.is_(None))):
        slot.offered_case_id = slot.offered_at = None


def _free_slots(ctx: AppContext, session: Session) -> list[Slot]:
    limit = ctx.settings.replies.proposed_slots
    return list(session.scalars(
        select(Slot).where(Slot.offered_case_id.is_(None), Slot.booked_case_id.is_(None), Slot.starts_at > ctx.clock())
        .order_by(Slot.starts_at).limit(limit)
    ))
