"""The poll runner: fetch -> store raw and commit -> process -> server post-action."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from inbox.context import AppContext
from ingest.process import ProcessReport, process_message, process_waiting
from ingest.sources import MailSource
from ingest.store import store_raw
from models import Event, MessageStatus

log = logging.getLogger(__name__)


@dataclass
class PollReport:
    fetched: int = 0
    stored: int = 0
    duplicates: int = 0
    processed: int = 0
    quarantined: int = 0

    def add(self, report: ProcessReport) -> None:
        self.processed += report.processed
        self.quarantined += report.quarantined


def poll_once(ctx: AppContext, source: MailSource) -> PollReport:
    report = PollReport()
    report.add(process_waiting(ctx))  # anything a crash left stored but unprocessed
    with source, ctx.sessions() as session:
        for fetched in source.fetch_new(session):
            report.fetched += 1
            result = store_raw(session, ctx.data_dir, fetched.raw, fetched.location, now=ctx.clock())
            source.mark_stored(session, fetched)
            session.commit()  # the raw message is safe from here on
            if not result.created:
                report.duplicates += 1
            else:
                report.stored += 1
                status = process_message(ctx, result.message.id)
                report.processed += status is MessageStatus.PROCESSED
                report.quarantined += status is MessageStatus.QUARANTINED
            source.after_commit(fetched)
        session.add(Event(action="poll", detail=f"{source.name}: {report}"))
        session.commit()
    log.info("poll %s: %s", source.name, report)
    return report
