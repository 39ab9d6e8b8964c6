"""Case data for the start page and case list tests: the digest's fixed cases (tests/integration/test_digest.py),
plus helpers to read the pages and the live action list."""

from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import select

from digest.attention import Reason
from digest.collect import collect
from digest.live import live_items
from inbox.context import AppContext
from models import Case, Message
from tests.integration.test_digest import add_case, seed, stockholm

__all__ = ["HOSTILE_NAME", "HOSTILE_TAG", "add_case", "digest_reasons", "listed", "reason_of", "seed", "stockholm"]

HOSTILE_TAG = "<script>alert(1)</script>"
HOSTILE_NAME = '"><img src=x onerror=alert(1)>'
LISTED = re.compile(r'<td data-label="Ärende"><a href="/arenden/([^"]+)">')


def listed(html: str) -> list[str]:
    """The references of the case list's rows, in order."""
    return LISTED.findall(html)


def reason_of(ctx: AppContext, who: str, kind: str) -> Reason:
    """The live reason of this kind on the item of `who` (a reference, or the sender of a case-less item)."""
    with ctx.sessions() as session:
        items = live_items(ctx, session)
    return next(r for item in items if who in (item.reference, item.who) for r in item.reasons if r.kind == kind)


def digest_reasons(ctx: AppContext) -> dict[str, list[str]]:
    """What the digest would list now: {reference or who: [reason kinds]}."""
    now = ctx.clock()
    with ctx.sessions() as session:
        data = collect(ctx, session, now - timedelta(days=1), now)
    return {item.reference or item.who: [reason.kind for reason in item.reasons] for item in data.attention}


def case_id(ctx: AppContext, reference: str) -> int:
    with ctx.sessions() as session:
        return session.scalars(select(Case.id).where(Case.reference == reference)).one()


def quarantined_id(ctx: AppContext) -> int:
    with ctx.sessions() as session:
        return session.scalars(select(Message.id)).one()
