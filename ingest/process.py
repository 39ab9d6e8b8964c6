"""Process stored messages, each in its own transaction; a failure quarantines that message only."""

from __future__ import annotations

import logging
import traceback
from dataclasses import dataclass

from sqlalchemy import select

from inbox.context import AppContext
from ingest.pipeline import Work, run_pipeline
from models import Event, Message, MessageStatus

log = logging.getLogger(__name__)


@dataclass
class ProcessReport:
    processed: int = 0
    quarantined: int = 0


def process_message(ctx: AppContext, message_pk: int) -> MessageStatus:
    """Run the pipeline for one message. Commits on success; quarantines on any failure."""
    with ctx.sessions() as session:
        message = session.get(Message, message_pk)
        try:
            run_pipeline(Work(ctx=ctx, session=session, message=message))
            message.status = MessageStatus.PROCESSED
            message.processed_at = ctx.clock()
            message.quarantine_reason = message.quarantine_traceback = None
            session.commit()
            return MessageStatus.PROCESSED
        except Exception as err:  # the one place that turns any failure into a quarantined message
            session.rollback()
            quarantine(ctx, message_pk, err)
            return MessageStatus.QUARANTINED


def quarantine(ctx: AppContext, message_pk: int, err: BaseException) -> None:
    reason = f"{type(err).__name__}: {err}"[:2000]
    log.warning("message %s quarantined: %s", message_pk, reason)
    with ctx.sessions() as session:
        message = session.get(Message, message_pk)
        message.status = MessageStatus.QUARANTINED
        message.quarantine_reason = reason
        message.quarantine_traceback = "".join(traceback.format_exception(err))[-20000:]
        message.attempts += 1
        session.add(Event(action="quarantined", message_pk=message_pk, detail=reason))
        session.commit()


def process_waiting(ctx: AppContext, statuses: tuple[MessageStatus, ...] = (MessageStatus.STORED,)) -> ProcessReport:
    """Process every message in the given statuses, oldest first (STORED: left by a crash or a poll)."""
    with ctx.sessions() as session:
        pks = session.scalars(select(Message.id).where(Message.status.in_(statuses)).order_by(Message.id)).all()
    report = ProcessReport()
    for pk in pks:
        if process_message(ctx, pk) is MessageStatus.PROCESSED:
            report.processed += 1
        else:
            report.quarantined += 1
    return report


def replay(ctx: AppContext, message_pks: list[int] | None = None) -> ProcessReport:
    """Process quarantined messages again (all, or the ones named)."""
    if not message_pks:
        return process_waiting(ctx, (MessageStatus.QUARANTINED,))
    report = ProcessReport()
    for pk in message_pks:
        status = process_message(ctx, pk)
        report.processed += status is MessageStatus.PROCESSED
        report.quarantined += status is MessageStatus.QUARANTINED
    return report
