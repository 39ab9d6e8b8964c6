"""Send the outbox: each row at most once, and a failure charged to whoever caused it.

How "at most once" holds when the process dies (see README, "Sending exactly once"):
1. a row is *claimed* (pending -> sending) and that is committed before SMTP starts;
2. after the server accepts it, a copy is APPENDed to [smtp] sent_copy_folder (when set), then
   the row is marked sent and committed;
3. a row still `sending` after [smtp] claim_timeout_minutes means a sender died between 1 and 2:
   it may or may not have left, so it becomes `uncertain`. It is sent again only after its
   copy was looked for (replies/uncertain.py): found means sent.
A failure is the environment's (no password, login refused, server away: every row waits, no
attempt is counted, one service alarm, the run stops), the message's (4xx: back-off; 5xx or
max_attempts: `failed`, the case goes to a person), or uncertain (the link broke during DATA).
"""

from __future__ import annotations

import logging
from dataclasses import asdict, dataclass
from datetime import timedelta
from typing import Any, cast

from sqlalchemy import CursorResult, or_, select, update

from cases.bounces import flag_undeliverable
from cases.lifecycle import transition
from inbox.context import AppContext
from inbox.errors import SentCopyError, TransportError
from models import Case, CaseStatus, Event, OutboxStatus, OutgoingMail
from replies.compose import compose
from replies.outage import outage_began, outage_ended, waiting
from replies.sent_copies import Keeper, SentCopies
from replies.transports import Delivery, transport_for
from replies.uncertain import settle_due

log = logging.getLogger(__name__)


@dataclass
class SendReport:
    """What one run did. The keys of `as_json` are documented in the README ("send --json")."""

    sent: int = 0
    deferred: int = 0
    failed: int = 0
    uncertain: int = 0
    confirmed: int = 0  # uncertain replies found in a sent-copy folder: marked sent, not sent again
    requeued: int = 0  # uncertain replies missing from the server's Sent folder: queued again
    error: str | None = None  # the environment error that stopped the run (what to fix)

    def add(self, outcome: str) -> None:
        setattr(self, outcome, getattr(self, outcome) + 1)

    def as_json(self) -> dict:
        return asdict(self)

    def __str__(self) -> str:
        text = f"sent {self.sent}, deferred {self.deferred}, failed {self.failed}, uncertain {self.uncertain}"
        if self.confirmed or self.requeued:
            text += f", confirmed sent {self.confirmed}, queued again {self.requeued}"
        return text + (f"; stopped: {self.error}" if self.error else "")


def send_due(ctx: AppContext, limit: int = 100, *, force: bool = False) -> SendReport:
    """Send what is due. During an outage the queue waits for its next try unless `force` (a person asked)."""
    report = SendReport()
    report.uncertain += _expire_stale_claims(ctx)
    for settled in settle_due(ctx):
        if settled.outcome in ("confirmed", "requeued"):
            report.add(settled.outcome)
    with ctx.sessions() as session:
        report.error = None if force else waiting(ctx, session)
    due = [] if report.error else _due_ids(ctx, limit)
    if not due:
        return report
    with SentCopies(ctx.settings).keeper() as keeper:
        for row_id in due:
            if not _claim(ctx, row_id):
                continue  # another sender took it
            outcome = _send_one(ctx, row_id, keeper)
            if isinstance(outcome, TransportError):  # the service cannot send: the rest wait too
                report.add("deferred")
                report.error = str(outcome)
                break
            report.add(outcome)
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
        # An UPDATE always returns a CursorResult (which has rowcount); Session.execute is typed as the general Result.
        claimed = cast(CursorResult[Any], session.execute(
            update(OutgoingMail)
            .where(OutgoingMail.id == row_id, OutgoingMail.status == OutboxStatus.PENDING)
            .values(status=OutboxStatus.SENDING, claimed_at=ctx.clock(), attempts=OutgoingMail.attempts + 1)
        )).rowcount
        session.commit()
    return claimed == 1


def _send_one(ctx: AppContext, row_id: int, keeper: Keeper | None) -> str | TransportError:
    """Send one claimed row; the outcome's name, or the environment error that stops the run."""
    with ctx.sessions() as session:
        row = session.get(OutgoingMail, row_id)
        assert row is not None, f"outbox {row_id} vanished while claimed"  # erasure keeps `sending` rows; nothing else deletes them
        try:
            delivery = transport_for(ctx).send(compose(row, ctx.settings), list(row.recipients))
        except TransportError as err:
            outcome = _environment(ctx, session, row, err) if err.environment else _refusal(ctx, session, row, err)
        except Exception as err:  # a bug or a malformed row: never leave it `sending`, never retry it blindly
            log.exception("outbox %s: could not be sent", row.id)
            outcome = _failed(ctx, session, row, f"{type(err).__name__}: {err}")
        else:
            _keep_copy(keeper, row, delivery)
            outcome = _sent(ctx, session, row, delivery)
        session.commit()
        return outcome


def _keep_copy(keeper: Keeper | None, row: OutgoingMail, delivery: Delivery) -> None:
    if keeper is None or not delivery.data:
        return
    try:
        keeper.keep(delivery.data)
    except SentCopyError as err:  # the reply left; only an uncertain future check loses its evidence
        log.warning("outbox %s: %s", row.id, err)


def _sent(ctx: AppContext, session, row: OutgoingMail, delivery: Delivery) -> str:
    row.status, row.sent_at, row.transport_detail = OutboxStatus.SENT, ctx.clock(), delivery.detail[:255]
    session.add(Event(at=ctx.clock(), action="reply_sent", case_id=row.case_id, detail=f"{row.template} to {', '.join(row.recipients)}"))
    _refused(ctx, session, row, delivery.refused)
    outage_ended(ctx, session)
    return "sent"


def _environment(ctx: AppContext, session, row: OutgoingMail, err: TransportError) -> TransportError:
    """Nobody could have got it: the row waits like the others and the attempt does not count."""
    row.status, row.attempts, row.last_error = OutboxStatus.PENDING, max(row.attempts - 1, 0), str(err)[:2000]
    outage_began(ctx, session, err)
    return err


def _refusal(ctx: AppContext, session, row: OutgoingMail, err: TransportError) -> str:
    """The server refused this message or its recipients, or the link broke while it was sent."""
    row.last_error = str(err)[:2000]
    for address in err.refused:
        flag_undeliverable(ctx, session, address, case_id=row.case_id, reason=f"refused at RCPT for outbox {row.id}")
    if err.uncertain:
        row.status = OutboxStatus.UNCERTAIN
        session.add(Event(at=ctx.clock(), action="reply_uncertain", case_id=row.case_id, detail=f"outbox {row.id}: {err}"))
        log.warning("outbox %s: %s (uncertain)", row.id, err)
        return "uncertain"
    if err.permanent or row.attempts >= ctx.settings.smtp.max_attempts:
        return _failed(ctx, session, row, str(err))
    delay = ctx.settings.smtp.retry_base_seconds * 2 ** (row.attempts - 1)
    row.status, row.next_attempt_at = OutboxStatus.PENDING, ctx.clock() + timedelta(seconds=delay)
    log.warning("outbox %s: %s (deferred)", row.id, err)
    return "deferred"


def _failed(ctx: AppContext, session, row: OutgoingMail, why: str) -> str:
    row.status, row.last_error = OutboxStatus.FAILED, why[:2000]
    session.add(Event(at=ctx.clock(), action="reply_failed", case_id=row.case_id, detail=f"outbox {row.id}: {row.last_error}"))
    log.warning("outbox %s: %s (failed)", row.id, why)
    if row.case_id:
        _needs_review(ctx, session, row, row.last_error)
    return "failed"


def _needs_review(ctx: AppContext, session, row: OutgoingMail, why: str) -> None:
    """The organisation did not get our mail: a person must find another way to reach it."""
    case = session.get(Case, row.case_id)
    if case is not None and case.status is not CaseStatus.NEEDS_REVIEW:
        reason = f"{row.template} to {', '.join(row.recipients)} refused: {why}"
        transition(session, case, CaseStatus.NEEDS_REVIEW, actor="system", why=reason[:500], at=ctx.clock())


def _refused(ctx: AppContext, session, row: OutgoingMail, refused: tuple[str, ...]) -> None:
    """Some recipients were refused for good while the others got it: flag those addresses."""
    for address in refused:
        flag_undeliverable(ctx, session, address, case_id=row.case_id, reason=f"refused at RCPT for outbox {row.id}")
        session.add(Event(at=ctx.clock(), action="reply_refused", case_id=row.case_id, detail=f"{row.template}: {address}"))
    if refused and row.case_id:
        _needs_review(ctx, session, row, f"{', '.join(refused)} refused")


def _expire_stale_claims(ctx: AppContext) -> int:
    cutoff = ctx.clock() - timedelta(minutes=ctx.settings.smtp.claim_timeout_minutes)
    with ctx.sessions() as session:
        stale = session.scalars(
            select(OutgoingMail).where(OutgoingMail.status == OutboxStatus.SENDING, OutgoingMail.claimed_at < cutoff)
        ).all()
        for row in stale:
            row.status = OutboxStatus.UNCERTAIN
            row.last_error = "the sender stopped while sending; it may have been delivered"
            session.add(Event(at=ctx.clock(), action="reply_uncertain", case_id=row.case_id, detail=f"outbox {row.id}: sender stopped"))
        session.commit()
        return len(stale)
