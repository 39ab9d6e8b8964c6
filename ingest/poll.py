"""The poll runner: fetch and store each batch (one commit) -> process -> server post-action.

Getting mail safe comes first and runs near the wire: every new message is stored, a FETCH
batch at a time (ingest.store.store_batch), before any is processed. Processing then claims
stored messages one by one (ingest.process), so a second worker on the same PostgreSQL
database shares a backlog. One poll at a time per database (a lock across processes and
machines): a second `inbox poll` beside the running service waits for the first and then
finds nothing new. Storing itself is insert-or-ignore as well, so even two stores of one
message at the same instant are harmless.
"""

from __future__ import annotations

import logging
import time
from dataclasses import asdict, dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from inbox.context import AppContext
from inbox.db import exclusive
from ingest.process import MessageClaims, ProcessReport, process_waiting
from ingest.sources import FetchedMail, MailSource
from ingest.store import STALE_TEMP_SECONDS, store_batch, sweep_stale_temp_files
from models import Event, Message, MessageStatus
from ops.poll_timing import timed_poll

log = logging.getLogger(__name__)
POLL_LOCK_WAIT_SECONDS = 600  # a second poller waits this long for the running one, then gives up with one line


@dataclass
class PollReport:
    source: str = ""
    fetched: int = 0
    stored: int = 0
    duplicates: int = 0
    processed: int = 0
    quarantined: int = 0

    def add(self, report: ProcessReport) -> None:
        self.processed += report.processed
        self.quarantined += report.quarantined

    def __str__(self) -> str:
        return (f"fetched {self.fetched}, stored {self.stored}, duplicates {self.duplicates}, "
                f"processed {self.processed}, quarantined {self.quarantined}")

    def as_dict(self) -> dict:
        """The stable keys of `inbox poll --json` (README, "The CLI")."""
        return asdict(self)


def poll_once(ctx: AppContext, source: MailSource) -> PollReport:
    with exclusive(ctx.engine, "poll", wait_seconds=POLL_LOCK_WAIT_SECONDS), timed_poll(ctx):  # /metrics, /healthz
        return _poll(ctx, source)


def _poll(ctx: AppContext, source: MailSource) -> PollReport:
    report = PollReport(source=source.name)
    if _sweep_due(ctx):
        sweep_stale_temp_files(ctx.data_dir)  # what a killed write left behind
    with source, ctx.sessions() as session:
        seen = _store_new(ctx, source, session, report)
        report.add(process_waiting(ctx))  # this poll's mail, and anything a crash or another worker left
        if source.post_actions:
            _post_actions(ctx, source, session, seen)
        session.add(Event(at=ctx.clock(), action="poll", detail=f"{source.name}: {report}", data=report.as_dict()))
        session.commit()
    log.info("poll %s: %s", source.name, report)
    return report


def _sweep_due(ctx: AppContext) -> bool:
    """Once per process and then hourly: walking data_dir is not free, and IDLE polls often."""
    last = ctx.memo("poll.last_sweep", lambda: [float("-inf")])
    if time.monotonic() - last[0] < STALE_TEMP_SECONDS:
        return False
    last[0] = time.monotonic()
    return True


def _store_new(ctx: AppContext, source: MailSource, session: Session, report: PollReport) -> list[tuple[FetchedMail, int]]:
    """Store every new message, one commit per FETCH batch; (where it was, its message id) of each.

    The mail is kept only as long as its batch: what the post-actions need is its location."""
    seen = []
    for batch in source.fetch_batches(session):
        results = store_batch(session, ctx.data_dir, [(fetched.raw, fetched.location) for fetched in batch], now=ctx.clock())
        source.mark_stored(session, batch)
        session.commit()  # the batch is safe from here on (its files were made durable before the rows)
        for fetched, result in zip(batch, results, strict=True):
            report.fetched += 1
            report.stored += result.created
            report.duplicates += not result.created
            seen.append((FetchedMail(raw=b"", label=fetched.label, location=fetched.location), result.message.id))
    session.commit()  # what the source recorded after its last batch
    return seen


def _post_actions(ctx: AppContext, source: MailSource, session: Session, seen: list[tuple[FetchedMail, int]]) -> None:
    """Move or flag what was read, now that it is processed. A message another worker is still
    processing is waited for, so that its outcome decides, as it would in a single worker."""
    with MessageClaims(ctx) as claims:
        for fetched, message_pk in seen:
            if _status(session, message_pk) is MessageStatus.STORED:
                claims.wait_for(message_pk, ctx.settings.limits.message_seconds)
            source.after_commit(fetched, handled=handled_by_service(session, message_pk))


def _status(session: Session, message_pk: int) -> MessageStatus:
    session.rollback()  # read what others committed since
    return session.scalars(select(Message.status).where(Message.id == message_pk)).one()


def handled_by_service(session, message_pk: int) -> bool:
    """Mail the service dealt with: an affiliation (a follow-up read as one included), or a bounce or
    auto-reply matched to one of our cases. Other mail, and mail that failed, is for a person."""
    status, kind, case_id = session.execute(select(Message.status, Message.kind, Message.case_id).where(Message.id == message_pk)).one()
    return status is MessageStatus.PROCESSED and (kind == "affiliation" or case_id is not None)
