"""Process stored messages, each in its own transaction and (by default) in a child process.

A message is claimed first: its `attempts` is raised and committed *before* anything reads
it, so a message that kills the worker itself is not retried for ever. Then one attempt runs
(ingest.attempt), in a child under [limits] message_seconds and message_memory_mb
(ingest.isolation: one child takes a run of messages, each under its own budget), or
inline. How it ends:

* processed, or quarantined by the attempt (the message was at fault): recorded by the attempt;
* stopped (over time or memory, killed by a signal, the worker died): an event says why and
  the message stays stored, to be tried on a later run after every message that has not
  failed yet; at max_attempts it is quarantined with the reason;
* an environment fault (data_dir, the database): the attempt is not counted, the message
  stays stored, and EnvironmentFault (an InboxError naming what to fix) ends the run.

Several workers may process one database's stored mail together (PostgreSQL): each takes
the next message with SELECT ... FOR NO KEY UPDATE SKIP LOCKED and claims it with an advisory
lock on its own connection, held until the message is done. A claimed message is skipped by
the others; a killed worker's claims go with its connection. The attempt itself locks the
message row and does nothing when the message was processed meanwhile (ingest.attempt), so
even a child that outlived its killed worker cannot process a message a second time. On
SQLite one worker processes at a time (the poll lock; a waiting worker does not process).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Collection, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from sqlalchemy import Connection, Select, select, update
from sqlalchemy.exc import InterfaceError, OperationalError
from sqlalchemy.orm import Session

from inbox.context import AppContext
from inbox.db import advisory_key, claim_done, database_problems, try_claim
from ingest.attempt import EnvironmentFault, attempt, environment_faults, quarantine
from models import Event, Message, MessageStatus

if TYPE_CHECKING:
    from ingest.isolation import MessageChild

log = logging.getLogger(__name__)
CLAIM_KIND = advisory_key("message") >> 32  # the first key of a message's claim lock (the second is its id)
WAIT_STEP_SECONDS = 0.2


@dataclass(frozen=True)
class Outcome:
    """How one message ended this time; seconds and peak memory of its child, and the child's
    process id (None inline)."""

    status: MessageStatus
    reason: str | None = None
    seconds: float = 0.0
    peak_mb: float | None = None
    child_pid: int | None = None


@dataclass
class ProcessReport:
    processed: int = 0
    quarantined: int = 0
    stopped: int = 0  # left stored after their child was stopped; tried again on a later run
    outcomes: dict[int, Outcome] = field(default_factory=dict)  # message id -> outcome, in the order processed

    def add(self, message_pk: int, outcome: Outcome) -> None:
        self.outcomes[message_pk] = outcome
        self.processed += outcome.status is MessageStatus.PROCESSED
        self.quarantined += outcome.status is MessageStatus.QUARANTINED
        self.stopped += outcome.status is MessageStatus.STORED


def handle(ctx: AppContext, message_pk: int, *, replay: bool = False, child: MessageChild | None = None) -> Outcome:
    """`replay`: a person asked for it (`inbox replay`): one more attempt whatever the count,
    and a stopped attempt quarantines at once. `child`: the child process of this run of
    messages (isolation = "process"; None starts one for this message alone)."""
    given_up = claim(ctx, message_pk, replay=replay)
    if given_up is not None:
        return given_up
    if ctx.settings.limits.isolation == "inline":
        return _inline(ctx, message_pk, replay)
    if child is None:
        from ingest.isolation import MessageChild

        with MessageChild(ctx) as own:
            return _isolated(ctx, message_pk, replay, own)
    return _isolated(ctx, message_pk, replay, child)


@contextmanager
def message_child(ctx: AppContext) -> Iterator[MessageChild | None]:
    """The child process a run of messages shares (None inline); it ends with the block. Imported
    here: a poll with nothing to process starts no child and imports nothing of it."""
    if ctx.settings.limits.isolation == "inline":
        yield None
        return
    from ingest.isolation import MessageChild

    with MessageChild(ctx) as child:
        yield child


def claim(ctx: AppContext, message_pk: int, *, replay: bool = False) -> Outcome | None:
    """Count the attempt and commit it, or give up (an Outcome) when the attempts are used up:
    then the message took the worker down with it every time, or was stopped every time."""
    max_attempts = ctx.settings.limits.max_attempts
    with environment_faults(ctx), ctx.sessions() as session:
        message = session.get_one(Message, message_pk)  # ids come from a query or `inbox replay` (an unknown id fails here)
        if message.attempts >= max_attempts and not replay:
            reason = f"gave up after {message.attempts} attempts: {last_stop(session, message_pk)}"
            session.rollback()
            quarantine(ctx, message_pk, reason)
            return Outcome(MessageStatus.QUARANTINED, reason)
        message.attempts += 1
        session.commit()
    return None


def last_stop(session, message_pk: int) -> str:
    reason = session.scalar(select(Event.detail).where(Event.message_pk == message_pk, Event.action == "processing_stopped")
                            .order_by(Event.id.desc()).limit(1))
    return reason or "the worker itself stopped while processing it (no result was recorded)"


def _inline(ctx: AppContext, message_pk: int, replay: bool) -> Outcome:
    started = time.monotonic()
    try:
        status = attempt(ctx, message_pk)
    except MemoryError:
        return stopped(ctx, message_pk, "ran out of memory", replay)
    except EnvironmentFault:
        forgive_attempt(ctx, message_pk)
        raise
    return Outcome(status, seconds=time.monotonic() - started)


def _isolated(ctx: AppContext, message_pk: int, replay: bool, child: MessageChild) -> Outcome:
    report = child.run(message_pk)
    if report.environment is not None:
        forgive_attempt(ctx, message_pk)
        raise EnvironmentFault(report.environment)
    if report.stopped is not None:
        outcome = stopped(ctx, message_pk, report.stopped, replay)
    else:
        assert report.status is not None, "a child that finished (not stopped, no environment fault) reports a status"
        outcome = Outcome(report.status)
    log.info("message %s: %s in %.1f s, peak %.0f MB", message_pk, outcome.status.value, report.seconds, report.peak_mb)
    return Outcome(outcome.status, outcome.reason, report.seconds, report.peak_mb, report.child_pid)


def stopped(ctx: AppContext, message_pk: int, why: str, replay: bool) -> Outcome:
    """A child that did not finish: try again later, or quarantine when the attempts are used up."""
    max_attempts = ctx.settings.limits.max_attempts
    with environment_faults(ctx), ctx.sessions() as session:
        tries = session.get_one(Message, message_pk).attempts  # claimed before the attempt: the row exists
        detail = f"{why} (attempt {tries} of {max_attempts})"
        session.add(Event(at=ctx.clock(), action="processing_stopped", message_pk=message_pk, detail=detail))
        session.commit()
    if replay or tries >= max_attempts:
        # Without a replay, every earlier attempt ended unfinished too (a finished one decides).
        reason = f"{why}; stopped {tries} times" if tries > 1 and not replay else why
        quarantine(ctx, message_pk, reason)
        return Outcome(MessageStatus.QUARANTINED, reason)
    log.warning("message %s stopped: %s; it is tried again after the other messages", message_pk, detail)
    return Outcome(MessageStatus.STORED, why)


def forgive_attempt(ctx: AppContext, message_pk: int) -> None:
    """The environment failed, not the message: the attempt does not count against it."""
    try:
        with ctx.sessions() as session:
            session.execute(update(Message).where(Message.id == message_pk, Message.attempts > 0)
                            .values(attempts=Message.attempts - 1))
            session.commit()
    except (OperationalError, InterfaceError):
        log.warning("message %s: the database is unreachable; this attempt stays counted", message_pk)


def process_waiting(ctx: AppContext, statuses: tuple[MessageStatus, ...] = (MessageStatus.STORED,), *,
                    stop: Callable[[], bool] = lambda: False) -> ProcessReport:
    """Process every message in the given statuses (STORED: left by a crash, a stop or a poll)
    that no other worker has claimed, including what others store meanwhile: the ones that never
    failed first, oldest first, so a message that keeps failing never holds up the ones behind
    it. Each message at most once per call. `stop` is asked before each message."""
    report = ProcessReport()
    with environment_faults(ctx), MessageClaims(ctx) as claims:
        def claim_next() -> int | None:
            return None if stop() else claims.next(statuses, skip=report.outcomes.keys())

        if (pk := claim_next()) is None:
            return report  # nothing waiting: no child, and nothing of it imported
        with message_child(ctx) as child:
            while pk is not None:
                try:
                    report.add(pk, handle(ctx, pk, child=child))
                finally:
                    claims.release(pk)
                pk = claim_next()
    return report


class MessageClaims:
    """Which worker processes which stored message (see the module). Used as a context manager."""

    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx
        self.shared = ctx.engine.dialect.name == "postgresql"
        self.connection: Connection | None = None

    def __enter__(self) -> MessageClaims:
        if self.shared:
            with database_problems(self.ctx.engine):
                self.connection = self.ctx.engine.connect()
        return self

    def __exit__(self, *exc) -> None:
        if self.connection is not None:
            self.connection.close()  # any claim still held goes with the connection
            self.connection = None

    def next(self, statuses: tuple[MessageStatus, ...], *, skip: Collection[int] = ()) -> int | None:
        """Claim the next message in `statuses` (not in `skip`); None when none is left unclaimed."""
        if self.connection is None:
            with self.ctx.sessions() as session:
                return session.scalar(_candidates(statuses, set(skip)))
        busy: set[int] = set()  # claimed by another worker just now: its row was free, its lock was not
        with Session(bind=self.connection) as session:
            while True:
                pk = session.scalar(_candidates(statuses, set(skip) | busy).with_for_update(skip_locked=True, key_share=True))
                if pk is None or try_claim(self.connection, CLAIM_KIND, pk):
                    session.commit()  # the row lock ends here; the claim lasts until release()
                    return pk
                busy.add(pk)
                session.rollback()

    def release(self, pk: int) -> None:
        if self.connection is None:
            return
        try:
            claim_done(self.connection, CLAIM_KIND, pk)
        except (OperationalError, InterfaceError):
            log.warning("message %s: the database connection is gone; its claim went with it", pk)

    def wait_for(self, pk: int, seconds: float) -> None:
        """Wait (up to `seconds`) while another worker holds the claim of message pk."""
        if self.connection is None:
            return
        deadline = time.monotonic() + seconds
        while not try_claim(self.connection, CLAIM_KIND, pk):
            self.connection.commit()
            if time.monotonic() >= deadline:
                return
            time.sleep(WAIT_STEP_SECONDS)
        claim_done(self.connection, CLAIM_KIND, pk)


def _candidates(statuses: tuple[MessageStatus, ...], skip: set[int]) -> Select[int]:
    query = select(Message.id).where(Message.status.in_(statuses))
    if skip:
        query = query.where(Message.id.not_in(skip))
    return query.order_by(Message.attempts, Message.id).limit(1)


def replay(ctx: AppContext, message_pks: list[int] | None = None) -> ProcessReport:
    """Process quarantined messages again (all, or the ones named): one attempt each."""
    if not message_pks:
        with environment_faults(ctx), ctx.sessions() as session:
            message_pks = list(session.scalars(select(Message.id).where(Message.status == MessageStatus.QUARANTINED)
                                               .order_by(Message.id)))
    report = ProcessReport()
    with message_child(ctx) as child:
        for pk in message_pks:
            report.add(pk, handle(ctx, pk, replay=True, child=child))
    return report
