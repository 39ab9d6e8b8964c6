"""The personal link as our mail carries it: the invitation and the booking confirmation (templates
invitation/* and booking_confirmation/*) offer the organisation its own page with these variables."""

from __future__ import annotations

from sqlalchemy.orm import Session

from inbox.context import AppContext
from models import Case
from portal import links
from replies.variables import swedish_date


def link_variables(ctx: AppContext, session: Session, case: Case, *, actor: str) -> dict:
    """{"portal_url", "portal_valid_until"} for the case ({} with [portal] enabled = false). The address is ours,
    so templates show it as a link, never through |inert. Made now when the case has no usable link."""
    if not ctx.settings.portal.enabled:
        return {}
    link = links.issue_link(ctx, session, case, actor=actor)
    return {"portal_url": links.url(ctx, link), "portal_valid_until": swedish_date(link.expires_at, ctx.zone)}
