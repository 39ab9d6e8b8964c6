"""A bounce of one of our own replies: when to believe it, which address to flag, and undoing a flag.

Anyone who holds one of our Message-IDs (every recipient of a reply) can write a message
that quotes it, so quoting is only how we find *which* reply a bounce is about. An
address is flagged undeliverable only when all four hold (README, "Bounces we trust"):

  a. the message is a DSN (RFC 3464): a top-level multipart/report, report-type=delivery-status,
     with a message/delivery-status part (cases/dsn.py reads it);
  b. it comes from a mail system: the topmost Return-Path (written by the final delivering
     MTA) is the null sender `<>`, or the board's own servers authenticated it (trusted
     Authentication-Results in `Message.auth`: DMARC pass for a From in the board's domain);
  c. a recipient block's Final-Recipient or Original-Recipient is an address that reply was
     actually sent to;
  d. that block says Action: failed with a 5.x.x Status (a permanent failure; "delayed" or
     4.x.x is not).

Anything else that quotes our Message-ID (a forged DSN, a gateway's home-made notice, a
returned copy) is kept in the case's history and goes to a person; it flags nothing.
Staff undo a flag with `clear_undeliverable` (`inbox undeliverable clear ADDRESS`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from cases.dsn import read_dsn
from cases.lifecycle import transition
from inbox.context import AppContext
from inbox.errors import InboxError, NotFound
from models import Case, CaseStatus, Event, Message, OutboxStatus, OutgoingMail, UndeliverableAddress

MESSAGE_ID = re.compile(rb"<[^<>\s@]+@[^<>\s]+>")
# Only a reply that left (or may have left) can bounce.
LEFT = (OutboxStatus.SENT, OutboxStatus.UNCERTAIN)


@dataclass(frozen=True)
class BounceJudgement:
    addresses: tuple[str, ...]  # the addresses to flag; empty when the bounce is not trusted
    doubt: str | None  # why it is not trusted (None when it is)


def match_bounce(ctx: AppContext, session: Session, message: Message, raw: bytes, *, flag_addresses: bool = True) -> OutgoingMail | None:
    """If `raw` is about one of our replies: keep it on the case and ask a person to look;
    flag the failed address only when the bounce passes the rule above.
    `flag_addresses=False`: a returned copy without a DSN, never trusted."""
    ours = our_reply_in(session, raw)
    if ours is None:
        return None
    case = session.get(Case, ours.case_id) if ours.case_id else None
    message.case_id = case.id if case else None
    judgement = judge(ctx, message, raw, ours) if flag_addresses else BounceJudgement((), "a returned copy of our mail, not a DSN")
    for address in judgement.addresses:
        _mark_undeliverable(ctx, session, address, case, message, ours)
    if judgement.doubt:
        session.add(Event(at=ctx.clock(), action="bounce_unverified", case_id=case.id if case else None, message_pk=message.id,
                          detail=f"{ours.template}: {judgement.doubt}; no address flagged"))
    if case is not None:
        what = f"bounced for {', '.join(judgement.addresses)}" if judgement.addresses else f"may have bounced ({judgement.doubt})"
        transition(session, case, CaseStatus.NEEDS_REVIEW, actor="system", why=f"our {ours.template} {what}", at=ctx.clock(),
                   message_pk=message.id)
    return ours


def judge(ctx: AppContext, message: Message, raw: bytes, ours: OutgoingMail) -> BounceJudgement:
    """Rules a-d above, in order; the first that fails is the doubt."""
    dsn = read_dsn(raw)
    if dsn is None:
        return BounceJudgement((), "not a delivery status notification (RFC 3464)")
    if not (dsn.null_sender or from_board_mta(ctx, message)):
        return BounceJudgement((), "not from a mail system (Return-Path is not <> and the board's servers did not authenticate it)")
    if ours.status not in LEFT:
        return BounceJudgement((), f"that {ours.template} never left (outbox {ours.id} is {ours.status.value})")
    sent_to = [a.lower() for a in ours.recipients]
    named = [r for r in dsn.recipients if any(r.names(a) for a in sent_to)]
    if not named:
        return BounceJudgement((), "it names no address that reply was sent to")
    failed = _failed(named, sent_to)
    if not failed:
        return BounceJudgement((), "no permanent failure (Action: failed, Status 5.x.x) for the addresses it names")
    return BounceJudgement(failed, None)


def _failed(named, sent_to: list[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(a for r in named if r.permanent_failure for a in sent_to if r.names(a)))


def from_board_mta(ctx: AppContext, message: Message) -> bool:
    """The board's own servers vouch for it: trusted Authentication-Results with DMARC pass
    for a From address in the board's own domain (e.g. an NDR from its Exchange)."""
    auth = message.auth or {}
    if auth.get("trusted") is not True or _result(auth.get("dmarc")) != "pass":
        return False
    board = ctx.settings.smtp.sender_address.rpartition("@")[2].lower()
    # The From domain, and the domain DMARC was checked for (ingest/authentication.py), both the board's.
    domains = [(message.sender or "").rpartition("@")[2].lower(), str(auth.get("dmarc_domain") or auth.get("from_domain") or "").lower()]
    return all(d == board or d.endswith("." + board) for d in domains if d) and bool(domains[0])


def _result(value) -> str | None:
    """An authentication method's result, whether stored as "pass" or as {"result": "pass", ...}."""
    if isinstance(value, dict):
        value = value.get("result")
    return value.strip().lower() if isinstance(value, str) else None


def our_reply_in(session: Session, raw: bytes) -> OutgoingMail | None:
    """The newest of our outbox rows whose Message-ID appears in `raw` (read only)."""
    ids = list(dict.fromkeys(m.decode("ascii", "replace") for m in MESSAGE_ID.findall(raw)))
    if not ids:
        return None
    return session.scalar(select(OutgoingMail).where(OutgoingMail.message_id.in_(ids)).order_by(OutgoingMail.id.desc()).limit(1))


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


def undeliverable_addresses(ctx: AppContext) -> list[UndeliverableAddress]:
    """Every flagged address, oldest first (read only)."""
    with ctx.sessions() as session:
        return list(session.scalars(select(UndeliverableAddress).order_by(UndeliverableAddress.id)))


def clear_undeliverable(ctx: AppContext, address: str, actor: str, why: str) -> str:
    """A person checked that `address` works again (or the flag was wrong): automatic mail may go
    there again. Audited on the case the flag belonged to; returns why it had been flagged."""
    if not (why or "").strip():
        raise InboxError("say why the address is deliverable again (--why)")
    wanted = address.strip().lower()
    with ctx.sessions() as session:
        flag = session.scalar(select(UndeliverableAddress).where(UndeliverableAddress.address == wanted))
        if flag is None:
            raise NotFound(f"{wanted} is not flagged undeliverable")
        session.add(Event(at=ctx.clock(), actor=actor, action="undeliverable_cleared", case_id=flag.case_id,
                          detail=f"{wanted}: {why.strip()}", data={"address": wanted, "was": flag.reason, "why": why.strip()}))
        was = flag.reason or ""
        session.execute(delete(UndeliverableAddress).where(UndeliverableAddress.id == flag.id))
        session.commit()
        return was
