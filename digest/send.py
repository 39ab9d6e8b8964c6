"""Once per working day: decide whether the digest is due, what period it covers, and queue it.

The digests table has one row per day (unique), written in the same transaction as the
outbox row and its attachments, so the digest is queued exactly once even when the worker
restarts or two workers race. A day with nothing new records a skipped row, so it is not
evaluated again; the next digest covers from the end of the last one (Monday covers the
weekend, the day after a holiday covers the holiday).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from digest.calendar import as_utc, at_local, holiday_name, is_working_day, previous_working_day
from digest.collect import collect
from digest.mail import build_mail
from inbox.context import AppContext
from models import Digest, Event

NOTHING_NEW = "nothing new since the last digest"


@dataclass
class DigestOutcome:
    day: date
    result: str  # "queued", "skipped", "exists" or "not_due"
    reason: str = ""
    outgoing_mail_id: int | None = None

    def __str__(self) -> str:
        text = f"digest {self.day}: {self.result}"
        text += f" ({self.reason})" if self.reason else ""
        return text + (f", outbox {self.outgoing_mail_id}" if self.outgoing_mail_id else "")


def run_digest(ctx: AppContext, now: datetime | None = None, force: bool = False) -> DigestOutcome:
    """Queue today's digest if it is due. force: today, whatever the day and time (`--send-now`)."""
    now = (now or ctx.clock()).astimezone(UTC)
    day = now.astimezone(ctx.zone).date()
    if not force and (reason := not_due(ctx, now)):
        return DigestOutcome(day, "not_due", reason)
    with ctx.sessions() as session:
        existing = session.scalar(select(Digest).where(Digest.day == day))
        if existing is not None and (existing.outgoing_mail_id or not force):
            return DigestOutcome(day, "exists", existing.skipped_reason or "", existing.outgoing_mail_id)
        row = existing or Digest(day=day)
        row.period_start, row.period_end, row.created_at = period_start(ctx, session, day), now, now
        data = collect(ctx, session, row.period_start, now)
        if not (data.has_news or ctx.settings.digest.send_when_empty or force):
            row.skipped_reason = NOTHING_NEW
            return _commit(session, row, DigestOutcome(day, "skipped", NOTHING_NEW))
        mail = build_mail(ctx, session, data, now)
        session.add(mail)
        session.flush()
        row.outgoing_mail_id, row.skipped_reason = mail.id, None
        session.add(Event(at=now, action="digest_queued", detail=f"{day}: {mail.subject}"))
        return _commit(session, row, DigestOutcome(day, "queued", "", mail.id))


def digest_sent_today(ctx: AppContext) -> bool:
    """A digest (or a recorded quiet day) exists for today's date in the board's time zone."""
    day = ctx.clock().astimezone(ctx.zone).date()
    with ctx.sessions() as session:
        return session.scalar(select(Digest.id).where(Digest.day == day)) is not None


def not_due(ctx: AppContext, now: datetime) -> str | None:
    local = now.astimezone(ctx.zone)
    if not is_working_day(local.date()):
        return f"not a working day ({holiday_name(local.date()) or local.strftime('%A')})"
    if local.time() < ctx.settings.schedule.digest_time:
        return f"before the digest time {ctx.settings.schedule.digest_time:%H:%M}"
    return None


def period_start(ctx: AppContext, session: Session, day: date) -> datetime:
    """The end of the last digest before `day`; the first digest covers since the previous working day."""
    last = session.scalar(select(Digest.period_end).where(Digest.day < day).order_by(Digest.day.desc()).limit(1))
    if last is not None:
        return as_utc(last)
    previous = previous_working_day(day)
    return at_local(previous, ctx.settings.schedule.digest_time, ctx.zone).astimezone(UTC)


def _commit(session: Session, row: Digest, outcome: DigestOutcome) -> DigestOutcome:
    session.add(row)
    try:
        session.commit()
    except IntegrityError:  # another worker recorded this day first
        session.rollback()
        return DigestOutcome(outcome.day, "exists", "recorded by another worker")
    return outcome
