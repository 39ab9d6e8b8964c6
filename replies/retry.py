"""A person queues uncertain or failed replies again: by id, or in bulk by status or case.

An uncertain reply is looked for in the sent-copy folders first (replies/uncertain.py): found
means it had left and it is marked sent instead of being sent twice. Rows in any other status
are left alone: a sent reply is never queued again.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from inbox.context import AppContext
from inbox.errors import InboxError, NotFound, SentCopyError
from models import Case, Event, OutboxStatus, OutgoingMail
from replies.sent_copies import SentCopies
from replies.uncertain import settle

RETRYABLE = (OutboxStatus.UNCERTAIN, OutboxStatus.FAILED)


@dataclass(frozen=True)
class Selection:
    ids: tuple[int, ...] = ()
    status: str | None = None  # "uncertain" or "failed"
    case: str | None = None  # a case reference
    everything: bool = False  # every uncertain and failed row

    def empty(self) -> bool:
        return not (self.ids or self.status or self.case or self.everything)


@dataclass(frozen=True)
class Retried:
    row_id: int
    outcome: str  # "queued", "confirmed" (its copy was found: marked sent), "unchecked", "skipped"
    note: str


def select_rows(session: Session, selection: Selection) -> list[OutgoingMail]:
    """The rows the selection names; ids that do not exist are an error, rows not retryable are kept (and skipped)."""
    if selection.empty():
        raise InboxError("name outbox ids, or --status, --case or --all")
    query = select(OutgoingMail).order_by(OutgoingMail.id)
    if selection.ids:
        rows = session.scalars(query.where(OutgoingMail.id.in_(selection.ids))).all()
        if missing := sorted(set(selection.ids) - {r.id for r in rows}):
            raise NotFound(f"no outbox row {', '.join(map(str, missing))}")
        return list(rows)
    query = query.where(OutgoingMail.status.in_([OutboxStatus(selection.status)] if selection.status else RETRYABLE))
    if selection.case:
        case_id = session.scalar(select(Case.id).where(Case.reference == selection.case))
        if case_id is None:
            raise NotFound(f"no case {selection.case}")
        query = query.where(OutgoingMail.case_id == case_id)
    return list(session.scalars(query))


def retry(ctx: AppContext, selection: Selection, *, actor: str = "staff", check_copies: bool = True) -> list[Retried]:
    """Queue the selected uncertain and failed rows again; an uncertain one only when no copy of it is found."""
    copies = SentCopies(ctx.settings)
    with ctx.sessions() as session:
        rows = select_rows(session, selection)
        results = [Retried(r.id, "skipped", f"is {r.status.value}; only uncertain or failed replies are queued again")
                   for r in rows if r.status not in RETRYABLE]
        uncertain = [r for r in rows if r.status is OutboxStatus.UNCERTAIN]
        if uncertain and copies.enabled and check_copies:
            results += _checked(ctx, session, copies, uncertain, actor)
            uncertain = []
        for row in [r for r in rows if r.status is OutboxStatus.FAILED] + uncertain:
            results.append(_queue(ctx, session, row, actor))
        session.commit()
    return sorted(results, key=lambda r: r.row_id)


def _checked(ctx: AppContext, session: Session, copies: SentCopies, rows: list[OutgoingMail], actor: str) -> list[Retried]:
    try:
        settled = settle(ctx, session, copies, rows, absent_means_unsent=True, actor=actor)
    except SentCopyError as err:
        return [Retried(r.id, "unchecked", f"left uncertain: {err}") for r in rows]
    by_id = {r.id: r for r in rows}
    results = []
    for item in settled:
        if item.outcome == "requeued":
            by_id[item.row_id].attempts = 0
            results.append(Retried(item.row_id, "queued", item.note))
        else:
            results.append(Retried(item.row_id, item.outcome, item.note))
    return results


def _queue(ctx: AppContext, session: Session, row: OutgoingMail, actor: str) -> Retried:
    was = row.status.value
    row.status, row.next_attempt_at, row.attempts = OutboxStatus.PENDING, None, 0
    session.add(Event(at=ctx.clock(), actor=actor, action="reply_retry", case_id=row.case_id, detail=f"outbox {row.id} ({was})"))
    return Retried(row.id, "queued", f"was {was}; queued again")
