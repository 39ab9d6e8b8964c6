"""The outbox as people and scripts see it: one record per row, with stable keys.

`inbox outbox list --json` prints these records (README, "Sending exactly once"); the table
in cli/views.py shows the same records. Instants are ISO 8601 in the board's time zone with
the offset, like every other `--json`; ages are computed against the service's clock.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from functools import partial
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from models import Case, OutboxStatus, OutgoingMail


def outbox_records(session: Session, now: datetime, zone: ZoneInfo, *, status: str | None = None,
                   statuses: Sequence[str] = ()) -> list[dict]:
    """Every row, or those in `status` / any of `statuses` (the workspace lists the ones waiting or needing a person)."""
    query = select(OutgoingMail, Case.reference).outerjoin(Case, Case.id == OutgoingMail.case_id).order_by(OutgoingMail.id)
    if status:
        query = query.where(OutgoingMail.status == OutboxStatus(status))
    if statuses:
        query = query.where(OutgoingMail.status.in_([OutboxStatus(s) for s in statuses]))
    return [_record(row, reference, now, zone) for row, reference in session.execute(query)]


def _record(row: OutgoingMail, reference: str | None, now: datetime, zone: ZoneInfo) -> dict:
    iso = partial(_iso, zone=zone)
    return {
        "id": row.id,
        "status": row.status.value,
        "template": row.template,
        "case": reference,
        "recipients": list(row.recipients),
        "attempts": row.attempts,
        "created_at": iso(row.created_at),
        "claimed_at": iso(row.claimed_at),  # the last attempt's start
        "claim_age_seconds": int((now - row.claimed_at).total_seconds()) if row.claimed_at else None,
        "next_attempt_at": iso(row.next_attempt_at) if row.status is OutboxStatus.PENDING else None,
        "sent_at": iso(row.sent_at),
        "message_id": row.message_id,
        "last_error": row.last_error,
        "detail": row.transport_detail,  # the server's answer, or what a look for the sent copy found
    }


def state(record: dict, claim_timeout: timedelta) -> str:
    """The status in words: "sending, claimed 3 min ago" says whether a sender is still at it."""
    if record["status"] != OutboxStatus.SENDING.value or record["claim_age_seconds"] is None:
        return record["status"]
    age = timedelta(seconds=record["claim_age_seconds"])
    text = f"sending, claimed {ago(age)}"
    if age > claim_timeout:
        text += ", presumed stopped"  # the next send run makes it uncertain
    return text


def next_attempt(record: dict, now: datetime) -> str:
    if record["next_attempt_at"] is None:
        return "now" if record["status"] == OutboxStatus.PENDING.value else "–"
    wait = datetime.fromisoformat(record["next_attempt_at"]) - now
    return "now" if wait <= timedelta(0) else f"in {span(wait)}"


def ago(age: timedelta) -> str:
    return f"{span(age)} ago"


def span(length: timedelta) -> str:
    seconds = max(int(length.total_seconds()), 0)
    if seconds < 60:
        return f"{seconds} s"
    minutes = seconds // 60
    if minutes < 60:
        return f"{minutes} min"
    hours, minutes = divmod(minutes, 60)
    if hours < 48:
        return f"{hours} h {minutes} min" if minutes else f"{hours} h"
    return f"{hours // 24} d"


def _iso(value: datetime | None, zone: ZoneInfo) -> str | None:
    return value.astimezone(zone).isoformat(timespec="seconds") if value else None
