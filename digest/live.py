"""The action list as the workspace's start page shows it now, its counts, and marking an item as done.

The digest lists mail events (an answer to read, an unverified bounce, a cap that held mail) once, for
the period since the last digest. The start page keeps them for LOOKBACK days instead, until a person
marks them as done: a list of work must not forget what nobody has done yet."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from cases.review import REVIEW_KINDS
from digest.attention import Attention, Reason, attention_items
from digest.calendar import as_utc
from digest.collect import load_cases, rules_at
from digest.send import period_start
from inbox.context import AppContext
from inbox.errors import InboxError
from models import Case, CaseStatus, Event, Meeting, Resolution, User

LOOKBACK = timedelta(days=14)
MAX_NOTE = 2000
RESOLVED = "item_resolved"  # the audit event's action


@dataclass(frozen=True)
class Counts:
    new_today: int  # cases that arrived since midnight (withdrawn ones not counted)
    to_review: int  # cases with something to check that nobody marked as done
    meetings_this_week: int  # dialogue meetings Monday to Sunday of this week, not cancelled


@dataclass(frozen=True)
class Done:
    """A recently resolved item, for the start page: what, by whom, when."""

    text: str
    by: str
    at: datetime
    note: str | None
    reference: str | None


def live_items(ctx: AppContext, session: Session) -> list[Attention]:
    now = ctx.clock().astimezone(UTC)
    since = min(period_start(ctx, session, now.astimezone(ctx.zone).date()), now - LOOKBACK)
    return attention_items(session, load_cases(session), rules_at(ctx, now), since)


def counts(ctx: AppContext, session: Session, items: list[Attention]) -> Counts:
    """The figures above the list; `items` is the live list (its review reasons are open_review's cases)."""
    local = ctx.clock().astimezone(ctx.zone)
    midnight = datetime.combine(local.date(), time(), tzinfo=ctx.zone)
    monday = midnight - timedelta(days=local.weekday())
    new_today = session.scalar(select(func.count()).select_from(Case).where(
        Case.created_at >= midnight.astimezone(UTC), Case.status != CaseStatus.WITHDRAWN))
    meetings = session.scalar(select(func.count()).select_from(Meeting).where(
        Meeting.cancelled.is_(False), Meeting.starts_at >= monday.astimezone(UTC),
        Meeting.starts_at < (monday + timedelta(days=7)).astimezone(UTC)))
    to_review = len({item.case_id for item in items if any(reason.kind in REVIEW_KINDS for reason in item.reasons)})
    return Counts(new_today or 0, to_review, meetings or 0)


def resolve_item(ctx: AppContext, session: Session, key: str, *, actor: str, note: str | None = None) -> Reason:
    """Mark one reason of the live list as done (who, when, an optional note) and audit it."""
    note = (note or "").strip() or None
    if note and len(note) > MAX_NOTE:
        raise InboxError(f"Anteckningen får vara högst {MAX_NOTE} tecken.")
    found = next(((item, reason) for item in live_items(ctx, session) for reason in item.reasons if reason.key == key), None)
    if found is None:
        raise InboxError("Punkten finns inte längre på listan. Någon kan redan ha markerat den som klar.")
    item, reason = found
    now = ctx.clock()
    try:
        with session.begin_nested():  # a colleague who clicked at the same moment: one of you records it
            session.add(Resolution(item_key=key, resolved_by=actor, resolved_at=now, note=note))
    except IntegrityError as err:
        raise InboxError("Punkten har redan markerats som klar av någon annan.") from err
    session.add(Event(at=now, actor=actor, action=RESOLVED, case_id=item.case_id, message_pk=item.message_pk,
                      detail=reason.text, data={"item_key": key, "kind": reason.kind, "note": note}))
    return reason


def recently_done(ctx: AppContext, session: Session, limit: int = 10) -> list[Done]:
    since = ctx.clock() - timedelta(days=7)
    rows = session.execute(
        select(Event, Case.reference).outerjoin(Case, Case.id == Event.case_id)
        .where(Event.action == RESOLVED, Event.at >= since).order_by(Event.at.desc(), Event.id.desc()).limit(limit)
    ).all()
    names = {username: name for username, name in session.execute(select(User.username, User.display_name))}
    return [Done(event.detail or "", names.get(event.actor, event.actor), as_utc(event.at), (event.data or {}).get("note"),
                 reference) for event, reference in rows]
