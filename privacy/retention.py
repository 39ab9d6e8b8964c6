"""Retention (gallring): delete mail that is not part of the public record once its time is up.

Only messages that are not affiliations and are linked to no case are ever deleted, each kind
after its own number of days from receipt ([privacy] keep_*_days; 0 = keep for ever):

    other        processed mail that is neither an affiliation, an auto-reply nor a bounce
    auto_reply   out-of-office and other automatic answers
    bounce       delivery reports
    quarantined  mail that could not be processed (a person had that long to replay it)

Affiliations and everything on a case are registered records, kept per the board's records
plan. Each run writes one `retention_run` event with its counts (the digest shows the last one).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session, selectinload

from inbox.config import PrivacyConfig
from inbox.context import AppContext
from models import Event, Message, MessageStatus
from privacy.purge import case_linked, delete_messages, message_files, remove_files, still_named

RUN_ACTION = "retention_run"
BUCKETS = ("other", "auto_reply", "bounce", "quarantined")


@dataclass
class RetentionReport:
    dry_run: bool
    deleted: dict[str, int] = field(default_factory=lambda: dict.fromkeys(BUCKETS, 0))
    files_removed: int = 0
    files_shared: int = 0  # still used by a message that stays

    @property
    def messages(self) -> int:
        return sum(self.deleted.values())

    def __str__(self) -> str:
        verb = "would delete" if self.dry_run else "deleted"
        kinds = ", ".join(f"{name} {n}" for name, n in self.deleted.items())
        return (f"{verb} {self.messages} message(s) ({kinds}); {self.files_removed} file(s) "
                f"{'to remove' if self.dry_run else 'removed'}, {self.files_shared} kept (shared)")


@dataclass(frozen=True)
class RetentionRun:
    """The last run, for the digest."""

    at: datetime
    messages: int
    files: int
    deleted: dict[str, int]


def keep_days(config: PrivacyConfig) -> dict[str, int]:
    return {"other": config.keep_other_days, "auto_reply": config.keep_auto_replies_days,
            "bounce": config.keep_bounces_days, "quarantined": config.keep_quarantined_days}


def expired(session: Session, config: PrivacyConfig, now: datetime) -> list[tuple[str, Message]]:
    """(bucket, message) for every message whose time is up, oldest first."""
    found = []
    for bucket, days in keep_days(config).items():
        if days == 0:
            continue
        if bucket == "quarantined":
            which = and_(Message.status == MessageStatus.QUARANTINED,
                         or_(Message.kind.is_(None), Message.kind != "affiliation"))
        else:
            which = and_(Message.status == MessageStatus.PROCESSED, Message.kind == bucket)
        query = (select(Message).options(selectinload(Message.attachments), selectinload(Message.locations))
                 .where(which, Message.case_id.is_(None), ~case_linked(Message.id), Message.received_at < now - timedelta(days=days))
                 .order_by(Message.id))
        found += [(bucket, message) for message in session.scalars(query)]
    return found


def run_retention(ctx: AppContext, *, dry_run: bool = False) -> RetentionReport:
    report = RetentionReport(dry_run=dry_run)
    with ctx.sessions() as session:
        doomed = expired(session, ctx.settings.privacy, ctx.clock())
        ids = {message.id for _, message in doomed}
        paths = {path for _, message in doomed for path in message_files(message)}
        shared = still_named(session, paths, ignoring=ids)
        for bucket, _ in doomed:
            report.deleted[bucket] += 1
        if dry_run:
            report.files_removed, report.files_shared = len(paths - shared), len(shared)
            return report
        delete_messages(session, [message for _, message in doomed])
        event = Event(at=ctx.clock(), action=RUN_ACTION, detail=str(report), data={"deleted": report.deleted})
        session.add(event)
        session.commit()  # the rows are gone: now the files nobody else names
        removed = remove_files(session, ctx.data_dir, paths)
        report.files_removed, report.files_shared = len(removed.removed), len(removed.shared)
        event.detail = str(report)
        event.data = {"deleted": report.deleted, "files_removed": report.files_removed, "files_shared": report.files_shared}
        session.commit()
    return report


def last_run(session: Session) -> RetentionRun | None:
    event = session.scalar(select(Event).where(Event.action == RUN_ACTION).order_by(Event.id.desc()).limit(1))
    if event is None:
        return None
    data = event.data or {}
    deleted = data.get("deleted") or {}
    return RetentionRun(at=event.at, messages=sum(deleted.values()), files=data.get("files_removed", 0), deleted=deleted)
