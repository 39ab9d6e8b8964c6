"""Personal links to the organisation's page: made for a case, checked on every request, revoked by staff.

A token is `<link id>-<check>`; the check is an HMAC-SHA256 (first 32 hex digits, 128 bits) of the link's id,
case and creation second under the server's key (cases/reference.token_key, with its own prefix so a reply
token can never serve as a link). Nothing secret is stored, so the same link can go into a later mail.
A link works only while all of these hold: it exists and its check is right, it has not expired or been
revoked, its case is open for a dialogue (complete, invited or booked), and the case's meeting has not ended.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from cases.meetings import active_meeting
from cases.reference import token_key
from inbox.context import AppContext
from inbox.errors import InboxError
from models import Case, CaseStatus, Event, PortalLink

# At most 9 digits of id: a row id (web/numbers.IdConvertor); 10 or more would overflow PostgreSQL's integer (a 500).
TOKEN_SHAPE = re.compile(r"([1-9][0-9]{0,8})-([0-9a-f]{32})")
OPEN_STATUSES = (CaseStatus.COMPLETE, CaseStatus.INVITED, CaseStatus.BOOKED)
PATH = "/anslutning/"

# Why a link does not work (LinkRefused.code). The page words each politely and shows no case data.
UNKNOWN, EXPIRED, REVOKED, MEETING_PASSED, CLOSED, RATE_LIMITED, READDRESSED = (
    "unknown", "expired", "revoked", "meeting_passed", "closed", "rate_limited", "readdressed")


class LinkRefused(InboxError):
    """The link may not be used now; `code` says why, `link` is the row when the token was genuine."""

    def __init__(self, code: str, link: PortalLink | None = None, *, audit: bool = True) -> None:
        # audit: False for the second and later requests over a window's limit, so a flood writes one event, not one each
        self.code, self.link, self.audit = code, link, audit
        super().__init__(f"portal link refused: {code}")


@dataclass(frozen=True)
class Access:
    """A genuine, usable link and its case."""

    link: PortalLink
    case: Case

    @property
    def actor(self) -> str:
        """The name the audit log records the organisation's actions under."""
        return f"portal:{self.link.id}"


def issue_link(ctx: AppContext, session: Session, case: Case, *, actor: str) -> PortalLink:
    """The case's usable link for its current recipient, made now when it has none (an earlier one expired, was
    revoked, or was mailed to an address the case no longer uses)."""
    now = ctx.clock()
    current = session.scalar(select(PortalLink).where(
        PortalLink.case_id == case.id, PortalLink.revoked_at.is_(None), PortalLink.expires_at > now,
    ).order_by(PortalLink.id.desc()).limit(1))
    if current is not None and current.recipient == case.recipient:
        return current
    link = PortalLink(case_id=case.id, created_at=now.replace(microsecond=0), created_by=actor, recipient=case.recipient,
                      expires_at=now + timedelta(days=ctx.settings.portal.link_days), window_count=0)
    session.add(link)
    session.flush()
    session.add(Event(at=now, actor=actor, action="portal_link_made", case_id=case.id,
                      detail=f"link {link.id}, valid until {link.expires_at:%Y-%m-%d}", data={"link_id": link.id}))
    return link


def token(ctx: AppContext, link: PortalLink) -> str:
    return f"{link.id}-{_check(ctx, link.id, link.case_id, link.created_at)}"


def url(ctx: AppContext, link: PortalLink) -> str:
    return ctx.settings.portal_base_url() + PATH + token(ctx, link)


def open_link(ctx: AppContext, session: Session, text: str, *, count: bool = True) -> Access:
    """The link and case a token names, or LinkRefused. `count` charges the request to the link's rate limit."""
    found = TOKEN_SHAPE.fullmatch(text or "")
    if found is None:
        raise LinkRefused(UNKNOWN)
    link = session.get(PortalLink, int(found.group(1)), with_for_update=count)
    if link is None or not hmac.compare_digest(found.group(2), _check(ctx, link.id, link.case_id, link.created_at)):
        raise LinkRefused(UNKNOWN)
    now = ctx.clock()
    if count:
        _charge(ctx, link, now)
    case = session.get_one(Case, link.case_id)  # a foreign key: the case exists
    if link.revoked_at is not None:
        raise LinkRefused(REVOKED, link)
    if link.expires_at <= now:
        raise LinkRefused(EXPIRED, link)
    if link.recipient != case.recipient:  # the contact's address was corrected: the old address may be a stranger's
        raise LinkRefused(READDRESSED, link)
    if case.merged_into_id is not None or case.status not in OPEN_STATUSES:
        raise LinkRefused(CLOSED, link)
    meeting = active_meeting(session, case)
    if meeting is not None and meeting.starts_at + timedelta(minutes=meeting.duration_minutes) <= now:
        raise LinkRefused(MEETING_PASSED, link)
    link.last_used_at = now
    return Access(link, case)


def revoke_links(ctx: AppContext, session: Session, case: Case, *, actor: str) -> int:
    """Staff withdraw every usable link of the case; the page then refuses them. Returns how many."""
    now = ctx.clock()
    links = list(session.scalars(select(PortalLink).where(PortalLink.case_id == case.id, PortalLink.revoked_at.is_(None))))
    for link in links:
        link.revoked_at, link.revoked_by = now, actor
    if links:
        session.add(Event(at=now, actor=actor, action="portal_link_revoked", case_id=case.id,
                          detail=f"{len(links)} link(s) revoked", data={"link_ids": [link.id for link in links]}))
    return len(links)


def _charge(ctx: AppContext, link: PortalLink, now: datetime) -> None:
    """A fixed window per link: at most [portal] requests_per_window requests in window_minutes."""
    settings = ctx.settings.portal
    started = link.window_started_at
    if started is None or now - started >= timedelta(minutes=settings.window_minutes):
        link.window_started_at, link.window_count = now, 0
    if link.window_count >= settings.requests_per_window:
        first = link.window_count == settings.requests_per_window
        link.window_count += 1 if first else 0  # one past the limit marks that the window's refusal was recorded
        raise LinkRefused(RATE_LIMITED, link, audit=first)
    link.window_count += 1


def _check(ctx: AppContext, link_id: int, case_id: int, created_at: datetime) -> str:
    message = f"portal-link:{link_id}:{case_id}:{int(created_at.timestamp())}".encode()
    return hmac.new(token_key(ctx.data_dir), message, hashlib.sha256).hexdigest()[:32]
