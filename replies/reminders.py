"""Remind an organisation of a completion request that got no answer.

Due when the case is still incomplete, the last request or reminder is `reminder_days`
old, nothing has come in on the case since, and fewer than `max_reminders` were sent.
Each case is decided in its own transaction, so a crash repeats no reminder.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from sqlalchemy import select, update

from inbox.context import AppContext
from models import Case, CaseStatus, Event, Message, OutboxStatus, OutgoingMail
from replies.outbox import Reply, enqueue
from replies.variables import swedish_date

log = logging.getLogger(__name__)
ASKING = ("request_missing", "reminder")
# A request that was held for approval or cancelled never left: nothing to remind of.
NEVER_SENT = (OutboxStatus.HELD, OutboxStatus.CANCELLED)


def send_reminders(ctx: AppContext) -> int:
    """Queue the reminders that are due; returns how many were queued."""
    queued = 0
    with ctx.sessions() as session:
        ids = list(session.scalars(select(Case.id).where(Case.status == CaseStatus.INCOMPLETE).order_by(Case.id)))
    for case_id in ids:
        with ctx.sessions() as session:
            queued += _remind(ctx, session, session.get_one(Case, case_id))  # cases are never deleted
            session.commit()
    return queued


def _remind(ctx: AppContext, session, case: Case) -> int:
    replies = ctx.settings.replies
    if case.status is not CaseStatus.INCOMPLETE or case.reminders_sent >= replies.max_reminders:
        return 0
    asked = session.scalar(
        select(OutgoingMail).where(OutgoingMail.case_id == case.id, OutgoingMail.template.in_(ASKING),
                                   OutgoingMail.status.not_in(NEVER_SENT)).order_by(OutgoingMail.id.desc()).limit(1)
    )
    if asked is None or ctx.clock() - asked.created_at < timedelta(days=replies.reminder_days):
        return 0
    if _answered_since(session, case, asked):
        return 0  # they wrote back without completing: a person should read it, not a robot
    first = session.scalar(select(OutgoingMail).where(OutgoingMail.case_id == case.id, OutgoingMail.template == "request_missing",
                                       OutgoingMail.status.not_in(NEVER_SENT)).order_by(OutgoingMail.id).limit(1))
    extra = {"reminder": {"number": case.reminders_sent + 1, "requested_on": swedish_date((first or asked).created_at, ctx.zone)}}
    # Claim the reminder first: another process (`inbox remind` beside `inbox run`) that read the
    # same count updates nothing and sends nothing.
    claimed = session.execute(
        update(Case).where(Case.id == case.id, Case.reminders_sent == case.reminders_sent)
        .values(reminders_sent=case.reminders_sent + 1, last_reminder_at=ctx.clock())
    ).rowcount
    if claimed != 1:
        return 0
    session.refresh(case, ["reminders_sent", "last_reminder_at"])
    if enqueue(ctx, session, Reply("reminder", case, list(asked.recipients), extra=extra)) is None:
        return 0  # held back (rate limit, undeliverable): counted, so it is not tried every day
    session.add(Event(at=ctx.clock(), action="reminder_queued", case_id=case.id, detail=f"reminder {case.reminders_sent} of {replies.max_reminders}"))
    return 1


def _answered_since(session, case: Case, asked: OutgoingMail) -> bool:
    # Only a person's answer counts: an out-of-office or a bounce is no answer.
    later = session.scalar(select(Message.id).where(Message.case_id == case.id, Message.received_at > asked.created_at,
                                                    Message.kind == "affiliation").limit(1))
    return later is not None
