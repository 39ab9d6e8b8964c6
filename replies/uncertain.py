"""Settle replies whose delivery is uncertain by looking for their sent copy, never by guessing.

A reply is uncertain when its sender died mid-send or the link broke during DATA. Found in a
sent-copy folder (replies/sent_copies.py) = it left: marked sent, never sent again. Not found =
queued again only where absence is evidence: a person asked (`inbox outbox retry`), or the
server's own Sent folder is seen to file our mail and had time to file this one. Otherwise the
row stays uncertain with a note, for a person.

Automatically, each uncertain row is looked for once, [smtp] claim_timeout_minutes after its
claim (so a server that files sent mail had time to); `transport_detail` records the finding,
so a row that becomes uncertain a second time goes to a person.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from inbox.context import AppContext
from inbox.errors import SentCopyError
from models import Event, OutboxStatus, OutgoingMail
from replies.sent_copies import SentCopies

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Settled:
    row_id: int
    outcome: str  # "confirmed" (sent), "requeued" (pending), "unknown" (still uncertain), "unchecked" (no folder readable)
    note: str


def settle_due(ctx: AppContext) -> list[Settled]:
    """Look for the copies of uncertain rows that were not looked for yet and are old enough."""
    copies = SentCopies(ctx.settings)
    if not copies.enabled:
        return []
    old_enough = ctx.clock() - timedelta(minutes=ctx.settings.smtp.claim_timeout_minutes)
    with ctx.sessions() as session:
        rows = session.scalars(
            select(OutgoingMail).where(OutgoingMail.status == OutboxStatus.UNCERTAIN, OutgoingMail.transport_detail.is_(None))
            .where(or_(OutgoingMail.claimed_at.is_(None), OutgoingMail.claimed_at < old_enough)).order_by(OutgoingMail.id)
        ).all()
        if not rows:
            return []
        try:
            settled = settle(ctx, session, copies, rows, absent_means_unsent=copies.absence_proves(session, old_enough), actor="system")
        except SentCopyError as err:  # tried again next run; nothing is resent meanwhile
            log.warning("uncertain replies not checked: %s", err)
            return []
        session.commit()
        return settled


def settle(ctx: AppContext, session: Session, copies: SentCopies, rows: Sequence[OutgoingMail], *,
           absent_means_unsent: bool, actor: str) -> list[Settled]:
    """Look for each row's copy (raises SentCopyError when the folders cannot be read)."""
    found = copies.find(row.message_id for row in rows)
    where = " or ".join(repr(f) for f in copies.folders)
    return [_settle(ctx, session, row, found.get(row.message_id), where, absent_means_unsent, actor) for row in rows]


def _settle(ctx: AppContext, session: Session, row: OutgoingMail, folder: str | None, where: str,
            absent_means_unsent: bool, actor: str) -> Settled:
    checked = f"{ctx.clock():%Y-%m-%d %H:%M} UTC"
    if folder is not None:
        row.status, row.sent_at, row.last_error = OutboxStatus.SENT, row.claimed_at or ctx.clock(), None
        row.transport_detail = f"its copy is in {folder!r} (looked {checked}): it had left; not sent again"[:255]
        _event(ctx, session, row, "reply_sent", actor, f"{row.template} to {', '.join(row.recipients)}: its copy is in {folder!r}, so it had left")
        return Settled(row.id, "confirmed", row.transport_detail)
    if absent_means_unsent:
        row.status, row.next_attempt_at = OutboxStatus.PENDING, None
        row.transport_detail = f"no copy in {where} (looked {checked}): queued again"[:255]
        _event(ctx, session, row, "reply_requeued", actor, f"outbox {row.id}: no copy in {where}; queued again")
        return Settled(row.id, "requeued", row.transport_detail)
    row.transport_detail = f"no copy in {where} (looked {checked}); it may still have left: check, then `inbox outbox retry {row.id}`"[:255]
    return Settled(row.id, "unknown", row.transport_detail)


def _event(ctx: AppContext, session: Session, row: OutgoingMail, action: str, actor: str, detail: str) -> None:
    session.add(Event(at=ctx.clock(), actor=actor, action=action, case_id=row.case_id, detail=detail[:2000]))
