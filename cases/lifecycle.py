"""Case statuses and the transitions allowed between them; every transition is an audit event.

    received -> incomplete -> complete -> invited -> booked -> dialogue_held
plus `withdrawn` (the organisation withdrew, or the case was merged into another) and
`needs_review` (a person must look: a bounce of our mail, a conflict). Staff may move a
case along any allowed edge; the service moves it only forward along the main line or to
needs_review.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from inbox.errors import InboxError
from models import Case, CaseStatus, Event

S = CaseStatus
MAIN_LINE = (S.RECEIVED, S.INCOMPLETE, S.COMPLETE, S.INVITED, S.BOOKED, S.DIALOGUE_HELD)

ALLOWED: dict[CaseStatus, frozenset[CaseStatus]] = {
    S.RECEIVED: frozenset({S.INCOMPLETE, S.COMPLETE, S.NEEDS_REVIEW, S.WITHDRAWN}),
    S.INCOMPLETE: frozenset({S.COMPLETE, S.NEEDS_REVIEW, S.WITHDRAWN}),
    S.COMPLETE: frozenset({S.INCOMPLETE, S.INVITED, S.BOOKED, S.NEEDS_REVIEW, S.WITHDRAWN}),
    S.INVITED: frozenset({S.COMPLETE, S.BOOKED, S.NEEDS_REVIEW, S.WITHDRAWN}),
    S.BOOKED: frozenset({S.INVITED, S.DIALOGUE_HELD, S.NEEDS_REVIEW, S.WITHDRAWN}),
    S.DIALOGUE_HELD: frozenset({S.NEEDS_REVIEW}),
    S.NEEDS_REVIEW: frozenset(set(MAIN_LINE) | {S.WITHDRAWN}),
    S.WITHDRAWN: frozenset({S.RECEIVED, S.INCOMPLETE, S.COMPLETE, S.NEEDS_REVIEW}),
}

# Statuses in which new mail may still change what the case is missing.
OPEN_STATUSES = (S.RECEIVED, S.INCOMPLETE, S.COMPLETE)


class TransitionError(InboxError):
    """A status change that the lifecycle does not allow."""


def transition(session: Session, case: Case, new: CaseStatus, *, actor: str, why: str,
               at, message_pk: int | None = None) -> bool:
    """Move `case` to `new` and record who, when and why. Returns False when it already is there."""
    old = case.status
    if new is old:
        return False
    if new not in ALLOWED[old]:
        allowed = ", ".join(sorted(s.value for s in ALLOWED[old]))
        raise TransitionError(f"{case.reference}: cannot go from {old.value} to {new.value} (allowed: {allowed})")
    case.status, case.status_since, case.updated_at = new, at, at
    session.add(Event(
        at=at, actor=actor, action="status_changed", case_id=case.id, message_pk=message_pk,
        detail=f"{old.value} -> {new.value}: {why}", data={"from": old.value, "to": new.value, "why": why},
    ))
    return True
