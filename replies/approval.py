"""A person decides on held automatic mail: approve (it is sent) or reject (it never is).

Held rows come from replies/recipients.py (an address outside the recipient rules, or a
daily cap). Both decisions are audited on the case with the person's name.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from inbox.context import AppContext
from inbox.errors import InboxError, NotFound
from models import Case, Event, OutboxStatus, OutgoingMail
from replies.invitation import invitation_approved, invitation_rejected


def approve(ctx: AppContext, row_id: int, actor: str, why: str | None = None) -> OutgoingMail:
    """Release held row `row_id` to the sender (pending now); returns the row."""
    with ctx.sessions() as session:
        row = _held(session, row_id)
        row.status, row.next_attempt_at, row.last_error = OutboxStatus.PENDING, None, None
        _audit(ctx, session, row, actor, "reply_approved", why)
        case = session.get(Case, row.case_id) if row.case_id else None
        if case is not None and row.template == "invitation":
            invitation_approved(ctx, session, case, actor=actor)
        session.commit()
        return row


def reject(ctx: AppContext, row_id: int, actor: str, why: str | None = None) -> OutgoingMail:
    """Cancel held row `row_id` for good; returns the row."""
    with ctx.sessions() as session:
        row = _held(session, row_id)
        row.status = OutboxStatus.CANCELLED
        _audit(ctx, session, row, actor, "reply_rejected", why)
        case = session.get(Case, row.case_id) if row.case_id else None
        if case is not None and row.template == "invitation":
            invitation_rejected(session, case)
        session.commit()
        return row


def _held(session: Session, row_id: int) -> OutgoingMail:
    row = session.get(OutgoingMail, row_id, with_for_update=True)  # two people deciding at once: one wins
    if row is None:
        raise NotFound(f"no outbox row {row_id}")
    if row.status is not OutboxStatus.HELD:
        raise InboxError(f"outbox {row_id} is {row.status.value}, not held; only held mail waits for approval")
    return row


def _audit(ctx: AppContext, session: Session, row: OutgoingMail, actor: str, action: str, why: str | None) -> None:
    detail = f"outbox {row.id}: {row.template} to {', '.join(row.recipients)}" + (f": {why}" if why else "")
    session.add(Event(at=ctx.clock(), actor=actor, action=action, case_id=row.case_id, detail=detail,
                      data={"outbox_id": row.id, "why": why}))
