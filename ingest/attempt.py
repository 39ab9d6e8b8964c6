"""One attempt at one stored message: the pipeline in its own transaction.

It runs in the worker (isolation = "inline") or in a child process (ingest.isolation). A
failure that is the message's own (the parser rejects it, a value does not fit) rolls the
transaction back and quarantines the message with reason and traceback. A failure of the
service's environment (data_dir full or read-only, the database gone) is nobody's message:
it is raised as EnvironmentFault and the message stays stored for the next run.
"""

from __future__ import annotations

import errno
import logging
import traceback
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy.exc import InterfaceError, OperationalError

from inbox.context import AppContext
from inbox.db import explain_database_error
from inbox.errors import InboxError
from ingest.store import StorageError
from models import Event, Message, MessageStatus

log = logging.getLogger(__name__)
# OSErrors that say the disk or the folder is unusable, whatever the message holds.
ENVIRONMENT_ERRNOS = frozenset({errno.ENOSPC, errno.EROFS, errno.EACCES, errno.EDQUOT, errno.EPERM, errno.EIO})


class EnvironmentFault(InboxError):
    """The service cannot process any message (disk, folder permissions, database): stop this run."""


def attempt(ctx: AppContext, message_pk: int) -> MessageStatus:
    """Run the pipeline for one message and commit; quarantine it when the message is at fault.
    Raises EnvironmentFault (nothing recorded) and MemoryError (the caller knows the budget)."""
    from ingest.pipeline import Work, run_pipeline  # here: a worker that only polls never imports the pipeline

    with environment_faults(ctx), ctx.sessions() as session:
        # Claimed by the caller: the row exists. Locked for this transaction (not against the
        # references others add), and done nothing with when another worker processed it
        # meanwhile: a child that outlived its killed worker, say (ingest.process).
        message = session.get_one(Message, message_pk, with_for_update={"key_share": True})
        if message.status is MessageStatus.PROCESSED:
            log.info("message %s was processed by another worker meanwhile", message_pk)
            return MessageStatus.PROCESSED
        try:
            run_pipeline(Work(ctx=ctx, session=session, message=message))
            message.status = MessageStatus.PROCESSED
            message.processed_at = ctx.clock()
            message.quarantine_reason = message.quarantine_traceback = None
            session.commit()
            return MessageStatus.PROCESSED
        except MemoryError:
            raise
        except Exception as err:  # the one place that turns a failure of the message into a quarantine
            session.rollback()
            if environment_cause(err) is not None:
                raise
            quarantine(ctx, message_pk, f"{type(err).__name__}: {err}", "".join(traceback.format_exception(err)))
            return MessageStatus.QUARANTINED


def quarantine(ctx: AppContext, message_pk: int, reason: str, trace: str | None = None) -> None:
    reason = reason[:2000]
    log.warning("message %s quarantined: %s", message_pk, reason)
    with environment_faults(ctx), ctx.sessions() as session:
        message = session.get_one(Message, message_pk)  # the message being processed: the row exists
        message.status = MessageStatus.QUARANTINED
        message.quarantine_reason = reason
        message.quarantine_traceback = trace[-20000:] if trace else None
        session.add(Event(at=ctx.clock(), action="quarantined", message_pk=message_pk, detail=reason))
        session.commit()


@contextmanager
def environment_faults(ctx: AppContext) -> Iterator[None]:
    """Turn 'the disk or the database cannot be used' into one EnvironmentFault naming what to fix."""
    try:
        yield
    except EnvironmentFault:
        raise
    except Exception as err:  # only re-raised as another type when it is an environment failure
        cause = environment_cause(err, ctx)
        if cause is None:
            raise
        raise EnvironmentFault(cause) from err


def environment_cause(err: BaseException, ctx: AppContext | None = None) -> str | None:
    """One line naming data_dir or the database when `err` is their failure, else None."""
    if isinstance(err, StorageError):
        return str(err)
    if isinstance(err, (OperationalError, InterfaceError)):
        return explain_database_error(err, ctx.engine if ctx else None)
    if isinstance(err, OSError) and err.errno in ENVIRONMENT_ERRNOS:
        where = f"data_dir {ctx.data_dir}" if ctx else "data_dir"
        return f"cannot use {where} ([service] data_dir): {err.strerror}; free space or fix the folder's permissions"
    return None
