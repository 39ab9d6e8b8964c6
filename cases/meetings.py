"""The case's current meeting: one query that booking, the organisation's page and its links all ask."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from models import Case, Meeting


def active_meeting(session: Session, case: Case) -> Meeting | None:
    """The case's newest meeting that is not cancelled, or None."""
    return session.scalar(select(Meeting).where(Meeting.case_id == case.id, Meeting.cancelled.is_(False))
                          .order_by(Meeting.id.desc()).limit(1))
