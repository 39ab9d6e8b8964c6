"""A bounce (DSN) of one of our own replies: flag the address and ask a person to look.

The DSN quotes our message (message/rfc822 or text/rfc822-headers part) or names it in
In-Reply-To/References; our Message-IDs are in the outbox, so a plain search of the raw
bytes for them is enough and does not depend on how well the remote server follows RFC 3464.
"""

from __future__ import annotations

import re

from sqlalchemy import select
from sqlalchemy.orm import Session

from cases.lifecycle import transition
from inbox.context import AppContext
from models import Case, CaseStatus, Event, Message, OutgoingMail, UndeliverableAddress

MESSAGE_ID = re.compile(rb"<[^<>\s@]+@[^<>\s]+>")
FINAL_RECIPIENT = re.compile(rb"^(?:Final|Original)-Recipient:\s*rfc822\s*;\s*<?([^\s<>]+@[^\s<>]+?)>?\s*$", re.I | re.M)


def match_bounce(ctx: AppContext, session: Session, message: Message, raw: bytes, *, flag_addresses: bool = True) -> OutgoingMail | None:
    """If `raw` bounces one of our replies: record the address and put the case in needs_review.

    Only an address we sent that mail to can be flagged: the one the DSN names as failed, or
    the only recipient when the DSN names none. Anything else in a DSN (a forward's address,
    a forged one) flags nothing. A returned copy without a DSN (`flag_addresses=False`) only
    asks a person to look."""
    ours = our_reply_in(session, raw)
    if ours is None:
        return None
    ours_to = [a.lower() for a in ours.recipients]
    named = _failed_addresses(raw)
    addresses = [a for a in named if a in ours_to] if named else (ours_to if len(ours_to) == 1 else [])
    case = session.get(Case, ours.case_id) if ours.case_id else None
    message.case_id = case.id if case else None
    for address in addresses if flag_addresses else []:
        _mark_undeliverable(ctx, session, address, case, message, ours)
    if case is not None:
        why = f"our {ours.template} to {', '.join(addresses or ours_to)} bounced"
        transition(session, case, CaseStatus.NEEDS_REVIEW, actor="system", why=why, at=ctx.clock(), message_pk=message.id)
    return ours


def our_reply_in(session: Session, raw: bytes) -> OutgoingMail | None:
    """The newest of our outbox rows whose Message-ID appears in `raw` (read only)."""
    ids = list(dict.fromkeys(m.decode("ascii", "replace") for m in MESSAGE_ID.findall(raw)))
    if not ids:
        return None
    return session.scalar(select(OutgoingMail).where(OutgoingMail.message_id.in_(ids)).order_by(OutgoingMail.id.desc()).limit(1))


def _failed_addresses(raw: bytes) -> list[str]:
    found = [m.decode("utf-8", "replace").lower() for m in FINAL_RECIPIENT.findall(raw)]
    return list(dict.fromkeys(found))


def flag_undeliverable(ctx: AppContext, session: Session, address: str, *, case_id: int | None, reason: str,
                       message_pk: int | None = None) -> None:
    """Record that `address` cannot get our mail (once: the first reason is kept)."""
    if session.scalar(select(UndeliverableAddress.id).where(UndeliverableAddress.address == address)) is None:
        session.add(UndeliverableAddress(address=address, case_id=case_id, message_pk=message_pk, reason=reason, created_at=ctx.clock()))


def _mark_undeliverable(ctx: AppContext, session: Session, address: str, case: Case | None, message: Message, ours: OutgoingMail) -> None:
    flag_undeliverable(ctx, session, address, case_id=case.id if case else None, message_pk=message.id,
                       reason=f"bounce of outbox {ours.id} ({ours.template})")
    session.add(Event(at=ctx.clock(), action="reply_bounced", case_id=case.id if case else None, message_pk=message.id,
                      detail=f"{ours.template} to {address}"))
