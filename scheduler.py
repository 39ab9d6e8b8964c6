"""The scheduled jobs and nothing else: poll the mailbox, send the outbox, remind, the staff digest, retention.

Jobs run one at a time (one worker thread), with coalescing, in the configured time
zone (Europe/Stockholm). A job that fails logs, records an event and waits for
its next turn; it never stops the scheduler.
"""

from __future__ import annotations

import logging
import signal

from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from digest.calendar import is_working_day
from inbox.context import AppContext
from inbox.errors import InboxError
from ingest.poll import poll_once
from ingest.sources import make_source
from models import Event, JobRun
from privacy.retention import run_retention
from replies.reminders import send_reminders
from replies.send import send_due

log = logging.getLogger(__name__)
DIGEST_CHECK_MINUTES = 5


def poll_job(ctx: AppContext) -> None:
    _guarded(ctx, "poll", lambda: poll_once(ctx, make_source(ctx.settings)))


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


def build_scheduler(ctx: AppContext) -> BlockingScheduler:
    schedule = ctx.settings.schedule
    # One worker thread: jobs never overlap, so a reminder cannot race the poll that brings the
    # answer, and SQLite never sees two writers. Jobs are short; a late one waits its turn.
    scheduler = BlockingScheduler(
        timezone=ctx.zone, executors={"default": ThreadPoolExecutor(max_workers=1)},
        job_defaults={"max_instances": 1, "coalesce": True, "misfire_grace_time": 300},
    )
    scheduler.add_job(poll_job, IntervalTrigger(minutes=schedule.poll_minutes, timezone=ctx.zone), args=[ctx], id="poll", next_run_time=ctx.clock())
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


def run_forever(ctx: AppContext) -> None:
    """Start the scheduler; SIGTERM or Ctrl-C stops it after the running job step."""
    scheduler = build_scheduler(ctx)

    def stop(signum, _frame):
        log.info("signal %s: stopping after the running jobs", signum)
        scheduler.shutdown(wait=False)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    log.info("scheduler started: %s", ", ".join(job.id for job in scheduler.get_jobs()))
    scheduler.start()
    log.info("scheduler stopped")
