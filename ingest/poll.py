"""The poll runner: fetch -> store raw and commit -> process -> server post-action.

One poll at a time per database (a lock across processes and machines): a second
`inbox poll` beside the running service waits for the first and then finds nothing new,
instead of processing the same stored message twice. Storing itself is insert-or-ignore
as well, so even two stores of one message at the same instant are harmless.
"""

from __future__ import annotations

import logging
from dataclasses import asdict, dataclass

from sqlalchemy import select

from inbox.context import AppContext
from inbox.db import exclusive
from ingest.process import ProcessReport, process_message, process_waiting
from ingest.sources import MailSource
from ingest.store import store_raw, sweep_stale_temp_files
from models import Event, Message, MessageStatus

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

    def count(self, status: MessageStatus) -> None:
        self.processed += status is MessageStatus.PROCESSED
        self.quarantined += status is MessageStatus.QUARANTINED

    def __str__(self) -> str:
        return (f"fetched {self.fetched}, stored {self.stored}, duplicates {self.duplicates}, "
                f"processed {self.processed}, quarantined {self.quarantined}")

    def as_dict(self) -> dict:
        """The stable keys of `inbox poll --json` (README, "The CLI")."""
        return asdict(self)


def poll_once(ctx: AppContext, source: MailSource) -> PollReport:
    with exclusive(ctx.engine, "poll", wait_seconds=POLL_LOCK_WAIT_SECONDS):
        return _poll(ctx, source)


def _poll(ctx: AppContext, source: MailSource) -> PollReport:
    report = PollReport(source=source.name)
    sweep_stale_temp_files(ctx.data_dir)  # what a killed write left behind
    report.add(process_waiting(ctx))  # anything a crash left stored but unprocessed
    with source, ctx.sessions() as session:
        for fetched in source.fetch_new(session):
            report.fetched += 1
            result = store_raw(session, ctx.data_dir, fetched.raw, fetched.location, now=ctx.clock())
            source.mark_stored(session, fetched)
            session.commit()  # the raw message is safe from here on
            if result.created:
                report.stored += 1
                report.count(process_message(ctx, result.message.id))
            else:
                report.duplicates += 1
            source.after_commit(fetched, handled=handled_by_service(session, result.message.id))
        session.add(Event(at=ctx.clock(), action="poll", detail=f"{source.name}: {report}", data=report.as_dict()))
        session.commit()
    log.info("poll %s: %s", source.name, report)
    return report


def handled_by_service(session, message_pk: int) -> bool:
    """Mail the service dealt with: an affiliation (a follow-up read as one included), or a bounce or
    auto-reply matched to one of our cases. Other mail, and mail that failed, is for a person."""
    status, kind, case_id = session.execute(select(Message.status, Message.kind, Message.case_id).where(Message.id == message_pk)).one()
    return status is MessageStatus.PROCESSED and (kind == "affiliation" or case_id is not None)
