"""The scheduled jobs and nothing else: poll the mailbox, send the outbox, remind, the staff digest, retention.

Jobs run one at a time (one worker thread), with coalescing, in the configured time
zone (Europe/Stockholm). A job that fails logs, records an event and waits for
its next turn; it never stops the scheduler.

The worker that holds the mailbox (ingest.push) polls on the interval and, where the
server offers IMAP IDLE, the moment new mail arrives; a poll that processed mail sends
the replies it queued at once. A second worker on the same database waits: every
standby_seconds it tries to take the mailbox and (PostgreSQL) processes stored mail
the holder has not reached yet.
"""

from __future__ import annotations

import logging
import signal
from collections.abc import Callable
from functools import partial

from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.jobstores.base import JobLookupError
from apscheduler.schedulers.base import SchedulerNotRunningError
from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger
from sqlalchemy import select

from digest.calendar import is_working_day
from inbox.context import AppContext
from inbox.errors import InboxError
from ingest.poll import poll_once
from ingest.process import process_waiting
from ingest.push import Mailbox, PollTrigger
from ingest.sources import make_source
from models import Event, JobRun, Message, MessageStatus
from privacy.retention import run_retention
from replies.reminders import send_reminders
from replies.send import send_due

log = logging.getLogger(__name__)
DIGEST_CHECK_MINUTES = 5


def poll_job(ctx: AppContext, mailbox: Mailbox) -> None:
    """Poll (and send what that queued) when this worker holds the mailbox; else wait and share."""
    mailbox.trigger.run(partial(_poll_round, ctx, mailbox))


def standby_job(ctx: AppContext, mailbox: Mailbox) -> None:
    """A worker that does not hold the mailbox: take it if it is free, else share the processing."""
    if not mailbox.lock.held:
        mailbox.trigger.run(partial(_poll_round, ctx, mailbox))


def _poll_round(ctx: AppContext, mailbox: Mailbox) -> None:
    try:
        holds = mailbox.held()
        if not holds and ctx.engine.dialect.name == "postgresql" and _stored_waiting(ctx):  # SQLite: one worker processes
            # Between two messages the mailbox may have come free (its holder stopped): then take it and poll.
            _guarded(ctx, "standby", lambda: _process_and_send(ctx, stop=mailbox.held))
            holds = mailbox.lock.held
    except InboxError as err:  # the database cannot be reached: nothing else can be done either
        log.error("poll: %s", err)
        return
    if holds:
        _guarded(ctx, "poll", lambda: _poll_and_send(ctx))


def _poll_and_send(ctx: AppContext) -> str:
    report = poll_once(ctx, make_source(ctx.settings))
    return f"{report}; send: {send_due(ctx)}" if report.processed else str(report)


def _process_and_send(ctx: AppContext, stop: Callable[[], bool]) -> str:
    report = process_waiting(ctx, stop=stop)
    return f"another worker holds the mailbox; processed {report.processed}, quarantined {report.quarantined}; send: {send_due(ctx)}"


def _stored_waiting(ctx: AppContext) -> bool:
    with ctx.sessions() as session:
        return session.scalar(select(Message.id).where(Message.status == MessageStatus.STORED).limit(1)) is not None


def send_job(ctx: AppContext) -> None:
    _guarded(ctx, "send", lambda: send_due(ctx))


def digest_job(ctx: AppContext) -> None:
    """Checked every few minutes, not fired once: a worker that was down or busy at digest_time
    still sends today's digest when it gets to it. run_digest sends at most one a day."""
    from digest.send import digest_sent_today, not_due, run_digest

    if not_due(ctx, ctx.clock()) or digest_sent_today(ctx):
        return  # nothing to do: not recorded as a run, or the table would fill with no-ops
    _guarded(ctx, "digest", lambda: run_digest(ctx))


def reminder_job(ctx: AppContext) -> None:
    today = ctx.clock().astimezone(ctx.zone).date()
    if not is_working_day(today):
        log.info("reminders: %s is a public holiday; none sent", today)  # the next working day catches up
        return
    _guarded(ctx, "reminders", lambda: f"{send_reminders(ctx)} queued")


def retention_job(ctx: AppContext) -> None:
    """Daily: delete expired mail that is not part of the public record (privacy/retention.py)."""
    _guarded(ctx, "retention", lambda: run_retention(ctx))


def _guarded(ctx: AppContext, name: str, job) -> None:
    """Run one job and record the run (the digest reports the service's health from these)."""
    with ctx.sessions() as session:
        run = JobRun(job=name, started_at=ctx.clock())
        session.add(run)
        session.commit()
        try:
            result = job()
        except InboxError as err:  # expected trouble (server away, bad credentials): one line
            log.error("%s failed: %s", name, err)
            run.error = str(err)[:2000]
            session.add(Event(at=ctx.clock(), action=f"{name}_failed", detail=run.error))
        except Exception as err:  # a bug: keep the traceback in the log, the run and the digest
            log.exception("%s crashed", name)
            run.error = f"{type(err).__name__}: {err}"[:2000]
            session.add(Event(at=ctx.clock(), action=f"{name}_failed", detail=run.error))
        else:
            log.info("%s: %s", name, result)
            run.ok, run.summary = True, str(result)[:2000]
        run.finished_at = ctx.clock()
        session.commit()


class _ExpectedSkips(logging.Filter):
    """With one worker thread, a tick that finds its job still running is skipped by design:
    APScheduler's warning about it every standby_seconds during a long poll is no news."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "maximum number of running instances reached" not in record.getMessage()


EXPECTED_SKIPS = _ExpectedSkips()


def build_scheduler(ctx: AppContext, mailbox: Mailbox | None = None) -> BlockingScheduler:
    schedule = ctx.settings.schedule
    mailbox = mailbox or Mailbox(ctx, PollTrigger())
    logging.getLogger("apscheduler.scheduler").addFilter(EXPECTED_SKIPS)  # the same object is added once
    # One worker thread: jobs never overlap, so a reminder cannot race the poll that brings the
    # answer, and SQLite never sees two writers. Jobs are short; a late one waits its turn.
    scheduler = BlockingScheduler(
        timezone=ctx.zone, executors={"default": ThreadPoolExecutor(max_workers=1)},
        job_defaults={"max_instances": 1, "coalesce": True, "misfire_grace_time": 300},
    )
    scheduler.add_job(poll_job, IntervalTrigger(minutes=schedule.poll_minutes, timezone=ctx.zone), args=[ctx, mailbox], id="poll",
                      next_run_time=ctx.clock())
    scheduler.add_job(standby_job, IntervalTrigger(seconds=schedule.standby_seconds, timezone=ctx.zone), args=[ctx, mailbox], id="standby")
    mailbox.trigger.wake = partial(_wake_poll, scheduler, ctx)
    scheduler.add_job(send_job, IntervalTrigger(minutes=schedule.outbox_minutes, timezone=ctx.zone), args=[ctx], id="send")
    scheduler.add_job(digest_job, IntervalTrigger(minutes=DIGEST_CHECK_MINUTES, timezone=ctx.zone), args=[ctx], id="digest",
                      next_run_time=ctx.clock())
    scheduler.add_job(
        reminder_job, CronTrigger(day_of_week="mon-fri", hour=schedule.reminder_time.hour, minute=schedule.reminder_time.minute, timezone=ctx.zone),
        args=[ctx], id="reminders",
    )
    keep = ctx.settings.privacy.retention_time
    scheduler.add_job(retention_job, CronTrigger(hour=keep.hour, minute=keep.minute, timezone=ctx.zone), args=[ctx], id="retention")
    return scheduler


def _wake_poll(scheduler: BlockingScheduler, ctx: AppContext) -> None:
    """Run the poll job now (IMAP IDLE said EXISTS); the interval counts from this run."""
    try:
        scheduler.modify_job("poll", next_run_time=ctx.clock())
    except (JobLookupError, SchedulerNotRunningError):
        pass  # stopping


def run_forever(ctx: AppContext) -> None:
    """Start the scheduler; SIGTERM or Ctrl-C stops it after the running job step."""
    mailbox = Mailbox(ctx, PollTrigger())
    scheduler = build_scheduler(ctx, mailbox)

    def stop(signum, _frame):
        log.info("signal %s: stopping after the running jobs", signum)
        scheduler.shutdown(wait=False)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    log.info("scheduler started: %s", ", ".join(job.id for job in scheduler.get_jobs()))
    try:
        scheduler.start()
    finally:
        mailbox.close()  # the IDLE connection logs out; the other worker may take the mailbox
    log.info("scheduler stopped")
