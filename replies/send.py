"""Send the outbox: each row at most once, with back-off when the server is away.

How "at most once" holds when the process dies (see README, "Sending exactly once"):
1. a row is *claimed* (pending -> sending) and that is committed before SMTP starts;
2. after the server accepts it, the row is marked sent and committed;
3. a row still `sending` after `claim_timeout` means a sender died between 1 and 2:
   it may or may not have left, so it becomes `uncertain` and is never resent
   automatically; `inbox outbox retry ID` sends it again after a person checked.
Failures where nothing was handed over (connection refused, 4xx before DATA)
go back to `pending` with exponential back-off; 5xx refusals become `failed`.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import or_, select, update

from inbox.context import AppContext
from inbox.errors import NotFound, TransportError
from cases.bounces import flag_undeliverable
from cases.lifecycle import transition
from models import Case, CaseStatus, Event, OutboxStatus, OutgoingMail
from replies.compose import compose

log = logging.getLogger(__name__)
CLAIM_TIMEOUT = timedelta(minutes=15)


@dataclass
class SendReport:
    sent: int = 0
    deferred: int = 0
    failed: int = 0
    uncertain: int = 0


def send_due(ctx: AppContext, limit: int = 100) -> SendReport:
    report = SendReport()
    report.uncertain += _expire_stale_claims(ctx)
    for row_id in _due_ids(ctx, limit):
        if not _claim(ctx, row_id):
            continue  # another sender took it
        outcome = _send_one(ctx, row_id)
        setattr(report, outcome, getattr(report, outcome) + 1)
        if outcome == "deferred":
            break  # the server is away; the rest wait for the next run
    return report


def _due_ids(ctx: AppContext, limit: int) -> list[int]:
    now = ctx.clock()
    with ctx.sessions() as session:
        return list(session.scalars(
            select(OutgoingMail.id)
            .where(OutgoingMail.status == OutboxStatus.PENDING)
            .where(or_(OutgoingMail.next_attempt_at.is_(None), OutgoingMail.next_attempt_at <= now))
            .order_by(OutgoingMail.id).limit(limit)
        ))


def _claim(ctx: AppContext, row_id: int) -> bool:
    with ctx.sessions() as session:
        claimed = session.execute(
            update(OutgoingMail)
            .where(OutgoingMail.id == row_id, OutgoingMail.status == OutboxStatus.PENDING)
            .values(status=OutboxStatus.SENDING, claimed_at=ctx.clock(), attempts=OutgoingMail.attempts + 1)
        ).rowcount
        session.commit()
    return claimed == 1


def _send_one(ctx: AppContext, row_id: int) -> str:
    with ctx.sessions() as session:
        row = session.get(OutgoingMail, row_id)
        try:
            delivery = ctx.transport.send(compose(row, ctx.settings), list(row.recipients))
        except TransportError as err:
            outcome = _record_failure(ctx, row, err)
            if outcome != "deferred":
                session.add(Event(at=ctx.clock(), action=f"reply_{outcome}", case_id=row.case_id, detail=f"outbox {row.id}: {err}"))
            if outcome == "failed" and row.case_id:
                _needs_review(ctx, session, row, str(err))
        except Exception as err:  # a bug or a malformed row: never leave it `sending`, never retry it blindly
            log.exception("outbox %s: could not be sent", row.id)
            row.status, row.last_error, outcome = OutboxStatus.FAILED, f"{type(err).__name__}: {err}"[:2000], "failed"
            session.add(Event(at=ctx.clock(), action="reply_failed", case_id=row.case_id, detail=f"outbox {row.id}: {row.last_error}"))
            if row.case_id:
                _needs_review(ctx, session, row, row.last_error)
        else:
            row.status, row.sent_at, row.transport_detail = OutboxStatus.SENT, ctx.clock(), delivery.detail[:255]
            session.add(Event(at=ctx.clock(), action="reply_sent", case_id=row.case_id, detail=f"{row.template} to {', '.join(row.recipients)}"))
            _refused(ctx, session, row, delivery.refused)
            outcome = "sent"
        session.commit()
        return outcome


def _needs_review(ctx: AppContext, session, row: OutgoingMail, why: str) -> None:
    """The organisation did not get our mail: a person must find another way to reach it."""
    case = session.get(Case, row.case_id)
    if case is not None and case.status is not CaseStatus.NEEDS_REVIEW:
        transition(session, case, CaseStatus.NEEDS_REVIEW, actor="system", why=f"{row.template} to {', '.join(row.recipients)} refused: {why}"[:500], at=ctx.clock())


def _refused(ctx: AppContext, session, row: OutgoingMail, refused: tuple[str, ...]) -> None:
    """Some recipients were refused for good while the others got it: flag those addresses."""
    for address in refused:
        flag_undeliverable(ctx, session, address, case_id=row.case_id, reason=f"refused at RCPT for outbox {row.id}")
        session.add(Event(at=ctx.clock(), action="reply_refused", case_id=row.case_id, detail=f"{row.template}: {address}"))
    if refused and row.case_id:
        _needs_review(ctx, session, row, f"{', '.join(refused)} refused")


def _record_failure(ctx: AppContext, row: OutgoingMail, err: TransportError) -> str:
    row.last_error = str(err)[:2000]
    max_attempts = ctx.settings.smtp.max_attempts
    if err.uncertain:
        row.status, outcome = OutboxStatus.UNCERTAIN, "uncertain"
    elif err.permanent or row.attempts >= max_attempts:
        row.status, outcome = OutboxStatus.FAILED, "failed"
    else:
        delay = ctx.settings.smtp.retry_base_seconds * 2 ** (row.attempts - 1)
        row.status, row.next_attempt_at, outcome = OutboxStatus.PENDING, ctx.clock() + timedelta(seconds=delay), "deferred"
    log.warning("outbox %s: %s (%s)", row.id, err, outcome)
    return outcome


def _expire_stale_claims(ctx: AppContext) -> int:
    cutoff = ctx.clock() - CLAIM_TIMEOUT
    with ctx.sessions() as session:
        stale = session.scalars(
            select(OutgoingMail).where(OutgoingMail.status == OutboxStatus.SENDING, OutgoingMail.claimed_at < cutoff)
        ).all()
        for row in stale:
            row.status = OutboxStatus.UNCERTAIN
            row.last_error = "the sender stopped while sending; it may have been delivered. Check, then `inbox outbox retry`."
            session.add(Event(action="reply_uncertain", case_id=row.case_id, detail=f"outbox {row.id}"))
        session.commit()
        return len(stale)


def retry(ctx: AppContext, row_id: int) -> None:
    """A person decided an uncertain or failed row should go again."""
    with ctx.sessions() as session:
        row = session.get(OutgoingMail, row_id)
        if row is None:
            raise NotFound(f"no outbox row {row_id}")
        row.status, row.next_attempt_at = OutboxStatus.PENDING, None
        session.add(Event(action="reply_retry", actor="staff", case_id=row.case_id, detail=f"outbox {row_id}"))
        session.commit()
