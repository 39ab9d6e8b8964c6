"""Every use of the organisation's page is an event, recorded under the link ("portal:<link id>").

A page view is "portal_opened"; each action writes its own event (portal.booking, portal.answers); a genuine
link that is refused is "portal_refused" with the code, and a refused action its own refusal event. An unknown
or tampered token names no link and no case: it is not recorded here (the web edge slows guessing instead)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from inbox.context import AppContext
from models import Event, PortalLink
from portal.links import Access, LinkRefused
from portal.refusals import ActionRefused


def record(ctx: AppContext, session: Session, link: PortalLink, action: str, detail: str | None = None,
           data: dict | None = None) -> None:
    session.add(Event(at=ctx.clock(), actor=f"portal:{link.id}", action=action, case_id=link.case_id,
                      detail=detail, data=data))


def opened(ctx: AppContext, session: Session, access: Access) -> None:
    record(ctx, session, access.link, "portal_opened", f"link {access.link.id}")


def link_refused(ctx: AppContext, session: Session, refusal: LinkRefused) -> None:
    """A genuine link that may not be used now (expired, revoked, closed, meeting passed, rate limited)."""
    if refusal.link is not None and refusal.audit:
        record(ctx, session, refusal.link, "portal_refused", f"link {refusal.link.id}: {refusal.code}",
               {"code": refusal.code})


def action_refused(ctx: AppContext, session: Session, access: Access, refusal: ActionRefused) -> None:
    data = {"code": refusal.code, **({"field": refusal.field} if refusal.field else {})}
    record(ctx, session, access.link, refusal.action, refusal.code + (f": {refusal.detail}" if refusal.detail else ""), data)
