"""What about a case a person must check, and the keys that let a person mark each thing as done.

An item of the action list (digest/attention.py, the workspace's start page) is named by `item_key`:
its kind and what it is about, hashed. The key stays the same while the thing stays the same, so a
Resolution (models/staff.py) keeps it off the list; something genuinely new gets a new key and shows.
The case list's "needs review" filter and the start page's count both read `open_review`, so they agree."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC

from sqlalchemy import select
from sqlalchemy.orm import Session

from models import Case, CaseStatus, Resolution

# Once the dialogue is booked, doubts about the extraction are settled.
REVIEWABLE = (CaseStatus.RECEIVED, CaseStatus.INCOMPLETE, CaseStatus.COMPLETE, CaseStatus.INVITED, CaseStatus.NEEDS_REVIEW)
NEEDS_REVIEW, CHECK, UNSURE = "needs_review", "check", "unsure"
REVIEW_KINDS = (NEEDS_REVIEW, CHECK, UNSURE)


def item_key(kind: str, *about: object) -> str:
    """'check:3f2a…': the kind (readable in the table) and a hash of what the item is about."""
    raw = "\x1f".join([kind, *(str(part) for part in about)])
    return f"{kind}:{hashlib.sha256(raw.encode('utf-8', 'surrogatepass')).hexdigest()[:40]}"


def resolved_keys(session: Session, keys: Iterable[str]) -> set[str]:
    wanted = sorted(set(keys))
    found: set[str] = set()
    for start in range(0, len(wanted), 500):  # well under every database's limit of bound parameters
        chunk = wanted[start:start + 500]
        found.update(session.scalars(select(Resolution.item_key).where(Resolution.item_key.in_(chunk))))
    return found


def stint(case: Case) -> str:
    """Since when the case is in its status, in UTC: a case that leaves a status and comes back is new."""
    since = case.status_since or case.created_at
    return since.astimezone(UTC).isoformat() if since else ""


@dataclass(frozen=True)
class ReviewNeed:
    kind: str  # NEEDS_REVIEW, CHECK or UNSURE
    fields: tuple[str, ...]  # the extracted fields concerned (none for NEEDS_REVIEW)
    key: str


def review_needs(case: Case, review_below: float) -> list[ReviewNeed]:
    """The status asks for a person; fields the extraction flagged; fields read with low confidence."""
    needs = []
    since = stint(case)
    if case.status is CaseStatus.NEEDS_REVIEW:
        needs.append(ReviewNeed(NEEDS_REVIEW, (), item_key(NEEDS_REVIEW, case.reference, since)))
    if case.status not in REVIEWABLE:
        return needs
    flagged = tuple(dict.fromkeys(item["field"] for item in case.review or []))
    if flagged:
        # The flags themselves (field and why) name the item: a new flag from a new extraction is new.
        about = json.dumps(sorted((str(i["field"]), str(i.get("reason"))) for i in case.review or []), ensure_ascii=False)
        needs.append(ReviewNeed(CHECK, flagged, item_key(CHECK, case.reference, about)))
    unsure = tuple(name for name, value in sorted((case.confidence or {}).items())
                   if value < review_below and name not in flagged)
    if unsure:
        needs.append(ReviewNeed(UNSURE, unsure, item_key(UNSURE, case.reference, *unsure)))
    return needs


def open_review(session: Session, cases: Iterable[Case], review_below: float) -> set[int]:
    """Ids of the cases with something to check that nobody has marked as done."""
    needs = {case.id: review_needs(case, review_below) for case in cases}
    done = resolved_keys(session, (need.key for found in needs.values() for need in found))
    return {case_id for case_id, found in needs.items() if any(need.key not in done for need in found)}
