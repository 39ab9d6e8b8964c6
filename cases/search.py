"""Find cases: free text, filters, sorting and paging, for the workspace's case list and `inbox cases TEXT`.

The text is matched in Python, not with SQL LIKE: SQLite's lower() folds only ASCII, so "ÅSA" would not
find "Åsa" there, and the list must answer the same on SQLite and PostgreSQL. A county's cases number in
the hundreds; reading them with their organisation and contacts is one query each."""

from __future__ import annotations

import enum
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, time
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from cases.review import open_review
from models import Case, CaseStatus, Meeting, Organisation

UNKNOWN_TYPE = "okand"  # the org_type filter for cases whose organisation has no type (or no organisation)
MAX_TERMS, MAX_TEXT = 10, 200
STATUS_ORDER = {status: n for n, status in enumerate(CaseStatus)}
# Swedish alphabetical order: å, ä, ö after z (casefold alone puts ä before å).
SWEDISH = str.maketrans({"å": "{", "ä": "|", "æ": "|", "ö": "}", "ø": "}"})


class Sort(str, enum.Enum):
    NEWEST = "newest"
    OLDEST = "oldest"
    ORGANISATION = "organisation"
    STATUS = "status"


@dataclass(frozen=True)
class CaseQuery:
    text: str = ""
    status: CaseStatus | None = None
    org_type: str | None = None  # a type code (digest/labels.ORGANISATION_TYPES) or UNKNOWN_TYPE
    needs_review: bool | None = None  # something to check that nobody marked as done (cases/review.py)
    booked: bool | None = None  # a dialogue meeting, not cancelled, today or later
    sort: Sort = Sort.NEWEST
    page: int = 1
    per_page: int | None = 25  # None: every match on one page


@dataclass(frozen=True)
class CaseRow:
    case: Case
    meeting: Meeting | None  # the next booked meeting
    needs_review: bool


@dataclass
class CaseResults:
    rows: list[CaseRow]
    total: int  # matches of every filter
    page: int
    pages: int
    by_status: dict[CaseStatus, int] = field(default_factory=dict)  # matches of every filter but the status


def terms(text: str) -> list[str]:
    """The words of a search, folded; bounded, since the text comes from a URL."""
    return text[:MAX_TEXT].casefold().split()[:MAX_TERMS]


def matches(case: Case, words: list[str]) -> bool:
    """Every word occurs in the reference, organisation name or number, sender, or a contact's name or address."""
    if not words:
        return True
    org = case.organisation
    number = org.org_number if org else None
    values = [case.reference, case.sender, org.name if org else None, number, re.sub(r"\D", "", number or "")]
    values += [value for contact in case.contacts for value in (contact.name, contact.email)]
    haystack = "\n".join(value for value in values if value).casefold()
    return all(word in haystack for word in words)


def search_cases(session: Session, query: CaseQuery, *, review_below: float, now: datetime, zone: ZoneInfo) -> CaseResults:
    cases = [case for case in _load(session, query.org_type) if matches(case, terms(query.text))]
    midnight = datetime.combine(now.astimezone(zone).date(), time(), tzinfo=zone).astimezone(UTC)
    meetings = _next_meetings(session, midnight)
    review = open_review(session, cases, review_below)
    if query.needs_review is not None:
        cases = [case for case in cases if (case.id in review) is query.needs_review]
    if query.booked is not None:
        cases = [case for case in cases if (case.id in meetings) is query.booked]
    by_status = {status: 0 for status in CaseStatus}
    for case in cases:
        by_status[case.status] += 1
    if query.status is not None:
        cases = [case for case in cases if case.status is query.status]
    cases = _sorted(cases, query.sort)
    per_page = query.per_page or max(len(cases), 1)
    pages = max((len(cases) + per_page - 1) // per_page, 1)
    page = min(max(query.page, 1), pages)
    shown = cases[(page - 1) * per_page:page * per_page]
    rows = [CaseRow(case, meetings.get(case.id), case.id in review) for case in shown]
    return CaseResults(rows, len(cases), page, pages, by_status)


def _load(session: Session, org_type: str | None) -> list[Case]:
    query = select(Case).options(selectinload(Case.organisation), selectinload(Case.contacts))
    if org_type == UNKNOWN_TYPE:
        query = query.outerjoin(Organisation, Organisation.id == Case.organisation_id).where(Organisation.type.is_(None))
    elif org_type:
        query = query.join(Organisation, Organisation.id == Case.organisation_id).where(Organisation.type == org_type)
    return list(session.scalars(query))


def _next_meetings(session: Session, since: datetime) -> dict[int, Meeting]:
    rows = session.scalars(select(Meeting).where(Meeting.cancelled.is_(False), Meeting.starts_at >= since)
                           .order_by(Meeting.starts_at.desc(), Meeting.id.desc()))
    return {meeting.case_id: meeting for meeting in rows}  # the earliest wins: it comes last


def _sorted(cases: Iterable[Case], sort: Sort) -> list[Case]:
    newest = sorted(cases, key=lambda case: (case.created_at, case.id), reverse=True)
    if sort is Sort.OLDEST:
        return newest[::-1]
    if sort is Sort.ORGANISATION:
        return sorted(newest, key=lambda case: _name_key(case))
    if sort is Sort.STATUS:
        return sorted(newest, key=lambda case: STATUS_ORDER[case.status])  # stable: newest first within a status
    return newest


def _name_key(case: Case) -> str:
    name = case.organisation.name if case.organisation else case.sender
    return " ".join((name or "").split()).casefold().translate(SWEDISH)
